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
    "join_wrapped",
    "parse_byline",
    "parse_caption",
    "parse_credit_line",
]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+|\b00)?\d[\d\s().-]{7,}\d")
_TRIM = " \t:|•·-–—>»›.,;"
_CREDIT_LABEL = re.compile(
    r"^(?P<text>.*?)[\s.,;]*\b(?:photo|photograph|image|picture|map|graphic|credit|source|video)s?"
    r"\s*(?:credit)?\s*:\s*(?P<credit>[^:.]{2,60})$",
    re.IGNORECASE,
)
_CREDIT_ONLY = re.compile(
    r"^(?:photo|photograph|image|picture|map|graphic|credit|video)s?\s*(?:credit)?\s*:\s*(?P<credit>.{2,60})$",
    re.IGNORECASE,
)
_TRAILING_PAREN = re.compile(r"^(?P<text>.*?)\s*\((?P<credit>[^()]{1,100})\)\s*$")
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
    if word_count(line) > rules.threshold("furniture_max_words"):
        return False  # furniture is short: a long line is text, whatever it mentions
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


@lru_cache(maxsize=4)
def _date_word(rules: Rules) -> re.Pattern[str]:
    words = "|".join(sorted(set(rules.months) | rules.weekdays, key=len, reverse=True))
    return re.compile(rf"\s*\b(?:{words})\b.*$", re.IGNORECASE)


def parse_byline(line: str, rules: Rules, *, stamp: bool = False) -> str | None:
    """The author of a byline line ("By Jane Doe | Published ..."), else None.

    ``stamp``: the line is a date stamp, which may be longer than a bare byline.
    """
    limit = rules.threshold("stamp_max_words" if stamp else "byline_max_words")
    if word_count(line) > limit:
        return None
    m = _BYLINE.match(line) or re.search(r"\bBy[:\s]+(?P<name>[A-Z].*)$", line)
    if not m:
        return None
    name = _BYLINE_STOP.sub("", m["name"])
    name = _date_word(rules).sub("", name).strip(_TRIM + " ")
    if not name or not name[0].isupper() or word_count(name) > 8:
        return None
    return name


def parse_credit_line(line: str) -> str | None:
    """The credit of a line that is only a credit ("Image: State TV/Handout via AFP")."""
    m = _CREDIT_ONLY.match(line)
    return _tidy_credit(m["credit"]) if m else None


def _continues(line: str, nxt: str, rules: Rules) -> bool:
    if not line or not nxt or line[-1] in _SENTENCE_END + ";…]" or nxt[0] in rules.bullets:
        return False
    if line[0] in rules.bullets or is_furniture(line, rules) or is_furniture(nxt, rules):
        return False
    last = line.split()[-1].casefold().strip("\"'“”‘’")
    return nxt[0].islower() or line.endswith(",") or last in rules.continuation_words


def join_wrapped(lines: list[str], rules: Rules) -> list[str]:
    """Lines hard-wrapped mid-sentence joined back ("gunmen attacked the town of" + "Sadda on ...")."""
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line, rules):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def is_prose(line: str, rules: Rules) -> bool:
    """A paragraph of running text: long enough and ending like a sentence."""
    return word_count(line) >= rules.threshold("prose_min_words") and any(c in line for c in ".!?;,")


def is_headline_like(line: str, rules: Rules) -> bool:
    """A line shaped like a headline: a few words, not ending in a full stop."""
    words = line.split()
    if len(words) > 2 * rules.threshold("headline_max_words"):
        return False  # too long to be a headline, however many of its words are bare punctuation
    n = len([w for w in words if any(c.isalnum() for c in w)])
    if line.count("(") != line.count(")"):
        return False
    if not rules.threshold("headline_min_words") <= n <= rules.threshold("headline_max_words"):
        return False
    return not line.endswith(".") and not is_furniture(line, rules) and bullet_text(line, rules) is None


def is_name_like(line: str) -> bool:
    """A bare author name ("Shahjahan Khurram"): two to four capitalised words, no digits."""
    words = line.split()
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words) and line[-1] not in _SENTENCE_END
