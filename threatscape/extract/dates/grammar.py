"""The date grammar: where date expressions are and what their parts say, not yet resolved.

``scan(text, lexicon)`` runs a list of small patterns (absolute dates, months, years, weekdays,
relative words), keeps the longest non-overlapping matches, marks "since X" as open and joins
"from X to Y" / "X - Y" / "between X and Y" into ranges. ``extract/dates/extractor.py`` resolves the result.
The vocabulary comes from ``threatscape/data/dates.yaml``; ``dates.lexicon`` compiles the
patterns ``build_patterns`` gives into the ``DateLexicon`` passed to ``scan``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threatscape.extract.dates.lexicon import DateLexicon

__all__ = ["Match", "alternation", "build_patterns", "scan"]

ABSOLUTE = ("date", "month", "year", "decade", "day_only", "weekday")


@dataclass(frozen=True)
class Match:
    """One date expression at ``text[start:end]``; the fields its kind uses are set."""

    kind: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    day2: int | None = None
    numeric: bool = False  # DD/MM vs MM/DD undecided
    weekday: int | None = None
    shift: int = 0
    unit: str | None = None
    count: int | None = None
    open: bool = False  # "since X": end left open
    future: bool = False
    left: Match | None = None
    right: Match | None = None


def scan(text: str, lex: DateLexicon) -> list[Match]:
    """The date expressions in ``text``, in order, ranges joined."""
    found = []
    for pattern, build in lex.patterns:
        for m in pattern.finditer(text):
            match = build(m, lex)
            if match is not None:
                found.append(match)
    chosen: list[Match] = []
    for cand in sorted(found, key=lambda c: (c.start - c.end, c.start)):
        if all(cand.end <= c.start or c.end <= cand.start for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    return _join_ranges([_mark_open(text, c) for c in chosen], text)


def _mark_open(text: str, m: Match) -> Match:
    if m.kind not in ABSOLUTE:
        return m
    cue = re.search(r"\b(?i:since)\s+(?:the\s+)?$", text[max(0, m.start - 12) : m.start])
    return replace(m, open=True, start=m.start - len(cue.group(0))) if cue else m


def _join_ranges(matches: list[Match], text: str) -> list[Match]:
    out: list[Match] = []
    for m in matches:
        prev = out[-1] if out else None
        if prev is not None and prev.kind in ABSOLUTE and m.kind in ABSOLUTE and not prev.open:
            gap = text[prev.end : m.start]
            joiner = re.fullmatch(r"\s*(?i:(to|till|until|through|and)|([-\u2013\u2014]))\s*", gap)
            opener = re.search(r"\b(?i:(from|between))\s+$", text[max(0, prev.start - 9) : prev.start])
            if joiner and (joiner.group(2) or opener) and (joiner.group(1) != "and" or opener):
                start = prev.start - (len(opener.group(0)) if opener else 0)
                out[-1] = Match("range", start, m.end, left=prev, right=m)
                continue
        out.append(m)
    return out


# -- builders: one per pattern ---------------------------------------------------------------------


def _int(m: re.Match[str], name: str) -> int | None:
    value = m.groupdict().get(name)
    return int(re.sub(r"\D", "", value)) if value else None


def _month(m: re.Match[str], lex: DateLexicon) -> int | None:
    name = m.groupdict().get("mon")
    return lex.month_number[name] if name else None


def _calendar(m: re.Match[str], lex: DateLexicon) -> Match | None:
    month, day = _month(m, lex), _int(m, "day")
    kind = "date" if day else "month"
    name = m.groupdict().get("wd")
    weekday = lex.weekdays.index(name) if name and day and not m.groupdict().get("day2") else None
    return Match(kind, m.start("expr"), m.end(), _int(m, "year"), month, day, _int(m, "day2"), weekday=weekday)


def _numeric(m: re.Match[str], lex: DateLexicon) -> Match | None:
    a, b, year = _int(m, "a"), _int(m, "b"), _int(m, "year")
    assert a is not None and b is not None
    if b > 12 >= a:
        return Match("date", m.start(), m.end(), year, a, b)
    if a > 12 >= b:
        return Match("date", m.start(), m.end(), year, b, a)
    if a > 12 or b > 12 or not a or not b:
        return None
    return Match("date", m.start(), m.end(), year, b, a, numeric=True)


def _iso(m: re.Match[str], lex: DateLexicon) -> Match | None:
    month = _int(m, "month")
    if month is None or not 1 <= month <= 12:
        return None
    return Match("date" if m.group("day") else "month", m.start(), m.end(), _int(m, "year"), month, _int(m, "day"))


def _iso_range(m: re.Match[str], lex: DateLexicon) -> Match | None:
    left, right = (
        Match("date", m.start(i), m.end(i), int(m.group(i)[:4]), int(m.group(i)[5:7]), int(m.group(i)[8:10]))
        for i in (1, 2)
    )
    return Match("range", m.start(), m.end(), left=left, right=right)


def _week(m: re.Match[str], lex: DateLexicon) -> Match | None:
    return Match("week_iso", m.start(), m.end(), _int(m, "year"), day=_int(m, "week"))


def _year(m: re.Match[str], lex: DateLexicon) -> Match | None:
    return Match("year", m.start("expr"), m.end(), _int(m, "year"))


def _year_range(m: re.Match[str], lex: DateLexicon) -> Match | None:
    left = Match("year", m.start("y1"), m.end("y1"), _int(m, "y1"))
    right = Match("year", m.start("y2"), m.end("y2"), _int(m, "y2"))
    return Match("range", m.start(), m.end(), left=left, right=right)


def _decade(m: re.Match[str], lex: DateLexicon) -> Match | None:
    return Match("decade", m.start(), m.end(), _int(m, "dec"))


def _weekday(m: re.Match[str], lex: DateLexicon) -> Match | None:
    shift_word = (m.group("shift") or "").lower().split()
    shift = {"last": -1, "next": 1, "coming": 1}.get(shift_word[-1] if shift_word else "", 0)
    return Match(
        "weekday", m.start(), m.end(), weekday=lex.weekdays.index(m.group("wd")), shift=shift, future=shift == 1
    )


def _day_word(m: re.Match[str], lex: DateLexicon) -> Match | None:
    word = " ".join(m.group(0).lower().split())
    shift = -2 if "before" in word else -1 if word in ("yesterday", "last night") else 0
    return Match("days_from_anchor", m.start(), m.end(), shift=shift)


def _overnight(m: re.Match[str], lex: DateLexicon) -> Match | None:
    """ "overnight" alone: the night before the article's date (the day before and the day itself)."""
    return Match("overnight", m.start(), m.end())


def _unit_shift(m: re.Match[str], lex: DateLexicon) -> Match | None:
    unit = lex.units[m.group("unit").lower()]
    word = m.group("sh").lower()
    if m.group("the") or word == "past":
        return Match("recent", m.start(), m.end(), unit=unit, count=1)
    shift = {"last": -1, "this": 0, "next": 1}[word]
    return Match("unit_shift", m.start(), m.end(), shift=shift, unit=unit, future=shift == 1)


def _month_shift(m: re.Match[str], lex: DateLexicon) -> Match | None:
    shift = {"last": -1, "this": 0, "next": 1}[m.group("sh").lower()]
    return Match("month_shift", m.start(), m.end(), month=_month(m, lex), shift=shift, future=shift == 1)


def _count(m: re.Match[str], lex: DateLexicon) -> int | None:
    text = " ".join((m.groupdict().get("count") or "").lower().split())
    return int(text) if text.isdigit() else lex.number_words.get(text)


def _recent(m: re.Match[str], lex: DateLexicon) -> Match | None:
    unit = m.group("unit").lower()
    if unit.startswith("hour"):
        return Match("recent", m.start(), m.end(), unit="day", count=1)
    return Match("recent", m.start(), m.end(), unit=lex.units[unit], count=_count(m, lex))


def _ago(m: re.Match[str], lex: DateLexicon) -> Match | None:
    unit, count = lex.units[m.group("unit").lower()], _count(m, lex)
    return Match("ago" if count else "recent", m.start(), m.end(), unit=unit, count=count)


def _to_date(m: re.Match[str], lex: DateLexicon) -> Match | None:
    kind = "since_start" if m.group(0).lower().startswith("since") else "to_date"
    return Match(kind, m.start(), m.end(), unit=lex.units[m.group("unit").lower()])


# -- patterns ------------------------------------------------------------------------------------


def alternation(words: Any, bounded: bool = True) -> str:
    """A regex alternation of ``words``, longest first (each ends at a word boundary when ``bounded``)."""
    items = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) + ("" if w.endswith(".") or not bounded else r"\b") for w in items)


def build_patterns(d: dict[str, Any], month_number: dict[str, int]) -> list[tuple[str, Any]]:
    """(regular expression, builder) pairs from the data file's words, most specific first."""
    mon = rf"(?P<mon>{alternation(month_number)})"
    plain = rf"(?P<mon>{alternation(n for n in month_number if n not in d['ambiguous_months'])})"
    wd = rf"(?P<wd>{alternation(d['weekdays'])})"
    day = r"(?<![\d,.])(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
    day2 = (
        r"(?:(?:\s*[-\u2013]\s*|\s+(?i:to|till|until|through)\s+)"
        r"(?P<day2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d))?"
    )
    pair = r"(?P<day2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
    year = r"(?P<year>1[89]\d\d|20\d\d)(?![\d])"
    mod = r"(?:(?i:early|mid|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of)[\s-]+)?"
    cues = rf"\b(?i:{alternation(d['month_cues'], bounded=False)})"
    return [
        (rf"(?P<expr>(?:\b{wd}(?:'s)?,?\s+)?{mon}\s*{day}{day2}(?:,?\s+{year})?)", _calendar),
        (rf"(?P<expr>(?:\b{wd},?\s+)?(?:the\s+)?{day}{day2}(?:\s+of)?\s+{mon}(?:,?\s+{year})?)", _calendar),
        (rf"(?P<expr>{mod}{mon},?\s+{year})", _calendar),
        (rf"\b(?i:between)\s+(?P<expr>{mon}\s*{day}\s+(?i:and)\s+{pair}(?:,?\s+{year})?)", _calendar),
        (rf"\b(?i:between)\s+(?P<expr>{day}\s+(?i:and)\s+{pair}(?:\s+of)?\s+{mon}(?:,?\s+{year})?)", _calendar),
        (rf"{cues}[\s-]+(?P<expr>{mod}{mon})(?!\s*\d)", _calendar),
        (rf"(?P<expr>{mod}\b{plain})(?!\s*\d)", _calendar),
        (
            rf"{cues}[\s-]+(?P<expr>(?:(?i:early|mid|late)[\s-]+)?{year})\b"
            r"(?![-/.]\d)(?!\s*(?:%|(?i:percent|per cent)))",
            _year,
        ),
        (
            r"\b(?:(?i:from|between)\s+)?(?P<y1>1[89]\d\d|20\d\d)\s*(?:[-\u2013]|\s(?i:to|and|till|until|through)\s)\s*(?P<y2>1[89]\d\d|20\d\d)\b",
            _year_range,
        ),
        (r"\b(?:the\s+)?(?P<dec>1[89]\d0|20\d0)s\b", _decade),
        (r"\b(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?\b(?![-/]\d)", _iso),
        (r"\b(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})\b", _iso_range),
        (r"\b(?P<year>\d{4})-W(?P<week>\d{2})\b", _week),
        (r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})\b", _numeric),
        *_relative_patterns(d, mon, wd),
    ]


def _relative_patterns(d: dict[str, Any], mon: str, wd: str) -> list[tuple[str, Any]]:
    units = r"(?P<unit>(?i:days?|weeks?|months?|years?))"
    count = rf"(?P<count>\d{{1,3}}|(?i:a\s+few|several|{alternation(d['number_words'])}))"
    return [
        (
            rf"(?:\b(?P<shift>(?i:last|this\s+coming|this|next|coming|past))\s+)?\b{wd}(?:'s)?"
            rf"(?:\s+(?i:{alternation(d['day_parts'])}))?",
            _weekday,
        ),
        (
            r"\b(?i:the\s+day\s+before\s+yesterday|yesterday|today|tonight|last\s+night|"
            r"this\s+(?:morning|afternoon|evening))\b",
            _day_word,
        ),
        (rf"\b(?i:overnight)\b(?!\s+(?:(?i:on|into)\s+)?{wd})", _overnight),
        (
            r"\b(?:(?P<the>(?i:the))\s+)?(?P<sh>(?i:last|this|next|past))\s+(?P<unit>(?i:week|month|year))\b",
            _unit_shift,
        ),
        (rf"\b(?P<sh>(?i:last|this|next))\s+{mon}(?!\s*\d)", _month_shift),
        (
            rf"\b(?i:in|over|during|for|within)\s+(?i:the\s+)?(?i:recent|past|last)\s+(?:{count}\s+)?"
            rf"(?P<unit>(?i:days|weeks|months|years|hours))\b",
            _recent,
        ),
        (r"\b(?i:recent)\s+(?P<unit>(?i:days|weeks|months|years))\b", _recent),
        (rf"\b{count}\s+{units}\s+(?i:ago)\b", _ago),
        (r"\b(?i:earlier|so\s+far)\s+(?i:this)\s+(?P<unit>(?i:week|month|year))\b", _to_date),
        (r"\b(?i:since\s+the\s+(?:start|beginning)\s+of\s+(?:the|this))\s+(?P<unit>(?i:week|month|year))\b", _to_date),
    ]
