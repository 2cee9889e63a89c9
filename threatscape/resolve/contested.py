"""Contested relations: a relation is contested when another statement in the corpus denies it.

``mark_contested(extractions)`` is pure and corpus-wide: it reads every denial of every
extraction (a claim with stance ``deny``, or a ``denies`` relation read without one: "a charge that
Kabul rejects"), and marks each relation that one of them answers (``contested=True``), linking the
pair (``contested_by``: the denying claim's id and the id of the ``denies`` relation read from it).
It works as well on extractions loaded back from the store.

A denial answers a relation when

1. the denier is the accused party: the object of an ``accuses`` relation, the subject of an
   alleged act (``supports``, ``shelters``, ``attacks`` ...). A state, its government and the people
   affiliated with either are one party ("Afghan officials", "Taliban spokesman Zabihullah
   Mujahid", "Afghanistan");
2. the denier is not the source of the relation (nobody contests their own statement); and
3. it is about the same thing: within one article, a denial that names the allegation's topic
   ("deny sheltering"), answers the accuser ("rejected Pakistan's accusation"), or, coming after
   it, denies it generically ("Afghan officials deny the claim", "deny involvement"); across
   articles (dated at most ``window_days`` apart, see ``data/relations.yaml``), only a denial that
   names the topic, or that answers the accuser in so many words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from threatscape.extract.relations.lexicon import RelationLexicon, load_relation_lexicon, topics_in
from threatscape.model import Actor, Article, Claim, DateSpan, Evidence, Extraction, Relation

__all__ = ["Denial", "contested_links", "extraction_from_export", "mark_contested"]

CONTESTABLE = frozenset(
    {"accuses", "supports", "funds", "shelters", "collaborates_with", "allied_with", "attacks", "member_of", "leads"}
)
SYMMETRIC = frozenset({"collaborates_with", "allied_with"})
PARTY_TYPES = frozenset({"state", "government"})
MAX_AFFILIATION_DEPTH = 3


@dataclass(frozen=True)
class Denial:
    """One denying statement, with what it takes to match it against relations."""

    claim_id: str
    article_id: str
    speaker: str
    target: str | None
    topics: tuple[str, ...]
    generic: bool
    start: int
    date: dt.date | None
    relation_ids: tuple[str, ...]


def mark_contested(extractions: Sequence[Extraction], *, lexicon: RelationLexicon | None = None) -> list[Extraction]:
    """The extractions with every relation some denial in the corpus answers marked contested
    (``lexicon``: the relation lexicon, by default the packaged one)."""
    lex = lexicon or load_relation_lexicon()
    parties = _Parties(extractions)
    denials = [d for ex in extractions for d in _denials(ex, lex)]
    if not denials:
        return list(extractions)
    by_party: dict[str, list[int]] = {}
    for n, d in enumerate(denials):
        for key in parties.of(d.speaker):
            by_party.setdefault(key, []).append(n)
    return [_mark(ex, denials, by_party, parties, lex) for ex in extractions]


def contested_links(
    extractions: Sequence[Extraction], *, lexicon: RelationLexicon | None = None
) -> dict[str, tuple[str, ...]]:
    """Relation id -> the ids that contest it, for every contested relation (what a store
    updates after ingesting new articles)."""
    marked = mark_contested(extractions, lexicon=lexicon)
    return {r.id: r.contested_by for ex in marked for r in ex.relations if r.contested}


def extraction_from_export(record: Mapping[str, Any]) -> Extraction:
    """The part of an exported/stored article (``docs/export-contract.md``) contested marking
    reads: the article, actors, claims and relations."""
    body = str(record.get("body") or "")
    article = Article(
        str(record["id"]),
        str(record.get("title") or ""),
        body,
        published=record.get("published"),
        updated=record.get("updated"),
    )
    actors = tuple(
        Actor(
            a["id"],
            a.get("name") or a["id"],
            a.get("type") or "other",
            a.get("country"),
            tuple(a.get("aliases") or ()),
            a.get("affiliation"),
        )
        for a in record.get("actors") or ()
    )
    claims = tuple(
        Claim(
            c["id"],
            c.get("speaker"),
            c.get("speaker_text"),
            c.get("cue"),
            c["stance"],
            c.get("content") or "",
            bool(c.get("direct")),
            _evidence(c),
            c.get("target"),
        )
        for c in record.get("claims") or ()
    )
    relations = tuple(_relation(r) for r in record.get("relations") or ())
    return Extraction(article, actors, claims=claims, relations=relations)


def _evidence(fact: Mapping[str, Any]) -> Evidence:
    ev = fact.get("evidence") or {}
    return Evidence(int(ev.get("start", 0)), int(ev.get("end", 0)), str(ev.get("text", "")), ev.get("extractor"))


def _relation(r: Mapping[str, Any]) -> Relation:
    date = r.get("date")
    span = DateSpan(date.get("start"), date.get("end"), date.get("precision") or "day") if date else None
    return Relation(
        r["id"],
        r["subject"],
        r["predicate"],
        r["object"],
        _evidence(r),
        tuple(r.get("qualifiers") or ()),
        r.get("attributed_to"),
        bool(r.get("contested")),
        span,
        tuple(r.get("contested_by") or ()),
    )


# ---- parties --------------------------------------------------------------------------------
class _Parties:
    """Actor id -> the party keys it belongs to (itself, its affiliations, its state)."""

    def __init__(self, extractions: Sequence[Extraction]) -> None:
        self.actors: dict[str, Actor] = {}
        for ex in extractions:
            for actor in ex.actors:
                self.actors.setdefault(actor.id, actor)
        self._cache: dict[str, frozenset[str]] = {}

    def of(self, actor_id: str | None) -> frozenset[str]:
        if actor_id is None:
            return frozenset()
        if actor_id not in self._cache:
            self._cache[actor_id] = frozenset(self._keys(actor_id, 0))
        return self._cache[actor_id]

    def _keys(self, actor_id: str, depth: int) -> set[str]:
        keys = {actor_id}
        actor = self.actors.get(actor_id)
        if actor is None:
            return keys
        if actor.type in PARTY_TYPES and actor.country:
            keys.add(f"state:{actor.country}")
        if actor.affiliation and depth < MAX_AFFILIATION_DEPTH:
            keys |= self._keys(actor.affiliation, depth + 1)
        return keys


# ---- denials --------------------------------------------------------------------------------
def _denials(ex: Extraction, lex: RelationLexicon) -> list[Denial]:
    date = _date(ex)
    out = []
    for claim in ex.claims:
        if claim.stance != "deny" or claim.speaker is None:
            continue
        rel_ids = tuple(
            r.id for r in ex.relations if r.predicate == "denies" and r.subject == claim.speaker and _overlaps(r, claim)
        )
        words = set(claim.content.lower().replace("’", "'").split())
        generic = bool(words & lex.generic_objects) or len(words) <= 2
        topics = topics_in(claim.content, lex)
        out.append(
            Denial(
                claim.id,
                ex.article.id,
                claim.speaker,
                claim.target,
                topics,
                generic,
                claim.evidence.start,
                date,
                rel_ids,
            )
        )
    linked = {rid for d in out for rid in d.relation_ids}
    for rel in ex.relations:
        if rel.predicate == "denies" and rel.id not in linked:
            out.append(
                Denial(
                    rel.id, ex.article.id, rel.subject, rel.object, rel.qualifiers, True, rel.evidence.start, date, ()
                )
            )
    return out


def _overlaps(rel: Relation, claim: Claim) -> bool:
    return rel.evidence.start < claim.evidence.end and claim.evidence.start < rel.evidence.end


def _date(ex: Extraction) -> dt.date | None:
    text = ex.article.date
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


# ---- matching -------------------------------------------------------------------------------
def _mark(
    ex: Extraction, denials: list[Denial], by_party: dict[str, list[int]], parties: _Parties, lex: RelationLexicon
) -> Extraction:
    """``by_party``: party key -> indexes of the denials whose speaker belongs to it; only those
    sharing a party with the accused can answer a relation (the first test of ``_answers``)."""
    date = _date(ex)
    relations = []
    for rel in ex.relations:
        if rel.predicate not in CONTESTABLE:
            relations.append(rel)
            continue
        accused = parties.of(rel.object if rel.predicate == "accuses" else rel.subject)
        if rel.predicate in SYMMETRIC:
            accused |= parties.of(rel.object)
        candidates = sorted({n for key in accused for n in by_party.get(key, ())})
        links = [
            link
            for d in (denials[n] for n in candidates)
            if _answers(d, rel, ex.article.id, date, parties, lex)
            for link in (d.claim_id, *d.relation_ids)
        ]
        if links:
            merged = rel.contested_by + tuple(x for x in dict.fromkeys(links) if x not in rel.contested_by)
            rel = replace(rel, contested=True, contested_by=merged)
        relations.append(rel)
    return replace(ex, relations=tuple(relations))


def _answers(
    d: Denial, rel: Relation, article_id: str, date: dt.date | None, parties: _Parties, lex: RelationLexicon
) -> bool:
    if rel.predicate not in CONTESTABLE:
        return False
    accuser = rel.subject if rel.predicate == "accuses" else rel.attributed_to
    accused = parties.of(rel.object if rel.predicate == "accuses" else rel.subject)
    if rel.predicate in SYMMETRIC:
        accused |= parties.of(rel.object)
    denier = parties.of(d.speaker)
    if not denier & accused or denier & parties.of(accuser):
        return False
    names_accuser = d.target is not None and bool(parties.of(d.target) & parties.of(accuser))
    on_topic = bool(set(d.topics) & _topics(rel, lex))
    if d.article_id == article_id:
        return on_topic or names_accuser or (d.generic and d.start >= rel.evidence.start)
    if date is not None and d.date is not None and abs((date - d.date).days) > lex.window_days:
        return False
    return on_topic or (names_accuser and d.generic)


def _topics(rel: Relation, lex: RelationLexicon) -> set[str]:
    """What a relation alleges: an accusation's qualifiers, or the topic of its predicate."""
    if rel.predicate == "accuses":
        return set(rel.qualifiers)
    return {q for q, (predicate, _) in lex.topics.items() if predicate == rel.predicate}
