"""Web UI latency on a store of 1,000,000 fused events (SQLite): p95 of the filtered events list
and of each dashboard request under a bounded loopback load; the goal is under 150 ms.

The fused events are generated (the distribution of ``report_bench``: six years, 300 places, 60
actors, ACLED types with realistic weights, one article per 50 events) and bulk-inserted into the
``fused_events`` table the UI reads. The app runs in uvicorn on 127.0.0.1; ``CLIENTS`` threads
each send ``REQUESTS`` requests to one endpoint at a time (a bounded load: at most ``CLIENTS`` in
flight), first on one process (uvicorn in a thread), then on ``threatscape serve --workers 2``.
The baseline, measured in the same run, is the filtered list's one page as a single
plain ``sqlite3`` query: what any server has to pay at least. ``python -m bench serve`` prints
the figures; ``run()`` returns them.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report_bench import EVENTS_PER_ARTICLE, N_EVENTS, bulk_store, sampled_events

GOAL_MS = 150.0
WORKERS = 2  # then the same load on ``threatscape serve --workers 2`` (one process a core here)
CLIENTS = 4
REQUESTS = 40
QUARTER = {"since": "2025-07-01", "until": "2025-09-30"}
SHIFTED = {"since": "2025-07-16", "until": "2025-10-15"}  # as long, but half a month of part days at each end
ENDPOINTS = {
    "events list (API, one type, a quarter)": ("/api/events", {**QUARTER, "type": "Battles"}),
    "events list (page)": ("/events", {**QUARTER, "type": "Battles"}),
    "dashboard (page: headline, week on week)": ("/", QUARTER),
    "dashboard articles": ("/dashboard/articles", QUARTER),
    "dashboard by type": ("/dashboard/types", QUARTER),
    "dashboard actors": ("/dashboard/actors", QUARTER),
    "dashboard by province": ("/dashboard/provinces", QUARTER),
    "dashboard timeline": ("/api/timeline", QUARTER),
    "dashboard provinces (map)": ("/api/admin1.geojson", QUARTER),
    "dashboard map points (one type, one province)": (
        "/api/map.geojson",
        {**QUARTER, "type": "Battles", "admin1": "Khost"},
    ),
    "dashboard map points (a quarter)": ("/api/map.geojson", QUARTER),
    "dashboard actors (a quarter off month ends)": ("/dashboard/actors", SHIFTED),
    "dashboard map points (a quarter off month ends)": ("/api/map.geojson", SHIFTED),
    "GeoJSON export (one type, one province)": (
        "/api/events.geojson",
        {**QUARTER, "type": "Battles", "admin1": "Khost"},
    ),
}


def _rows(rng: random.Random) -> Any:
    now = datetime.now(UTC).isoformat()
    for n, country, admin1, name, lat, lon, day, best, typ, a1, a2 in sampled_events(rng):
        article = f"art{n // EVENTS_PER_ARTICLE:07d}"
        fat = {"best": best, "low": best, "high": best + n % 3}
        data = {
            "id": f"fev{n}", "type": typ, "sub_type": None, "plover": None, "actor1": a1, "actor2": a2,
            "claimed_by": None, "aggregate": False, "count": None,
            "location": {"name": name, "admin1": admin1, "country": country, "country_code": None, "lat": lat,
                         "lon": lon, "precision": "point", "geonameid": None},
            "date": {"start": day, "end": day, "precision": "day"}, "fatalities": fat, "n_reports": 1,
            "n_sources": 1, "confidence": 0.7,
            "sources": [{"article_id": article, "event_id": f"ev{n}", "story_id": article, "reported_by": None,
                         "fatalities": fat, "date": day}],
        }  # fmt: skip
        yield (
            f"fev{n}", typ, a1, a2, country, admin1, name, lat, lon, "point", day, day, "day",
            best, best, best + n % 3, 1, 1, 0.7, json.dumps(data), now,
        )  # fmt: skip


def build_store(path: Path, seed: int = 11) -> float:
    """The schema by the package's migrations, then articles, actors and fused events in bulk."""
    started = time.perf_counter()
    rng = random.Random(seed)
    con = bulk_store(path)
    con.executemany(
        "INSERT INTO fused_events (id, type, actor1, actor2, country, admin1, location_name, lat, lon, geo_precision,"
        " date_start, date_end, date_precision, span_days, fatalities_best, fatalities_low, fatalities_high, n_reports,"
        " n_sources, confidence, data, refreshed_at, aggregate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0,"
        " ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        _rows(rng),
    )
    con.execute(  # each event's one source, as fusion stores it
        "INSERT INTO fused_event_sources (fused_id, article_id, event_id, story_id) SELECT id,"
        " json_extract(data, '$.sources[0].article_id'), json_extract(data, '$.sources[0].event_id'),"
        " json_extract(data, '$.sources[0].story_id') FROM fused_events"
    )
    con.commit()
    con.close()
    refresh_rollups(path)  # as replace_fused does when fusion stores its events
    con = sqlite3.connect(path)
    con.execute("ANALYZE")
    con.close()
    return time.perf_counter() - started


def refresh_rollups(path: Path) -> None:
    """The roll-ups of the bulk-inserted fused events (``threatscape.store.events.refresh_rollups``)."""
    from sqlalchemy import create_engine

    from threatscape.store.events import refresh_rollups

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            refresh_rollups(conn)
    finally:
        engine.dispose()


def _serve(db: Path) -> tuple[Any, str]:
    import socket

    import uvicorn

    from threatscape.serve.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _serve_workers(db: Path, workers: int) -> tuple[Any, str]:
    """``threatscape serve --workers N`` in a process of its own, once it answers."""
    import socket
    import subprocess
    import sys

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    argv = [sys.executable, "-m", "threatscape", "serve", "--db", str(db), "--port", str(port), "--workers",
            str(workers)]  # fmt: skip
    proc = subprocess.Popen(argv, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(base + "/api/events", params={"limit": 1}, timeout=5).raise_for_status()
            return proc, base
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise RuntimeError(f"threatscape serve exited with {proc.returncode}") from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("threatscape serve did not answer within 120 s")


def _stop(proc: Any) -> None:
    import os
    import signal

    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def _measure(base: str, figures: dict[str, Any], prefix: str = "") -> None:
    for label, (path, params) in ENDPOINTS.items():
        times, size = _latencies(base, path, params)
        p95 = statistics.quantiles(times, n=20)[-1]
        figures[prefix + label] = {"p50_ms": round(statistics.median(times)), "p95_ms": round(p95), "bytes": size,
                                   "meets_goal": p95 < GOAL_MS}  # fmt: skip


def _latencies(base: str, path: str, params: dict[str, str]) -> tuple[list[float], int]:
    import httpx

    def one(client: httpx.Client) -> float:
        t0 = time.perf_counter()
        response = client.get(base + path, params=params)
        response.raise_for_status()
        return (time.perf_counter() - t0) * 1000

    with httpx.Client(timeout=120) as warm:
        size = len(warm.get(base + path, params=params).content)  # warm caches once
    clients = [httpx.Client(timeout=120) for _ in range(CLIENTS)]
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            times = list(pool.map(lambda i: one(clients[i % CLIENTS]), range(REQUESTS)))
    finally:
        for c in clients:
            c.close()
    return times, size


def _baseline_ms(db: Path) -> float:
    """One page of the filtered list as one plain query (the floor any server pays)."""
    con = sqlite3.connect(db)
    try:
        t0 = time.perf_counter()
        con.execute(
            "SELECT data FROM fused_events WHERE aggregate = 0 AND lower(type) = 'battles' AND date_end >= ? AND"
            " date_start <= ? ORDER BY date_start, id LIMIT 50",
            (QUARTER["since"], QUARTER["until"]),
        ).fetchall()
        return (time.perf_counter() - t0) * 1000
    finally:
        con.close()


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "million.db"
        insert_s = build_store(db)
        server, base = _serve(db)
        figures: dict[str, Any] = {"fused_events": N_EVENTS, "insert_s": round(insert_s, 1), "clients": CLIENTS}
        try:
            _measure(base, figures)
            baseline = _baseline_ms(db)
        finally:
            server.should_exit = True
        proc, base = _serve_workers(db, WORKERS)
        try:
            _measure(base, figures, f"{WORKERS} workers: ")
        finally:
            _stop(proc)
        figures["baseline_one_query_ms"] = round(baseline, 1)
        api = figures["events list (API, one type, a quarter)"]["p95_ms"]
        figures["list_p95_vs_baseline"] = round(api / baseline, 1) if baseline else None
        figures["goal_ms"] = GOAL_MS
    for key, value in figures.items():
        print(f"{key:>40}: {value}")
    return figures


if __name__ == "__main__":
    run()
