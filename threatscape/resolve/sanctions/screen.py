"""Screening: an index over listed names, best candidates per query, reviewer decisions applied.

``Screener(entries)`` indexes every listed name and alias by the phonetic keys of its words
(blocking) and by acronym; ``screen(query)`` compares the query only with names sharing enough
keys, keeps the best name per listing and returns ``Match``es, best first. Reviewer decisions
(``accept``/``reject``, keyed by the query's normalised form, list and reference) override the
verdict. ``screen_actors`` fills ``Actor.sanctions`` for the export; ``load_screener`` builds a
cached screener from a list file (``stored`` does it for the lists loaded into a database).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from threatscape.errors import InputError
from threatscape.model import Actor, Sanction
from threatscape.resolve.sanctions.entries import Alias, Entry
from threatscape.resolve.sanctions.match import (
    NameScore,
    Query,
    compare_acronym,
    compare_names,
    score_candidate,
    verdict,
)
from threatscape.resolve.sanctions.normalise import NameForm, fold, is_acronym, name_form, split_acronym

__all__ = ["Match", "Screener", "load_screener", "query_key", "screen_actors"]

Decisions = Mapping[tuple[str, str, str], str]  # (query_norm, list, ref) -> accept | reject
PERSON_TYPES = {"person"}
MAX_RESULTS = 5
MAX_COMPARE = 400  # candidate names compared per query, most shared keys first
COMMON_KEY = 40  # a phonetic key on more names than this (Muhammad, Abdul) does not select alone
CONTEXT_REACH = 0.30  # context is weighed for candidates this close to the best name score ...
CONTEXT_SPARE = 5  # ... at most this many beyond the requested number


@dataclass(frozen=True)
class Match:
    query: str
    verdict: str  # match | review | no_match
    score: float
    list: str
    ref: str
    name: str  # the listed name
    explanation: str
    type: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "verdict": self.verdict,
            "score": self.score,
            "list": self.list,
            "ref": self.ref,
            "name": self.name,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class _Name:
    entry: int
    alias: Alias
    form: NameForm


def query_key(name: str) -> str:
    """The form reviewer decisions are stored under."""
    return " ".join(name_form(name, False).tokens) or fold(name).strip()


def _names(entry: Entry) -> list[Alias]:
    """The names an entry is indexed under; acronyms ("... (TTP)", "ISIS-K") become acronym aliases."""
    out: list[Alias] = []
    for alias in (Alias(entry.name, "primary"), *entry.aliases):
        if alias.quality != "acronym" and is_acronym(alias.name):
            out.append(Alias(alias.name, "acronym"))
            continue
        name, acronym = split_acronym(alias.name) if entry.type not in PERSON_TYPES else (alias.name, None)
        out.append(Alias(name, alias.quality))
        if acronym:
            out.append(Alias(acronym, "acronym"))
    return out


class Screener:
    """Screens names against a fixed set of listed entries."""

    def __init__(self, entries: Sequence[Entry], decisions: Decisions | None = None) -> None:
        self.entries = tuple(entries)
        self.decisions: dict[tuple[str, str, str], str] = dict(decisions or {})
        self._names: list[_Name] = []
        self._postings: dict[str, list[int]] = {}
        self._acronyms: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            for alias in _names(entry):
                self._add(i, alias, entry.type in PERSON_TYPES)
        self._weights = self._org_weights()

    def _add(self, entry: int, alias: Alias, person: bool) -> None:
        form = name_form(alias.name, person)
        if not form.tokens:
            return
        idx = len(self._names)
        self._names.append(_Name(entry, alias, form))
        if alias.quality == "acronym":
            self._acronyms.setdefault(form.compact, []).append(idx)
            return
        for key in set(form.keys):
            self._postings.setdefault(key, []).append(idx)

    def _org_weights(self) -> dict[str, float]:
        docs = [
            set(n.form.tokens)
            for n in self._names
            if self.entries[n.entry].type not in PERSON_TYPES and n.alias.quality != "acronym"
        ]
        df = Counter(t for d in docs for t in d)
        total = len(docs) + 1
        return {t: 1.0 + math.log(total / (c + 1)) for t, c in df.items()} | {"": 1.0 + math.log(total)}

    def _candidates(self, q: NameForm) -> list[int]:
        """Names sharing two phonetic keys with the query, or one key that few names have."""
        counts: Counter[int] = Counter()
        seeds: set[int] = set()
        for key in set(q.keys):
            posting = self._postings.get(key, ())
            counts.update(posting)
            if len(posting) <= COMMON_KEY:
                seeds.update(posting)
        need = 1 if len(set(q.keys)) <= 2 else 2
        single = len(q.tokens) == 1  # one word meets one-word names even under a common key
        found = [
            i
            for i, n in counts.items()
            if n >= need and (n >= 2 or i in seeds or (single and len(self._names[i].form.tokens) == 1))
        ]
        if len(found) > MAX_COMPARE:
            found = sorted(found, key=lambda i: -counts[i])[:MAX_COMPARE]
        return found

    def _score(self, query: Query, idx: int, score: NameScore, q: NameForm) -> Match:
        name = self._names[idx]
        entry = self.entries[name.entry]
        total, explanation = score_candidate(query, q, name.form, entry, score, name.alias)
        return Match(
            query=query.name,
            verdict=verdict(total),
            score=total,
            list=entry.list,
            ref=entry.ref,
            name=entry.name,
            explanation=explanation,
            type=entry.type,
        )

    def _compare(self, query: Query, limit: int) -> list[Match]:
        if is_acronym(query.name):
            compact = "".join(ch for ch in fold(query.name) if ch.isalnum())
            q = name_form(query.name, False)
            out = []
            for idx in self._acronyms.get(compact, ()):
                found = compare_acronym(query.name, self._names[idx].alias, compact)
                if found is not None and self._wanted(query, self._names[idx]):
                    out.append(self._score(query, idx, found, q))
            return out
        by_entry: dict[int, list[tuple[NameScore, int, NameForm]]] = {}  # every scored name of an entry
        for person in (True, False):
            q = name_form(query.name, person)
            for idx in self._candidates(q):
                name = self._names[idx]
                if (self.entries[name.entry].type in PERSON_TYPES) != person or not self._wanted(query, name):
                    continue
                found = compare_names(q, name.form, person, self._weights)
                if found.score > 0:
                    by_entry.setdefault(name.entry, []).append((found, idx, q))
        ranked = sorted(by_entry.values(), key=lambda names: -max(n[0].score for n in names))
        floor = max(n[0].score for n in ranked[0]) - CONTEXT_REACH if ranked else 0.0
        out = []
        for names in ranked[: limit + CONTEXT_SPARE]:  # context may favour another name of the entry
            scored = [self._score(query, idx, found, q) for found, idx, q in names if found.score >= floor]
            out += scored
        return out

    def _wanted(self, query: Query, name: _Name) -> bool:
        return query.type is None or self.entries[name.entry].type == query.type

    def screen(self, query: Query, limit: int = MAX_RESULTS) -> list[Match]:
        """Candidates for ``query``, one per listing, best first (``no_match`` ones included)."""
        best: dict[tuple[str, str], Match] = {}
        for m in self._compare(query, limit):
            key = (m.list, m.ref)
            if key not in best or m.score > best[key].score:
                best[key] = m
        ranked = sorted((self._decide(m) for m in best.values()), key=lambda m: (-_rank(m), -m.score, m.ref))
        return ranked[:limit]

    def _decide(self, m: Match) -> Match:
        decision = self.decisions.get((query_key(m.query), m.list, m.ref))
        if decision == "accept":
            return replace(m, verdict="match", explanation=m.explanation + "; accepted by a reviewer")
        if decision == "reject":
            return replace(m, verdict="no_match", explanation=m.explanation + "; rejected by a reviewer")
        return m

    def best(self, query: Query) -> Match | None:
        found = self.screen(query, limit=1)
        return found[0] if found else None


def _rank(m: Match) -> int:
    return {"match": 2, "review": 1}.get(m.verdict, 0)


_ACTOR_TYPES = {
    "person": "person",
    "armed_group": "organization",
    "political_party": "organization",
    "igo": "organization",
    "media": "organization",
    "other": None,
}


def screen_actors(actors: Sequence[Actor], screener: Screener, reviews: list[Match] | None = None) -> list[Actor]:
    """The actors with ``sanctions`` filled: verdict ``match`` (accepted reviews included), per listing.

    Matches needing review are appended to ``reviews`` when given (``stored.queue_reviews`` queues them).
    """
    names = {a.id: a.name for a in actors}
    out = []
    for actor in actors:
        kind = _ACTOR_TYPES.get(actor.type, "skip")
        if kind == "skip":  # states, governments, militaries, civilians are not screened
            out.append(actor)
            continue
        affiliation = names.get(actor.affiliation) if actor.affiliation else None
        refs: tuple[str, ...] = ()
        if affiliation:
            top = screener.best(Query(affiliation, type="organization"))
            refs = (top.ref,) if top and top.verdict == "match" else ()
        found: dict[tuple[str, str], Sanction] = {}
        for name in dict.fromkeys((actor.name, *actor.aliases)):
            query = Query(name, type=kind, country=actor.country, affiliation=affiliation, affiliation_refs=refs)
            for m in screener.screen(query):
                key = (m.list, m.ref)
                if m.verdict == "review" and reviews is not None:
                    reviews.append(m)
                if m.verdict == "match" and (key not in found or m.score > found[key].score):
                    found[key] = Sanction(list=m.list, ref=m.ref, name=m.name, score=m.score)
        sanctions = tuple(sorted(found.values(), key=lambda s: -s.score))
        out.append(replace(actor, sanctions=sanctions) if sanctions else actor)
    return out


@lru_cache(maxsize=8)
def _screener_for_file(path: str, mtime: float) -> Screener:
    from threatscape.resolve.sanctions.lists import read_list_file

    return Screener(read_list_file(path).entries)


def load_screener(source: str | Path) -> Screener:
    """A cached screener over a list file, re-read when the file changes.

    (The lists loaded into a database: ``threatscape.resolve.sanctions.stored.stored_screener``.)
    """
    if not isinstance(source, (str, Path)):
        raise TypeError(f"load_screener wants the path of a list file, not {type(source).__name__}")
    path = Path(source)
    if not path.is_file():
        raise InputError("no such sanctions list file", source=str(source))
    return _screener_for_file(str(path.resolve()), path.stat().st_mtime)
