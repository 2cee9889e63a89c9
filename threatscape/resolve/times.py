"""Calendar arithmetic for resolving date expressions: pure functions over ``datetime.date``.

Conventions (used by ``extract/dates/extractor.py``):

- a week runs Monday..Sunday; a month and a year run from their first to their last day;
- a weekday alone ("on Friday") is the most recent such day on or before the anchor (the article
  date), or the next one on or after it when the text points forward ("next Friday", "will ... on
  Friday");
- "last Friday" is the Friday of the previous week: the most recent Friday before the anchor, one
  week earlier again when that Friday lies in the anchor's own week (news usage: plain weekday
  names cover the current week, "last" reaches behind it);
- a month without a year ("in March") is the latest such month begun on or before the anchor
  (the next one when the text points forward); a day without a year ("on 18 February") takes the
  year that puts it nearest the anchor, a future day counting double so that the past wins
  near-ties (``PREFER_DATES_FROM='past'``) while a deadline a few days ahead stays ahead.
"""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = [
    "iso",
    "last_weekday",
    "month_span",
    "nearest_year",
    "shift_months",
    "week_span",
    "weekday_from",
    "weekday_year",
    "year_span",
]

FUTURE_WEIGHT = 2  # a future reading must be this many times nearer than the past one to win


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def week_span(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def shift_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, the day clipped to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def weekday_from(anchor: dt.date, weekday: int, *, future: bool = False) -> dt.date:
    """The most recent ``weekday`` (Monday = 0) on or before ``anchor``; on or after if ``future``."""
    if future:
        return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def last_weekday(anchor: dt.date, weekday: int) -> dt.date:
    """For "last Monday": the most recent Monday before ``anchor``, outside the anchor's week."""
    day = anchor - dt.timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1)
    if week_span(day)[0] == week_span(anchor)[0]:
        day -= dt.timedelta(days=7)
    return day


def nearest_year(anchor: dt.date, month: int, day: int | None = None, *, future: bool = False) -> int:
    """The year that puts ``month`` (and ``day``) nearest ``anchor``, preferring the past."""
    if day is None:  # a month alone: the latest one begun by the anchor, or the next one ahead
        if future:
            return anchor.year if month >= anchor.month else anchor.year + 1
        return anchor.year if month <= anchor.month else anchor.year - 1
    best_year, best_cost = anchor.year, None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        first, last = month_span(year, month)
        if day is not None:
            if day > last.day:
                continue
            first = last = dt.date(year, month, day)
        if first <= anchor <= last:
            return year
        ahead = first > anchor
        distance = (first - anchor).days if ahead else (anchor - last).days
        cost = distance * (FUTURE_WEIGHT if ahead and not future else 1)
        if future and not ahead:
            cost *= FUTURE_WEIGHT
        if best_cost is None or cost < best_cost:
            best_year, best_cost = year, cost
    return best_year


WEEKDAY_YEARS_BACK = 11  # a weekday-named date is sought this many years before the reference year


def weekday_year(month: int, day: int, weekday: int, ref_year: int) -> int | None:
    """The year in which ``month``/``day`` falls on ``weekday`` (Monday = 0), nearest
    ``ref_year`` (at most one year after it; the past wins ties); None when none does (29 February)."""
    best = None
    for year in range(ref_year - WEEKDAY_YEARS_BACK, ref_year + 2):
        try:
            if dt.date(year, month, day).weekday() != weekday:
                continue
        except ValueError:
            continue
        key = (abs(year - ref_year) + (0.5 if year > ref_year else 0), -year)
        if best is None or key < best[0]:
            best = (key, year)
    return best[1] if best else None
