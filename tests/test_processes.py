"""``--processes N``: ``ingest`` and ``reextract`` extract in worker processes and store exactly
what one process stores (every table compared, ``store_dump``); the setting comes from the flag,
``THREATSCAPE_PROCESSES`` or threatscape.toml, and must be at least 1; a worker that dies stops
the run with an error naming its batch; Ctrl-C stops the run and its workers.

The runs with workers replace ``pipeline.extract_facts`` in this process with one that fails:
they pass only if the extraction really ran in the workers (started fresh by ``spawn``, they
import the real one).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_dump import dump_store

from threatscape import pipeline
from threatscape.cli import cli, main
from threatscape.errors import WorkerError
from threatscape.model import Article, Extraction
from threatscape.settings import load_settings
from threatscape.store import open_store
from threatscape.versions import extractor_versions
from threatscape.workers import ExtractionPool, WorkerSpec

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
OLD = {name: "00000000" for name in extractor_versions()}


def _not_here(*args: object, **kwargs: object) -> None:
    raise AssertionError("extraction ran in the parent process, not in the workers")


def _ingest(args: list[str], monkeypatch: pytest.MonkeyPatch, *, workers: bool) -> tuple[int, str]:
    with monkeypatch.context() as m:
        if workers:
            m.setattr(pipeline, "extract_facts", _not_here)
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus and a JSONL file with one good record and one line that is not JSON."""
    folder = tmp_path_factory.mktemp("procs") / "corpus"
    shutil.copytree(EXAMPLES, folder)
    record = {"id": "gen-1", "title": "Attack in Bannu", "text": _TEXT, "date": "2025-02-02"}
    (folder / "generated.jsonl").write_text(json.dumps(record) + "\n{this line is not JSON\n", encoding="utf-8")
    return folder


_TEXT = (
    "Militants attacked a police post in Bannu late on Saturday, killing three policemen, officials said. "
    "The Tehreek-e-Taliban Pakistan claimed responsibility in a statement to journalists."
)


def test_ingest_with_two_processes_stores_what_one_stores(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    code1, err1 = _ingest(["ingest", str(corpus), "--db", str(one), "--processes", "1"], monkeypatch, workers=False)
    code2, err2 = _ingest(["ingest", str(corpus), "--db", str(two), "--processes", "2"], monkeypatch, workers=True)
    assert code1 == code2 == 3  # the line that is not JSON failed, the rest stored
    assert "generated.jsonl" in err2 and err1.splitlines()[-1] == err2.splitlines()[-1].replace("two.db", "one.db")
    expected = dump_store(one)
    assert len(expected["articles"]) == 20 and expected["events"] and expected["ingest_failures"]
    assert dump_store(two) == expected


def test_reextract_with_two_processes_stores_what_one_stores(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "old.db"
    assert _ingest(["ingest", str(corpus), "--db", str(old), "--processes", "1"], monkeypatch, workers=False)[0] == 3
    with open_store(str(old)) as store:
        for article in store.articles():
            store.save_extraction(Extraction(article), OLD)  # as an older release left them
        pipeline.refresh(store)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    shutil.copy(old, one)
    shutil.copy(old, two)
    code1, err1 = _ingest(["reextract", "--db", str(one), "--processes", "1"], monkeypatch, workers=False)
    code2, err2 = _ingest(["reextract", "--db", str(two), "--processes", "2"], monkeypatch, workers=True)
    assert code1 == code2 == 0 and "20 of 20 articles extracted again" in err2
    assert dump_store(two) == dump_store(one) != dump_store(old)


def test_rules_only_reaches_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = [str(EXAMPLES / "islamabadledger_pakistan_feed.rss")]
    dumps = {}
    for n, flags in enumerate([["--processes", "1"], ["--processes", "2"], ["--processes", "1", "--rules-only"]]):
        db = tmp_path / f"{n}.db"
        args = ["ingest", *inputs, "--db", str(db), "--rules-only", *flags]
        assert _ingest(args, monkeypatch, workers=flags[1] == "2")[0] == 0
        dumps[n] = dump_store(db)
    model = tmp_path / "model.db"
    assert _ingest(["ingest", *inputs, "--db", str(model), "--processes", "1"], monkeypatch, workers=False)[0] == 0
    assert dumps[1] == dumps[0] == dumps[2]
    assert dump_store(model) != dumps[0], "the learned layer changes nothing here: the test proves nothing"


@pytest.mark.parametrize("value", ["0", "-2"])
def test_processes_below_one_is_a_clear_error(value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (
        ["ingest", str(EXAMPLES), "--db", str(tmp_path / "x.db")],
        ["reextract", "--db", str(tmp_path / "x.db")],
    ):
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--processes", value])
        assert exit_.value.code == 1
        assert capsys.readouterr().err.strip() == f"error: setting 'processes' must be at least 1, not {value}"
    assert not (tmp_path / "x.db").exists()


def test_the_setting_comes_from_the_environment_and_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("THREATSCAPE_PROCESSES", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_settings().processes == os.cpu_count()
    (tmp_path / "threatscape.toml").write_text("processes = 5\n", encoding="utf-8")
    assert load_settings().processes == 5
    monkeypatch.setenv("THREATSCAPE_PROCESSES", "3")
    assert load_settings().processes == 3
    assert load_settings(processes=1).processes == 1
    assert pipeline.Resources.from_settings(load_settings()).processes == 3
    monkeypatch.setenv("THREATSCAPE_PROCESSES", "0")
    with pytest.raises(SystemExit):
        main(["reextract", "--db", str(tmp_path / "x.db")])
    assert "setting 'processes' must be at least 1, not 0" in capsys.readouterr().err


def _die(articles: list[Article]) -> list[Extraction]:
    """A worker task that kills its process (as the OOM killer would)."""
    if any(a.id == "b2" for a in articles):
        os._exit(9)
    return [Extraction(a) for a in articles]


def test_a_worker_that_dies_stops_the_run_naming_its_batch() -> None:
    arts = [Article(f"b{n}", f"Title {n}", _TEXT, origin=f"file{n}.txt") for n in range(4)]
    started = time.monotonic()
    with ExtractionPool(2, WorkerSpec(), task=_die) as pool:
        assert [ex.article.id for ex in pool.extract(arts[:2])] == ["b0", "b1"]
        with pytest.raises(
            WorkerError, match=r"stopped while extracting 1 article\(s\) starting with b2 \(file2.txt\)"
        ):
            pool.extract(arts)
    assert time.monotonic() - started < 60


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie left to an init that does not reap is done)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_ctrl_c_stops_the_run_and_its_workers(corpus: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "THREATSCAPE_PROCESSES": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "threatscape", "ingest", str(corpus), "--db", str(tmp_path / "c.db")],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while len(workers) < 3 and time.monotonic() < deadline and proc.poll() is None:  # 2 workers + tracker
            workers |= _children(proc.pid)
            time.sleep(0.2)
        assert len(workers) >= 3, "the run started no workers"
        time.sleep(2)  # loading or extracting
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and "Aborted." in err and "Traceback" not in err, err
    time.sleep(1)
    assert not [p for p in workers if _running(p)], "workers outlived the run"
