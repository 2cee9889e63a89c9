"""Dates: expressions resolved against the article date, with precision; nothing invented."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_material import shared_path

from threatscape.extract.dates import EXTRACTOR, date_for_span, extract_dates, resolve_date, to_text
from threatscape.extract.nlp import load_nlp
from threatscape.model import Article, DateSpan, RawDocument
from threatscape.resolve.times import last_weekday, nearest_year, weekday_from

SUN_7_DEC_2025 = dt.date(2025, 12, 7)
SAT_15_FEB_2025 = dt.date(2025, 2, 15)


def span(text: str, anchor: dt.date | None, **kw: bool) -> tuple[str | None, str | None, str] | None:
    found = resolve_date(text, anchor, **kw)
    return None if found is None else (found.start, found.end, found.precision)


@pytest.mark.parametrize(
    ("text", "anchor", "want"),
    [
        ("on Sunday", SUN_7_DEC_2025, ("2025-12-07", "2025-12-07", "day")),
        ("on Friday", SUN_7_DEC_2025, ("2025-12-05", "2025-12-05", "day")),
        ("Tuesday evening", SUN_7_DEC_2025, ("2025-12-02", "2025-12-02", "day")),
        ("next Friday", SUN_7_DEC_2025, ("2025-12-12", "2025-12-12", "day")),
        ("last Monday", dt.date(2025, 2, 5), ("2025-01-27", "2025-01-27", "day")),
        ("yesterday", SUN_7_DEC_2025, ("2025-12-06", "2025-12-06", "day")),
        ("drones struck overnight", SUN_7_DEC_2025, ("2025-12-06", "2025-12-07", "range")),
        ("overnight Friday", SUN_7_DEC_2025, ("2025-12-05", "2025-12-05", "day")),
        ("three days ago", SUN_7_DEC_2025, ("2025-12-04", "2025-12-04", "day")),
        ("last week", SUN_7_DEC_2025, ("2025-11-24", "2025-11-30", "week")),
        ("earlier this month", SUN_7_DEC_2025, ("2025-12-01", "2025-12-07", "range")),
        ("this month", SUN_7_DEC_2025, ("2025-12-01", "2025-12-31", "month")),
        ("Last year", SAT_15_FEB_2025, ("2024-01-01", "2024-12-31", "year")),
        ("in recent months", SUN_7_DEC_2025, ("2025-09-08", "2025-12-07", "range")),
        ("over the past two weeks", SUN_7_DEC_2025, ("2025-11-23", "2025-12-07", "range")),
        ("in November 2022", SAT_15_FEB_2025, ("2022-11-01", "2022-11-30", "month")),
        ("since November 2022", SAT_15_FEB_2025, ("2022-11-01", None, "range")),
        ("since late 2023", SAT_15_FEB_2025, ("2023-01-01", None, "range")),
        ("in 2021", None, ("2021-01-01", "2021-12-31", "year")),
        ("from Jul. 1, 2024 till Dec. 13, 2024", SAT_15_FEB_2025, ("2024-07-01", "2024-12-13", "range")),
        ("from Jul. till Dec. 2024", SAT_15_FEB_2025, ("2024-07-01", "2024-12-31", "range")),
        ("between 1 and 10 August 2024", None, ("2024-08-01", "2024-08-10", "range")),
        ("from March 3 to 12, 2024", None, ("2024-03-03", "2024-03-12", "range")),
        ("between 2019 and 2021", None, ("2019-01-01", "2021-12-31", "range")),
        ("in the 1990s", None, ("1990-01-01", "1999-12-31", "range")),
        ("dated Feb. 6", SAT_15_FEB_2025, ("2025-02-06", "2025-02-06", "day")),
        ("on 30 December", dt.date(2025, 1, 3), ("2024-12-30", "2024-12-30", "day")),
        ("in early September", dt.date(2024, 12, 11), ("2024-09-01", "2024-09-30", "month")),
        ("Thursday, February 21, 2025", None, ("2025-02-21", "2025-02-21", "day")),
        ("the February 8, 2024 vote", SUN_7_DEC_2025, ("2024-02-08", "2024-02-08", "day")),
    ],
)
def test_resolve_date(text: str, anchor: dt.date | None, want: tuple[str | None, str | None, str]) -> None:
    assert span(text, anchor) == want


def test_numeric_dates_are_day_first_unless_told_otherwise() -> None:
    assert span("04/03/2025", None) == ("2025-03-04", "2025-03-04", "day")
    assert span("04/03/2025", None, dmy=False) == ("2025-04-03", "2025-04-03", "day")
    assert span("21/03/2025", None, dmy=False) == ("2025-03-21", "2025-03-21", "day")  # unambiguous


@pytest.mark.parametrize(
    "text", ["on Sunday", "yesterday", "overnight", "last year", "on 22 April", "in recent months"]
)
def test_nothing_is_invented_without_an_anchor(text: str) -> None:
    found = resolve_date(text, None)
    assert found is not None and found.start is None and found.end is None


@pytest.mark.parametrize("text", ["", "the 35th report", "paid $43,000", "the day before", "May they rest", "3 km"])
def test_no_date_where_the_text_gives_none(text: str) -> None:
    assert resolve_date(text, SUN_7_DEC_2025) is None


def test_weekday_rules() -> None:
    assert weekday_from(SUN_7_DEC_2025, 6) == SUN_7_DEC_2025
    assert weekday_from(SUN_7_DEC_2025, 6, future=True) == SUN_7_DEC_2025
    assert weekday_from(dt.date(2025, 12, 8), 6, future=True) == dt.date(2025, 12, 14)
    assert last_weekday(dt.date(2025, 12, 8), 0) == dt.date(2025, 12, 1)
    assert nearest_year(dt.date(2025, 1, 3), 12, 30) == 2024
    assert nearest_year(dt.date(2025, 2, 17), 2, 18) == 2025
    assert nearest_year(dt.date(2025, 12, 7), 3) == 2025
    assert nearest_year(dt.date(2025, 2, 7), 3) == 2024
    assert nearest_year(dt.date(2025, 2, 7), 3, future=True) == 2025
    assert nearest_year(dt.date(2025, 2, 7), 1, future=True) == 2026


def _extract(text: str, published: str | None = "2025-12-07", url: str | None = None) -> list[DateSpan]:
    article = Article(id="t", title="t", body=text, published=published, url=url)
    return extract_dates(load_nlp()(text), article)


def test_future_tense_moves_a_weekday_forward() -> None:
    found = _extract("The new curfew will be lifted on Friday, officials said.")
    assert [(d.start, d.precision) for d in found] == [("2025-12-12", "day")]


def test_month_first_hosts() -> None:
    assert _extract("Filed 04/03/2025.", url="https://apnews.com/x")[0].start == "2025-04-03"
    assert _extract("Filed 04/03/2025.", url="https://www.dawn.com/x")[0].start == "2025-03-04"


def test_context_year_without_article_date() -> None:
    text = "Strikes began in March 2024. They ran from March 3 to 12, the union said."
    found = _extract(text, published=None)
    assert [(d.start, d.end) for d in found] == [("2024-03-01", "2024-03-31"), ("2024-03-03", "2024-03-12")]


def test_evidence_and_date_for_span() -> None:
    text = "Gunmen attacked a convoy on Tuesday. In March, a bomb killed two. The talks began in 2021."
    found = _extract(text)
    for d in found:
        assert d.evidence is not None and text[d.evidence.start : d.evidence.end] == d.evidence.text
        assert d.evidence.extractor == EXTRACTOR
    second = text.index("In March")
    got = date_for_span(found, second, text.index(" The talks"))
    assert got is not None and (got.start, got.precision) == ("2025-03-01", "month")
    assert date_for_span(found, 0, 6) is None
    unresolved = _extract("Gunmen attacked on Tuesday.", published=None)
    assert unresolved[0].start is None and date_for_span(unresolved, 0, 27) is None


@pytest.mark.shared
def test_seed_dates() -> None:
    from threatscape.structure import structure_document

    seed = shared_path("seeds", "000_ba4cf93637094098.txt")
    first, second = structure_document(RawDocument(origin="seed", kind="text", content=seed.read_text("utf-8")))
    got1 = {(d.evidence.text, d.start, d.end, d.precision) for d in _extract(first.body, first.date)}
    assert ("from Jul. 1, 2024 till Dec. 13, 2024", "2024-07-01", "2024-12-13", "range") in got1
    assert ("Last year", "2024-01-01", "2024-12-31", "year") in got1
    assert ("November 2022", "2022-11-01", "2022-11-30", "month") in got1
    assert not any(d[0].startswith("35") for d in got1)
    got2 = {(d.evidence.text, d.start) for d in _extract(second.body, second.date)}
    assert ("Sunday", "2025-12-07") in got2 and ("Friday", "2025-12-05") in got2


DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
PHRASES = st.sampled_from(
    [
        "on Sunday",
        "last Friday",
        "yesterday",
        "last week",
        "this month",
        "last year",
        "earlier this month",
        "in recent months",
        "three weeks ago",
        "since March 2020",
        "in June",
        "on 4 July",
        "from May to August 2023",
        "in 2019",
        "the 1980s",
        "5-7 May",
        "next Tuesday",
        "since the start of the year",
        "12/05/2024",
    ]
)


@settings(max_examples=300, deadline=None)
@given(PHRASES, DAYS)
def test_normalisation_is_idempotent(phrase: str, anchor: dt.date) -> None:
    first = resolve_date(phrase, anchor)
    assert first is not None
    text = to_text(first)
    if text is None:
        return
    again = resolve_date(text, anchor)
    assert again == first
    assert to_text(again) == text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80), st.one_of(st.none(), DAYS))
def test_no_input_crashes(text: str, anchor: dt.date | None) -> None:
    found = resolve_date(text, anchor)
    assert found is None or found.precision in ("day", "week", "month", "year", "range")
    article = Article(id="t", title="t", body=text, published=anchor.isoformat() if anchor else None)
    for d in extract_dates(None, article):
        assert d.evidence is not None and text[d.evidence.start : d.evidence.end] == d.evidence.text
        if d.start and d.end:
            assert d.start <= d.end


def test_a_weekday_fixes_the_year_of_a_date_written_without_one() -> None:
    # 5 March was a Wednesday in 2025 (and 2014, 2031): the year nearest the latest year the text
    # names; the weekday then anchors the text's relative days ("late Wednesday").
    text = "The ceasefire signed in 2024 collapsed on Wednesday, March 5. Shelling resumed late Wednesday."
    found = _extract(text, published=None)
    assert [(d.start, d.precision) for d in found] == [
        ("2024-01-01", "year"),
        ("2025-03-05", "day"),
        ("2025-03-05", "day"),
    ]


def test_without_any_year_a_weekday_date_is_sought_near_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from threatscape.extract.dates import extractor

    monkeypatch.setattr(extractor, "_today", lambda: dt.date(2026, 12, 2))
    found = _extract("Rebels shelled the port on Thursday, October 16, residents said.", published=None)
    assert [(d.start, d.precision) for d in found] == [("2025-10-16", "day")]
    wrong = _extract("Rebels shelled the port on Friday, October 16, residents said.", published=None)
    assert [d.start for d in wrong] == ["2026-10-16"]  # the calendar agrees with 2026, not 2025


def test_a_date_without_year_follows_the_background_the_text_dates() -> None:
    text = "Floods in September 2023 displaced thousands. On 14 February, gunmen raided the camp."
    found = _extract(text, published=None)
    assert [(d.start, d.precision) for d in found] == [("2023-09-01", "month"), ("2024-02-14", "day")]
    later = _extract("Talks stalled in January 2024. On 3 June, the rebels took the town.", published=None)
    assert [d.start for d in later] == ["2024-01-01", "2024-06-03"]


def test_without_year_weekday_or_dated_background_nothing_is_placed() -> None:
    found = _extract("On 14 February, gunmen raided the camp, and in March they returned.", published=None)
    assert [(d.start, d.precision) for d in found] == [(None, "day"), (None, "month")]


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("Two days later, gunmen returned.", 2),
        ("Hours later, police fired tear gas.", 0),
        ("The following day the army struck back.", 1),
        ("A day earlier, rebels had shelled the town.", -1),
        ("The talks collapsed on Friday.", None),
    ],
)
def test_sequence_shift(text: str, shift: int | None) -> None:
    from threatscape.extract.dates import sequence_shift

    assert sequence_shift(text) == shift
