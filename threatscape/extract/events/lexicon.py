"""The event lexicon: triggers, classes, weapons, target nouns and irrealis cues.

Loaded once from ``threatscape/data/events.yaml`` (which documents each section) by
``load_event_lexicon()``; never at import time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from threatscape.errors import ConfigError
from threatscape.extract.nlp.regex_start import with_start_guard

__all__ = ["EventClass", "EventLexicon", "load_event_lexicon"]


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
    needs_child: dict[str, frozenset[str]]
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
    attacker_words: frozenset[str] = frozenset()
    any_phrase: re.Pattern[str] | None = None  # matches where some phrase does; None: test each

    def klass(self, name: str) -> EventClass:
        return self.classes[name]


def _joined(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """The patterns as one alternation (a sentence without a match skips them all)."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    try:
        return re.compile(with_start_guard(joined)) if joined else None
    except re.error:
        return None


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.get(key) or [])


@lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    """The lexicon in ``threatscape/data/events.yaml`` (read once per process)."""
    try:
        text = resources.files("threatscape.data").joinpath("events.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        classes = {
            name: EventClass(name, c["type"], c["sub_type"], c["plover"], int(c["rank"]))
            for name, c in data["classes"].items()
        }
        trig = data["triggers"]
        phrases = tuple((re.compile(with_start_guard(p)), c) for p, c in (data.get("phrases") or {}).items())
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"events.yaml: cannot load the event lexicon ({exc})") from exc
    return EventLexicon(
        classes=classes,
        verbs={str(k): str(v) for k, v in trig["verb"].items()},
        nouns={str(k): str(v) for k, v in trig["noun"].items()},
        needs_child={k: frozenset(v or []) for k, v in (data.get("needs_child") or {}).items()},
        forms={str(k): str(v) for k, v in (data.get("forms") or {}).items()},
        phrases=phrases,
        any_phrase=_joined(p.pattern for p, _ in phrases),
        weapons=tuple((w["sub_type"], tuple(w["words"])) for w in data["weapons"]),
        armed_targets=_words(data, "armed_targets"),
        civilian_targets=_words(data, "civilian_targets"),
        state_types=_words(data, "state_types"),
        protester_words=tuple(data["protester_words"]),
        force_words=tuple(data["force_words"]),
        repression_words=tuple(data["repression_words"]),
        lethal_words=tuple(data["lethal_words"]),
        irrealis_heads=_words(data, "irrealis_heads"),
        modals=_words(data, "modals"),
        habitual=_words(data, "habitual"),
        report_nouns=_words(data, "report_nouns"),
        tally_words=_words(data, "tally_words"),
        attacker_words=_words(data, "attacker_words"),
        period_nouns=tuple(data["period_nouns"]),
        pair_anaphors=tuple(data["pair_anaphors"]),
        generic_dets=_words(data, "generic_dets"),
        mass_nouns=_words(data, "mass_nouns"),
        irrealis_modifiers=_words(data, "irrealis_modifiers"),
        vague_deaths=tuple(data["vague_deaths"]),
    )
