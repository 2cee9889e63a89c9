"""The claim lexicon: cue verbs, stances, speaker nominals, loaded once from ``data/cues.yaml``.

The YAML file documents each section. ``load_cues()`` is cached: the file is read on first use,
never at import time; ``Resources`` holds the result and passes it to ``extract_claims``. The
file must hold exactly ``CUE_KEYS``: a missing or unknown key is a ``ConfigError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError
from threatscape.extract.datafile import data_source, read_data

__all__ = ["CUE_KEYS", "CueLexicon", "load_cues"]

DATA = "cues.yaml"
WORD_KEYS = (
    "demand_modals",
    "first_person",
    "object_preps",
    "demonstratives",
    "speaker_preps",
    "nobody",
    "name_determiners",
    "dismiss_verbs",
    "violations",
    "future_words",
    "violent_acts",
    "source_nouns",
    "backing_words",
    "attack_nouns",
    "civilian_nouns",
)  # plain word lists (lower case) for the parse rules
CUE_KEYS = frozenset(
    {
        "cues",
        "phrasal",
        "needs_child",
        "dismissive_objects",
        "content_markers",
        "content_patterns",
        "quote_markers",
        "speaker_nominals",
        "document_nouns",
        "soft_threats",
        "hostile_words",
        "noun_cues",
        "group_nouns",
        "definite_roles",
        "titles",
        "pronouns",
        "person_nouns",
        *WORD_KEYS,
    }
)


@dataclass(frozen=True)
class CueLexicon:
    """Lookup tables for claim extraction (see ``threatscape/data/cues.yaml``)."""

    stance_of: dict[str, str]  # cue lemma -> stance
    phrasal: dict[tuple[str, str], str]  # (verb lemma, child lemma) -> stance
    needs_child: dict[str, frozenset[str]]  # ambiguous verbs: cue only with one of these children
    dismissive_objects: frozenset[str]
    content_markers: tuple[tuple[str, tuple[str, ...]], ...]  # (stance, markers), in order
    quote_markers: tuple[tuple[str, tuple[str, ...]], ...]  # the same, for quoted words only
    content_patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (stance, regex), after the markers
    nominal_types: dict[str, str]  # speaker head noun lemma -> actor type
    document_nouns: frozenset[str]
    pronoun_kind: dict[str, str]  # lower-case pronoun -> person / thing / plural
    person_nouns: frozenset[str]  # speaker head nouns that denote one person
    soft_threats: frozenset[str]  # threaten only with hostile content
    hostile_words: tuple[str, ...]
    noun_cues: dict[str, str]  # noun lemma -> stance
    group_nouns: frozenset[str]  # "the group said": the organisation that spoke last
    definite_roles: frozenset[str]  # "the minister said": the person named last
    titles: frozenset[str]  # "Colonel-Major X": X is a person
    demand_modals: frozenset[str]
    first_person: frozenset[str]
    object_preps: frozenset[str]
    demonstratives: frozenset[str]
    speaker_preps: frozenset[str]
    nobody: frozenset[str]
    name_determiners: frozenset[str]
    dismiss_verbs: frozenset[str]
    violations: frozenset[str]
    future_words: frozenset[str]
    violent_acts: frozenset[str]
    source_nouns: frozenset[str]
    backing_words: frozenset[str]
    attack_nouns: frozenset[str]
    civilian_nouns: frozenset[str]

    def is_cue_lemma(self, lemma: str) -> bool:
        return lemma.lower() in self.stance_of


def _markers(section: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(section, dict):
        return ()
    return tuple((str(stance), tuple(str(m).lower() for m in ms or ())) for stance, ms in section.items())


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data[key] or ())


def _lexicon_from(data: dict[str, Any]) -> CueLexicon:
    stance_of: dict[str, str] = {}
    for stance, lemmas in (data.get("cues") or {}).items():
        for lemma in lemmas or ():
            stance_of.setdefault(str(lemma).lower(), str(stance))
    phrasal = {}
    for key, stance in (data.get("phrasal") or {}).items():
        verb, _, child = str(key).partition(" ")
        phrasal[(verb, child)] = str(stance)
    needs = {str(k): frozenset(map(str, v or ())) for k, v in (data.get("needs_child") or {}).items()}
    markers = _markers(data.get("content_markers"))
    pronouns = {str(p).lower(): str(kind) for kind, ps in (data.get("pronouns") or {}).items() for p in ps}
    return CueLexicon(
        stance_of=stance_of,
        phrasal=phrasal,
        needs_child=needs,
        dismissive_objects=frozenset(map(str, data.get("dismissive_objects") or ())),
        content_markers=markers,
        quote_markers=_markers(data.get("quote_markers")),
        content_patterns=tuple(
            (str(stance), re.compile(str(rx), re.IGNORECASE))
            for stance, rxs in (data.get("content_patterns") or {}).items()
            for rx in rxs or ()
        ),
        nominal_types={str(k): str(v) for k, v in (data.get("speaker_nominals") or {}).items()},
        document_nouns=frozenset(map(str, data.get("document_nouns") or ())),
        pronoun_kind=pronouns,
        person_nouns=frozenset(map(str, data.get("person_nouns") or ())),
        soft_threats=frozenset(map(str, data.get("soft_threats") or ())),
        hostile_words=tuple(str(w).lower() for w in data.get("hostile_words") or ()),
        noun_cues={str(k): str(v) for k, v in (data.get("noun_cues") or {}).items()},
        group_nouns=frozenset(map(str, data.get("group_nouns") or ())),
        definite_roles=frozenset(map(str, data.get("definite_roles") or ())),
        titles=frozenset(map(str, data.get("titles") or ())),
        demand_modals=_words(data, "demand_modals"),
        first_person=_words(data, "first_person"),
        object_preps=_words(data, "object_preps"),
        demonstratives=_words(data, "demonstratives"),
        speaker_preps=_words(data, "speaker_preps"),
        nobody=_words(data, "nobody"),
        name_determiners=_words(data, "name_determiners"),
        dismiss_verbs=_words(data, "dismiss_verbs"),
        violations=_words(data, "violations"),
        future_words=_words(data, "future_words"),
        violent_acts=_words(data, "violent_acts"),
        source_nouns=_words(data, "source_nouns"),
        backing_words=_words(data, "backing_words"),
        attack_nouns=_words(data, "attack_nouns"),
        civilian_nouns=_words(data, "civilian_nouns"),
    )


@lru_cache(maxsize=4)
def load_cues(path: str | Path | None = None) -> CueLexicon:
    """The cue lexicon in ``threatscape/data/cues.yaml`` (or ``path``), read once."""
    data = read_data(DATA, CUE_KEYS, path=path)
    try:
        return _lexicon_from(data)
    except (KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        raise ConfigError(f"cannot load the cue lexicon ({exc})", source=data_source(DATA, path)) from exc
