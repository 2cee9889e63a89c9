"""threatscape.ingest"""
