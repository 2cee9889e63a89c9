"""threatscape.batch"""
