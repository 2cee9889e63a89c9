"""``threatscape export --format parquet|ftm``: the demo corpus's stored record read back with
pyarrow and followthemoney, as pandas/DuckDB and Aleph/the OpenSanctions tools would read it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from followthemoney import model
from followthemoney.types import registry
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from threatscape.cli import cli
from threatscape.export_ftm import read_entities, write_ftm
from threatscape.export_parquet import SCHEMAS, TABLES, article_rows, record_batch, write_parquet
from threatscape.ftm_entities import entity_id
from threatscape.store import SQLStore, open_store
from threatscape.store import schema as t
from threatscape.store.events import fused_events
from threatscape.store.records import Selection

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SANCTIONS = ROOT / "threatscape" / "data" / "un-sanctions-fixture.xml"
SINCE = "2025-01-01"


def _threatscape(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "threatscape", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=900)  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, SQLStore]]:
    """The demo corpus ingested as ``make demo`` does (the sanctions fixture loaded first)."""
    db = str(tmp_path_factory.mktemp("export") / "demo.db")
    loaded = _threatscape("sanctions", "load", str(SANCTIONS), "--db", db)
    assert loaded.returncode == 0, loaded.stderr
    run = _threatscape("ingest", str(EXAMPLES), "--db", db)
    assert run.returncode == 0, run.stderr
    store = open_store(db)
    yield db, store
    store.close()


def _export(db: str, fmt: str, output: Path, *flags: str) -> str:
    result = CliRunner().invoke(cli, ["export", "--db", db, "--format", fmt, "-o", str(output), *flags])
    assert result.exit_code == 0, result.output
    return result.stderr


def _count(store: SQLStore, table: Any) -> int:
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _ids(store: SQLStore, column: Any) -> set[str]:
    with store.reading() as conn:
        return set(conn.execute(select(column)).scalars())


# -- Parquet --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parquet(demo: tuple[str, SQLStore], tmp_path_factory: pytest.TempPathFactory) -> dict[str, pa.Table]:
    folder = tmp_path_factory.mktemp("parquet") / "record"  # made by the export
    message = _export(demo[0], "parquet", folder)
    assert f"-> {folder}" in message
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.parquet" for name in TABLES)
    return {name: pq.read_table(folder / f"{name}.parquet") for name in TABLES}


def test_every_table_has_the_stores_rows_and_ids(demo: tuple[str, SQLStore], parquet: dict[str, pa.Table]) -> None:
    _, store = demo
    stored = {
        "articles": t.articles, "actors": t.actors, "mentions": t.article_actors, "events": t.events,
        "fused_events": fused_events, "claims": t.claims, "relations": t.relations, "quantities": t.quantities,
        "flows": t.flows, "strengths": t.strengths,
    }  # fmt: skip
    for name, table in stored.items():
        assert parquet[name].num_rows == _count(store, table), name
    assert min(parquet[n].num_rows for n in ("articles", "actors", "events", "claims", "relations", "flows")) > 0
    for name, table in (("articles", t.articles), ("actors", t.actors), ("events", t.events),
                        ("claims", t.claims), ("relations", t.relations), ("flows", t.flows),
                        ("strengths", t.strengths), ("fused_events", fused_events)):  # fmt: skip
        assert set(parquet[name].column("id").to_pylist()) == _ids(store, table.c.id), name
    with store.reading() as conn:
        matches = [(a, m["ref"]) for a, ms in conn.execute(select(t.actors.c.id, t.actors.c.sanctions)) for m in ms]
    assert sorted(zip(*parquet["sanctions"].select(["actor_id", "ref"]).to_pydict().values(), strict=True)) == sorted(
        matches
    )
    assert ("TTP", "QDe.132") in matches


def test_columns_are_typed(parquet: dict[str, pa.Table]) -> None:
    for name in TABLES:
        assert parquet[name].schema.equals(SCHEMAS[name], check_metadata=False), name
        assert parquet[name].schema.metadata[b"threatscape.table"] == name.encode()
    articles, events, fused = parquet["articles"].schema, parquet["events"].schema, parquet["fused_events"].schema
    assert articles.field("published").type == pa.date32() and articles.field("summary").type == pa.list_(pa.string())
    assert events.field("date_start").type == pa.date32() and events.field("fatalities_best").type == pa.int64()
    assert events.field("evidence_start").type == pa.int64() and events.field("lat").type == pa.float64()
    assert pa.types.is_struct(fused.field("sources").type.value_type)
    assert parquet["relations"].schema.field("qualifiers").type == pa.list_(pa.string())
    dated = [d for d in parquet["events"].column("date_start").to_pylist() if d is not None]
    assert dated and all(2000 < d.year < 2100 for d in dated)


def test_rows_carry_the_stored_values_and_evidence(demo: tuple[str, SQLStore], parquet: dict[str, pa.Table]) -> None:
    _, store = demo
    bodies = dict(zip(*parquet["articles"].select(["id", "body"]).to_pydict().values(), strict=True))
    for name in ("events", "claims", "relations", "quantities", "flows", "strengths"):
        for row in parquet[name].to_pylist():
            span = bodies[row["article_id"]][row["evidence_start"] : row["evidence_end"]]
            assert span == row["evidence_text"] and row["extractor"], (name, row)
    for row in parquet["mentions"].to_pylist():
        if row["start"] is not None:
            assert bodies[row["article_id"]][row["start"] : row["end"]] == row["text"]
    fused = {r["id"]: r for r in store.query_events(aggregate=True)}
    for row in parquet["fused_events"].to_pylist():
        want = fused[row["id"]]
        assert (row["fatalities_low"], row["fatalities_high"]) == (
            want["fatalities"]["low"],
            want["fatalities"]["high"],
        )
        assert [s["event_id"] for s in row["sources"]] == [s["event_id"] for s in want["sources"]]
        assert [s["fatalities_best"] for s in row["sources"]] == [(s["fatalities"] or {}).get("best")
                                                                  for s in want["sources"]]  # fmt: skip
    events = {r["id"]: r for r in parquet["events"].to_pylist()}
    assert all(e["fused_id"] in fused for e in events.values())  # every event is in its incident
    quantities = parquet["quantities"].to_pylist()
    first = [q for q in quantities if q["article_id"] == quantities[0]["article_id"]]
    assert [q["index"] for q in first] == list(range(len(first)))


def test_a_stored_article_gives_the_rows_its_export_gives(
    demo: tuple[str, SQLStore], parquet: dict[str, pa.Table]
) -> None:
    """article_rows + record_batch (what a batch partition would use) agree with the store export."""
    _, store = demo
    article_id = max(parquet["claims"].column("article_id").to_pylist(), key=str)
    exported = store.extraction(article_id)
    assert exported is not None
    rows = article_rows(exported)
    for name in ("claims", "relations", "quantities", "flows"):
        batch = record_batch(name, rows[name]).to_pylist()
        stored = [r for r in parquet[name].to_pylist() if r["article_id"] == article_id]
        assert batch == stored, name
    [article] = record_batch("articles", rows["articles"]).to_pylist()
    assert article["id"] == article_id and article["story_id"] == store.story_of(article_id)


def test_a_date_filter_exports_the_articles_of_those_dates_and_their_facts(
    demo: tuple[str, SQLStore], tmp_path: Path, parquet: dict[str, pa.Table]
) -> None:
    db, store = demo
    _export(db, "parquet", tmp_path / "since", "--since", SINCE)
    part = {name: pq.read_table(tmp_path / "since" / f"{name}.parquet") for name in TABLES}
    want = {a.id for a in store.articles(since=SINCE)}
    assert 0 < len(want) < parquet["articles"].num_rows
    assert set(part["articles"].column("id").to_pylist()) == want
    for name in ("events", "claims", "relations", "quantities", "flows", "mentions"):
        got = part[name].column("article_id").to_pylist()
        assert set(got) <= want
        assert len(got) == sum(a in want for a in parquet[name].column("article_id").to_pylist()), name
    assert part["actors"].num_rows < parquet["actors"].num_rows
    referred = set(part["mentions"].column("actor_id").to_pylist())
    assert referred <= set(part["actors"].column("id").to_pylist())
    for row in part["fused_events"].to_pylist():
        assert {s["article_id"] for s in row["sources"]} & want
    _export(db, "parquet", tmp_path / "search", "--search", "Bannu")
    found = pq.read_table(tmp_path / "search" / "articles.parquet").column("id").to_pylist()
    assert found and set(found) == {a.id for a in store.articles(search="Bannu")}


def test_tables_are_written_in_batches(demo: tuple[str, SQLStore], tmp_path: Path) -> None:
    _, store = demo
    counts = write_parquet(store, tmp_path / "small", Selection(), batch_rows=40)
    claims = pq.ParquetFile(tmp_path / "small" / "claims.parquet")
    assert claims.metadata.num_rows == counts["claims"] > 80
    assert claims.num_row_groups == -(-counts["claims"] // 40)  # one row group per batch
    assert not list((tmp_path / "small").glob("*.part"))


# -- FollowTheMoney -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ftm(demo: tuple[str, SQLStore], tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path = tmp_path_factory.mktemp("ftm") / "record.ftm.json"
    _export(demo[0], "ftm", path)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_line_is_a_valid_entity_whose_references_resolve(ftm: list[dict[str, Any]]) -> None:
    ids = [e["id"] for e in ftm]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for data, proxy in zip(ftm, read_entities(json.dumps(e) for e in ftm), strict=True):
        assert not proxy.schema.abstract, data
        assert proxy.to_dict()["properties"] == data["properties"], data  # every value survives cleaning
        assert registry.entity.validate(data["id"]), data["id"]
        for prop in proxy.schema.required:
            assert proxy.get(prop), (data["id"], prop)
        assert model.get(data["schema"]).validate(data) is None
        for prop, value in proxy.itervalues():
            if prop.type == registry.entity:
                assert value in known, (data["id"], prop.name, value)


def test_entities_hold_the_record(demo: tuple[str, SQLStore], ftm: list[dict[str, Any]]) -> None:
    _, store = demo
    schemas = Counter(e["schema"] for e in ftm)
    assert schemas["Article"] == _count(store, t.articles)
    assert schemas["Event"] == _count(store, fused_events)  # one per incident, not per report
    with store.reading() as conn:
        types = Counter(conn.execute(select(t.actors.c.type)).scalars())
    assert schemas["Person"] == types["person"]
    assert schemas["Organization"] == sum(types[k] for k in ("armed_group", "political_party", "igo", "media"))
    claims = [e for e in ftm if e["id"].startswith("ts-claim-")]
    assert len(claims) == _count(store, t.claims) and all(e["schema"] == "Note" for e in claims)
    assert schemas["Payment"] >= 1 and schemas["Mention"] >= schemas["Article"]
    by_id = {e["id"]: e for e in ftm}
    ttp = by_id[entity_id("actor", "TTP")]
    assert ttp["schema"] == "Organization" and "Pakistani Taliban" in ttp["properties"]["alias"]
    [sanction] = [e for e in ftm if e["schema"] == "Sanction" and e["properties"]["entity"] == [ttp["id"]]]
    assert sanction["properties"]["unscId"] == ["QDe.132"] and sanction["properties"]["listingDate"]


def test_every_fact_carries_its_evidence(ftm: list[dict[str, Any]]) -> None:
    by_id = {e["id"]: e for e in ftm}
    facts = [e for e in ftm if e["id"].split("-")[1] in ("event", "claim", "relation", "flow", "strength")]
    assert len(facts) > 300
    for e in facts:
        props = e["properties"]
        articles = [by_id[p] for p in props.get("proof", [])]
        assert articles and all(a["schema"] == "Article" for a in articles), e["id"]
        bodies = " ".join(b for a in articles for b in a["properties"]["bodyText"])
        assert props["summary"] and all(s in bodies for s in props["summary"]), e["id"]
        locators = props.get("notes", []) + props.get("description", [])
        assert any(x.startswith("evidence: characters ") for x in locators), e["id"]
    mentioned = {r for e in ftm if e["schema"] == "Mention" for r in e["properties"]["resolved"]}
    linked = {v for e in ftm if e["id"].startswith("ts-affiliation-") for k in ("organization", "object")
              for v in e["properties"].get(k, [])}  # fmt: skip
    actors = [e for e in ftm if e["id"].startswith("ts-actor-")]
    assert actors and all(a["id"] in mentioned | linked for a in actors)


def test_the_same_store_gives_the_same_entities(
    demo: tuple[str, SQLStore], ftm: list[dict[str, Any]], tmp_path: Path
) -> None:
    _, store = demo
    write_ftm(store, tmp_path / "again.json")
    assert [json.loads(x) for x in (tmp_path / "again.json").read_text(encoding="utf-8").splitlines()] == ftm
    assert entity_id("actor", "p:noor-wali-mehsud") == "ts-actor-p--noor-wali-mehsud"
    odd = entity_id("actor", "o:a.b")
    assert odd != entity_id("actor", "o:a-b") and registry.entity.validate(odd) and "." not in odd


def test_a_filtered_ftm_export_still_resolves(demo: tuple[str, SQLStore], ftm: list[dict[str, Any]]) -> None:
    db, _ = demo
    result = CliRunner().invoke(cli, ["export", "--db", db, "--format", "ftm", "-o", "-", "--since", SINCE])
    assert result.exit_code == 0, result.output
    part = [json.loads(line) for line in result.stdout.splitlines()]
    assert 0 < len(part) < len(ftm)
    known = {e["id"] for e in part}
    for proxy in read_entities(json.dumps(e) for e in part):
        for prop, value in proxy.itervalues():
            if prop.type == registry.entity:
                assert value in known, (proxy.id, prop.name, value)
    dates = [d for e in part if e["schema"] == "Article" for d in e["properties"].get("date", [])]
    assert dates and min(dates) >= SINCE


# -- errors ---------------------------------------------------------------------------------------


def test_bad_output_paths_are_named(demo: tuple[str, SQLStore], tmp_path: Path) -> None:
    db, _ = demo
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        ("parquet", a_file, "is a file"),
        ("parquet", tmp_path / "missing" / "out", "does not exist"),
        ("ftm", tmp_path, "is a folder"),
        ("ftm", tmp_path / "missing" / "out.json", "does not exist"),
    ]
    for fmt, output, reason in cases:
        run = _threatscape("export", "--db", db, "--format", fmt, "-o", str(output))
        assert run.returncode == 1, (fmt, output, run.stderr)
        assert run.stderr.startswith(f"error: -o {output}: ") and reason in run.stderr, run.stderr
        assert "Traceback" not in run.stderr
    assert a_file.read_text(encoding="utf-8") == "x"
    bad = _threatscape("export", "--db", db, "--format", "ftm", "-o", str(tmp_path / "x.json"), "--since", "May")
    assert bad.returncode == 1 and "--since" in bad.stderr and not (tmp_path / "x.json").exists()


# -- both databases -------------------------------------------------------------------------------

REPORTS = {
    "raid.txt": "PESHAWAR: Gunmen stormed a police post in Bannu district on Monday, killing four policemen, "
    "officials said. The Tehrik-i-Taliban Pakistan claimed responsibility for the raid.",
    "funds.txt": "The defence minister accused the Afghan Taliban of paying the militants $1 million a year. "
    "A Taliban spokesman denied the accusation.",
}


def test_both_databases_export_the_same_shape(store_url: str, tmp_path: Path) -> None:
    """SQLite and PostgreSQL (streamed through a server-side cursor) export the same record."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in REPORTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", store_url, "--processes", "1"])
    assert result.exit_code == 0, result.output
    with open_store(store_url) as store:
        counts = write_parquet(store, tmp_path / "pq", batch_rows=2)
        for name, table in (("articles", t.articles), ("events", t.events), ("claims", t.claims),
                            ("mentions", t.article_actors), ("fused_events", fused_events)):  # fmt: skip
            assert counts[name] == _count(store, table) == pq.read_table(tmp_path / "pq" / f"{name}.parquet").num_rows
        assert counts["articles"] == 2 and counts["events"] >= 1 and counts["claims"] >= 1
        entities = write_ftm(store, tmp_path / "record.json")
        lines = (tmp_path / "record.json").read_text(encoding="utf-8").splitlines()
    proxies = list(read_entities(lines))
    assert len(proxies) == sum(entities.values()) and entities["Article"] == 2 and entities["Event"] >= 1
    known = {p.id for p in proxies}
    assert all(v in known for p in proxies for prop, v in p.itervalues() if prop.type == registry.entity)


@given(st.lists(st.text(alphabet="abAB09:-._ é", min_size=1, max_size=12), min_size=1, max_size=4))
def test_entity_ids_are_valid_and_never_collide(drawn: list[str]) -> None:
    near = {v for s in drawn for v in (s, s.replace(":", "-"), s.replace("-", ":"), s.replace(":", "--"), s + ".")}
    made = {s: entity_id("actor", s) for s in near}
    assert all(registry.entity.validate(i) and "." not in i for i in made.values())  # a "." is a signature to FtM
    assert len(set(made.values())) == len(made)
