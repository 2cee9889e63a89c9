#!/usr/bin/env python3
"""Check training-corpus JSONL files against the writing rules (threatscape/data/training/events/WRITING.md).

Prints every problem as `file:line: reason` and a summary per file. Exit 1 when any problem is found.
Usage: python3 scripts/corpus_check.py FILE.jsonl [FILE.jsonl ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for the corpus's labels
from threatscape.training.corpus import PLOVER_LABELS, SUB_TYPES  # noqa: E402
from threatscape.training.jsonl_check import check_files  # noqa: E402

PLOVER = set(PLOVER_LABELS)
REGISTERS = {"wire", "local", "translated", "military", "ngo", "official", "broadcast", "headline"}
KINDS = set(
    "threat plan warning ultimatum denial condemnation trial sentence anniversary visit statistics disaster "
    "accident crime sport war_words commemoration policy economy humanitarian negated speculation other".split()
)
SPAN_KEYS = {"trigger", "actor1", "actor2", "place", "toll"}
KEYS = {"id", "text", "event", "acled_type", "acled_sub_type", "plover", "country", "register", "spans", "pair", "kind"}


def check_record(rec: object) -> list[str]:
    if not isinstance(rec, dict):
        return ["not a JSON object"]
    problems = []
    missing = KEYS - rec.keys()
    extra = rec.keys() - KEYS
    if missing:
        problems.append(f"missing keys {sorted(missing)}")
    if extra:
        problems.append(f"unknown keys {sorted(extra)}")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return problems + ["text is empty or not a string"]
    words = len(text.split())
    if words < 6 or words > 160:
        problems.append(f"text has {words} words (6-160 allowed)")
    event = rec.get("event")
    if event is True:
        t, s = rec.get("acled_type"), rec.get("acled_sub_type")
        if t not in SUB_TYPES:
            problems.append(f"unknown acled_type {t!r}")
        elif s not in SUB_TYPES[t]:
            problems.append(f"acled_sub_type {s!r} is not a sub-type of {t!r}")
        if rec.get("kind") is not None:
            problems.append("kind must be null for events")
    elif event is False:
        if rec.get("acled_type") is not None or rec.get("acled_sub_type") is not None:
            problems.append("non-event with an ACLED type")
        if rec.get("kind") not in KINDS:
            problems.append(f"non-event kind {rec.get('kind')!r} is not one of the kinds")
    else:
        problems.append("event must be true or false")
    p = rec.get("plover")
    if p is not None and p not in PLOVER:
        problems.append(f"unknown plover {p!r}")
    if rec.get("register") not in REGISTERS:
        problems.append(f"unknown register {rec.get('register')!r}")
    if not isinstance(rec.get("country"), str) or not rec.get("country"):
        problems.append("country missing")
    spans = rec.get("spans") or {}
    if not isinstance(spans, dict):
        problems.append("spans must be an object")
        spans = {}
    for key, value in spans.items():
        if key not in SPAN_KEYS:
            problems.append(f"unknown span key {key!r}")
        elif not isinstance(value, str) or not value:
            problems.append(f"span {key} must be a non-empty string")
        elif value not in text:
            problems.append(f"span {key}={value!r} is not a substring of text")
    return problems


def _labels_of(rec: dict) -> list[str]:
    return [rec.get("acled_sub_type") or f"(non-event: {rec.get('kind')})"]


def main(argv: list[str]) -> int:
    return check_files(argv, check_record, _labels_of, unit="examples", usage=__doc__ or "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
