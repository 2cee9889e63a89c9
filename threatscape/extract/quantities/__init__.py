"""Quantities: numbers with what they count (casualties, money, people), see ``extractor``.

Modules: ``parse`` (number words, what a count counts) and ``lexicon`` (``data/quantities.yaml``).
"""

from threatscape.extract.quantities.extractor import (
    EXTRACTOR,
    CasualtyCount,
    casualty_counts,
    extract_quantities,
    parse_number,
)

__all__ = ["EXTRACTOR", "CasualtyCount", "casualty_counts", "extract_quantities", "parse_number"]
