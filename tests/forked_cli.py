"""The ``threatscape`` entry point run in processes forked from a warm test process.

Starting the console script afresh costs seconds (spaCy, its model, the gazetteer); a test that
kills runs at many moments forks them from a process that has loaded all that once instead. Each
run is its own process running ``threatscape.cli.main`` (killed with SIGKILL like any other), its
output appended to a log file.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path

__all__ = ["kill_after", "kill_when", "run", "start", "warm_up"]

WARM_TEXT = (
    "Militants attacked a police post in Bannu late on Saturday, killing three policemen, officials said. "
    "The Tehreek-e-Taliban Pakistan claimed responsibility in a statement to journalists."
)


def warm_up() -> None:
    """Load what a run loads once per process (the spaCy model, the gazetteer, the lexicons, the
    extractor versions, datasketch) so forked runs start where a warm process would."""
    import threatscape.cli  # noqa: F401
    import threatscape.resolve.duplicates  # noqa: F401 - datasketch imports scipy: a second
    from threatscape.model import Article
    from threatscape.pipeline import Resources, extract_articles
    from threatscape.versions import extractor_versions

    extractor_versions()
    list(extract_articles([Article("warm", "Warm", WARM_TEXT, published="2025-02-02")], Resources()))


def _main(argv: list[str], log: str, tty: int | None) -> None:
    # Extraction in this process: worker pools started from a fork of the warm test process
    # (which has run pools of its own) were seen to hang; the console script is not forked.
    os.environ["THREATSCAPE_PROCESSES"] = "1"
    out = open(log, "a", encoding="utf-8")  # noqa: SIM115 - the process ends with the run
    os.dup2(out.fileno(), 1)
    sys.stdout = out
    if tty is None:
        os.dup2(out.fileno(), 2)
        sys.stderr = out
    else:
        os.dup2(tty, 2)
        sys.stderr = open(tty, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    from threatscape.cli import main

    main(argv)


def start(argv: list[str], log: Path, *, tty: int | None = None) -> BaseProcess:
    """Fork a run of ``threatscape ARGV``; ``tty``: a terminal file descriptor for its stderr."""
    proc = multiprocessing.get_context("fork").Process(target=_main, args=(argv, str(log), tty))
    proc.start()
    return proc


def run(argv: list[str], log: Path, *, tty: int | None = None) -> int:
    """A forked run to the end; its exit code."""
    proc = start(argv, log, tty=tty)
    proc.join(300)
    assert proc.exitcode is not None, f"threatscape {' '.join(argv)} did not finish"
    return proc.exitcode


def kill_after(argv: list[str], log: Path, delay: float) -> None:
    """A forked run killed with SIGKILL after ``delay`` seconds (if still running)."""
    proc = start(argv, log)
    time.sleep(delay)
    if proc.pid is not None and proc.exitcode is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.join(60)


def kill_when(
    argv: list[str], log: Path, ready: Callable[[], bool], *, timeout: float = 300, every: float = 0.005
) -> bool:
    """A forked run killed with SIGKILL as soon as ``ready()`` holds (polled every ``every``
    seconds); False if the run ended first (or ``timeout`` passed) without it holding."""
    proc = start(argv, log)
    deadline = time.monotonic() + timeout
    killed = False
    while proc.exitcode is None and time.monotonic() < deadline:
        if ready():
            if proc.pid is not None and proc.exitcode is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
            break
        time.sleep(every)
    proc.join(60)
    return killed
