"""What the commands print: tables and machine formats on stdout, progress on a terminal's stderr.

``emit`` writes rows as a table (rich), JSON, JSON lines or CSV; ``spinner`` and ``progress_bar``
return ``None`` when stderr is not a terminal, so the commands stay quiet in pipes.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from threatscape.safe_text import display_text

__all__ = ["ProgressBar", "emit", "progress_bar", "spinner"]


def spinner(enabled: bool) -> Any:
    """A rich spinner with a description and the time elapsed, or ``None`` when not ``enabled``."""
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


class ProgressBar:
    """A rich progress bar on stderr, started on the first update (``done`` of ``total``)."""

    def __init__(self, description: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._description = description
        self._task: Any = None

    def update(self, done: int, total: int, *, note: str | None = None) -> None:
        """``done`` of ``total``; ``note`` (rate, failures) follows the description."""
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task(self._description, total=total)
        description = f"{self._description} ({note})" if note else self._description
        self._progress.update(self._task, completed=done, total=total, description=description)

    def stop(self) -> None:
        self._progress.stop()


def progress_bar(enabled: bool, description: str) -> ProgressBar | None:
    return ProgressBar(description) if enabled else None


def emit(rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str]) -> None:
    rows = list(rows)
    out = sys.stdout
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        # Text, not a markup string: "[link=javascript:...]" in a title stays text, never a hyperlink
        table = Table(*columns, show_lines=False)
        for r in rows:
            table.add_row(*(Text(display_text("" if r.get(c) is None else str(r.get(c)))) for c in columns))
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        console.print(table)
        click.echo(f"{len(rows)} rows", err=True)
