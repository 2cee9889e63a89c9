"""The relation lexicon (``data/relations.yaml``, documented there), read once on first use.

Shared by ``threatscape.extract.relations.extractor`` (cue verbs, nouns, qualifiers) and
``threatscape.resolve.contested`` (allegation topics, generic denials, the date window).
``Resources`` holds the lexicon and passes it to both. The file must hold exactly
``RELATION_KEYS`` (and each topic and the ``contested`` section their keys): a missing or
unknown key is a ``ConfigError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError
from threatscape.extract.datafile import check_keys, data_source, read_data

__all__ = ["RELATION_KEYS", "RelationLexicon", "load_relation_lexicon", "topics_in"]

DATA = "relations.yaml"
WORD_KEYS = (
    "provide_verbs",
    "receive_verbs",
    "part_nouns",
    "naming_verbs",
    "place_nouns",
    "reverse_part_nouns",
    "leader_nouns",
    "leader_modifiers",
    "member_types",
    "qualifiers",
    "fighter_nouns",
    "relative_pronouns",
    "reciprocals",
    "pair_anaphors",
)  # lower-case word sets
MAP_KEYS = ("nouns", "symmetric", "qualifier_predicates", "stance_predicates", "hyphen_participles")
RELATION_KEYS = frozenset(
    {"verbs", "bearer_nouns", "content_topics", "contested", "reciprocal_content", *WORD_KEYS, *MAP_KEYS}
)
CONTESTED_KEYS = ("generic_objects", "denial_verbs", "window_days")
TOPIC_KEYS = ("predicate", "words")


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
    relative_pronouns: frozenset[str]
    reciprocals: frozenset[str]
    reciprocal_content: tuple[str, ...]  # "each other": a mutual claim
    pair_anaphors: frozenset[str]
    relative_clause: re.Pattern[str]  # " that ", " which ": where an allegation's topic ends


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data[key] or ())


def _verbs(data: dict[str, Any]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    verbs: dict[str, str] = {}
    prep_verbs: dict[tuple[str, str], str] = {}
    for key, pred in (data["verbs"] or {}).items():
        verb, _, prep = str(key).partition(" ")
        if prep:
            prep_verbs[(verb, prep)] = str(pred)
        else:
            verbs[verb] = str(pred)
    return verbs, prep_verbs


def _topics(data: dict[str, Any], source: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    topics = {}
    for q, section in (data["content_topics"] or {}).items():
        topic = check_keys(section, TOPIC_KEYS, source=source, where=f"content_topics.{q}")
        topics[str(q)] = (str(topic["predicate"]), tuple(str(w).lower() for w in topic["words"] or ()))
    return topics


def _lexicon_from(data: dict[str, Any], source: str) -> RelationLexicon:
    verbs, prep_verbs = _verbs(data)
    topics = _topics(data, source)
    contested = check_keys(data["contested"], CONTESTED_KEYS, source=source, where="contested")
    pronouns = sorted(_words(data, "relative_pronouns"))
    fields: dict[str, Any] = {key: _words(data, key) for key in WORD_KEYS}
    fields.update({key: {str(k): str(v) for k, v in (data[key] or {}).items()} for key in MAP_KEYS})
    fields["bearer_nouns"] = _words(data, "bearer_nouns") | _words(data, "fighter_nouns")
    return RelationLexicon(
        verbs=verbs,
        prep_verbs=prep_verbs,
        topics=topics,
        generic_objects=_words(contested, "generic_objects"),
        denial_verbs=_words(contested, "denial_verbs"),
        window_days=int(contested["window_days"]),
        reciprocal_content=tuple(str(w).lower() for w in data["reciprocal_content"]),
        relative_clause=re.compile(" (?:" + "|".join(re.escape(w) for w in pronouns) + ") "),
        **fields,
    )


@lru_cache(maxsize=4)
def load_relation_lexicon(path: str | Path | None = None) -> RelationLexicon:
    """The relation lexicon in ``threatscape/data/relations.yaml`` (or ``path``), read once."""
    source = data_source(DATA, path)
    data = read_data(DATA, RELATION_KEYS, path=path)
    try:
        return _lexicon_from(data, source)
    except (KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        raise ConfigError(f"cannot load the relation lexicon ({exc})", source=source) from exc


def topics_in(text: str, lex: RelationLexicon) -> tuple[str, ...]:
    """The allegation topics ("sheltering", "funding") whose words occur in ``text``, read up to
    a relative clause that follows one ("sheltering groups [that launch attacks]")."""
    padded = " " + " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) + " "
    found: list[str] = []
    for clause in lex.relative_clause.split(padded):
        found += [
            q for q, (_, words) in lex.topics.items() if q not in found and any(f" {w} " in clause + " " for w in words)
        ]
        if found:
            break
    return tuple(found)
