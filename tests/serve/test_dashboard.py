"""The dashboard's data in-process: the timeline and the province counts hold exactly the events
the list holds; the week-on-week change on a small store built here with events on known days."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from fastapi.testclient import TestClient

from threatscape.model import Actor, Article, DateSpan, Event, Evidence, Extraction, Fatalities, Place
from threatscape.resolve.fusion import fuse_events
from threatscape.serve.app import create_app
from threatscape.store import open_store

FILTERS = [
    {},
    {"since": "2024-11-01", "until": "2024-12-31"},
    {"type": "Battles"},
    {"country": "Pakistan", "admin1": "Balochistan"},
    {"since": "2024"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_the_timeline_counts_the_listed_events(client: TestClient, serve_db: str, filters: dict[str, str]) -> None:
    data = client.get("/api/timeline", params=filters).json()
    with open_store(serve_db) as store:
        listed = store.query_events(**filters)
        assert store.count_events(**filters) == len(listed)
    assert listed, "the filters should keep some events"
    assert sum(r["events"] for r in data["rows"]) + data["undated"] == data["events"] == len(listed)
    assert data["undated"] == sum(1 for e in listed if not (e.get("date") or {}).get("start"))
    for typ in {e["type"] for e in listed}:
        assert sum(r["events"] for r in data["rows"] if r["type"] == typ) + sum(
            1 for e in listed if e["type"] == typ and not (e.get("date") or {}).get("start")
        ) == sum(1 for e in listed if e["type"] == typ)
    for r in data["rows"]:  # every bin overlaps the period (a week may start before it)
        assert r["end"] > data["since"] and r["start"] <= data["until"]


def test_a_short_period_counts_by_day_a_long_one_by_week(client: TestClient) -> None:
    short = client.get("/api/timeline", params={"since": "2024-11-01", "until": "2024-11-30"}).json()
    assert short["bin"] == "day" and all(r["start"] < r["end"] for r in short["rows"])
    long = client.get("/api/timeline").json()
    assert long["bin"] == "week"
    assert {date.fromisoformat(r["start"]).weekday() for r in long["rows"]} == {0}


@pytest.mark.parametrize("filters", [{}, {"type": "Battles"}, {"country": "Afghanistan"}], ids=["all", "battles", "af"])
def test_province_counts_match_the_list(client: TestClient, serve_db: str, filters: dict[str, str]) -> None:
    response = client.get("/api/admin1.geojson", params=filters)
    data = response.json()
    with open_store(serve_db) as store:
        total = store.count_events(**filters)
        listed = store.query_events(**filters)
        shaded = [f for f in data["features"] if f["properties"]["events"]]
        assert shaded
        for f in shaded:
            p = f["properties"]
            assert p["admin1"] == p["names"][0]
            assert p["events"] == sum(store.count_events(**filters, admin1=n) for n in p["names"]), p["name"]
    assert sum(f["properties"]["events"] for f in data["features"]) + data["unplaced"] == total
    countries = {(e.get("location") or {}).get("country_code") for e in listed} - {None}
    assert {f["properties"]["iso"][:2] for f in data["features"]} == countries  # only their countries
    assert len(response.content) < 200_000  # not the world file (2 MB)


def test_a_province_link_filters_the_headline_like_the_list(client: TestClient, serve_db: str) -> None:
    shaded = [f for f in client.get("/api/admin1.geojson").json()["features"] if f["properties"]["events"]]
    for f in shaded:
        name = f["properties"]["admin1"]
        html = client.get("/", params={"admin1": name}).text
        total = re.search(r'<b id="events-total">([\d,]+)</b>', html)
        listed = re.search(r'<span id="total">([\d,]+)</span>', client.get("/events", params={"admin1": name}).text)
        assert total and listed and total.group(1) == listed.group(1), name


EV = Evidence(0, 4, "text")
TTP = Actor("TTP", "Tehreek-e-Taliban Pakistan", "armed_group", "PAK")
MIL = Actor("PAK-MIL", "Military of Pakistan", "military", "PAK")
PLACES = {
    "Bannu": Place("Bannu", "Pakistan", "PK", "Khyber Pakhtunkhwa", 32.99, 70.62, "point"),
    "Quetta": Place("Quetta", "Pakistan", "PK", "Balochistan", 30.19, 67.01, "point"),
    "Lahore": Place("Lahore", "Pakistan", "PK", "Punjab", 31.55, 74.34, "point"),
}
# (day, type, place, killed); the tally on 25 March is never counted as an incident
KNOWN = [
    ("2025-02-10", "Battles", "Lahore", 6),
    ("2025-03-14", "Battles", "Bannu", 7),
    ("2025-03-15", "Violence against civilians", "Lahore", 1),
    ("2025-03-21", "Battles", "Quetta", 2),
    ("2025-03-22", "Explosions/Remote violence", "Lahore", 3),
    ("2025-03-27", "Battles", "Bannu", 5),
    ("2025-03-29", "Protests", "Lahore", 4),
]


def _event(eid: str, typ: str, place: str, day: str, killed: int, aggregate: bool = False) -> Event:
    span, toll = DateSpan(day, day, "day"), Fatalities(killed, killed, killed)
    return Event(eid, typ, None, EV, actor1=TTP.id, actor2=MIL.id, aggregate=aggregate, location=PLACES[place],
                 date=span, fatalities=toll)  # fmt: skip


@pytest.fixture
def known_store(tmp_path: Path) -> str:
    path = str(tmp_path / "known.db")
    with open_store(path) as store:
        for n, (day, typ, place, killed) in enumerate(KNOWN, 1):
            art = Article(id=f"art{n:02d}", title=f"Report {n}", body="text " * 40, published=day, source="Wire")
            store.add_article(art)
            events = [_event(f"e{n}", typ, place, day, killed)]
            if n == 6:
                events.append(_event("tally", "Battles", "Bannu", "2025-03-25", 999, aggregate=True))
            store.save_extraction(Extraction(article=art, actors=(TTP, MIL), events=tuple(events)))
        assert store.refresh_fused_events(fuse_events) == len(KNOWN) + 1
        assert store.count_events() == len(KNOWN)
    return path


def _figures(html: str) -> dict[str, int]:
    return {k: int(v.replace(",", "")) for k, v in re.findall(r'<b id="([\w-]+)">([\d,]+)</b>', html)}


@pytest.mark.parametrize(
    ("params", "window", "expected"),
    [
        # the last 7 days of 1-28 March (22-28) against 15-21 March
        ({"since": "2025-03-01", "until": "2025-03-28"}, "2025-03-22 to 2025-03-28", (2, 8, 2, 3)),
        # "2025-03": the whole month, so 25-31 against 18-24
        ({"since": "2025-03-01", "until": "2025-03"}, "2025-03-25 to 2025-03-31", (2, 9, 2, 5)),
        # no bounds: the period ends on the last event's day, 29 March (23-29 against 16-22)
        ({}, "2025-03-23 to 2025-03-29", (2, 9, 2, 5)),
        # a filter applies to both weeks
        ({"since": "2025-03-01", "until": "2025-03-28", "type": "Battles"}, "2025-03-22 to 2025-03-28", (1, 5, 1, 2)),
    ],
)
def test_week_on_week_change(known_store: str, params: dict[str, str], window: str, expected: tuple) -> None:
    with TestClient(create_app(known_store)) as c:
        html = c.get("/", params=params).text
    assert f"Last 7 days ({window})" in html
    got = _figures(html)
    assert (got["week-events"], got["week-killed"], got["week-events-before"], got["week-killed-before"]) == expected


def test_the_period_against_the_one_before(known_store: str) -> None:
    with TestClient(create_app(known_store)) as c:
        html = c.get("/", params={"since": "2025-03-01", "until": "2025-03-28"}).text
    assert _figures(html)["events-total"] == 5  # 14, 15, 21, 22 and 27 March
    assert "(1 in the 28 days before 2025-03-01)" in html  # 10 February
    assert re.search(r"<b>18</b> killed <small>\(18–18; 6 before\)", html)


def _table(html: str, table: str) -> dict[str, tuple[int, ...]]:
    body = re.search(rf'<table id="{table}">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body is not None, table
    rows = re.findall(r'<tr><td><a href="[^"]*?(?:type|actor|admin1)=([^"&]+)">.*?</a></td>(.*?)</tr>', body.group(1))
    return {
        unquote_plus(key): tuple(int(v.replace(",", "")) for v in re.findall(r">([\d,]+)<", cells))
        for key, cells in rows
    }


def _with_parts(client: TestClient, html: str) -> str:
    """The page with the fragments it loads (``hx-get``) put in their placeholders, as htmx does."""
    parts = re.findall(r'<(?:div|span) class="part" id="part-\w+" hx-get="([^"]+)"', html)
    assert len(parts) == 4, parts  # the articles and the three tables
    for url in parts:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        html += response.text
    return html


def test_an_unknown_table_is_not_found(client: TestClient) -> None:
    response = client.get("/dashboard/weather")
    assert response.status_code == 404
    assert "types" in response.text  # names the tables there are


@pytest.mark.parametrize(
    "filters",
    [{}, {"type": "Battles"}, {"actor": "TTP"}, {"since": "2024-11-01", "until": "2024-12-31", "country": "Pakistan"}],
    ids=["all", "battles", "ttp", "pk-two-months"],
)
def test_the_tables_count_what_the_list_lists(client: TestClient, serve_db: str, filters: dict[str, str]) -> None:
    html = _with_parts(client, client.get("/", params=filters).text)
    with open_store(serve_db) as store:
        listed = store.query_events(**filters)
        articles = {s["article_id"] for e in listed for s in e["sources"]}
    assert listed
    assert re.search(rf'<b id="articles-total">{len(articles):,}</b>', html)
    by_type = _table(html, "by-type")
    assert {k: v[0] for k, v in by_type.items()} == dict(Counter(e["type"] for e in listed))
    by_actor = _table(html, "by-actor")
    sides = Counter(a for e in listed for a in {e.get("actor1"), e.get("actor2")} - {None})
    assert by_actor and all(sides[k] == v[0] for k, v in by_actor.items())
    assert [v[0] for v in by_actor.values()] == sorted(sides.values(), reverse=True)[: len(by_actor)]
    if "actor" in filters:  # the actor filtered by is on every listed event
        assert max(v[0] for v in by_actor.values()) == len(listed)
    by_admin1 = _table(html, "by-admin1")
    places = Counter((e.get("location") or {}).get("admin1") for e in listed)
    assert by_admin1 and all(places[k] == v[0] for k, v in by_admin1.items())


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_the_map_points_are_the_listed_events(client: TestClient, serve_db: str, filters: dict[str, str]) -> None:
    response = client.get("/api/map.geojson", params=filters)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/geo+json")
    features = response.json()["features"]
    with open_store(serve_db) as store:
        listed = [e for e in store.query_events(**filters) if (e.get("location") or {}).get("lat") is not None]
    assert listed and features
    assert sum(f["properties"]["events"] for f in features) == len(listed)
    by_id = {e["id"]: e for e in listed}
    for f in features:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        near = [
            e for e in listed
            if e["type"] == p["event_type"] and abs(e["location"]["lat"] - lat) < 0.00051
            and abs(e["location"]["lon"] - lon) < 0.00051
        ]  # fmt: skip
        assert len(near) >= p["events"], f  # the spot's events are listed there
        if p["events"] == 1:  # one event: its id and sub-type, so the popup links to it
            event = by_id[f["id"]]
            assert p["sub_event_type"] == event["sub_type"] and p["event_type"] == event["type"]
            assert p["first"] == event["date"]["start"] if event.get("date") else p["first"] is None
        else:
            assert "id" not in f and p["sub_event_type"] is None

    def toll(e: dict) -> int:
        fat = e.get("fatalities") or {}
        return fat.get("best") if fat.get("best") is not None else (fat.get("low") or 0)

    assert sum(f["properties"]["fatalities"] for f in features) == sum(toll(e) for e in listed)
