"""Exact figures on a small synthetic store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from threatscape.model import (
    Actor,
    Article,
    Claim,
    Count,
    DateSpan,
    Event,
    Evidence,
    Extraction,
    Fatalities,
    Flow,
    Place,
    Quantity,
    Relation,
    Strength,
)  # fmt: skip
from threatscape.report.build import build_report, resolve_filters
from threatscape.report.model import Filters, Period
from threatscape.report.render_md import render_md
from threatscape.store import Store

EV = Evidence(0, 4, "text")
TTP = Actor("TTP", "Tehreek-e-Taliban Pakistan", "armed_group", "PAK", ("TTP", "Pakistani Taliban"))
MIL = Actor("PAK-MIL", "Military of Pakistan", "military", "PAK")
BLA = Actor("BLA", "Baloch Liberation Army", "armed_group", "PAK")
AFG = Actor("AFG-GOV", "Taliban government of Afghanistan", "government", "AFG")
PAK = Actor("PAK-GOV", "Government of Pakistan", "government", "PAK")
BANNU = Place("Bannu", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.99, 70.62, "point")
QUETTA = Place("Quetta", "Pakistan", "PK", "Balochistan", 30.19, 67.01, "point")


def _event(
    eid: str,
    typ: str,
    a1: Actor,
    a2: Actor,
    place: Place,
    day: str,
    best: int,
    low: int,
    high: int,
    aggregate: bool = False,
) -> Event:
    return Event(
        eid,
        typ,
        None,
        EV,
        actor1=a1.id,
        actor2=a2.id,
        location=place,
        date=DateSpan(day, day, "day"),
        fatalities=Fatalities(best, low, high),
        aggregate=aggregate,
        count=Count(600, "over") if aggregate else None,
    )


def _save(store: Store, n: int, day: str, *, events: tuple[Event, ...] = (), **facts: tuple) -> str:
    art = Article(
        id=f"art{n:02d}",
        title=f"Report {n}",
        body="text " * 40,
        published=day,
        source=f"Outlet {n % 3}",
        url=f"https://news{n}.example/a",
    )
    store.add_article(art)
    store.save_extraction(Extraction(article=art, actors=(TTP, MIL, BLA, AFG, PAK), events=events, **facts))
    return art.id


@pytest.fixture
def synthetic(store: Store) -> Store:
    _save(store, 1, "2025-02-03", events=(_event("e1", "Battles", TTP, MIL, BANNU, "2025-02-02", 10, 8, 12),))
    _save(store, 2, "2025-02-04", events=(_event("e2", "Battles", TTP, MIL, BANNU, "2025-02-02", 12, 12, 12),))
    _save(
        store,
        3,
        "2025-02-20",
        events=(
            _event("e3", "Explosions/Remote violence", BLA, MIL, QUETTA, "2025-02-19", 5, 5, 9),
            _event("e4", "Battles", BLA, MIL, QUETTA, "2025-02-01", 999, 999, 999, aggregate=True),
        ),
    )
    _save(store, 4, "2025-01-10", events=(_event("e5", "Battles", TTP, MIL, BANNU, "2025-01-09", 2, 2, 2),))
    _save(
        store,
        5,
        "2025-02-10",
        claims=(
            Claim("c1", "PAK-GOV", None, "accused", "accuse", "Kabul of sheltering the TTP", False, EV, "AFG-GOV"),
        ),
        relations=(Relation("r1", "AFG-GOV", "shelters", "TTP", EV, attributed_to="PAK-GOV", contested=True),),
        quantities=(Quantity(3_000_000, EV, what="payment", currency="AFN", usd=43_000, period="month"),),
        flows=(
            Flow(
                "f1",
                3_000_000,
                EV,
                EV,
                "AFN",
                43_000,
                "stated",
                "month",
                "AFG-GOV",
                "Kabul",
                EV,
                None,
                "the family of the TTP chief",
                EV,
                reported_by="PAK-GOV",
            ),
            Flow("f3", 5e9, EV, EV, "USD", 5e9, "stated", purpose="debt"),  # no party: not in the table
            Flow(
                "f2",
                2_000_000,
                EV,
                EV,
                "USD",
                2_000_000,
                "stated",
                payee="TTP",
                payer_text="a donor",
                stance="accuse",
                contested=True,
            ),
        ),
        strengths=(Strength("s1", 10_000, "fighters", EV, EV, group="TTP", qualifier="around", estimate_by="PAK-GOV"),),
    )
    _save(
        store,
        6,
        "2025-02-11",
        claims=(
            Claim(
                "c2", "AFG-GOV", None, "denied", "deny", "Afghan soil is used against Pakistan", False, EV, "PAK-GOV"
            ),
        ),
    )
    return store


def test_headline_counts_fatalities_and_change(synthetic: Store) -> None:
    r = build_report(synthetic, Filters(Period(date(2025, 2, 1), date(2025, 2, 28))))
    h = r.headline
    assert (h.events, h.events_previous) == (3, 1)  # the tally (aggregate) is not an incident
    assert (h.fatalities_best, h.fatalities_low, h.fatalities_high, h.fatalities_previous) == (27, 25, 33, 2)
    assert [(row.label, row.value, row.previous) for row in h.by_type] == [
        ("Battles", 2, 1),
        ("Explosions/Remote violence", 1, 0),
    ]
    assert h.by_type[0].article_ids == ("art02", "art01")  # the deadlier report first
    assert [(row.label, row.value) for row in h.by_actor][:2] == [
        ("Military of Pakistan", 3),
        ("Tehreek-e-Taliban Pakistan", 2),
    ]
    assert {row.label: row.fatalities for row in h.by_admin1} == {"Khyber Pakhtunkhwa": 22, "Balochistan": 5}


def test_sections_carry_their_sources(synthetic: Store) -> None:
    r = build_report(synthetic, Filters(Period(date(2025, 2, 1), date(2025, 2, 28))))
    ttp = next(p for p in r.profiles if p.actor_id == "TTP")
    assert [(i.text, i.attributed_to, i.contested) for i in ttp.relations] == [
        ("Taliban government of Afghanistan shelters Tehreek-e-Taliban Pakistan", "Government of Pakistan", True)
    ]
    money = [(m.payer, m.payee, m.amount, m.period, m.usd_per_year, m.source, m.contested) for m in r.money]
    assert money == [  # the most in USD a year first; an unnamed party by the text's words
        ("a donor", "Tehreek-e-Taliban Pakistan", 2e6, "once", 2e6, None, True),
        (
            "Taliban government of Afghanistan",
            "the family of the TTP chief",
            3e6,
            "month",
            516_000,
            "Government of Pakistan",
            False,
        ),
    ]
    assert [(i.text, i.attributed_to) for i in ttp.strength] == [
        ("around 10,000 fighters (reported 2025-02-10)", "Government of Pakistan")
    ]
    [pair] = r.contested
    assert (pair.accuser, pair.denier, pair.accusation_articles, pair.denial_articles) == (
        "Government of Pakistan",
        "Taliban government of Afghanistan",
        ("art05",),
        ("art06",),
    )
    bannu = next(n for n in r.notable if n.place.startswith("Bannu"))
    assert (bannu.reports, set(bannu.article_ids)) == (2, {"art01", "art02"})  # same day, place, type
    cited = {a for s in r.sources for a in [s.article_id]}
    assert {"art01", "art02", "art03", "art05", "art06"} <= cited
    assert [s.number for s in r.sources] == list(range(1, len(r.sources) + 1))


def test_filters_by_country_admin1_and_actor(synthetic: Store) -> None:
    f = resolve_filters(synthetic, "2025-02-01", "2025-02-28", country="PK", actor="Pakistani Taliban")
    assert (f.country, f.actor, f.actor_name) == ("Pakistan", "TTP", "Tehreek-e-Taliban Pakistan")
    assert build_report(synthetic, f).headline.events == 2
    f = resolve_filters(synthetic, "2025-02-01", "2025-02-28", admin1="Balochistan")
    assert build_report(synthetic, f).headline.fatalities_best == 5


def test_map_note_without_assets_and_markdown_still_complete(synthetic: Store, tmp_path: Path) -> None:
    r = build_report(synthetic, Filters(Period(date(2025, 2, 1), date(2025, 2, 28))), assets=tmp_path / "none")
    fig = next(f for f in r.figures if f.key == "map")
    assert fig.svg is None and fig.note and "assets" in fig.note
    assert fig.article_ids
    md = render_md(r)
    assert "Map not drawn" in md and "## Sources" in md


def test_fused_events_replace_raw_ones_when_present(synthetic: Store) -> None:
    from threatscape.resolve.fusion import fuse_events

    before = build_report(synthetic, Filters(Period(date(2025, 2, 1), date(2025, 2, 28))))
    assert before.event_source == "events"
    synthetic.refresh_fused_events(fuse_events)
    after = build_report(synthetic, Filters(Period(date(2025, 2, 1), date(2025, 2, 28))))
    assert after.event_source == "fused_events"
    assert after.headline.events == 2  # the two Bannu reports are one incident
    assert after.headline.articles == 3
