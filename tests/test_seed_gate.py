"""Quality gate: every fact a reader finds in the seed articles, scored by the shared checker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from shared_material import shared_path

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.shared


def test_seed_export_finds_every_gold_fact(tmp_path: Path) -> None:
    seed = shared_path("seeds", "000_ba4cf93637094098.txt")
    gold = shared_path("seeds", "000_ba4cf93637094098.gold.json")
    checker = shared_path("tools", "seed_check.py")
    export = subprocess.run(
        [sys.executable, "-m", "threatscape", "extract", str(seed), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert export.returncode == 0, export.stderr
    out = tmp_path / "seed.json"
    out.write_text(export.stdout, encoding="utf-8")
    assert json.loads(export.stdout)["version"] == 1
    score = subprocess.run([sys.executable, str(checker), str(out), str(gold)], capture_output=True, text=True)
    misses = [line for line in score.stdout.splitlines() if line.startswith("MISS")]
    assert not misses, "\n".join(misses)
    assert score.stdout.strip().splitlines()[-1].startswith("seed facts: 64/64"), score.stdout[-300:]
