"""The actor, network and contested-claims pages and their JSON in-process, checked against the
demo database read with plain SQL: the TTP's aliases, claims and relations on its page, the
network of one predicate or period equal to the relations table, contested edges marked, the SVG
export well-formed, accusation and denial paired, hostile article text inert on every new page."""

from __future__ import annotations

import html
import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from threatscape.serve.app import CSP

PAGES = [
    "/actors",
    "/actors?q=taliban",
    "/actors/TTP",
    "/network",
    "/network?predicate=accuses&since=2024",
    "/claims",
    "/claims?since=2025-01",
    "/api/actors",
    "/api/actors/TTP",
    "/api/network",
    "/api/network.svg",
    "/api/claims",
]


@pytest.fixture(scope="module")
def db(serve_db: str) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(serve_db)
    yield conn
    conn.close()


def _edges(db: sqlite3.Connection, where: str = "1", *args: object) -> set[tuple[str, str, str]]:
    sql = (
        f"SELECT r.subject, r.predicate, r.object FROM relations r JOIN articles a ON a.id = r.article_id WHERE {where}"
    )
    return set(db.execute(sql, args))


def test_every_new_page_answers_with_the_policy(client: TestClient) -> None:
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"] == CSP, path
    nav = client.get("/").text
    assert all(f'href="{p}"' in nav for p in ("/actors", "/network", "/claims"))


def test_unknown_actors_are_404(client: TestClient) -> None:
    assert client.get("/actors/no-such-actor").status_code == 404
    assert client.get("/api/actors/no-such-actor").status_code == 404
    assert client.get("/network", params={"since": "last year"}).status_code == 400
    assert client.get("/api/claims", params={"until": "soon"}).status_code == 400


def test_the_actor_page_shows_aliases_claims_and_relations(client: TestClient, db: sqlite3.Connection) -> None:
    page = client.get("/actors/TTP").text
    assert '<h1 id="actor-name">Tehrik-i-Taliban Pakistan</h1>' in page
    assert '<span class="alias">Pakistani Taliban</span>' in page
    claims = db.execute("SELECT stance, content FROM claims WHERE speaker = 'TTP' OR target = 'TTP'").fetchall()
    assert len(claims) >= 3
    table = page.split('<table id="claims">')[1].split("</table>")[0]
    assert table.count('<td class="claim">') == len(claims)
    for stance, content in claims:
        assert f'<tr class="stance-{stance}">' in table and html.escape(content) in table
    relations = db.execute("SELECT predicate, contested FROM relations WHERE subject = 'TTP' OR object = 'TTP'")
    relations = relations.fetchall()
    table = page.split('<table id="relations">')[1].split("</table>")[0]
    assert table.count("<tr") - 1 == len(relations)  # less the header row
    assert table.count('class="contested"') == sum(c for _, c in relations) >= 1
    assert "shelters" in table and "leads" in table
    # the JSON profile is the same
    profile = client.get("/api/actors/TTP").json()
    assert profile["actor"]["aliases"] == ["Pakistani Taliban"]
    assert len(profile["claims"]) == len(claims) and len(profile["relations"]) == len(relations)
    [[events]] = db.execute("SELECT count(*) FROM fused_events WHERE NOT aggregate AND 'TTP' IN (actor1, actor2)")
    assert profile["activity"]["events"] == events > 0
    assert sum(n for _, n in profile["activity"]["months"]) == events


def test_the_actor_list_searches_names_and_aliases(client: TestClient) -> None:
    found = {a["id"] for a in client.get("/api/actors", params={"q": "pakistani taliban"}).json()["actors"]}
    assert found == {"TTP"}
    found = {a["id"] for a in client.get("/api/actors", params={"q": "taliban"}).json()["actors"]}
    assert {"TTP", "AFG-GOV"} <= found
    page = client.get("/actors", params={"q": "taliban"}).text
    assert 'href="/actors/TTP"' in page and 'href="/actors/PAK-POL"' not in page


def test_events_link_their_actors(client: TestClient) -> None:
    page = client.get("/events", params={"actor": "TTP"}).text
    assert '<a class="actor" href="/actors/TTP">Tehrik-i-Taliban Pakistan</a>' in page
    event = client.get("/api/events", params={"actor": "TTP", "limit": 1}).json()["events"][0]
    assert 'href="/actors/TTP"' in client.get(f"/events/{event['id']}").text


def test_the_network_is_the_relations_table(client: TestClient, db: sqlite3.Connection) -> None:
    for predicate in ("accuses", "denies", "shelters"):
        net = client.get("/api/network", params={"predicate": predicate}).json()
        expected = _edges(db, "r.predicate = ?", predicate)
        assert {(e["source"], e["predicate"], e["target"]) for e in net["edges"]} == expected
        assert {n["id"] for n in net["nodes"]} == {s for s, _, _ in expected} | {o for _, _, o in expected}
    everything = client.get("/api/network").json()
    assert len(everything["edges"]) == len(_edges(db)) > len(expected)
    since = client.get("/api/network", params={"since": "2025"}).json()
    dated = _edges(db, "a.date >= '2025-01-01'")
    assert {(e["source"], e["predicate"], e["target"]) for e in since["edges"]} == dated
    assert 0 < len(dated) < len(_edges(db))
    page = client.get("/network", params={"predicate": "accuses"}).text
    assert f'<span id="n-edges">{len(_edges(db, "r.predicate = ?", "accuses"))}</span>' in page
    assert 'data-src="/api/network?predicate=accuses"' in page  # the drawing carries the filter
    assert 'href="/api/network.svg?predicate=accuses"' in page


def test_contested_edges_are_marked(client: TestClient, db: sqlite3.Connection) -> None:
    net = client.get("/api/network").json()
    contested = {(e["source"], e["predicate"], e["target"]) for e in net["edges"] if e["contested"]}
    assert contested == _edges(db, "r.contested") != set()
    shelters = next(e for e in net["edges"] if e["id"] == "AFG-GOV|shelters|TTP")
    assert shelters["contested"] and shelters["article_ids"]
    page = client.get("/network", params={"predicate": "shelters"}).text
    assert '<tr data-id="AFG-GOV|shelters|TTP" class="contested">' in page
    assert '<span class="tag">contested</span>' in page


def test_the_svg_export_parses(client: TestClient) -> None:
    response = client.get("/api/network.svg", params={"predicate": "shelters"})
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "shelters (contested)" in texts and any(t.startswith("Tehrik-i-Taliban Pakistan:") for t in titles)
    assert any(p.get("stroke-dasharray") for p in root.iter("{http://www.w3.org/2000/svg}path"))
    empty = ET.fromstring(client.get("/api/network.svg", params={"predicate": "no-such"}).text)
    assert empty.tag == "{http://www.w3.org/2000/svg}svg"


def test_the_claims_page_pairs_accusation_and_denial(client: TestClient) -> None:
    page = client.get("/claims").text
    pairs = re.findall(r'<div class="pair">(.*?)\n</div>', page, re.S)
    assert int(re.search(r'<span id="n-pairs">(\d+)</span>', page)[1]) == len(pairs) > 0  # type: ignore[index]
    shelter = [p for p in pairs if "Kabul of giving shelter to militants" in p]
    assert shelter, "the accusation of sheltering militants has its denial beside it"
    accusation, denial = shelter[0].split('<div class="denial">')
    assert '<b class="speaker">Pakistan</b>' in accusation and 'href="/articles/' in accusation
    assert "Taliban government of Afghanistan</b>" in denial and "gives shelter to Pakistani militant" in denial
    assert 'href="/articles/' in denial
    later = client.get("/claims", params={"since": "2025-06"}).text
    assert len(re.findall(r'<div class="pair">', later)) < len(pairs)


def test_the_claims_api_filters_and_pages(client: TestClient, db: sqlite3.Connection) -> None:
    [[denials]] = db.execute("SELECT count(*) FROM claims WHERE stance = 'deny'")
    first = client.get("/api/claims", params={"stance": "deny", "limit": 3}).json()
    assert first["total"] == denials > 3 and len(first["claims"]) == 3
    seen: list[str] = []
    for offset in range(0, denials, 3):
        page = client.get("/api/claims", params={"stance": "deny", "limit": 3, "offset": offset}).json()
        assert {c["stance"] for c in page["claims"]} == {"deny"}
        seen += [f"{c['article_id']}/{c['id']}" for c in page["claims"]]
    assert len(seen) == denials == len(set(seen))
    [[by_ttp]] = db.execute("SELECT count(*) FROM claims WHERE speaker = 'TTP'")
    for speaker in ("TTP", "Pakistani Taliban"):
        found = client.get("/api/claims", params={"speaker": speaker}).json()
        assert found["total"] == by_ttp > 0 and {c["speaker"] for c in found["claims"]} == {"TTP"}
    [[in_2025]] = db.execute(
        "SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id"
        " WHERE a.date BETWEEN '2025-01-01' AND '2025-12-31'"
    )
    assert client.get("/api/claims", params={"since": "2025", "until": "2025"}).json()["total"] == in_2025 > 0
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/actors", "/api/actors/{actor_id}", "/api/network", "/api/network.svg", "/api/claims"} <= set(paths)


def test_hostile_article_text_renders_inert_on_the_new_pages(client: TestClient, db: sqlite3.Connection) -> None:
    [[article_id]] = db.execute("SELECT id FROM articles WHERE source_id = 'hostile-1'")
    actors = {a for (a,) in db.execute("SELECT actor_id FROM article_actors WHERE article_id = ?", (article_id,))}
    actors |= {
        s
        for (s,) in db.execute("SELECT speaker FROM claims WHERE article_id = ? AND speaker IS NOT NULL", (article_id,))
    }
    assert len(actors) >= 2
    pages = ["/actors", "/network", "/claims", "/api/network.svg", *(f"/actors/{a}" for a in sorted(actors))]
    shown = ""
    for path in pages:
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
        assert not re.search(r"<script(?![^>]*\ssrc=\"/static/)", text), path  # no script but ours
        assert not re.search(r"<[^>]+\son\w+\s*=", text), path  # no event-handler attribute
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", text, re.I), path
        assert "<b onmouseover" not in text, path
        shown += text
    assert "&lt;/script" in shown  # the hostile claim is on a page, as text
