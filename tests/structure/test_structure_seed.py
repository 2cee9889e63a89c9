"""The seed dump: both articles' structure lines must pass ../shared/tools/seed_check.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from shared_material import shared_path

from threatscape.export import export_document
from threatscape.model import Extraction, RawDocument
from threatscape.structure import structure_document

SEED = "seeds/000_ba4cf93637094098"
STRUCTURE_CHECKS = (
    "article found by title",
    "] updated ",
    "] dateline ",
    "summary bullets",
    "caption credited",
    "body starts with",
    "body free of",
)

pytestmark = pytest.mark.shared


def _structure_seed() -> list:
    path = shared_path(f"{SEED}.txt")
    return structure_document(RawDocument(origin=str(path), kind="text", content=path.read_text("utf-8")))


def test_seed_splits_into_two_articles() -> None:
    articles = _structure_seed()
    assert [a.dateline for a in articles] == ["KARACHI", "ISLAMABAD"]
    assert [a.updated for a in articles] == ["2025-02-15", "2025-12-07"]
    assert [len(a.summary) for a in articles] == [2, 2]
    assert articles[0].captions[0].credit == "AFP/File"
    assert "December 12, 2024" in articles[0].captions[0].text
    assert articles[0].id != articles[1].id


def test_seed_check_structure_lines_all_ok(tmp_path: Path) -> None:
    articles = _structure_seed()
    out = tmp_path / "out.json"
    out.write_text(json.dumps(export_document([Extraction(article=a) for a in articles])), "utf-8")
    tool = shared_path("tools", "seed_check.py")
    gold = shared_path(f"{SEED}.gold.json")
    run = subprocess.run(
        [sys.executable, str(tool), str(out), str(gold), "--min", "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [x for x in run.stdout.splitlines() if any(c in x for c in STRUCTURE_CHECKS)]
    assert len(lines) == 17, run.stdout  # 2 x (title, updated, dateline, bullets, start, 3 free) + 1 caption
    missed = [x for x in lines if not x.startswith("ok")]
    assert not missed, "\n".join(missed)
