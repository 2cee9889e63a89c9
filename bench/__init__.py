"""Benchmarks, run by ``make bench`` (``python -m bench``), never by the tests."""
