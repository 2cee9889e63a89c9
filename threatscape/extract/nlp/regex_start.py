"""A cheap first test for big alternation patterns: which characters can a match start with?

Python's regex engine tries a pattern at every position of the text. A pattern that opens with
an optional group or a long alternation ("(?:Monday|Tuesday|...)?(?:January|...)") costs dozens
of failed comparisons per position, though almost no position can start a match. ``with_start_guard``
prefixes the pattern with a lookahead for the characters a match can begin with, computed from
the parsed pattern (``re._parser``), so most positions fail at once. The lookahead only removes
positions where the pattern could not match: results are unchanged. When the start set cannot be
worked out (a pattern that may match the empty string, a leading ``.`` or negated class, anything
unusual), the pattern is returned as it is.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["with_start_guard"]

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


class _Unknown(Exception):
    """The start set cannot be worked out."""


class _Start:
    """Character-class pieces a match can start with, case-sensitive and case-insensitive."""

    def __init__(self) -> None:
        self.exact: list[str] = []
        self.folded: list[str] = []

    def add(self, piece: str, ignore_case: bool) -> None:
        pieces = self.folded if ignore_case else self.exact
        if piece not in pieces:
            pieces.append(piece)


def with_start_guard(pattern: str, flags: int = 0) -> str:
    """``pattern`` with a leading ``(?=[...])`` of its possible first characters, or unchanged."""
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(pattern, flags)
        start = _Start()
        if _sequence(list(parsed), bool(parsed.state.flags & re.IGNORECASE), start):
            return pattern  # may match the empty string
    except (_Unknown, re.error, AttributeError, TypeError, ValueError):
        return pattern
    parts = []
    if start.exact:
        parts.append(f"[{''.join(start.exact)}]")
    if start.folded:
        parts.append(f"(?i:[{''.join(start.folded)}])")
    guarded = f"(?={'|'.join(parts)}){pattern}"
    try:
        re.compile(guarded, flags)
    except re.error:
        return pattern
    return guarded


def _sequence(items: list[tuple[Any, Any]], ignore: bool, start: _Start) -> bool:
    """Add the start pieces of a sequence; True if the whole sequence may match empty."""
    return all(_item(str(op), av, ignore, start) for op, av in items)


def _item(op: str, av: Any, ignore: bool, start: _Start) -> bool:
    """Add one item's start pieces; True if it may match empty (so the next item may start)."""
    if op == "LITERAL":
        start.add(re.escape(chr(av)), ignore)
        return False
    if op == "IN":
        for kind, value in av:
            kind = str(kind)
            if kind == "LITERAL":
                start.add(re.escape(chr(value)), ignore)
            elif kind == "RANGE":
                start.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}", ignore)
            elif kind == "CATEGORY" and str(value) in _CATEGORIES:
                start.add(_CATEGORIES[str(value)], ignore)
            else:
                raise _Unknown(kind)
        return False
    if op in ("AT", "ASSERT", "ASSERT_NOT"):
        return True  # zero-width: the next item starts the match
    if op == "SUBPATTERN":
        _group, add_flags, del_flags, sub = av
        inner = (ignore or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _sequence(list(sub), inner, start)
    if op == "ATOMIC_GROUP":
        return _sequence(list(av), ignore, start)
    if op == "BRANCH":
        return any([_sequence(list(alt), ignore, start) for alt in av[1]])
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, sub = av
        return _sequence(list(sub), ignore, start) or low == 0
    raise _Unknown(op)
