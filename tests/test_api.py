"""The public API: ``threatscape.__all__`` is pinned (changing it is a decision, made here), every
name in it works, and ``import threatscape`` imports nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import threatscape

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
API = [
    "Actor",
    "Article",
    "Claim",
    "ConfigError",
    "DateSpan",
    "Event",
    "Evidence",
    "Extraction",
    "InputError",
    "ParseError",
    "Place",
    "Quantity",
    "Relation",
    "Settings",
    "Store",
    "StoreError",
    "ThreatscapeError",
    "__version__",
    "build_report",
    "export_document",
    "extract_articles",
    "extract_text",
    "ingest_into",
    "load_settings",
    "open_store",
    "reextract",
    "write_report",
]


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_all_is_pinned_and_sorted() -> None:
    assert threatscape.__all__ == API
    assert threatscape.__all__ == sorted(threatscape.__all__)


def test_the_public_names_are_exactly_all() -> None:
    public = _fresh("import threatscape; print(' '.join(n for n in dir(threatscape) if not n.startswith('_')))")
    assert public.split() == [n for n in API if not n.startswith("_")]


def test_every_name_resolves_to_its_home() -> None:
    from threatscape import api, errors, model, store

    for name in API:
        assert getattr(threatscape, name) is not None, name
    assert threatscape.Article is model.Article and threatscape.Store is store.Store
    assert threatscape.ingest_into is api.ingest_into and threatscape.StoreError is errors.StoreError
    assert issubclass(threatscape.StoreError, threatscape.ThreatscapeError)
    try:
        threatscape.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_import_threatscape_loads_nothing_else() -> None:
    loaded = _fresh("import sys, threatscape; print(' '.join(sorted(sys.modules)))").split()
    assert [m for m in loaded if m.startswith("threatscape")] == ["threatscape"]
    assert not {"spacy", "sqlalchemy", "click", "datasketch"} & set(loaded)


def test_extract_text_gives_the_export() -> None:
    body = (
        "PESHAWAR: Militants attacked a police checkpoint in Bannu on Sunday, killing three policemen, "
        "officials said. The Tehreek-e-Taliban Pakistan claimed responsibility for the attack."
    )
    doc = threatscape.extract_text(body, title="Three police killed in Bannu", published="2025-03-09")
    assert doc["version"] == 1 and len(doc["articles"]) == 1
    (article,) = doc["articles"]
    assert article["title"] == "Three police killed in Bannu" and article["published"] == "2025-03-09"
    assert article["events"] and any(a["id"] == "TTP" for a in article["actors"])
    for event in article["events"]:
        ev = event["evidence"]
        assert article["body"][ev["start"] : ev["end"]] == ev["text"]


def test_store_ingest_report_and_write(tmp_path: Path) -> None:
    with threatscape.open_store(str(tmp_path / "api.db")) as store:
        done = threatscape.ingest_into(store, [str(EXAMPLES / "southasiawire_2024-2025_feed.jsonl")])
        assert done.new == 5
        assert threatscape.reextract(store).outdated == 0
        report = threatscape.build_report(store, "2024-01-01", "2025-12-31", country="AF")
    assert report.headline.events > 0
    out = threatscape.write_report(report, tmp_path / "brief.md")
    assert out.read_text(encoding="utf-8").count("## Sources") == 1
