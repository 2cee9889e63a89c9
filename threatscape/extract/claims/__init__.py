"""Claims: who said what, with what stance, about whom (see ``extractor``).

Modules: ``quotes`` (quotation marks), ``cues`` (speech verbs and their stance), ``frames``
(what was said), ``speaker`` (who said it) and ``lexicon`` (``data/cues.yaml``).
"""

from threatscape.extract.claims.extractor import EXTRACTOR, extract_claims

__all__ = ["EXTRACTOR", "extract_claims"]
