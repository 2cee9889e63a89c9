"""The web UI's pages and API in-process: filters, paging, exports of exactly the filtered set,
evidence marked in its paragraph, the security headers, the token, hostile article text inert."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from threatscape.cli import cli
from threatscape.serve.app import CSP, create_app, mark
from threatscape.store import open_store

PAGES = ["/", "/events", "/events?type=Battles", "/api/events", "/api/events.csv", "/api/events.geojson"]


def test_every_page_declares_the_policy(client: TestClient) -> None:
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"] == CSP
        assert "script-src 'self'" in CSP and "'unsafe-inline'" not in CSP
        assert response.headers["x-content-type-options"] == "nosniff"


def test_the_filtered_list_and_its_exports_hold_the_same_events(client: TestClient, serve_db: str) -> None:
    with open_store(serve_db) as store:
        everything = store.query_events()
        battles = store.query_events(type="Battles")
    assert 0 < len(battles) < len(everything)
    listed = client.get("/api/events", params={"type": "Battles", "limit": 500}).json()
    assert listed["total"] == len(battles) and [e["id"] for e in listed["events"]] == [e["id"] for e in battles]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv", params={"type": "Battles"}).text)))
    assert len(rows) == len(battles) and {r["event_type"] for r in rows} == {"Battles"}
    lines = client.get("/api/events.ndjson", params={"type": "Battles"}).text.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [e["id"] for e in battles]
    features = client.get("/api/events.geojson", params={"type": "Battles"}).json()["features"]
    assert [f["id"] for f in features] == [e["id"] for e in battles]
    page = client.get("/events", params={"type": "Battles"}).text
    assert f'<span id="total">{len(battles)}</span>' in page
    assert 'href="/api/events.csv?type=Battles"' in page  # the export link carries the filter


def test_paging_covers_every_event_once(client: TestClient, serve_db: str) -> None:
    with open_store(serve_db) as store:
        total = store.count_events()
    seen: list[str] = []
    page = 1
    while True:
        html = client.get("/events", params={"page": page}).text
        ids = re.findall(r'<tr data-id="([^"]+)"', html)
        seen += ids
        if 'rel="next"' not in html:
            break
        page += 1
    assert len(seen) == total == len(set(seen))


def test_an_event_shows_each_source_with_its_evidence_marked(client: TestClient) -> None:
    event = client.get("/api/events", params={"limit": 1, "type": "Battles"}).json()["events"][0]
    html = client.get(f"/events/{event['id']}").text
    assert html.count('class="source"') == len(event["sources"])
    assert re.search(r'<mark class="evidence">[^<]{20,}</mark>', html)
    assert client.get("/events/no-such-event").status_code == 404


def test_bad_filters_are_named(client: TestClient) -> None:
    response = client.get("/api/events", params={"since": "last spring"})
    assert response.status_code == 400 and "since" in response.json()["error"]
    assert client.get("/events", params={"until": "soon"}).status_code == 400


def test_hostile_article_text_renders_inert(client: TestClient, serve_db: str) -> None:
    with open_store(serve_db) as store:
        [article] = [a for a in store.articles() if a.source_id == "hostile-1"]
        events = [
            e for e in store.query_events(aggregate=True) if any(s["article_id"] == article.id for s in e["sources"])
        ]
    parts = ["/dashboard/articles", "/dashboard/types", "/dashboard/actors", "/dashboard/provinces"]
    pages = ["/", *parts, "/events", f"/articles/{article.id}", *(f"/events/{e['id']}" for e in events)]
    assert len(pages) > 3
    for path in pages:
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert not re.search(r"<[^>]+\son\w+\s*=", html), path  # no event-handler attribute
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", html, re.I), path
        assert not re.search(r"<b onmouseover", html), path
    shown = client.get(f"/articles/{article.id}").text
    assert "&lt;script&gt;alert" in shown  # the text is there, as text


def test_mark_escapes_and_keeps_the_first_of_overlapping_spans() -> None:
    body = "a <b> and 12 men"
    html = str(mark(body, [(2, 5, "x"), (3, 9, "y"), (10, 12, "quantities")]))
    assert html == 'a <mark class="x">&lt;b&gt;</mark> and <mark class="quantities">12</mark> men'


def test_a_token_guards_every_request(serve_db: str) -> None:
    with TestClient(create_app(serve_db, token="s3cret-value")) as c:
        assert c.get("/").status_code == 401
        assert c.get("/api/events", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/events", headers={"Authorization": "Bearer s3cret-value"}).status_code == 200
        first = c.get("/", params={"token": "s3cret-value"})
        assert first.status_code == 200 and "threatscape_token" in first.headers.get("set-cookie", "")
        assert c.get("/events").status_code == 200  # the cookie carries it from then on


def test_serve_refuses_an_open_host_without_a_token(serve_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THREATSCAPE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", serve_db, "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "THREATSCAPE_TOKEN" in result.output


def test_the_api_is_described(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/events.csv"} <= set(paths)


def test_the_other_filters_sort_and_type_counts(client: TestClient, serve_db: str) -> None:
    with open_store(serve_db) as store:
        everything = store.query_events()
    killed = [e for e in everything if ((e.get("fatalities") or {}).get("best") or 0) >= 5]
    assert 0 < len(killed) < len(everything)
    got = client.get("/api/events", params={"min_killed": 5, "limit": 500}).json()
    assert got["total"] == len(killed) and {e["id"] for e in got["events"]} == {e["id"] for e in killed}
    points = [e for e in everything if (e.get("location") or {}).get("precision") == "point"]
    assert client.get("/api/events", params={"precision": "point"}).json()["total"] == len(points)
    outlet = next(s["outlet"] for e in everything for s in e["sources"] if s.get("outlet"))
    by_outlet = [e for e in everything if any((s.get("outlet") or "").lower() == outlet.lower() for s in e["sources"])]
    assert client.get("/api/events", params={"source": outlet}).json()["total"] >= len(by_outlet) > 0
    searched = client.get("/api/events", params={"q": "checkpoint", "limit": 500}).json()
    assert 0 < searched["total"] < len(everything)
    most = client.get("/api/events", params={"sort": "-killed", "limit": 500}).json()["events"]
    tolls = [(e.get("fatalities") or {}).get("best") or 0 for e in most]
    assert tolls == sorted(tolls, reverse=True)
    assert client.get("/api/events", params={"sort": "sideways"}).status_code == 422
    assert client.get("/api/events", params={"min_killed": "many"}).status_code == 400
    page = client.get("/events").text
    facets = dict(re.findall(r'type=([^"&]+)">[^<]+</a> \((\d+)\)', page))
    assert sum(int(n) for n in facets.values()) == len(everything)


def test_mark_all_nests_and_splits_crossing_spans() -> None:
    from threatscape.serve.site import mark_all

    body = "The army said <militants> fled."
    html = str(mark_all(body, [(0, 31, "claims"), (4, 8, "mentions"), (14, 25, "mentions"), (20, 30, "events")]))
    assert html.startswith('<mark class="claims">The </mark><mark class="claims"><mark class="mentions">army</mark>')
    assert "&lt;militants&gt;" in html.replace("</mark>", "").replace('<mark class="events">', "").replace(
        '<mark class="mentions">', ""
    ).replace('<mark class="claims">', "")
    assert html.count("<mark") == html.count("</mark>")


def test_an_article_marks_every_kind_of_fact(client: TestClient, serve_db: str) -> None:
    from html.parser import HTMLParser

    with open_store(serve_db) as store:
        event = store.query_events(type="Battles", limit=1)[0]
    html = client.get(f"/articles/{event['sources'][0]['article_id']}").text
    body = html[html.index('<div class="body">') : html.index("</div>", html.index('<div class="body">'))]
    kinds = set(re.findall(r'<mark class="([a-z]+)">', body))
    assert {"events", "mentions"} <= kinds and kinds & {"claims", "quantities"}

    class Balance(HTMLParser):
        depth = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.depth += tag == "mark"

        def handle_endtag(self, tag: str) -> None:
            self.depth -= tag == "mark"
            assert self.depth >= 0

    checker = Balance()
    checker.feed(body)
    assert checker.depth == 0


def test_serve_with_workers_answers_from_several_processes(serve_db: str, tmp_path: object) -> None:
    """``threatscape serve --workers 2``: two worker processes, each with its own (read-only)
    store, answer what the one-process app answers."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "THREATSCAPE_TOKEN"}
    argv = [sys.executable, "-m", "threatscape", "serve", "--db", serve_db, "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        body = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/events?limit=500", timeout=5) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        assert body is not None, "the server did not answer"
        with TestClient(create_app(serve_db)) as c:
            assert body == c.get("/api/events", params={"limit": 500}).json()
        workers = [cmd for cmd in _descendants(server.pid) if "spawn_main" in cmd]
        assert len(workers) == 2, workers
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _descendants(pid: int) -> list[str]:
    """The command lines of the processes below ``pid`` (read from /proc)."""
    from pathlib import Path

    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], list(parents.get(pid, []))
    while todo:
        child = todo.pop()
        todo += parents.get(child, [])
        try:
            found.append(Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found
