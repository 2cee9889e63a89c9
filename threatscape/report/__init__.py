"""threatscape.report"""
