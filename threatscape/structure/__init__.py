"""threatscape.structure"""
