"""The dateline at the start of a story: its place, the day it gives, and the text after it.

Forms: ``KARACHI:``, ``ISLAMABAD —``, ``ISLAMABAD (AFP) -``, ``PESHAWAR, Aug 12 (PTI) –`` (or no
dash, as PTI prints it),
``Geneva [Switzerland], May 3 (ANI):``, ``Tehran, IRNA –``, ``(Reuters) -`` (no place),
``BENI, North Kivu Province, Democratic Republic of Congo —``, ``Islamabad:``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from threatscape.structure.rules import Rules

__all__ = ["Dateline", "parse_dateline"]

_DASH = r"[-–—−]+"
_UPPER_PLACE = r"[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-z.'’\-]+(?:\s+[A-Z][a-z.'’\-]+){0,2}"
_REGION = r"(?:,\s*[A-Z][\w.'’\-]*(?:\s+(?:of|the|and|[A-Z][\w.'’\-]*)){0,5})"
_BRACKET = r"(?:\s*\[[^\]]{1,30}\])?"


@dataclass(frozen=True)
class Dateline:
    place: str | None
    text: str  # the paragraph with the dateline removed
    day: tuple[int, int, int | None] | None = None  # (month, day, year or None): the day it was filed


@lru_cache(maxsize=4)
def _forms(rules: Rules) -> tuple[re.Pattern[str], ...]:
    agency = rf"(?:{rules.agency_re})"
    month = "|".join(sorted(rules.months, key=len, reverse=True))
    when = (
        rf"(?:,?\s*(?i:(?P<month>{month})\.?\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{month})\.?)"
        rf"(?:,?\s*(?P<year>\d{{4}}))?)"
    )
    place = rf"(?P<place>(?:{_UPPER_PLACE}|{_TITLE_PLACE}){_BRACKET}{_REGION}{{0,3}}?){_BRACKET}"
    return (
        # PESHAWAR, Aug 12 (PTI) –   /   Geneva [Switzerland], May 3 (ANI):   /  ISLAMABAD (AFP) -
        re.compile(rf"^{place}\s*{when}?\s*\(\s*{agency}\s*\)\s*(?:{_DASH}|:)?\s*"),  # PTI prints no dash
        # Tehran, IRNA –
        re.compile(rf"^{place},\s*{agency}\s*(?:{_DASH}|:)\s*"),
        # (Reuters) -
        re.compile(rf"^\(\s*{agency}\s*\)\s*(?:{_DASH}|:)\s*"),
        # KARACHI:  /  BENI, North Kivu Province, Democratic Republic of Congo —  /  ISLAMABAD —
        re.compile(rf"^(?P<place>{_UPPER_PLACE}{_BRACKET}{_REGION}{{0,3}}?)\s*{when}?\s*(?::|\s{_DASH})\s*"),
        # Islamabad:  (title case only with a colon)
        re.compile(rf"^(?P<place>{_TITLE_PLACE}{_BRACKET})\s*:\s+(?=[A-Z“\"'])"),
    )


def _tidy_place(place: str | None) -> str | None:
    if not place:
        return None
    place = re.sub(r"\s*\[[^\]]*\]", "", place).strip(" ,")
    return place or None


def _filed(m: re.Match[str], rules: Rules) -> tuple[int, int, int | None] | None:
    groups = m.groupdict()
    month, day = groups.get("month") or groups.get("month2"), groups.get("day") or groups.get("day2")
    if not month or not day:
        return None
    number = rules.months.get(month.lower().rstrip("."))
    year = groups.get("year")
    return (number, int(day), int(year) if year else None) if number and 1 <= int(day) <= 31 else None


def parse_dateline(paragraph: str, rules: Rules, *, upper_only: bool = False) -> Dateline | None:
    """The dateline opening ``paragraph``, or None when it does not open with one.

    ``upper_only`` leaves out the title-case form ("Islamabad:"), which lead-ins like "Scope:"
    also match; a paragraph shorter than ``dateline_min_words`` has no dateline.
    """
    if len(paragraph.split()) < rules.threshold("dateline_min_words"):
        return None
    forms = _forms(rules)
    for form in forms[:-1] if upper_only else forms:
        m = form.match(paragraph)
        if not m:
            continue
        rest = paragraph[m.end() :].lstrip()
        if not rest or not (rest[0].isupper() or rest[0] in "“\"'‘(0123456789"):
            continue
        place = m.groupdict().get("place")
        return Dateline(place=_tidy_place(place), text=rest, day=_filed(m, rules))
    return None
