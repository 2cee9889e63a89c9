"""Sanctions lists kept in a database, through the small interface the store offers (``ListStore``).

The store (``threatscape.store.sanctions.SanctionsDB``) keeps plain rows: the entries of every
list version as their ``entry_to_dict`` data, reviewer decisions, the review queue. This module
turns the model of ``entries`` and ``screen`` into those rows and back:

    save_list(db, sanctions_list) -> bool        False when that version is stored already
    stored_entries(db, name, version=None)       the entries of one version (the newest by default)
    stored_screener(db) -> Screener              the newest version of every list, with the decisions
    queue_reviews(db, matches) -> int            the ``review`` matches, queued once each

Neither this package nor the store imports the other; ``ListStore`` and ``Review`` are the shapes
they agree on.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from threatscape.errors import StoreError
from threatscape.resolve.sanctions.entries import Entry, SanctionsList, entry_from_dict, entry_to_dict
from threatscape.resolve.sanctions.screen import Match, Screener, query_key

__all__ = ["ListStore", "Review", "StoredVersion", "queue_reviews", "save_list", "stored_entries", "stored_screener"]

MAX_SCREENERS = 4  # screeners kept, one per database and set of lists and decisions


class StoredVersion(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...


@dataclass(frozen=True)
class Review:
    """A match for a person to decide on, as the review queue keeps it."""

    query: str
    query_norm: str  # ``query_key(query)``: decisions apply to every spelling that folds the same
    list: str
    ref: str
    name: str
    score: float
    explanation: str


class ListStore(Protocol):
    """What a database of sanctions lists offers (``SanctionsDB``)."""

    @property
    def name(self) -> str: ...

    def save_list(self, name: str, version: str, source: str, entries: Sequence[Mapping[str, Any]]) -> bool: ...

    def latest(self) -> Sequence[StoredVersion]: ...

    def entries(self, name: str, version: str | None = None) -> list[dict[str, Any]]: ...

    def decisions(self) -> Mapping[tuple[str, str, str], str]: ...

    def queue(self, items: Iterable[Review]) -> int: ...


def save_list(db: ListStore, sl: SanctionsList) -> bool:
    """Store one version of a list; False when that version is stored already."""
    return db.save_list(sl.name, sl.version, sl.source, [entry_to_dict(e) for e in sl.entries])


def stored_entries(db: ListStore, name: str, version: str | None = None) -> list[Entry]:
    return [entry_from_dict(d) for d in db.entries(name, version)]


_screeners: OrderedDict[tuple[Any, ...], Screener] = OrderedDict()


def stored_screener(db: ListStore) -> Screener:
    """A screener over the newest version of every list in ``db``, with the reviewers' decisions;
    the same one until a list is loaded or a decision recorded."""
    latest = db.latest()
    if not latest:
        raise StoreError("no sanctions list loaded (use `threatscape sanctions load`)", source=db.name)
    decisions = dict(db.decisions())
    key = (db.name, tuple((v.name, v.version) for v in latest), tuple(sorted(decisions.items())))
    if key not in _screeners:
        entries = [e for v in latest for e in stored_entries(db, v.name, v.version)]
        _screeners[key] = Screener(entries, decisions)
        while len(_screeners) > MAX_SCREENERS:
            _screeners.popitem(last=False)
    _screeners.move_to_end(key)
    return _screeners[key]


def queue_reviews(db: ListStore, matches: Iterable[Match]) -> int:
    """Queue the matches whose verdict is ``review`` (once per query, list and reference);
    returns how many were new."""
    items = [
        Review(m.query, query_key(m.query), m.list, m.ref, m.name, m.score, m.explanation)
        for m in matches
        if m.verdict == "review"
    ]
    return db.queue(items) if items else 0
