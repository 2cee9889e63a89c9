"""The relation lexicon (``data/relations.yaml``, documented there), read once on first use.

Shared by ``threatscape.extract.relations.extractor`` (cue verbs, nouns, qualifiers) and
``threatscape.resolve.contested`` (allegation topics, generic denials, the date window).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from threatscape.errors import ConfigError

__all__ = ["RelationLexicon", "load_relation_lexicon", "topics_in"]

RELATIVE_CLAUSE = re.compile(r" (?:that|which|who|whom) ")


@dataclass(frozen=True)
class RelationLexicon:
    """Lookup tables for relation extraction (see ``threatscape/data/relations.yaml``)."""

    verbs: dict[str, str]
    prep_verbs: dict[tuple[str, str], str]
    nouns: dict[str, str]
    symmetric: dict[str, str]
    provide_verbs: frozenset[str]
    receive_verbs: frozenset[str]
    part_nouns: frozenset[str]
    naming_verbs: frozenset[str]
    place_nouns: frozenset[str]
    bearer_nouns: frozenset[str]
    reverse_part_nouns: frozenset[str]
    leader_nouns: frozenset[str]
    leader_modifiers: frozenset[str]
    member_types: frozenset[str]
    qualifiers: frozenset[str]
    qualifier_predicates: dict[str, str]
    stance_predicates: dict[str, str]
    topics: dict[str, tuple[str, tuple[str, ...]]]  # qualifier -> (predicate, words)
    hyphen_participles: dict[str, str]
    fighter_nouns: frozenset[str]
    generic_objects: frozenset[str]
    denial_verbs: frozenset[str]
    window_days: int


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.get(key) or ())


@lru_cache(maxsize=1)
def load_relation_lexicon() -> RelationLexicon:
    """The relation lexicon, read from the package data on first use."""
    try:
        text = resources.files("threatscape.data").joinpath("relations.yaml").read_text("utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"threatscape/data/relations.yaml: {exc}") from exc
    verbs: dict[str, str] = {}
    prep_verbs: dict[tuple[str, str], str] = {}
    for key, pred in (data.get("verbs") or {}).items():
        verb, _, prep = str(key).partition(" ")
        if prep:
            prep_verbs[(verb, prep)] = str(pred)
        else:
            verbs[verb] = str(pred)
    topics = {
        str(q): (str(t["predicate"]), tuple(str(w).lower() for w in t.get("words") or ()))
        for q, t in (data.get("content_topics") or {}).items()
    }
    contested = data.get("contested") or {}
    return RelationLexicon(
        verbs=verbs,
        prep_verbs=prep_verbs,
        nouns={str(k): str(v) for k, v in (data.get("nouns") or {}).items()},
        symmetric={str(k): str(v) for k, v in (data.get("symmetric") or {}).items()},
        provide_verbs=_words(data, "provide_verbs"),
        receive_verbs=_words(data, "receive_verbs"),
        part_nouns=_words(data, "part_nouns"),
        naming_verbs=_words(data, "naming_verbs"),
        place_nouns=_words(data, "place_nouns"),
        bearer_nouns=_words(data, "bearer_nouns") | _words(data, "fighter_nouns"),
        reverse_part_nouns=_words(data, "reverse_part_nouns"),
        leader_nouns=_words(data, "leader_nouns"),
        leader_modifiers=_words(data, "leader_modifiers"),
        member_types=_words(data, "member_types"),
        qualifiers=_words(data, "qualifiers"),
        qualifier_predicates={str(k): str(v) for k, v in (data.get("qualifier_predicates") or {}).items()},
        stance_predicates={str(k): str(v) for k, v in (data.get("stance_predicates") or {}).items()},
        topics=topics,
        hyphen_participles={str(k): str(v) for k, v in (data.get("hyphen_participles") or {}).items()},
        fighter_nouns=_words(data, "fighter_nouns"),
        generic_objects=_words(contested, "generic_objects"),
        denial_verbs=_words(contested, "denial_verbs"),
        window_days=int(contested.get("window_days", 180)),
    )


def topics_in(text: str, lex: RelationLexicon) -> tuple[str, ...]:
    """The allegation topics ("sheltering", "funding") whose words occur in ``text``, read up to
    a relative clause that follows one ("sheltering groups [that launch attacks]")."""
    padded = " " + " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) + " "
    found: list[str] = []
    for clause in RELATIVE_CLAUSE.split(padded):
        found += [
            q for q, (_, words) in lex.topics.items() if q not in found and any(f" {w} " in clause + " " for w in words)
        ]
        if found:
            break
    return tuple(found)
