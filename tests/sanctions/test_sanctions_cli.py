"""The ``sanctions`` command group, through click's runner (the lead attaches it to ``threatscape``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from threatscape.cli_sanctions import fixture_path, sanctions
from threatscape.errors import ParseError, ThreatscapeError
from threatscape.ingest.fetch import Fetched


def _run(*args: str) -> tuple[str, str]:
    result = CliRunner().invoke(sanctions, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_match_json_against_the_bundled_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no threatscape.db here: the fixture is used
    out, err = _run("match", "TTP", "Imran Khan", "--format", "json", "--limit", "2")
    rows = json.loads(out)
    assert "bundled fixture" in err
    assert set(rows[0]) == {"query", "verdict", "score", "list", "ref", "name", "explanation"}
    assert (rows[0]["query"], rows[0]["verdict"], rows[0]["ref"]) == ("TTP", "match", "QDe.132")
    imran = [r for r in rows if r["query"] == "Imran Khan"]
    assert imran and all(r["verdict"] == "no_match" for r in imran)


def test_load_diff_match_review(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    _, err = _run("load", str(fixture_path()), "--db", db)
    assert "loaded un-sc version 2026-11-01: 23 entries" in err
    _, err = _run("load", str(fixture_path()), "--db", db)
    assert "already stored" in err
    csv_list = tmp_path / "extra.csv"
    csv_list.write_text("ref,type,name\nXXi.001,person,Jane Roe\n", encoding="utf-8")
    _run("load", str(csv_list), "--db", db, "--name", "un-sc")
    out, err = _run("diff", "--db", db, "--format", "json")
    diff = json.loads(out)
    assert [a["ref"] for a in diff["added"]] == ["XXi.001"] and len(diff["removed"]) == 23
    _run("load", str(fixture_path()), "--db", db, "--name", "demo")
    out, _ = _run("match", "Noor Wali", "--db", db, "--format", "json", "--type", "person")
    assert json.loads(out)[0]["verdict"] == "review"
    out, _ = _run("review", "--db", db, "--format", "json")
    (item,) = json.loads(out)
    _, err = _run("review", "--db", db, "--accept", str(item["id"]))
    assert "accepted" in err
    out, _ = _run("match", "Noor Wali", "--db", db, "--format", "json", "--type", "person")
    assert json.loads(out)[0]["verdict"] == "match"


def test_load_from_a_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_fetch(url: str, settings: object) -> Fetched:
        calls.append(url)
        return Fetched(url=url, content=fixture_path().read_bytes(), content_type="application/xml")

    # the package re-exports the function under the module's name: patch the module itself
    monkeypatch.setattr(sys.modules["threatscape.ingest.fetch"], "fetch", fake_fetch)
    _, err = _run(
        "load", "https://scsanctions.un.org/resources/xml/en/consolidated.xml", "--db", str(tmp_path / "u.db")
    )
    assert calls and "23 entries" in err


def test_errors_are_threatscape_errors(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CONSOLIDATED_LIST>&a;</CONSOLIDATED_LIST>')
    with pytest.raises(ParseError, match="bomb.xml"):
        CliRunner().invoke(sanctions, ["load", str(bomb), "--db", str(tmp_path / "x.db")], catch_exceptions=False)
    with pytest.raises(ThreatscapeError, match="no such file"):
        CliRunner().invoke(sanctions, ["load", str(tmp_path / "nope.xml")], catch_exceptions=False)
    with pytest.raises(ThreatscapeError, match="a diff needs two"):
        db = str(tmp_path / "y.db")
        _run("load", str(fixture_path()), "--db", db)
        CliRunner().invoke(sanctions, ["diff", "--db", db], catch_exceptions=False)


def test_review_scan_screens_stored_actors(tmp_path: Path) -> None:
    from threatscape.model import Actor, Article, Extraction
    from threatscape.store import open_store

    db = str(tmp_path / "actors.db")
    article = Article(id="a1", title="Attack claimed", body="Noor Wali and the TTP ...")
    actors = (
        Actor(id="noor", name="Noor Wali", type="person"),
        Actor(id="ttp", name="Tehreek-e-Taliban Pakistan", type="armed_group", aliases=("TTP",)),
    )
    with open_store(db) as store:
        store.save_extraction(Extraction(article=article, actors=actors))
    _run("load", str(fixture_path()), "--db", db)
    out, err = _run("review", "--scan", "--db", db, "--format", "json")
    assert "screened 2 actors: 1 new match(es) to review" in err
    assert [(r["query"], r["ref"]) for r in json.loads(out)] == [("Noor Wali", "QDi.427")]
