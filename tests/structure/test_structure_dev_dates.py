"""Quality gate on the development pages: the published date must match gold (null where null).

The page excerpts are never stored in the repository. They are read from the folder named by
``THREATSCAPE_DEVTEXTS`` (default: the sibling folder ``devtexts``), saved there as described in
../shared/dev/README.md; the gold is ../shared/dev/gold.jsonl. Skipped when either is absent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from threatscape.model import RawDocument
from threatscape.structure import structure_document

REPO = Path(__file__).resolve().parents[2]
FLOOR = 38  # of 40 pages: the published date (or its absence) must be right

pytestmark = pytest.mark.shared


def test_published_dates_on_dev_pages(shared: Path) -> None:
    texts = Path(os.environ.get("THREATSCAPE_DEVTEXTS", REPO / ".." / "devtexts"))
    gold_path = shared / "dev" / "gold.jsonl"
    if not gold_path.is_file() or not texts.is_dir():
        pytest.skip(f"dev pages not found ({texts}) or gold missing ({gold_path})")
    gold = [json.loads(x) for x in gold_path.read_text("utf-8").splitlines() if x.strip()]
    pages = [(g, texts / f"{g['id']}.txt") for g in gold if (texts / f"{g['id']}.txt").is_file()]
    if len(pages) < len(gold):
        pytest.skip(f"only {len(pages)} of {len(gold)} dev pages saved in {texts}")
    wrong = []
    for g, path in pages:
        raw = RawDocument(origin=str(path), kind="text", content=path.read_text("utf-8"), url=g["url"])
        got = structure_document(raw)[0].published
        if got != g["published"]["iso"]:
            wrong.append(f"{g['id']}: {got} != {g['published']['iso']}")
    assert len(pages) - len(wrong) >= FLOOR, "\n".join(wrong)
