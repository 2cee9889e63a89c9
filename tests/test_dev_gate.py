"""Quality gate: ``threatscape extract`` on the 40 development pages, scored by the shared scorer.

The pages (third-party text, never stored here) and their gold are in ``../shared/dev/``; the
scorer is ``../shared/tools/news_check.py``, run unchanged on a copy of the pages (it writes its
input file beside them) with a stand-in for the project's ``.venv/bin/threatscape`` that runs this
interpreter. The extraction runs once per session.

``tests/dev_gate_baseline.json`` pins what was measured: floors for events F1, tolls and
speakers, a ceiling on invented dates, the pages that must get no event, and the sha256 of the
pages and gold the figures belong to. When the corpus changes the gate fails until the baseline
is re-measured (``python tests/test_dev_gate.py`` prints the figures and the hash). Floors only
rise.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from shared_material import shared_path

REPO = Path(__file__).resolve().parents[1]  # first on the path of the extraction: the code under test
BASELINE = Path(__file__).with_name("dev_gate_baseline.json")
SUMMARY = re.compile(
    r"news check: pages=(?P<pages>\d+) events recall=\S+ \((?P<found>\d+)/(?P<total>\d+)\) "
    r"precision=\S+ \((?P<ok>\d+)/(?P<out>\d+)\) F1=\S+ tolls=(?P<tolls>\d+)/(?P<toll_total>\d+) "
    r"invented_dates=(?P<invented>\d+) speakers=(?P<speakers>\d+)/(?P<speaker_total>\d+)"
)

pytestmark = pytest.mark.shared


@dataclass(frozen=True)
class DevScore:
    pages: int
    found: int  # gold main events matched
    total: int
    ok: int  # system events matching a gold event
    out: int
    tolls: int
    toll_total: int
    invented: int
    speakers: int
    speaker_total: int
    events_by_page: dict[str, int]  # non-aggregate events the system gave each page
    misses: tuple[str, ...]
    money_found: int = 0  # gold amounts of money and fighter counts found as flows and strengths
    money_total: int = 0
    money_misses: tuple[str, ...] = ()

    @property
    def f1(self) -> float:
        recall = self.found / self.total if self.total else 0.0
        precision = self.ok / self.out if self.out else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def line(self) -> str:
        return (
            f"F1={self.f1:.3f} (recall {self.found}/{self.total}, precision {self.ok}/{self.out}) "
            f"tolls={self.tolls}/{self.toll_total} invented_dates={self.invented} "
            f"speakers={self.speakers}/{self.speaker_total} "
            f"money_and_strength={self.money_found}/{self.money_total}"
        )


MONEY_UNITS = {"usd": 1, "million usd": 1e6, "billion usd": 1e9, "afn": 1, "pkr": 1, "eur": 1, "inr": 1}
FIGHTER_UNITS = ("fighters", "troops", "cadres", "recruits", "militants")
NOT_STRENGTH = ("wound", "injur", "kill", "dead", "arrest", "among the")


def money_and_strength(gold: Path, articles: list[dict]) -> tuple[int, int, tuple[str, ...]]:
    """How many of the gold's amounts of money and fighter counts (``numbers[]``) the export
    holds as a flow amount or a strength figure of the same page; the misses."""
    by_page: dict[str, list[dict]] = {}
    for art in articles:
        by_page.setdefault(str(art.get("source_id")), []).append(art)
    found, total, misses = 0, 0, []
    for line in gold.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        for n in record.get("numbers", []):
            unit, what = (n.get("unit") or "").lower(), (n.get("what") or "").lower()
            if unit in MONEY_UNITS:
                want, kind = float(n["value"]) * MONEY_UNITS[unit], "flows"
            elif unit in FIGHTER_UNITS and not any(w in what for w in NOT_STRENGTH):
                want, kind = float(n["value"]), "strengths"
            else:
                continue
            total += 1
            values = [
                float(fact.get("amount") if kind == "flows" else fact.get("value"))
                for art in by_page.get(record["id"], [])
                for fact in art.get(kind, [])
            ]
            if any(abs(v - want) <= want * 1e-6 for v in values):
                found += 1
            else:
                misses.append(f"{record['id']}: {n['value']} {n.get('unit')} ({n.get('what')})")
    return found, total, tuple(misses)


def corpus_sha256(texts: Path, gold: Path) -> str:
    """sha256 over the gold file and every page it names (name, NUL, bytes, NUL; in id order)."""
    ids = sorted(json.loads(line)["id"] for line in gold.read_text("utf-8").splitlines() if line.strip())
    h = hashlib.sha256()
    for path in [gold, *(texts / f"{i}.txt" for i in ids)]:
        h.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"(missing)") + b"\0")
    return h.hexdigest()


def _stand_in_project(root: Path) -> Path:
    """A folder whose ``.venv/bin/threatscape`` runs ``python -m threatscape`` with this interpreter."""
    exe = root / ".venv" / "bin" / "threatscape"
    exe.parent.mkdir(parents=True)
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m threatscape "$@"\n', encoding="utf-8")
    exe.chmod(0o755)
    return root


def measure(texts: Path, gold: Path, checker: Path, work: Path) -> DevScore:
    """Run the scorer on a copy of the pages; the figures it prints, and events per page."""
    pages = work / "texts"
    pages.mkdir(parents=True)
    for path in texts.glob("*.txt"):
        shutil.copy(path, pages / path.name)
    project = _stand_in_project(work / "project")
    export = work / "export.json"
    run = subprocess.run(
        [sys.executable, str(checker), str(pages), str(gold), str(project), "--keep", str(export)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))},
    )
    found = SUMMARY.search(run.stdout)
    assert run.returncode == 0 and found, (
        f"news_check failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    )
    by_page: dict[str, int] = {}
    articles = json.loads(export.read_text("utf-8"))["articles"]
    money = money_and_strength(gold, articles)
    for art in articles:
        n = sum(not e.get("aggregate") for e in art.get("events", []))
        by_page[str(art.get("source_id"))] = by_page.get(str(art.get("source_id")), 0) + n
    counts = {k: int(v) for k, v in found.groupdict().items()}
    misses = tuple(line for line in run.stdout.splitlines() if line.startswith("MISS"))
    return DevScore(
        **counts,
        events_by_page=by_page,
        misses=misses,
        money_found=money[0],
        money_total=money[1],
        money_misses=money[2],
    )


@pytest.fixture(scope="module")
def baseline() -> dict:
    return json.loads(BASELINE.read_text("utf-8"))


@pytest.fixture(scope="module")
def score(baseline: dict, tmp_path_factory: pytest.TempPathFactory) -> DevScore:
    texts, gold = shared_path("dev", "texts"), shared_path("dev", "gold.jsonl")
    checker = shared_path("tools", "news_check.py")
    digest = corpus_sha256(texts, gold)
    assert digest == baseline["corpus_sha256"], (
        f"the dev pages or gold changed (sha256 {digest}, baseline {baseline['corpus_sha256']}): "
        f"re-measure the baseline in {BASELINE.name} (python tests/test_dev_gate.py)"
    )
    result = measure(texts, gold, checker, tmp_path_factory.mktemp("dev-gate"))
    print(result.line())
    return result


def test_every_page_is_scored(score: DevScore, baseline: dict) -> None:
    assert score.pages == baseline["pages"]


def test_events_f1_floor(score: DevScore, baseline: dict) -> None:
    assert score.f1 >= baseline["floors"]["events_f1"], score.line() + "\n" + "\n".join(score.misses)


def test_tolls_floor(score: DevScore, baseline: dict) -> None:
    assert score.tolls / score.toll_total >= baseline["floors"]["tolls"], score.line()


def test_speakers_floor(score: DevScore, baseline: dict) -> None:
    assert score.speakers / score.speaker_total >= baseline["floors"]["speakers"], score.line()


def test_invented_dates_ceiling(score: DevScore, baseline: dict) -> None:
    assert score.invented <= baseline["ceilings"]["invented_dates"], score.line()


def test_money_and_strength_floor(score: DevScore, baseline: dict) -> None:
    """Every amount of money and every fighter count in the gold is a flow or a strength."""
    assert score.money_total > 0
    share = score.money_found / score.money_total
    assert share >= baseline["floors"]["money_and_strength"], score.line() + "\n" + "\n".join(score.money_misses)


def test_no_event_on_the_pages_without_one(score: DevScore, baseline: dict) -> None:
    given = {page: score.events_by_page.get(page, 0) for page in baseline["no_event_pages"]}
    assert given == dict.fromkeys(baseline["no_event_pages"], 0)


if __name__ == "__main__":
    import tempfile

    from shared_material import shared_root

    dev = shared_root() / "dev"
    with tempfile.TemporaryDirectory() as tmp:
        result = measure(dev / "texts", dev / "gold.jsonl", shared_root() / "tools" / "news_check.py", Path(tmp))
    print(result.line())
    print("money and strength misses:", *result.money_misses, sep="\n  ")
    pages = json.loads(BASELINE.read_text("utf-8"))["no_event_pages"]
    print("events on the no-event pages:", {p: result.events_by_page.get(p, 0) for p in pages})
    print("corpus_sha256:", corpus_sha256(dev / "texts", dev / "gold.jsonl"))
