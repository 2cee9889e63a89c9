"""``threatscape ingest`` killed with SIGKILL at 20 moments: after each, a re-run leaves the store
exactly as one clean run leaves it (same ids, same values, in every table).

What takes the time in an ingest is starting up: importing spaCy and loading its model and the
gazetteer take several seconds, extracting this corpus a few more. Twenty cold starts killed and
twenty cold re-runs would take minutes, and most kills would land while the process is still
loading, before it writes anything. So the reference is one clean run of the real console script
(a fresh interpreter), and the killed runs and their re-runs are the same CLI entry point
(``threatscape.cli.main``) in processes forked from this one after it has loaded the models: each
is its own process, killed with SIGKILL like any other, but it starts writing at once, and the
20 moments (seeded, one in each twentieth of a clean forked run's duration) all fall while
articles, facts, contested links and fused events are being written.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from forked_cli import kill_after, run, warm_up
from store_dump import dump_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
KILLS = 20
SEED = 9_2026

BATCH = 4  # articles extracted and committed together: commits all through the run

# Our own reports, written for this test: a syndicated copy of an attack report (a near-duplicate
# story), a denial of an accusation in the demo corpus (a contested link across articles), the
# same text twice, and a line that is not JSON (a recorded failure).
ATTACK = (
    "Militants attacked a police post in the Domel area of Bannu district in Khyber Pakhtunkhwa "
    "late on Saturday, killing three policemen and wounding two others, officials said. The "
    "attackers used hand grenades and rifles and escaped into the fields before reinforcements "
    "arrived, district police officer Ziaud Din told reporters on Sunday. The Tehreek-e-Taliban "
    "Pakistan claimed responsibility for the attack in a statement to journalists."
)
RECORDS = [
    {"id": "gen-1", "published": "2025-02-02", "source": "Test Wire", "title": "Bannu attack", "text": ATTACK},
    {
        "id": "gen-2",
        "published": "2025-02-03",
        "source": "Test Times",
        "title": "Three police killed in Bannu attack",
        "text": "BANNU: "
        + ATTACK.replace("late on Saturday", "on Saturday night").replace("told reporters", "said")
        + " Follow us on Twitter.",
    },
    {
        "id": "gen-3",
        "published": "2024-03-19",
        "source": "Test Wire",
        "title": "Kabul rejects Islamabad's charge",
        "text": "Zabihullah Mujahid, the chief spokesman of the Taliban government, on Tuesday denied "
        "sheltering Pakistani militants and rejected Pakistan's accusation, saying Afghan soil is not "
        "used against any country.",
    },
]


# Part of the demo corpus (14 articles; the whole of it makes the test twice as long): an RSS feed
# and a JSONL feed with an accusation and its denial, one wire story on two sites, two reports of
# one attack, border clashes with a denial in the article.
EXAMPLE_FILES = (
    "islamabadledger_pakistan_feed.rss",
    "southasiawire_2024-2025_feed.jsonl",
    "frontierpost_2025-03-11_jaffar-express-wire.txt",
    "gulfcourier_2025-03-11_jaffar-express-wire.html",
    "gulfcourier_2024-12-21_makeen-checkpost.txt",
    "khyberchronicle_2024-12-22_makeen-ispr.html",
    "khyberchronicle_2025-10-12_border-clashes.html",
)


def _corpus(folder: Path) -> list[str]:
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLES / name, corpus / name)
    lines = [json.dumps(r) for r in RECORDS]
    lines.append(json.dumps(RECORDS[2] | {"id": "gen-3-again"}))  # the same text: stored once
    lines.append("{this line is not JSON")
    (corpus / "generated.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(corpus)]


def _articles(db: Path) -> int:
    return len(dump_store(db).get("articles", [])) if db.exists() else 0


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_sigkill_at_20_moments_then_rerun_equals_one_cleanrun(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREATSCAPE_BATCH_SIZE", str(BATCH))
    inputs = _corpus(tmp_path)
    reference = tmp_path / "reference.db"
    clean = subprocess.run(
        [sys.executable, "-m", "threatscape", "ingest", *inputs, "--db", str(reference)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert clean.returncode == 3, clean.stderr  # 3: the line that is not JSON failed, the rest stored
    expected = dump_store(reference)
    assert len(expected["articles"]) == 17 and expected["fused_events"] and expected["ingest_failures"]
    assert any('"contested": 1' in r for r in expected["relations"])
    assert len({json.loads(r)["story_id"] for r in expected["articles"]}) < len(expected["articles"])

    warm_up()
    timed = tmp_path / "timed.db"
    started = time.monotonic()
    assert run(["ingest", *inputs, "--db", str(timed)], tmp_path / "timed.log") == 3
    duration = time.monotonic() - started
    assert dump_store(timed) == expected, "a forked run stores what the console script stores"

    rng = random.Random(SEED)
    moments = [(n + rng.random()) * duration / KILLS for n in range(KILLS)]
    interrupted = 0
    for n, delay in enumerate(moments):
        db, log = tmp_path / f"kill{n}.db", tmp_path / f"kill{n}.log"
        kill_after(["ingest", *inputs, "--db", str(db)], log, delay)
        stored = _articles(db)
        interrupted += stored > 0 and dump_store(db) != expected
        assert run(["ingest", *inputs, "--db", str(db)], log) == 3, log.read_text()
        got = dump_store(db)
        diff = {k: (len(got.get(k, [])), len(v)) for k, v in expected.items() if got.get(k) != v}
        assert got == expected, f"killed after {delay:.2f}s of {duration:.2f}s; tables that differ (got, want): {diff}"
    assert interrupted >= KILLS // 2, f"only {interrupted} kills landed while the store was being written"
