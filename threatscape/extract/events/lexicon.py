"""The event lexicon: triggers, classes, weapons, target nouns, irrealis cues, the words the rules
test around a trigger, and the PLOVER tables.

``threatscape/data/events.yaml`` documents each section. ``load_event_lexicon()`` and
``load_plover_lexicon()`` read it on first use (never at import time), once per process for the
packaged file; ``Resources`` holds the results and the extractors take them as arguments. The
file must hold exactly ``EVENT_KEYS | PLOVER_KEYS``: a missing or unknown key is a ``ConfigError``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError
from threatscape.extract.datafile import data_source, read_data
from threatscape.extract.nlp.regex_start import with_start_guard

__all__ = [
    "EVENT_KEYS",
    "PLOVER_KEYS",
    "EventClass",
    "EventLexicon",
    "PloverLexicon",
    "load_event_lexicon",
    "load_plover_lexicon",
]

DATA = "events.yaml"
WORD_KEYS = (
    "armed_targets",
    "civilian_targets",
    "state_types",
    "irrealis_heads",
    "modals",
    "habitual",
    "report_nouns",
    "tally_words",
    "attacker_words",
    "generic_dets",
    "mass_nouns",
    "irrealis_modifiers",
    "agreement_verbs",
    "break_verbs",
    "weapon_objects",
    "person_objects",
    "mob_words",
    "protester_objects",
    "time_nouns",
    "adjunct_preps",
    "complement_preps",
    "reporting_verbs",
    "reporting_nouns",
    "pass_through",
    "locative_preps",
    "place_heads",
    "target_heads",
    "kill_lemmas",
    "mass_victims",
    "actor_pronouns",
    "collapse_words",
    "comparison_words",
    "present_exempt_verbs",
    "source_verbs",
    "generic_victims",
    "incident_anaphors",
    "occurrence_verbs",
    "sequence_verbs",
    "territory_objects",
    "dated_nouns",
    "speaker_nouns",
    "background_adverbs",
    "perfect_background_adverbs",
    "background_modifiers",
    "grievance_preps",
)  # read as lower-case word sets
PHRASE_KEYS = (
    "protester_words",
    "force_words",
    "repression_words",
    "lethal_words",
    "period_nouns",
    "pair_anaphors",
    "vague_deaths",
    "aircraft_words",
    "transfer_force_words",
    "riot_words",
    "throw_verbs",
    "thrown_objects",
    "separate_openers",
    "protest_context_words",
    "background_phrases",
)  # read as tuples of words or phrases, as written
PATTERN_KEYS = (
    "disruption_phrases",
    "disruption_prefixes",
    "disrupted_weapons",
    "recovery_prefixes",
    "duration_qualifiers",
    "duration_counts",
    "duration_units",
)  # compiled into the patterns below
EVENT_KEYS = frozenset(
    {
        "classes",
        "triggers",
        "forms",
        "needs_child",
        "noun_needs_child",
        "phrases",
        "weapons",
        *WORD_KEYS,
        *PHRASE_KEYS,
        *PATTERN_KEYS,
    }
)
PLOVER_KEYS = frozenset(
    {
        "plover_verbs",
        "plover_nouns",
        "light_verbs",
        "speech_verbs",
        "commit_heads",
        "cooperative",
        "hostile",
        "target_preps",
        "accept_verbs",
        "threat_verbs",
    }
)
FILE_KEYS = EVENT_KEYS | PLOVER_KEYS


@dataclass(frozen=True)
class EventClass:
    name: str
    type: str
    sub_type: str
    plover: str
    rank: int


@dataclass(frozen=True)
class EventLexicon:
    classes: dict[str, EventClass]
    verbs: dict[str, str]  # lemma -> class name
    nouns: dict[str, str]
    needs_child: dict[str, frozenset[str]]  # verbs that are triggers only with one of these children
    noun_needs_child: dict[str, frozenset[str]]  # nouns likewise ("operation" only "against" someone)
    forms: dict[str, str]  # inflected form -> lemma, where the tagger's lemma is wrong
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    weapons: tuple[tuple[str, tuple[str, ...]], ...]  # (sub_type, words), by precedence
    armed_targets: frozenset[str]
    civilian_targets: frozenset[str]
    state_types: frozenset[str]
    protester_words: tuple[str, ...]
    force_words: tuple[str, ...]
    repression_words: tuple[str, ...]
    lethal_words: tuple[str, ...]
    irrealis_heads: frozenset[str]
    modals: frozenset[str]
    habitual: frozenset[str]
    report_nouns: frozenset[str]
    tally_words: frozenset[str]
    period_nouns: tuple[str, ...]
    pair_anaphors: tuple[str, ...]
    generic_dets: frozenset[str]
    mass_nouns: frozenset[str]
    irrealis_modifiers: frozenset[str]
    vague_deaths: tuple[str, ...]
    attacker_words: frozenset[str]
    # the words the rules test around a trigger (see the file's comments)
    agreement_verbs: frozenset[str]
    break_verbs: frozenset[str]
    weapon_objects: frozenset[str]
    person_objects: frozenset[str]
    mob_words: frozenset[str]
    protester_objects: frozenset[str]
    time_nouns: frozenset[str]
    adjunct_preps: frozenset[str]
    complement_preps: frozenset[str]
    reporting_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    pass_through: frozenset[str]
    locative_preps: frozenset[str]
    place_heads: frozenset[str]
    target_heads: frozenset[str]
    kill_lemmas: frozenset[str]
    mass_victims: frozenset[str]
    actor_pronouns: frozenset[str]
    collapse_words: frozenset[str]
    comparison_words: frozenset[str]
    present_exempt_verbs: frozenset[str]
    source_verbs: frozenset[str]
    generic_victims: frozenset[str]
    incident_anaphors: frozenset[str]
    occurrence_verbs: frozenset[str]
    speaker_nouns: frozenset[str]  # "an official in Quetta said": the place is the speaker's
    sequence_verbs: frozenset[str]
    territory_objects: frozenset[str]
    dated_nouns: frozenset[str]
    aircraft_words: tuple[str, ...]
    transfer_force_words: tuple[str, ...]
    riot_words: tuple[str, ...]
    throw_verbs: tuple[str, ...]
    thrown_objects: tuple[str, ...]
    separate_openers: tuple[str, ...]  # "In a separate incident, ...": another incident
    protest_context_words: tuple[str, ...]  # clashes told with these, and no named side, are a riot
    background_adverbs: frozenset[str]  # "has previously raided": an earlier incident, as background
    perfect_background_adverbs: frozenset[str]  # the same only with a perfect auxiliary ("had earlier")
    background_modifiers: frozenset[str]  # "earlier arrests", "a previous attack"
    background_phrases: tuple[str, ...]  # "in the past"
    grievance_preps: frozenset[str]  # "in protest against the arrest": what a protest is against
    disruption: re.Pattern[str]  # "shot down", "intercepted"
    disrupted_weapon: re.Pattern[str]  # "drones", "a missile"
    recovered: re.Pattern[str]  # "recovered", "seized", "confiscated"
    duration: re.Pattern[str]  # "for about 15 months": how long, not when
    any_phrase: re.Pattern[str] | None = None  # matches where some phrase does; None: test each

    def klass(self, name: str) -> EventClass:
        return self.classes[name]


@dataclass(frozen=True)
class PloverLexicon:
    verbs: dict[str, str]
    nouns: dict[str, str]
    light_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    commit_heads: frozenset[str]
    cooperative: frozenset[str]
    hostile: frozenset[str]
    target_preps: frozenset[str]
    accept_verbs: frozenset[str]
    threat_verbs: frozenset[str]


def _joined(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """The patterns as one alternation (a sentence without a match skips them all)."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    try:
        return re.compile(with_start_guard(joined)) if joined else None
    except re.error:
        return None


def _alt(words: Iterable[Any]) -> str:
    return "|".join(re.escape(str(w)) for w in words)


def _patterns(data: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    """The word-built patterns: each matches where one of its words does (order is irrelevant)."""
    return {
        "disruption": re.compile(
            rf"\b(?:{_alt(data['disruption_phrases'])})\b|\b(?:{_alt(data['disruption_prefixes'])})"
        ),
        "disrupted_weapon": re.compile(rf"\b(?:(?:{_alt(data['disrupted_weapons'])})s?)\b"),
        "recovered": re.compile(rf"\b(?:{_alt(data['recovery_prefixes'])})\w*"),
        "duration": re.compile(
            rf"^(?:for\s+)?(?:(?:{_alt(data['duration_qualifiers'])})\s+)?"
            rf"(?:(?:\d[\d,]*|{_alt(data['duration_counts'])})\s+)?"
            rf"(?:(?:{_alt(data['duration_units'])})s?)$",
            re.I,
        ),
    }


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data[key] or [])


def _event_lexicon(data: dict[str, Any]) -> EventLexicon:
    classes = {
        name: EventClass(name, c["type"], c["sub_type"], c["plover"], int(c["rank"]))
        for name, c in data["classes"].items()
    }
    trig = data["triggers"]
    phrases = tuple((re.compile(with_start_guard(p)), c) for p, c in (data["phrases"] or {}).items())
    lists: dict[str, Any] = {key: _words(data, key) for key in WORD_KEYS}
    lists.update({key: tuple(data[key]) for key in PHRASE_KEYS})
    lists.update(_patterns(data))
    return EventLexicon(
        classes=classes,
        verbs={str(k): str(v) for k, v in trig["verb"].items()},
        nouns={str(k): str(v) for k, v in trig["noun"].items()},
        needs_child={k: frozenset(v or []) for k, v in (data["needs_child"] or {}).items()},
        noun_needs_child={k: frozenset(v or []) for k, v in (data["noun_needs_child"] or {}).items()},
        forms={str(k): str(v) for k, v in (data["forms"] or {}).items()},
        phrases=phrases,
        any_phrase=_joined(p.pattern for p, _ in phrases),
        weapons=tuple((w["sub_type"], tuple(w["words"])) for w in data["weapons"]),
        **lists,
    )


@lru_cache(maxsize=4)
def load_event_lexicon(path: str | Path | None = None) -> EventLexicon:
    """The event lexicon in ``threatscape/data/events.yaml`` (or ``path``), read once."""
    data = read_data(DATA, FILE_KEYS, path=path)
    try:
        return _event_lexicon(data)
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise ConfigError(f"cannot load the event lexicon ({exc})", source=data_source(DATA, path)) from exc


@lru_cache(maxsize=4)
def load_plover_lexicon(path: str | Path | None = None) -> PloverLexicon:
    """The PLOVER tables of ``threatscape/data/events.yaml`` (or ``path``), read once."""
    data = read_data(DATA, FILE_KEYS, path=path)
    try:
        return PloverLexicon(
            verbs={str(k): str(v) for k, v in data["plover_verbs"].items()},
            nouns={str(k): str(v) for k, v in data["plover_nouns"].items()},
            light_verbs=frozenset(data["light_verbs"]),
            speech_verbs=frozenset(data["speech_verbs"]),
            commit_heads=frozenset(data["commit_heads"]),
            cooperative=frozenset(data["cooperative"]),
            hostile=frozenset(data["hostile"]),
            target_preps=_words(data, "target_preps"),
            accept_verbs=_words(data, "accept_verbs"),
            threat_verbs=_words(data, "threat_verbs"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"cannot load the PLOVER lexicon ({exc})", source=data_source(DATA, path)) from exc
