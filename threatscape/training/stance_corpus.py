"""The stance corpus (``threatscape/data/training/stance/``): reports we wrote, each with its
attributed statements labelled with speaker, cue, stance, target and direct/reported speech.

Splits follow the events corpus: every file under ``test/`` (its own writer, countries no training
writer used, frozen before the first training run) is ``test``; records under ``train/`` go to
``valid`` when their group (``pair``, else ``id``) hashes into the first 12% (``corpus.split_of``),
else ``train``. One item per statement: its text is what the stance head reads.
``python -m threatscape.training.stance_corpus`` prints the counts and the hashes.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError
from threatscape.training.corpus import folders_sha256, jsonl_files, split_of

__all__ = ["STANCES", "Statement", "iter_records", "load_statements", "stance_corpus_dir", "stance_sha256"]

STANCES = ("assert", "accuse", "deny", "demand", "criticize", "warn", "threaten", "claim_responsibility")
SPLITS = ("train", "valid", "test")


@dataclass(frozen=True)
class Statement:
    id: str  # record id + "/" + index of the statement
    text: str  # the statement's sentence or clause, as the head reads it
    stance: str
    speaker: str | None
    speaker_name: str | None
    speaker_kind: str
    cue: str
    direct: bool
    country: str
    register: str
    hard: str | None
    pair: str | None


def stance_corpus_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "training" / "stance"


def _statements(where: str, rec: dict[str, Any]) -> list[Statement]:
    try:
        out = []
        for n, st in enumerate(rec["statements"]):
            if st["stance"] not in STANCES:
                raise ConfigError(f"{where}: unknown stance {st['stance']!r}")
            if st["text"] not in rec["text"]:
                raise ConfigError(f"{where}: statement {n} is not part of the text")
            out.append(
                Statement(
                    id=f"{rec['id']}/{n}",
                    text=str(st["text"]),
                    stance=str(st["stance"]),
                    speaker=st.get("speaker"),
                    speaker_name=st.get("speaker_name"),
                    speaker_kind=str(st.get("speaker_kind") or "other"),
                    cue=str(st.get("cue") or ""),
                    direct=bool(st.get("direct")),
                    country=str(rec["country"]),
                    register=str(rec["register"]),
                    hard=rec.get("hard"),
                    pair=rec.get("pair"),
                )
            )
        return out
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{where}: not a stance record ({type(exc).__name__}: {exc})") from exc


def iter_records(root: Path | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(split, "file:line", record) for every report of the corpus, file by file in name order."""
    root = root or stance_corpus_dir()
    for folder in ("train", "test"):
        for path in jsonl_files(root, folder):
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                where = f"{path.name}:{lineno}"
                try:
                    rec = json.loads(line)
                    split = "test" if folder == "test" else split_of(str(rec["id"]), rec.get("pair"))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise ConfigError(f"{where}: not a stance record ({type(exc).__name__}: {exc})") from exc
                yield split, where, rec


def iter_statements(root: Path | None = None) -> Iterator[tuple[str, Statement]]:
    for split, where, rec in iter_records(root):
        for st in _statements(where, rec):
            yield split, st


def load_statements(split: str, root: Path | None = None) -> list[Statement]:
    if split not in SPLITS:
        raise ConfigError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
    return [st for s, st in iter_statements(root) if s == split]


def stance_sha256(root: Path | None = None, folders: tuple[str, ...] = ("train", "test")) -> str:
    return folders_sha256(root or stance_corpus_dir(), folders)


def describe(root: Path | None = None) -> str:
    rows = list(iter_statements(root))
    lines = [f"statements {len(rows)}: " + ", ".join(f"{s} {sum(1 for x, _ in rows if x == s)}" for s in SPLITS)]
    for stance in STANCES:
        counts = Counter(s for s, st in rows if st.stance == stance)
        lines.append(f"  {stance:22s} " + " ".join(f"{s} {counts[s]:4d}" for s in SPLITS))
    hard = Counter(st.hard for _, st in rows if st.hard)
    lines.append(f"hard cases: {dict(hard.most_common())}")
    countries = {s: len({st.country for x, st in rows if x == s}) for s in SPLITS}
    overlap = {st.country for s, st in rows if s == "test"} & {st.country for s, st in rows if s != "test"}
    lines.append(f"countries: {countries} (test countries also in train/valid: {sorted(overlap) or 'none'})")
    lines.append(f"sha256 all {stance_sha256(root)}")
    lines.append(f"sha256 test {stance_sha256(root, ('test',))}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(describe(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
