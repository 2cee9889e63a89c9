#!/usr/bin/env python3
"""Check stance-corpus JSONL files against the writing rules (threatscape/data/training/stance/WRITING.md).

Prints every problem as `file:line: reason` and a summary per file. Exit 1 when any problem is found.
Usage: python3 scripts/stance_check.py FILE.jsonl [FILE.jsonl ...]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

STANCES = ("assert", "accuse", "deny", "demand", "criticize", "warn", "threaten", "claim_responsibility")
REGISTERS = {"wire", "local", "translated", "military", "ngo", "official", "broadcast", "headline"}
KINDS = {
    "person",
    "government",
    "military",
    "police",
    "armed_group",
    "party",
    "un",
    "ngo",
    "media",
    "unnamed_official",
    "witness",
    "other",
}
HARD = {
    "denial_of_accusation",
    "demand_question",
    "accusation_in_denial",
    "conditional_threat",
    "reported_vs_direct",
    "claim_vs_accusation",
    "warning_vs_threat",
    "criticism_vs_accusation",
    "assert_with_war_words",
    "pronoun_speaker",
    "nested_source",
}
KEYS = {"id", "text", "country", "register", "statements", "hard", "pair"}
STATEMENT_KEYS = {"text", "speaker", "speaker_name", "speaker_kind", "cue", "stance", "target", "direct"}


def check_statement(st: object, text: str) -> list[str]:
    if not isinstance(st, dict):
        return ["statement is not an object"]
    problems = []
    if st.keys() != STATEMENT_KEYS:
        problems.append(
            f"statement keys differ: missing {sorted(STATEMENT_KEYS - st.keys())}, "
            f"unknown {sorted(st.keys() - STATEMENT_KEYS)}"
        )
    body = st.get("text")
    if not isinstance(body, str) or not body or body not in text:
        return problems + [f"statement text {str(body)[:40]!r} is not a substring of text"]
    if st.get("stance") not in STANCES:
        problems.append(f"unknown stance {st.get('stance')!r}")
    if st.get("speaker_kind") not in KINDS:
        problems.append(f"unknown speaker_kind {st.get('speaker_kind')!r}")
    if not isinstance(st.get("direct"), bool):
        problems.append("direct must be true or false")
    for key in ("speaker", "cue"):
        value = st.get(key)
        if value is not None and (not isinstance(value, str) or value not in body):
            problems.append(f"{key}={value!r} is not a substring of the statement text")
    if st.get("cue") is None:
        problems.append("cue missing")
    for key in ("speaker_name", "target"):
        value = st.get(key)
        if value is not None and (not isinstance(value, str) or value not in text):
            problems.append(f"{key}={value!r} is not a substring of text")
    return problems


def check_record(rec: object) -> list[str]:
    if not isinstance(rec, dict):
        return ["not a JSON object"]
    problems = []
    if missing := KEYS - rec.keys():
        problems.append(f"missing keys {sorted(missing)}")
    if extra := rec.keys() - KEYS:
        problems.append(f"unknown keys {sorted(extra)}")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return problems + ["text is empty or not a string"]
    words = len(text.split())
    if words < 5 or words > 170:
        problems.append(f"text has {words} words (5-170 allowed)")
    if rec.get("register") not in REGISTERS:
        problems.append(f"unknown register {rec.get('register')!r}")
    if not isinstance(rec.get("country"), str) or not rec.get("country"):
        problems.append("country missing")
    if rec.get("hard") is not None and rec.get("hard") not in HARD:
        problems.append(f"unknown hard case {rec.get('hard')!r}")
    statements = rec.get("statements")
    if not isinstance(statements, list) or not statements:
        return problems + ["statements must be a non-empty list"]
    for n, st in enumerate(statements):
        problems += [f"statement {n}: {p}" for p in check_statement(st, text)]
    return problems


def check_file(path: Path, seen_ids: set[str]) -> tuple[int, Counter]:
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
        if isinstance(rec, dict) and isinstance(rec.get("statements"), list):
            labels.update(st.get("stance") for st in rec["statements"] if isinstance(st, dict))
    return n_problems, labels


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    seen: set[str] = set()
    total = 0
    for name in argv:
        n, labels = check_file(Path(name), seen)
        total += n
        print(
            f"{name}: {sum(labels.values())} statements, {n} problems; "
            + ", ".join(f"{k} {v}" for k, v in labels.most_common())
        )
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
