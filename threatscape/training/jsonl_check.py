"""The loop both corpus checkers share (``scripts/corpus_check.py``, ``scripts/stance_check.py``):
read JSONL files, check each record, report every problem as ``file:line: reason`` and a summary
per file; exit status 1 when any problem is found."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["check_files"]

CheckRecord = Callable[[object], list[str]]
LabelsOf = Callable[[dict], Iterable[str]]


def check_file(path: Path, seen_ids: set[str], check_record: CheckRecord, labels_of: LabelsOf) -> tuple[int, Counter]:
    n_problems = 0
    labels: Counter = Counter()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{path}:{lineno}: invalid JSON ({exc.msg})")
            n_problems += 1
            continue
        problems = check_record(rec)
        rid = rec.get("id") if isinstance(rec, dict) else None
        if rid in seen_ids:
            problems.append(f"duplicate id {rid!r}")
        if isinstance(rid, str):
            seen_ids.add(rid)
        for problem in problems:
            print(f"{path}:{lineno}: {problem}")
        n_problems += len(problems)
        if isinstance(rec, dict):
            labels.update(labels_of(rec))
    return n_problems, labels


def check_files(argv: list[str], check_record: CheckRecord, labels_of: LabelsOf, *, unit: str, usage: str) -> int:
    """Check every file of ``argv`` (ids unique across them); ``unit`` names what is counted."""
    if not argv:
        print(usage)
        return 2
    seen: set[str] = set()
    total = 0
    for name in argv:
        n, labels = check_file(Path(name), seen, check_record, labels_of)
        total += n
        print(
            f"{name}: {sum(labels.values())} {unit}, {n} problems; "
            + ", ".join(f"{k} {v}" for k, v in labels.most_common())
        )
    return 1 if total else 0
