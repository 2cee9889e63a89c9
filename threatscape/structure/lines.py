"""What one page line is: furniture, a bullet, a caption, a byline, a headline, or prose.

Each classifier takes one cleaned line (``text.clean_line``) and the ``Rules``; the vocabulary
lives in ``threatscape/data/furniture.yaml``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from threatscape.model import Caption
from threatscape.structure.rules import Rules
from threatscape.structure.text import word_count

__all__ = [
    "bullet_text",
    "is_end_marker",
    "is_furniture",
    "is_headline_like",
    "is_name_like",
    "is_prose",
    "parse_byline",
    "parse_caption",
]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+|\b00)?\d[\d\s().-]{7,}\d")
_TRIM = " \t:|•·-–—>»›.,;"
_CREDIT_LABEL = re.compile(
    r"^(?P<text>.*?)[\s.,;]*\b(?:photo|photograph|image|picture|map|graphic|credit|source|video)s?"
    r"\s*(?:credit)?\s*:\s*(?P<credit>[^:.]{2,60})$",
    re.IGNORECASE,
)
_TRAILING_PAREN = re.compile(r"^(?P<text>.*?)\s*\((?P<credit>[^()]{1,50})\)\s*$")
_BYLINE = re.compile(r"^(?:by|written by|author|reported by)\b\s*[:\-]?\s*(?P<name>.+)$", re.IGNORECASE)
_BYLINE_STOP = re.compile(
    r"\s*(?:[|,;•·]|\s[-–—]\s|\b\d|\b(?:published|updated|posted|last updated|reading time|read time)\b"
    r"|\bmin(?:ute)?s?\s+read\b).*$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[A-Z][\w'’.-]*$")
_SENTENCE_END = ".!?\"”’'):"


def _key(line: str) -> str:
    return line.casefold().strip(_TRIM)


def is_furniture(line: str, rules: Rules) -> bool:
    """A line that is page furniture (share bars, stamps without dates, widgets, footers ...)."""
    key = _key(line)
    if not key:
        return True
    if key in rules.furniture_lines:
        return True
    if any(p.match(line) for p in rules.furniture_patterns):
        return True
    if _EMAIL.search(line) or _PHONE.search(line):
        words = set(re.findall(r"[\w-]+", key))
        if words & rules.footer_words and word_count(line) <= 40:
            return True
    return False


def is_end_marker(line: str, rules: Rules) -> bool:
    """A heading after which the rest of the page is trailer ("You May Also Like")."""
    return _key(line) in rules.end_markers


def bullet_text(line: str, rules: Rules) -> str | None:
    """The text of a bullet line ("• The development comes ..."), else None."""
    if line and line[0] in rules.bullets:
        text = line[1:].strip()
        return text or None
    return None


@lru_cache(maxsize=4)
def _agency_credit(rules: Rules) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{rules.agency_re})\b")


def _is_credit(inside: str, rules: Rules) -> bool:
    if _agency_credit(rules).search(inside):
        return True
    words = set(re.findall(r"[a-z]+", inside.casefold()))
    return bool(words & rules.credit_words)


def _tidy_credit(credit: str) -> str:
    return re.sub(r"\s*/\s*", "/", credit.strip())


def parse_caption(line: str, rules: Rules) -> Caption | None:
    """An image caption with its credit: "... on December 12, 2024. (AFP/File)"."""
    if word_count(line) > rules.threshold("caption_max_words"):
        return None
    m = _TRAILING_PAREN.match(line)
    if m and _is_credit(m["credit"], rules) and word_count(m["text"]) >= 2:
        return Caption(text=m["text"].strip(), credit=_tidy_credit(m["credit"]))
    m = _CREDIT_LABEL.match(line)
    if m and word_count(m["text"]) >= 2:
        return Caption(text=m["text"].strip(), credit=_tidy_credit(m["credit"]))
    return None


def parse_byline(line: str, rules: Rules) -> str | None:
    """The author of a byline line ("By Jane Doe | Published ..."), else None."""
    if word_count(line) > rules.threshold("byline_max_words"):
        return None
    m = _BYLINE.match(line) or re.search(r"\bBy[:\s]+(?P<name>[A-Z].*)$", line)
    if not m:
        return None
    name = _BYLINE_STOP.sub("", m["name"]).strip(_TRIM + " ")
    if not name or not name[0].isupper() or word_count(name) > 8:
        return None
    return name


def is_prose(line: str, rules: Rules) -> bool:
    """A paragraph of running text: long enough and ending like a sentence."""
    return word_count(line) >= rules.threshold("prose_min_words") and any(c in line for c in ".!?;,")


def is_headline_like(line: str, rules: Rules) -> bool:
    """A line shaped like a headline: a few words, not ending in a full stop."""
    n = word_count(line)
    if not rules.threshold("headline_min_words") <= n <= rules.threshold("headline_max_words"):
        return False
    return not line.endswith(".") and not is_furniture(line, rules) and bullet_text(line, rules) is None


def is_name_like(line: str) -> bool:
    """A bare author name ("Shahjahan Khurram"): two to four capitalised words, no digits."""
    words = line.split()
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words) and line[-1] not in _SENTENCE_END
