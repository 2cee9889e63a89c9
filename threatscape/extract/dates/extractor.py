"""Date expressions in the body, resolved against the article's date.

A small grammar of regular expressions (vocabulary in ``threatscape/data/dates.yaml``) finds
atomic expressions; neighbours joined by "to", "till", "-" ... become ranges; "since X" opens a
range (``end`` None). Each expression resolves to a ``DateSpan`` with precision ``day``, ``week``,
``month``, ``year`` or ``range``:

- absolute: ``Jul. 1, 2024``, ``25th December``, ``November 2022``, ``in 2021``, ``2025-03-21``,
  ``21/03/2025`` (day first, month first only for the US hosts listed in the YAML), ISO
  ``2024-07-01/2024-12-13`` and ``2025-W13`` (so normalised output reads back unchanged);
- relative to the anchor (``Article.date``: published, else updated): weekdays ("on Sunday",
  "Tuesday evening", "last Monday"), "yesterday", "today", "last week/month/year",
  "this month", "earlier this month" (first of the month .. anchor, ``range``), "N days ago",
  "overnight" (the day before the anchor and the anchor, ``range``),
  "over the past two weeks" and "in recent months" (a ``range`` ending at the anchor and reaching
  back the days set in the YAML: a vague span beats none for an event, and ``range`` says it is
  vague). Rules for weekdays and missing years are in ``resolve/times.py``.

Nothing is invented: without an anchor, a relative expression or a date without a year gives a
``DateSpan`` whose ``start`` and ``end`` are None (the precision says what kind it was).
Expressions relative to another event ("the day before", "a day after") are not resolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from threatscape.extract.dates.grammar import Match, scan
from threatscape.extract.dates.lexicon import DateLexicon, load_date_lexicon
from threatscape.extract.nlp.doccache import doc_text
from threatscape.model import DateSpan, Evidence
from threatscape.resolve import times

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from threatscape.model import Article

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

EXTRACTOR = "dates"  # versioned by threatscape.versions
SPECIFICITY = {"day": 0, "week": 1, "month": 2, "range": 3, "year": 4}


@dataclass(frozen=True)
class _Ctx:
    lex: DateLexicon
    anchor: dt.date | None
    dmy: bool = True
    future: bool = False
    year: int | None = None  # year given by the other end of a range
    floor: dt.date | None = None  # no article date: the latest day the text dates with a year
    ref_year: int | None = None  # no article date: the year a weekday-named date is sought near


def date_expressions(text: str, *, lexicon: DateLexicon | None = None) -> list[Match]:
    """Where date expressions are in ``text`` (unresolved): for other extractors to skip them."""
    return list(_scan_body(text, lexicon or load_date_lexicon()))


@lru_cache(maxsize=1)
def _scan_body(text: str, lex: DateLexicon) -> tuple[Match, ...]:
    """The last body scanned: the quantity extractor and ``extract_dates`` both scan each article."""
    return tuple(scan(text, lex))


def resolve_date(
    text: str,
    anchor: dt.date | None,
    *,
    dmy: bool = True,
    future: bool = False,
    lexicon: DateLexicon | None = None,
) -> DateSpan | None:
    """One date expression (the longest found in ``text``) resolved against ``anchor``; no evidence."""
    lex = lexicon or load_date_lexicon()
    matches = scan(text, lex)
    if not matches:
        return _dateparser_fallback(text, anchor, dmy)
    best = max(matches, key=lambda m: (m.end - m.start, -m.start))
    return _resolve(best, _Ctx(lex, anchor, dmy, future or best.future))


def extract_dates(doc: Doc | None, article: Article, *, lexicon: DateLexicon | None = None) -> list[DateSpan]:
    """Every date expression in ``article.body``, with ``Evidence(extractor="dates/0.1")``;
    ``lexicon`` defaults to the packaged one (the pipeline passes that of ``Resources``)."""
    lex = lexicon or load_date_lexicon()
    body = article.body
    matches = _scan_body(body, lex)
    anchor = _anchor(article)
    floor = ref_year = None
    if anchor is None:
        floor, ref_year = _text_floor(matches)
        anchor = _weekday_anchor(matches, ref_year)
    dmy = not _month_first(article, lex)
    spans = []
    seen_years: dict[int, int] = {}  # month -> year of the last explicit date in that month
    for m in matches:
        future = m.future or (doc is not None and doc_text(doc) == body and _future_tense(doc, m.start, lex))
        ctx = _Ctx(lex, anchor, dmy, future, _context_year(m, anchor, seen_years), floor, ref_year)
        span = _resolve(m, ctx)
        _note_years(m, seen_years)
        if span is not None:
            evidence = Evidence(m.start, m.end, body[m.start : m.end], EXTRACTOR)
            spans.append(replace(span, evidence=evidence))
    return spans


def _context_year(m: Match, anchor: dt.date | None, seen: dict[int, int]) -> int | None:
    """Without an article date, "August 1 to 10" after "in August 2024" takes 2024; nothing else."""
    if anchor is not None:
        return None
    first = m.left if m.kind == "range" and m.left is not None else m
    last = m.right if m.kind == "range" and m.right is not None else m
    if last.year is None and last.month in seen:
        return seen[last.month]
    return seen.get(first.month) if first.year is None and first.month is not None else None


def _parts(m: Match) -> tuple[Match, ...]:
    return tuple(p for p in (m.left, m.right) if p is not None) if m.kind == "range" else (m,)


def _text_floor(matches: tuple[Match, ...]) -> tuple[dt.date | None, int]:
    """Without an article date: the last day of the latest month or day the text dates with its
    year ("in August 2024" -> 2024-08-31), and the year to seek weekday-named dates near (the
    latest year the text names, else this year)."""
    floor = None
    years = []
    for m in matches:
        for part in _parts(m):
            if part.year is None or part.kind not in ("date", "month", "year"):
                continue
            years.append(part.year)
            if part.month is None:
                continue
            try:
                last = dt.date(part.year, part.month, part.day or times.month_span(part.year, part.month)[1].day)
            except ValueError:
                continue
            floor = last if floor is None or last > floor else floor
    return floor, max(years) if years else _today().year


def _weekday_anchor(matches: tuple[Match, ...], ref_year: int) -> dt.date | None:
    """Without an article date, "Tuesday, July 1" fixes a day: the latest such date, its year the
    one where the calendar agrees nearest ``ref_year``, anchors the text's relative days."""
    days = []
    for m in matches:
        for part in _parts(m):
            if part.weekday is None or part.month is None or part.day is None:
                continue
            year = (
                part.year if part.year is not None else times.weekday_year(part.month, part.day, part.weekday, ref_year)
            )
            if year is not None:
                try:
                    day = dt.date(year, part.month, part.day)
                except ValueError:
                    continue
                if day.weekday() == part.weekday:
                    days.append(day)
    return max(days) if days else None


def _today() -> dt.date:
    return dt.date.today()


def _note_years(m: Match, seen: dict[int, int]) -> None:
    for part in (m.left, m.right) if m.kind == "range" else (m,):
        if part is not None and part.year is not None and part.month is not None:
            seen[part.month] = part.year


def date_for_span(dates: list[DateSpan], start: int, end: int, *, focus: int | None = None) -> DateSpan | None:
    """The date expression governing ``body[start:end]`` (a clause or sentence).

    Among the dates whose evidence lies inside the span, the one nearest ``focus`` (e.g. the event
    verb; default: the span start) wins, the more precise on a tie. Unresolved expressions (no
    anchor, no year) are skipped: an event gets no date rather than a day it cannot place.
    """
    inside = [d for d in dates if d.start and d.evidence and start <= d.evidence.start and d.evidence.end <= end]
    if not inside:
        return None
    point = start if focus is None else focus

    def distance(d: DateSpan) -> tuple[int, int]:
        ev = d.evidence
        assert ev is not None
        gap = 0 if ev.start <= point <= ev.end else min(abs(ev.start - point), abs(ev.end - point))
        return (gap, SPECIFICITY.get(d.precision, 9))

    return min(inside, key=distance)


def sequence_shift(text: str, *, lexicon: DateLexicon | None = None) -> int | None:
    """Days after the incident told before that ``text`` places its own ("two days later": 2,
    "hours later": 0, "the day before": -1), or None when it says nothing of the kind."""
    lex = lexicon or load_date_lexicon()
    m = lex.sequence.search(text)
    if m is None:
        return None
    if m.group("same"):
        return 0
    if m.group("next"):
        return 1
    if m.group("previous"):
        return -1
    word = m.group("n").lower()
    n = int(word) if word.isdigit() else lex.number_words.get(word, 0)
    return n if m.group("dir").lower() in ("later", "after") else -n


def shifted(span: DateSpan, days: int) -> DateSpan | None:
    """A day-precise span moved by ``days`` (None for a vaguer one: "a day later" than a month)."""
    if span.precision != "day" or not span.start or span.start != span.end:
        return None
    day = dt.date.fromisoformat(span.start) + dt.timedelta(days=days)
    return DateSpan(day.isoformat(), day.isoformat(), "day")


def to_text(span: DateSpan) -> str | None:
    """A normalised span as text that ``resolve_date`` reads back to the same span."""
    if span.start is None:
        return None
    if span.precision == "day" and span.start == span.end:
        return span.start
    if span.precision == "year" and span.start.endswith("-01-01"):
        return span.start[:4]
    if span.precision == "month" and span.start.endswith("-01"):
        return span.start[:7]
    if span.precision == "week":
        year, week, _ = dt.date.fromisoformat(span.start).isocalendar()
        return f"{year}-W{week:02d}"
    if span.end is None:
        return f"since {span.start}"
    return f"{span.start}/{span.end}"


# -- resolution ----------------------------------------------------------------------------------


def _anchor(article: Article) -> dt.date | None:
    try:
        return dt.date.fromisoformat(article.date) if article.date else None
    except ValueError:
        return None


def _month_first(article: Article, lex: DateLexicon) -> bool:
    where = " ".join(x for x in (article.url, article.source) if x).lower()
    host = re.sub(r"^[a-z]+://", "", where).split("/")[0]
    return bool(host) and any(host.endswith(h) for h in lex.month_first_hosts)


def _future_tense(doc: Doc, start: int, lex: DateLexicon) -> bool:
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    node = span[0]
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX"):
            return any(c.dep_ == "aux" and c.lower_ in lex.future_auxiliaries for c in node.children)
        if node.head is node:
            return False
        node = node.head
    return False


def _span(start: dt.date | None, end: dt.date | None, precision: str) -> DateSpan:
    return DateSpan(times.iso(start), times.iso(end), precision)


def _resolve(m: Match, ctx: _Ctx) -> DateSpan | None:
    if m.kind == "range":
        assert m.left is not None and m.right is not None
        return _resolve_range(m.left, m.right, ctx)
    span = _resolve_atom(m, ctx)
    if span is not None and m.open:
        return DateSpan(span.start, None, "range")
    return span


def _resolve_range(left: Match, right: Match, ctx: _Ctx) -> DateSpan | None:
    b = _resolve_atom(right, ctx)
    year = int(b.start[:4]) if b is not None and b.start and right.year is not None else None
    if year is not None and left.year is None and left.month and right.month and left.month > right.month:
        year -= 1
    if left.kind == "day_only":
        left = replace(left, kind="date", month=right.month, year=right.year)
    a = _resolve_atom(left, replace(ctx, year=year or ctx.year))
    if a is None or b is None:
        return None
    if a.start is None or b.end is None:
        return DateSpan(None, None, "range")
    return DateSpan(a.start, b.end, "range") if a.start <= b.end else None


def _resolve_atom(m: Match, ctx: _Ctx) -> DateSpan | None:
    try:
        if m.kind in ("date", "month", "year", "decade", "day_only"):
            return _absolute(m, ctx)
        if m.kind == "week_iso":
            monday = dt.date.fromisocalendar(m.year or 0, m.day or 0, 1)
            return _span(monday, monday + dt.timedelta(days=6), "week")
        return _relative(m, ctx)
    except ValueError:
        return None  # 31 February, week 60: not a date


def _absolute(m: Match, ctx: _Ctx) -> DateSpan | None:
    year = m.year if m.year is not None else ctx.year
    if m.kind == "decade" and year is not None:
        return _span(dt.date(year, 1, 1), dt.date(year + 9, 12, 31), "range")
    if m.kind == "year" and year is not None:
        return _span(*times.year_span(year), "year")
    if m.month is None:
        return None
    day, month = m.day, m.month
    if m.numeric and not ctx.dmy and day is not None and month <= 12:
        day, month = month, day
    if year is None:
        year = _implied_year(m, month, day, ctx)
        if year is None:
            return DateSpan(None, None, "day" if day else "month")
    if day is None:
        return _span(*times.month_span(year, month), "month")
    first = dt.date(year, month, day)
    if m.day2 is not None:
        return _span(first, dt.date(year, month, m.day2), "range")
    return _span(first, first, "day")


def _implied_year(m: Match, month: int, day: int | None, ctx: _Ctx) -> int | None:
    """The year of a date written without one: nearest the article's date; without that, the one
    its weekday agrees with ("Tuesday, July 1"), else the first after the latest day the text
    dates with a year (news reports what followed its background: "in August 2024 ... on 22
    April" is April 2025); a month alone without an article date stays unplaced."""
    if ctx.anchor is not None:
        return times.nearest_year(ctx.anchor, month, day, future=ctx.future)
    if day is None:
        return None
    if m.weekday is not None and ctx.ref_year is not None:
        return times.weekday_year(month, day, m.weekday, ctx.ref_year)
    if ctx.floor is not None:
        return ctx.floor.year if (month, day) >= (ctx.floor.month, ctx.floor.day) else ctx.floor.year + 1
    return None


def _relative(m: Match, ctx: _Ctx) -> DateSpan | None:
    a = ctx.anchor
    unit = m.unit or "day"
    precision = "range" if m.kind in ("recent", "to_date", "since_start", "overnight") else unit
    if a is None:
        return DateSpan(None, None, precision)
    if m.kind == "weekday":
        assert m.weekday is not None
        if m.shift == -1:
            day = times.last_weekday(a, m.weekday)
        else:
            day = times.weekday_from(a, m.weekday, future=ctx.future or m.shift == 1)
        return _span(day, day, "day")
    if m.kind == "overnight":
        return _span(a - dt.timedelta(days=1), a, "range")
    if m.kind == "days_from_anchor":
        day = a + dt.timedelta(days=m.shift)
        return _span(day, day, "day")
    if m.kind == "recent":
        back = m.count * _unit_days(unit) if m.count else ctx.lex.recent_days[unit]
        return _span(a - dt.timedelta(days=back), a, "range")
    if m.kind in ("to_date", "since_start"):
        first = _unit_span(a, unit, 0)[0]
        return _span(first, a if m.kind == "to_date" else None, "range")
    if m.kind == "ago":
        return _ago(a, unit, m.count or 1)
    if m.kind == "unit_shift":
        return _span(*_unit_span(a, unit, m.shift), unit)
    if m.kind == "month_shift":
        assert m.month is not None
        year = a.year + m.shift if (m.shift or 0) != 0 else a.year
        if m.shift == -1 and m.month < a.month:
            year = a.year
        if m.shift == 1 and m.month > a.month:
            year = a.year
        return _span(*times.month_span(year, m.month), "month")
    return None


def _unit_days(unit: str) -> int:
    return {"day": 1, "week": 7, "month": 30, "year": 365}[unit]


def _unit_span(anchor: dt.date, unit: str, shift: int) -> tuple[dt.date, dt.date]:
    if unit == "week":
        monday = times.week_span(anchor)[0] + dt.timedelta(days=7 * shift)
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        moved = times.shift_months(anchor, shift)
        return times.month_span(moved.year, moved.month)
    if unit == "year":
        return times.year_span(anchor.year + shift)
    day = anchor + dt.timedelta(days=shift)
    return day, day


def _ago(anchor: dt.date, unit: str, count: int) -> DateSpan:
    if unit == "day":
        day = anchor - dt.timedelta(days=count)
        return _span(day, day, "day")
    if unit == "week":
        return _span(*times.week_span(anchor - dt.timedelta(days=7 * count)), "week")
    if unit == "month":
        moved = times.shift_months(anchor, -count)
        return _span(*times.month_span(moved.year, moved.month), "month")
    return _span(*times.year_span(anchor.year - count), "year")


def _dateparser_fallback(text: str, anchor: dt.date | None, dmy: bool) -> DateSpan | None:
    """Absolute date strings the grammar does not know, read by dateparser; never relative ones."""
    if not re.search(r"\b\d{4}\b", text) or len(text) > 60:
        return None  # no year: dateparser would take one from the clock
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY" if dmy else "MDY",
        "RETURN_TIME_AS_PERIOD": False,
    }
    if anchor is not None:
        settings["RELATIVE_BASE"] = dt.datetime(anchor.year, anchor.month, anchor.day)
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "year":
        return _span(*times.year_span(day.year), "year")
    if data.period == "month":
        return _span(*times.month_span(day.year, day.month), "month")
    return _span(day, day, "day")
