"""Report figures on a store of 1,000,000 synthetic events (SQLite): goal under 3 s for a quarter.

The events are generated (not extracted): six years, 300 places in Pakistan and Afghanistan,
60 actors, ACLED types with realistic weights, one article per 50 events. They are bulk-inserted
through the DB-API, then ``build_report`` is timed for a quarter and for a year (all queries,
citations, the weekly timeline, the map and the network as SVG), and rendering to HTML.
``python -m bench report`` prints the figures; ``run()`` returns them.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

N_EVENTS = 1_000_000
EVENTS_PER_ARTICLE = 50
FIRST_DAY = date(2020, 1, 1)
DAYS = 6 * 365
GOAL_S = 3.0
TYPES = (("Battles", 0.34), ("Explosions/Remote violence", 0.22), ("Violence against civilians", 0.2),
         ("Protests", 0.14), ("Riots", 0.04), ("Strategic developments", 0.06))  # fmt: skip
REGIONS = (("Pakistan", "Khyber Pakhtunkhwa", 31.5, 34.5, 69.5, 72.5),
           ("Pakistan", "Balochistan", 25.5, 31.0, 62.5, 69.5), ("Pakistan", "Punjab", 29.0, 33.0, 70.5, 74.5),
           ("Pakistan", "Sindh", 24.5, 28.0, 67.5, 70.5),
           ("Afghanistan", "Paktika", 32.0, 33.3, 68.2, 69.4), ("Afghanistan", "Khost", 33.2, 33.6, 69.7, 70.2),
           ("Afghanistan", "Nangarhar", 34.0, 34.5, 70.0, 71.0))  # fmt: skip


def _places(rng: random.Random) -> list[tuple[str, str, str, float, float]]:
    out = []
    for i in range(300):
        country, admin1, y0, y1, x0, x1 = REGIONS[i % len(REGIONS)]
        out.append((country, admin1, f"Place {i}", round(rng.uniform(y0, y1), 3), round(rng.uniform(x0, x1), 3)))
    return out


def sampled_events(rng: random.Random) -> Any:
    """``N_EVENTS`` generated incidents: (n, country, admin1, place, lat, lon, day, best toll, type,
    actor1, actor2), stored roughly in date order as a news feed ingests them (a day or two of jitter)."""
    places = _places(rng)
    actors = [f"ACT{i:02d}" for i in range(60)]
    types, weights = zip(*TYPES, strict=True)
    for n in range(N_EVENTS):
        country, admin1, name, lat, lon = places[min(int(rng.paretovariate(1.2)) - 1, 299)]
        offset = min(DAYS - 1, max(0, n * DAYS // N_EVENTS + rng.randint(-2, 2)))
        day = (FIRST_DAY + timedelta(days=offset)).isoformat()
        best = int(rng.expovariate(0.4)) if rng.random() < 0.6 else 0
        typ = rng.choices(types, weights)[0]
        a1, a2 = rng.choice(actors[:15]), rng.choice(actors)
        yield n, country, admin1, name, lat, lon, day, best, typ, a1, a2


def _event_rows(rng: random.Random) -> Any:
    for n, country, admin1, name, lat, lon, day, best, typ, a1, a2 in sampled_events(rng):
        yield (
            f"art{n // EVENTS_PER_ARTICLE:07d}",
            f"ev{n}",
            typ,
            a1,
            a2,
            0,
            country,
            admin1,
            name,
            lat,
            lon,
            day,
            day,
            "day",
            best,
            best,
            best + (n % 3),
            0.7,
            "{}",
        )


def bulk_store(path: Path) -> sqlite3.Connection:
    """A new store at ``path`` (the schema by the package's migrations) with one article per
    ``EVENTS_PER_ARTICLE`` events and 60 actors inserted, open for more bulk inserts."""
    from threatscape.store import open_store

    open_store(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    n_articles = N_EVENTS // EVENTS_PER_ARTICLE
    con.executemany(
        "INSERT INTO articles (id, story_id, title, body, source, url, date, summary, captions, added_at) "
        "VALUES (?, ?, ?, '', ?, ?, ?, '[]', '[]', '2026-01-01')",
        (
            (
                f"art{i:07d}",
                f"art{i:07d}",
                f"Report {i}",
                f"Outlet {i % 40}",
                f"https://outlet{i % 40}.example/{i}",
                (FIRST_DAY + timedelta(days=i * DAYS // n_articles)).isoformat(),
            )
            for i in range(n_articles)
        ),
    )  # article i holds events i*50 .. i*50+49, dated about the same day
    con.executemany(
        "INSERT INTO actors (id, name, type, aliases, sanctions) VALUES (?, ?, 'armed_group', '[]', '[]')",
        ((f"ACT{i:02d}", f"Armed group {i}") for i in range(60)),
    )
    return con


def build_store(path: Path, seed: int = 7) -> float:
    """Create the schema with the package's migrations, then bulk-insert; returns seconds taken."""
    started = time.perf_counter()
    rng = random.Random(seed)
    con = bulk_store(path)
    con.executemany(
        "INSERT INTO events (article_id, id, type, actor1, actor2, aggregate, country, admin1, location_name, lat, lon,"
        " date_start, date_end, date_precision, fatalities_best, fatalities_low, fatalities_high, confidence, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _event_rows(rng),
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return time.perf_counter() - started


def _time_report(path: Path, start: date, end: date) -> tuple[float, float, int]:
    from threatscape.report.build import build_report
    from threatscape.report.model import Filters, Period
    from threatscape.report.render_html import render_html
    from threatscape.store import open_store

    store = open_store(str(path))
    try:
        t0 = time.perf_counter()
        report = build_report(store, Filters(Period(start, end)))
        t1 = time.perf_counter()
        render_html(report)
        t2 = time.perf_counter()
    finally:
        store.close()
    return t1 - t0, t2 - t1, report.headline.events


def _baseline(path: Path, start: date, end: date) -> float:
    """The same run's floor: one plain aggregate (events and deaths by type for the period) in
    sqlite3, what any report over this store has to pay at least once."""
    con = sqlite3.connect(path)
    try:
        t0 = time.perf_counter()
        con.execute(
            "SELECT type, count(*), sum(fatalities_best) FROM events WHERE aggregate = 0 AND date_start BETWEEN ? AND ?"
            " GROUP BY type",
            (start.isoformat(), end.isoformat()),
        ).fetchall()
        return time.perf_counter() - t0
    finally:
        con.close()


def run() -> dict[str, Any]:
    """Build the store, warm the chart and boundary loaders, time a quarter's and a year's report."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "million.db"
        insert_s = build_store(path)
        _time_report(path, date(2025, 12, 1), date(2025, 12, 7))  # loads vl-convert and the boundaries once
        quarter, quarter_html, quarter_events = _time_report(path, date(2025, 7, 1), date(2025, 9, 30))
        floor = _baseline(path, date(2025, 7, 1), date(2025, 9, 30))
        year, _, year_events = _time_report(path, date(2025, 1, 1), date(2025, 12, 31))
    figures = {
        "events_in_store": N_EVENTS,
        "insert_s": round(insert_s, 2),
        "quarter_events": quarter_events,
        "quarter_figures_s": round(quarter, 2),
        "quarter_html_s": round(quarter_html, 2),
        "year_events": year_events,
        "year_figures_s": round(year, 2),
        "baseline_one_query_s": round(floor, 3),
        "quarter_vs_baseline": round(quarter / floor, 1) if floor else None,
        "goal_s": GOAL_S,
        "meets_goal": quarter < GOAL_S,
    }
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    return figures


if __name__ == "__main__":
    run()
