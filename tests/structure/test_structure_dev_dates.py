"""Quality gate on the development pages: the published date must match gold (null where null).

The page excerpts are never stored in the repository: they are read from ../shared/dev/texts/,
the gold from ../shared/dev/gold.jsonl (see ../shared/dev/README.md). Skipped when absent, failed
under THREATSCAPE_REQUIRE_SHARED=1.
"""

from __future__ import annotations

import json

import pytest
from shared_material import shared_path

from threatscape.model import RawDocument
from threatscape.structure import structure_document

FLOOR = 40  # of 40 pages: the published date (or its absence) must be right (measured 40)

pytestmark = pytest.mark.shared


def test_published_dates_on_dev_pages() -> None:
    texts = shared_path("dev", "texts")
    gold = [json.loads(x) for x in shared_path("dev", "gold.jsonl").read_text("utf-8").splitlines() if x.strip()]
    missing = [g["id"] for g in gold if not (texts / f"{g['id']}.txt").is_file()]
    assert not missing, f"dev pages missing from {texts}: {missing}"
    wrong = []
    for g in gold:
        path = texts / f"{g['id']}.txt"
        raw = RawDocument(origin=str(path), kind="text", content=path.read_text("utf-8"), url=g["url"])
        got = structure_document(raw)[0].published
        if got != g["published"]["iso"]:
            wrong.append(f"{g['id']}: {got} != {g['published']['iso']}")
    assert len(gold) - len(wrong) >= FLOOR, "\n".join(wrong)
