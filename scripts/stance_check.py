#!/usr/bin/env python3
"""Check stance-corpus JSONL files against the writing rules (threatscape/data/training/stance/WRITING.md).

Prints every problem as `file:line: reason` and a summary per file. Exit 1 when any problem is found.
Usage: python3 scripts/stance_check.py FILE.jsonl [FILE.jsonl ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for the corpus's labels
from threatscape.training.jsonl_check import check_files  # noqa: E402
from threatscape.training.stance_corpus import STANCES  # noqa: E402

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


def _labels_of(rec: dict) -> list[str]:
    statements = rec.get("statements")
    return [st.get("stance") for st in statements if isinstance(st, dict)] if isinstance(statements, list) else []


def main(argv: list[str]) -> int:
    return check_files(argv, check_record, _labels_of, unit="statements", usage=__doc__ or "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
