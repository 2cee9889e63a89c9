"""Name keys for gazetteer look-ups: one normal form shared by the index and the queries.

``name_key("Paktiyā")`` is ``"paktiya"``; ``name_key("Khyber-Pakhtunkhwa")`` is
``"khyber pakhtunkhwa"``; ``name_key("the Gaza Strip")`` is ``"gaza strip"``. Accents and
apostrophes go, hyphens, dots and commas become spaces, a leading "the" is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["FEATURE_WORDS", "is_latin", "name_key", "strip_feature_word"]

_APOSTROPHES = re.compile(r"['’‘`ʻʼ]")
# letters outside the Latin blocks (Basic Latin .. Latin Extended-B, Latin Extended Additional)
_NON_LATIN = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_./,()]+")

# Words that say what kind of place a name is ("Kurram district", "Paktia province").
FEATURE_WORDS: dict[str, str] = {
    "district": "region",
    "districts": "region",
    "tehsil": "region",
    "agency": "region",
    "province": "admin1",
    "governorate": "admin1",
    "state": "admin1",
    "region": "region",
    "county": "region",
    "valley": "region",
    "city": "point",
    "town": "point",
    "village": "point",
    "area": "region",
    "camp": "point",
    "crossing": "point",
}


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """The look-up key of a place name (accent-, case- and punctuation-insensitive)."""
    text = name
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text).casefold()
    text = _SEPARATORS.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def strip_feature_word(key: str) -> tuple[str, str | None]:
    """``"kurram district"`` -> ``("kurram", "region")``; keys without a feature word come back as is."""
    head, _, last = key.rpartition(" ")
    if head and last in FEATURE_WORDS:
        return head, FEATURE_WORDS[last]
    return key, None


def is_latin(name: str) -> bool:
    """True when every letter is Latin script (alternate names in other scripts are not indexed)."""
    return name.isascii() or not _NON_LATIN.search(name)
