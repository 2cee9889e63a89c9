"""threatscape.store"""
