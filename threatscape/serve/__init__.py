"""threatscape.serve"""
