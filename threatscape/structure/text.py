"""Text normalisation for structure: stable article ids, comparison keys and clean lines."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["article_id", "clean_line", "deglue", "normalise_text", "word_count"]

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_EDGE_JUNK = "So", "Co", "Cn", "Cs", "Cf"
_REPLACEMENT = "\ufffd"


def normalise_text(text: str) -> str:
    """NFKC, one kind of quote and dash, single spaces, casefolded: the form ids are hashed from."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", text).strip().casefold()


def article_id(body: str) -> str:
    """Stable id of an article: the first 16 hex digits of sha256 over the normalised body."""
    return hashlib.sha256(normalise_text(body).encode("utf-8")).hexdigest()[:16]


def _is_edge_junk(ch: str) -> bool:
    return ch == _REPLACEMENT or unicodedata.category(ch) in _EDGE_JUNK


def clean_line(line: str) -> str:
    """One page line with invisible characters gone, spaces collapsed and stray glyphs trimmed.

    Symbols at the edges (encoding residue, icon glyphs) are trimmed; bullets are kept because
    they mark summary lines.
    """
    line = _INVISIBLE.sub("", line.replace("\u00a0", " "))
    line = _SPACE.sub(" ", line).strip()
    start, end = 0, len(line)
    while start < end and _is_edge_junk(line[start]) and line[start] not in "•●▪■◦‣▸►":
        start += 1
    while end > start and _is_edge_junk(line[end - 1]):
        end -= 1
    return line[start:end].strip()


_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=\d)(?=[A-Z][a-z])|(?<=[a-z])(?=\d)|(?<=:)(?=[A-Za-z])")


def deglue(line: str) -> str:
    """Words glued together by stripped markup pulled apart ("Jane DoeMarch 3, 2025Updated:March 4").

    Only for reading stamps and bylines: the text kept in an article is never deglued.
    """
    return _GLUED.sub(" ", line)


def word_count(text: str) -> int:
    return len(text.split())
