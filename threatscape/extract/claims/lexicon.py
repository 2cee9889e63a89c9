"""The claim lexicon: cue verbs, stances, speaker nominals, loaded once from ``data/cues.yaml``.

The YAML file documents each section. ``load_cues()`` is cached: the file is read on first use,
never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from threatscape.errors import ConfigError

__all__ = ["CueLexicon", "load_cues"]


@dataclass(frozen=True)
class CueLexicon:
    """Lookup tables for claim extraction (see ``threatscape/data/cues.yaml``)."""

    stance_of: dict[str, str]  # cue lemma -> stance
    phrasal: dict[tuple[str, str], str]  # (verb lemma, child lemma) -> stance
    needs_child: dict[str, frozenset[str]]  # ambiguous verbs: cue only with one of these children
    dismissive_objects: frozenset[str]
    content_markers: tuple[tuple[str, tuple[str, ...]], ...]  # (stance, markers), in order
    quote_markers: tuple[tuple[str, tuple[str, ...]], ...]  # the same, for quoted words only
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

    def is_cue_lemma(self, lemma: str) -> bool:
        return lemma.lower() in self.stance_of


def _markers(section: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(section, dict):
        return ()
    return tuple((str(stance), tuple(str(m).lower() for m in ms or ())) for stance, ms in section.items())


def _lexicon_from(data: dict) -> CueLexicon:
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
    )


@lru_cache(maxsize=1)
def load_cues() -> CueLexicon:
    """The packaged cue lexicon (read once per process)."""
    ref = resources.files("threatscape") / "data" / "cues.yaml"
    try:
        data = yaml.safe_load(ref.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"threatscape/data/cues.yaml: cannot read the cue lexicon: {exc}") from exc
    if not isinstance(data, dict) or "cues" not in data:
        raise ConfigError("threatscape/data/cues.yaml: no 'cues' section")
    return _lexicon_from(data)
