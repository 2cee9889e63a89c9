"""Corrections made in the web UI: stored apart from the extracted facts, shown by the events
list, the CSV export and the next brief, still there after ``threatscape reextract``, exported as
training records; a POST without the session's CSRF token is refused."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import update

from threatscape.cli import cli
from threatscape.errors import StoreError
from threatscape.report.build import build_report
from threatscape.report.model import Filters, Period
from threatscape.serve.app import create_app
from threatscape.store import open_store
from threatscape.store import schema as t
from threatscape.store.corrections import Correction, apply_to_claims
from threatscape.training.corpus import _parse


@pytest.fixture
def db(serve_db: str, tmp_path: Path) -> str:
    path = tmp_path / "copy.db"
    shutil.copy(serve_db, path)
    return str(path)


def _battle(c: TestClient) -> tuple[dict, str]:
    event = c.get("/api/events", params={"type": "Battles", "limit": 1}).json()["events"][0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get(f"/events/{event['id']}").text)
    assert token is not None
    return event, token.group(1)


def _toll(store_db: str, event: dict) -> int | None:
    with open_store(store_db) as store:
        first = event["sources"][0]["event_id"]
        [now] = [e for e in store.query_events(aggregate=True) if any(s["event_id"] == first for s in e["sources"])]
        return now["fatalities"]["best"]


def test_a_toll_correction_shows_everywhere_and_survives_reextract(db: str) -> None:
    with TestClient(create_app(db)) as c:
        event, token = _battle(c)
        before = event["fatalities"]["best"]
        new = (before or 0) + 17
        form = {"field": "toll", "best": str(new), "by": "analyst one", "csrf_token": token, "note": "per the morgue"}
        response = c.post(f"/events/{event['id']}/corrections", data=form, follow_redirects=False)
        assert response.status_code == 303
        page = c.get(response.headers["location"]).text
        assert f'id="toll">{new}' in page and 'id="corrected"' in page
        listed = c.get("/api/events", params={"type": "Battles", "limit": 500}).json()["events"]
        fixed = next(e for e in listed if e["sources"][0]["event_id"] == event["sources"][0]["event_id"])
        assert fixed["fatalities"]["best"] == new and fixed["corrections"][0]["author"] == "analyst one"
        rows = list(csv.DictReader(io.StringIO(c.get("/api/events.csv", params={"type": "Battles"}).text)))
        assert str(new) in {r["fatalities"] for r in rows}
    with open_store(db) as store:
        day = date.fromisoformat(fixed["date"]["start"])
        brief = build_report(store, Filters(Period(day, day)))
        assert brief.headline.fatalities_best >= new
        # an older release extracted these articles: reextract does them again, the correction stays
        with store._engine.begin() as conn:
            conn.execute(update(t.articles).values(extracted_with={"events": "00000000"}, versions_key="0" * 16))
    result = CliRunner().invoke(cli, ["reextract", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert re.search(r"[1-9]\d* of \d+ articles extracted again", result.output), result.output
    assert _toll(db, event) == new


def test_marked_wrong_the_event_leaves_the_list(db: str) -> None:
    with TestClient(create_app(db)) as c:
        event, token = _battle(c)
        total = c.get("/api/events").json()["total"]
        form = {"field": "wrong", "by": "analyst two", "csrf_token": token}
        assert c.post(f"/events/{event['id']}/corrections", data=form, follow_redirects=False).status_code == 303
        assert c.get("/api/events").json()["total"] == total - 1
        assert "analyst two" in c.get("/corrections").text


def test_without_the_csrf_token_nothing_is_stored(db: str) -> None:
    with TestClient(create_app(db)) as c:
        event, _token = _battle(c)
        form = {"field": "toll", "best": "3", "by": "x"}
        assert c.post(f"/events/{event['id']}/corrections", data=form).status_code == 403
        assert c.post(f"/events/{event['id']}/corrections", data=form | {"csrf_token": "forged"}).status_code == 403
        assert c.get("/api/corrections").json() == []


def test_a_bad_value_is_named_and_not_stored(db: str) -> None:
    with TestClient(create_app(db)) as c:
        event, token = _battle(c)
        response = c.post(
            f"/events/{event['id']}/corrections", data={"field": "toll", "best": "many", "by": "x", "csrf_token": token}
        )
        assert response.status_code == 400 and "whole number" in response.text
        response = c.post(
            f"/events/{event['id']}/corrections",
            data={"field": "date", "date_start": "soon", "by": "x", "csrf_token": token},
        )
        assert response.status_code == 400 and "YYYY-MM-DD" in response.text
        assert c.get("/api/corrections").json() == []


def test_corrections_export_as_training_records(db: str, tmp_path: Path) -> None:
    with TestClient(create_app(db)) as c:
        event, token = _battle(c)
        form = {
            "field": "type",
            "type": "Violence against civilians",
            "sub_type": "Attack",
            "by": "a",
            "csrf_token": token,
        }
        assert c.post(f"/events/{event['id']}/corrections", data=form, follow_redirects=False).status_code == 303
    out = tmp_path / "corrections.jsonl"
    result = CliRunner().invoke(cli, ["corrections", "export", "--db", db, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(event["sources"])
    for n, line in enumerate(lines, 1):
        example = _parse(out, n, line)  # the training corpus's own reader accepts it
        assert example.sub_type == "Attack" and example.text
    listed = CliRunner().invoke(cli, ["corrections", "list", "--db", db, "--format", "json"], catch_exceptions=False)
    assert {r["field"] for r in json.loads(listed.stdout)} == {"type"}


def test_a_claim_correction_changes_its_stance_or_drops_it() -> None:
    rows = [
        {"id": "c1", "article_id": "a1", "speaker": "X", "stance": "assert", "ev_start": 0, "ev_end": 10},
        {"id": "c2", "article_id": "a1", "speaker": "Y", "stance": "accuse", "ev_start": 20, "ev_end": 30},
    ]
    fixes = [
        Correction(1, "claim", "c1-old-id", "a1", 2, 8, "stance", {"stance": "deny"}, "a", "2026-01-01"),
        Correction(2, "claim", "c2", "a1", None, None, "wrong", {}, "a", "2026-01-01"),
    ]
    out = apply_to_claims(rows, fixes)
    assert [(r.id, r.stance) for r in out] == [("c1", "deny")]  # found by its span after a reextract


def test_a_claims_stance_and_a_wrong_relation_from_the_article_page(db: str) -> None:
    from threatscape.report import facts as report_facts

    with open_store(db) as store:
        with store.reading() as conn:
            row = conn.execute(
                t.relations.select().where(t.relations.c.predicate.in_(report_facts.SUPPORT_PREDICATES)).limit(1)
            ).first()
            assert row is not None
        article_id, relation_id = row.article_id, row.id
        claims = store.extraction(article_id)["claims"]  # type: ignore[index]
    assert claims, "the article holding a support relation has statements"
    claim = claims[0]
    new_stance = "warn" if claim["stance"] != "warn" else "deny"
    with TestClient(create_app(db)) as c:
        page = c.get(f"/articles/{article_id}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        form = {"field": "stance", "stance": new_stance, "by": "reviewer", "csrf_token": token}
        url = f"/articles/{article_id}/claims/{claim['id']}/corrections"
        assert c.post(url, data=form, follow_redirects=False).status_code == 303
        shown = c.get(f"/articles/{article_id}").text
        item = re.search(rf'<li data-id="{re.escape(claim["id"])}">.*?</li>', shown, re.S)
        assert item is not None and f"({new_stance})" in item.group(0)
        assert f'<li data-id="{relation_id}">' in shown
        form = {"field": "wrong", "by": "reviewer", "csrf_token": token}
        url = f"/articles/{article_id}/relations/{relation_id}/corrections"
        assert c.post(url, data=form, follow_redirects=False).status_code == 303
        assert f'<li data-id="{relation_id}">' not in c.get(f"/articles/{article_id}").text
        assert c.post(f"/articles/{article_id}/events/x/corrections", data=form).status_code == 404
    with open_store(db) as store, store.reading() as conn:
        period = Period(date(1900, 1, 1), date(2100, 12, 31))
        kept = report_facts.support_relations(conn, period, limit=10_000)
        assert all(r.id != relation_id for r in kept)


def test_the_app_reads_through_a_store_the_database_keeps_read_only(db: str) -> None:
    """Only the analysts' decisions write: the store every page reads refuses writes itself, while
    a correction posted from the browser is stored (through the app's writer)."""
    app = create_app(db)
    with TestClient(app) as c:
        reader = app.state.site.store
        with pytest.raises(StoreError, match=r"(?i)read-?only"):
            reader.add_correction(kind="event", fact_id="x", article_id="y", span=None, field="wrong", value={},
                                  author="nobody")  # fmt: skip
        event, token = _battle(c)
        form = {"field": "wrong", "by": "analyst two", "csrf_token": token}
        assert c.post(f"/events/{event['id']}/corrections", data=form, follow_redirects=False).status_code == 303
        assert [f.author for f in reader.corrections()] == ["analyst two"] * len(event["sources"])
