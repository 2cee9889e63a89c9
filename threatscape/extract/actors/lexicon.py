"""The actor lexicon: titles, honorifics, group anaphors, organisation keywords and the words the
mention rules test on the parse, from ``threatscape/data/actors/roles.yaml`` (documented there).

``load_role_lexicon()`` reads the file on first use, never at import time; ``Resources`` holds
the result and passes it to ``extract_actors``. The file must hold exactly ``ROLE_KEYS``: a
missing or unknown key is a ``ConfigError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError
from threatscape.extract.datafile import data_source, read_data

__all__ = ["ROLE_KEYS", "RoleLexicon", "load_role_lexicon"]

DATA = "actors/roles.yaml"
WORD_KEYS = (
    "titles",
    "honorifics",
    "name_honorifics",
    "not_names",
    "place_words",
    "source_heads",
    "determiners",
    "role_links",
    "locative_preps",
    "name_locative_preps",
    "speaking_verbs",
    "official_nouns",
)  # word sets, as written (matched against lower-case words)
ROLE_KEYS = frozenset({"implied", "group_anaphors", "org_types", *WORD_KEYS})


@dataclass(frozen=True)
class RoleLexicon:
    titles: frozenset[str]
    implied: dict[str, str]  # title word or phrase -> GOV / MIL / POL
    honorifics: frozenset[str]
    name_honorifics: frozenset[str]
    group_anaphors: tuple[str, ...]
    org_types: tuple[tuple[str, tuple[str, ...]], ...]
    not_names: frozenset[str]
    place_words: frozenset[str]
    source_heads: frozenset[str]
    determiners: frozenset[str]  # "X, the chief minister of ..."
    role_links: frozenset[str]  # "chief of staff", "the group's spokesman"
    locative_preps: frozenset[str]  # "a blast in Kabul": a place, not an actor
    name_locative_preps: frozenset[str]  # the same for NER persons and organisations
    speaking_verbs: frozenset[str]  # "X said": X reads as a person
    official_nouns: frozenset[str]  # "Pakistani officials"

    def is_title(self, word: str) -> bool:
        return word.lower().strip(".") in self.titles


def _lexicon_from(spec: dict[str, Any]) -> RoleLexicon:
    implied = {w: inst for inst, words in spec["implied"].items() for w in words}
    return RoleLexicon(
        implied=implied,
        group_anaphors=tuple(spec["group_anaphors"]),
        org_types=tuple((k, tuple(v)) for k, v in spec["org_types"].items()),
        **{key: frozenset(spec[key]) for key in WORD_KEYS},
    )


@lru_cache(maxsize=4)
def load_role_lexicon(path: str | Path | None = None) -> RoleLexicon:
    """Role words, honorifics, anaphors and organisation keywords from ``roles.yaml`` (or
    ``path``), read once."""
    spec = read_data(DATA, ROLE_KEYS, path=path)
    try:
        return _lexicon_from(spec)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"cannot load the actor lexicon ({exc})", source=data_source(DATA, path)) from exc
