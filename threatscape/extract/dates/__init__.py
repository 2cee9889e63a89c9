"""Dates: every date expression resolved against the publication date (see ``extractor``).

Modules: ``grammar`` (the date patterns, from ``data/dates.yaml``) and ``extractor``.
"""

from threatscape.extract.dates.extractor import (
    EXTRACTOR,
    date_expressions,
    date_for_span,
    extract_dates,
    resolve_date,
    sequence_shift,
    shifted,
    to_text,
)

__all__ = [
    "EXTRACTOR",
    "date_expressions",
    "date_for_span",
    "extract_dates",
    "resolve_date",
    "sequence_shift",
    "shifted",
    "to_text",
]
