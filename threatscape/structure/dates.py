"""Calendar dates printed on news pages, and the published / updated stamps that carry them.

Recognised forms: ``15 February 2025``, ``15th Dec 2025``, ``February 15, 2025``, ``Feb. 15 2025``,
``Mon Nov 17 2025``, ``2025-02-15`` (also with a time), ``12/05/2025`` (day first by default).
A stamp is a short line holding a date; a label before a date (``Published :``, ``Updated``)
says which date it is. Relative stamps ("Updated 26 min ago") give no date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from threatscape.structure.rules import Rules
from threatscape.structure.text import deglue, word_count

__all__ = ["FoundDate", "Stamp", "find_dates", "parse_date", "read_stamp", "url_date"]


@dataclass(frozen=True)
class FoundDate:
    iso: str
    start: int
    end: int


@dataclass(frozen=True)
class Stamp:
    """The dates of one stamp line: labelled published/updated, or plain (no label)."""

    published: str | None = None
    updated: str | None = None
    plain: str | None = None


@dataclass(frozen=True)
class _Patterns:
    day_month_year: re.Pattern[str]
    month_day_year: re.Pattern[str]
    iso: re.Pattern[str]
    numeric: re.Pattern[str]
    label: re.Pattern[str]


@lru_cache(maxsize=4)
def _patterns(rules: Rules) -> _Patterns:
    month = "|".join(sorted(rules.months, key=len, reverse=True))
    labels = "|".join(re.escape(x) for x in rules.published_labels + rules.updated_labels)
    return _Patterns(
        day_month_year=re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({month})\b\.?,?\s+(\d{{4}})\b", re.IGNORECASE
        ),
        month_day_year=re.compile(rf"\b({month})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b,?\s+(\d{{4}})\b", re.IGNORECASE),
        iso=re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?=\b|T)"),
        numeric=re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b"),
        label=re.compile(rf"\b({labels})\b\s*(?:on|at)?\s*[:\-–|]?", re.IGNORECASE),
    )


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric(a: int, b: int, year: int, day_first: bool) -> str | None:
    if a > 12:
        return _iso(year, b, a)
    if b > 12:
        return _iso(year, a, b)
    return _iso(year, b, a) if day_first else _iso(year, a, b)


def find_dates(text: str, rules: Rules) -> list[FoundDate]:
    """Every calendar date in ``text`` with its character span, in order of position."""
    p = _patterns(rules)
    found: list[FoundDate] = []
    for m in p.day_month_year.finditer(text):
        iso = _iso(int(m[3]), rules.months[m[2].casefold()], int(m[1]))
        if iso:
            found.append(FoundDate(iso, m.start(), m.end()))
    for m in p.month_day_year.finditer(text):
        iso = _iso(int(m[3]), rules.months[m[1].casefold()], int(m[2]))
        if iso:
            found.append(FoundDate(iso, m.start(), m.end()))
    for m in p.iso.finditer(text):
        iso = _iso(int(m[1]), int(m[2]), int(m[3]))
        if iso:
            found.append(FoundDate(iso, m.start(), m.end()))
    for m in p.numeric.finditer(text):
        iso = _numeric(int(m[1]), int(m[2]), int(m[3]), rules.numeric_day_first)
        if iso:
            found.append(FoundDate(iso, m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    kept: list[FoundDate] = []
    for d in found:  # drop overlaps (a span read two ways)
        if not kept or d.start >= kept[-1].end:
            kept.append(d)
    return kept


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/-]|$|\.)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})\d{0,8}(?=[/?#.]|$)")


def url_date(url: str | None) -> str | None:
    """The date in a URL path: ``/2024/11/03/slug``, ``/2024-11-03-slug``, ``/202412254880``."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in (_URL_DATE, _URL_COMPACT):
        for m in pattern.finditer(path):
            iso = _iso(int(m[1]), int(m[2]), int(m[3]))
            if iso:
                return iso
    return None


def parse_date(value: str | None, rules: Rules) -> str | None:
    """A date given as metadata (ISO, ISO with time, or any printed form) as YYYY-MM-DD."""
    if not value or not value.strip():
        return None
    dates = find_dates(value.strip(), rules)
    return dates[0].iso if dates else None


_MAX_RESIDUE = 3  # words a stamp line may hold besides dates, labels, times, weekdays and a byline
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?\b|T\d{2}:\d{2}\S*", re.IGNORECASE)
_BY = re.compile(r"\bby\b.*$", re.IGNORECASE)
_ZONES = frozenset(
    {
        "am",
        "pm",
        "ist",
        "pkt",
        "pst",
        "utc",
        "gmt",
        "bst",
        "cet",
        "est",
        "edt",
        "eat",
        "wat",
        "uk",
        "local",
        "time",
        "at",
        "on",
        "and",
        "|",
    }
)


def _residue_words(line: str, dates: list[FoundDate], rules: Rules) -> int:
    """Words left on a line once its dates, labels, times, weekdays and byline are taken away."""
    for d in reversed(dates):
        line = line[: d.start] + " " + line[d.end :]
    line = _BY.sub(" ", _TIME.sub(" ", _patterns(rules).label.sub(" ", line)))
    words = re.findall(r"[^\W\d_]+", line.casefold())
    return sum(1 for w in words if w not in rules.weekdays and w not in _ZONES)


def read_stamp(line: str, rules: Rules) -> Stamp | None:
    """The dates of a stamp line, or None when the line holds no date or is too long for a stamp."""
    line = deglue(line)
    if word_count(line) > rules.threshold("stamp_max_words"):
        return None
    dates = find_dates(line, rules)
    if not dates or _residue_words(line, dates, rules) > _MAX_RESIDUE:
        return None
    labels = [(m.end(), m[1].casefold()) for m in _patterns(rules).label.finditer(line)]
    published = updated = plain = None
    for d in dates:
        before = [name for end, name in labels if end <= d.start]
        kind = before[-1] if before else None
        if kind in rules.updated_labels:
            updated = updated or d.iso
        elif kind in rules.published_labels:
            published = published or d.iso
        else:
            plain = plain or d.iso
    return Stamp(published=published, updated=updated, plain=plain)
