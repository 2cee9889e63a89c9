"""threatscape.extract"""
