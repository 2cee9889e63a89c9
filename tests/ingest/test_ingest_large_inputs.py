"""A 45 MB page dump: read under the default cap, refused cleanly under a lower one, and the batch
goes on either way.

Structuring and extracting all of it is not a CI job (measured on the 2-core reference machine:
``threatscape ingest --no-extract`` stores its 26,704 articles in 3 min 46 s at 520 MB peak;
extraction runs at ~10 kB of text per CPU second, so about 75 minutes more). Bodies longer than
the parser takes are covered in tests/extract/test_chunks.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from generated_news import page_dump

from threatscape.ingest import iter_documents
from threatscape.model import RawDocument
from threatscape.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SIZE = 45_000_000


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "site-dump.txt"
    path.write_text(page_dump(SIZE), encoding="utf-8")
    return path


def test_a_45_megabyte_dump_is_read_under_the_default_cap(dump: Path) -> None:
    assert Settings().max_bytes > dump.stat().st_size >= SIZE
    [doc] = iter_documents([str(dump)], Settings())
    assert isinstance(doc, RawDocument) and doc.kind == "text" and len(doc.content) >= SIZE


def test_over_a_lower_cap_it_is_refused_by_name_and_the_batch_goes_on(dump: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.txt"
    brief.write_text("Police reopened the main road into Mardan after the flood waters receded.\n", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "threatscape",
            "ingest",
            str(dump),
            str(brief),
            "--no-extract",
            "--db",
            str(tmp_path / "t.db"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env={**os.environ, "THREATSCAPE_MAX_BYTES": "20000000"},
    )
    assert run.returncode == 3, run.stderr  # some inputs failed, the rest was stored
    size = dump.stat().st_size
    assert f"error: {dump}: file is {size} bytes, over the cap of 20000000 bytes" in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("1 new")
