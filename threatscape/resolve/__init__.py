"""threatscape.resolve"""
