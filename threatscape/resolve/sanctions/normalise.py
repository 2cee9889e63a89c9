"""Names to comparable forms: folding, honorifics, particles, transliteration, phonetic keys.

The tables live in ``threatscape/data/sanctions-names.yaml`` (documented there) and are loaded
once, on first use. ``name_form`` is the one entry point the matcher needs; the small functions
it chains are public so that tests can pin each step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from threatscape.errors import ConfigError

__all__ = [
    "NameForm",
    "NameTables",
    "country_code",
    "fold",
    "is_acronym",
    "name_form",
    "normalise_word",
    "phonetic_key",
    "split_acronym",
    "tables",
]

DATA_FILE = "sanctions-names.yaml"
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u02bb\u0060\u00b4\"]")
_POSSESSIVE = re.compile(r"(\w)['\u2019]s\b", re.IGNORECASE)  # English "State's" -> "State"
_SPLIT = re.compile(r"[^0-9a-z]+")
_DOUBLE = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouy]")
_H_AFTER_CONSONANT = re.compile(r"(?<=[^aeiouy])h")
_TRAILING_ACRONYM = re.compile(r"^(?P<name>.*\S)\s*(?:\((?P<acr>[^()]{2,12})\)|\s/\s*(?P<slash>[^/]{2,12}))\s*$")


@dataclass(frozen=True)
class NameTables:
    honorifics: frozenset[str]
    particles: frozenset[str]
    stopwords: frozenset[str]
    demonyms: dict[str, str]
    generic: frozenset[str]  # canonical words an organisation name may carry or drop ("movement")
    words: dict[str, str]  # variant (after rules) -> canonical (after rules)
    rules: tuple[tuple[re.Pattern[str], str], ...]


_RULES = (
    (r"ee", "i"),
    (r"oo", "u"),
    (r"ou", "u"),
    (r"ph", "f"),
    (r"kh", "k"),
    (r"q", "k"),
    (r"ck", "k"),
    (r"dh", "d"),
    (r"th", "t"),
    (r"gh", "g"),
    (r"(?<=.)y$", "i"),
    (r"(?<=..)ah$", "a"),
)


def _apply_rules(word: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, repl in rules:
        word = pattern.sub(repl, word)
    return _DOUBLE.sub(r"\1", word)


def _words(raw: dict[str, list[str]], rules: tuple[tuple[re.Pattern[str], str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, variants in raw.items():
        target = _apply_rules(fold(str(canonical)), rules)
        for variant in [canonical, *variants]:
            for part in _SPLIT.split(fold(str(variant))):
                if part:
                    out[_apply_rules(part, rules)] = target
    return out


@cache
def tables() -> NameTables:
    """The tables of ``sanctions-names.yaml``, read once."""
    try:
        text = resources.files("threatscape.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
        raw: dict[str, Any] = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the name tables {DATA_FILE}: {exc}") from exc
    rules = tuple((re.compile(p), r) for p, r in _RULES)
    tabs = NameTables(
        honorifics=frozenset(fold(str(w)) for w in raw.get("honorifics", [])),
        particles=frozenset(fold(str(w)) for w in raw.get("particles", [])),
        stopwords=frozenset(fold(str(w)) for w in raw.get("stopwords", [])),
        demonyms={fold(str(k)): fold(str(v)) for k, v in (raw.get("demonyms") or {}).items()},
        generic=frozenset(),
        words=_words(raw.get("words") or {}, rules),
        rules=rules,
    )
    generic = frozenset(normalise_word(fold(str(w)), tabs) for w in raw.get("generic_org_words", []))
    return replace(tabs, generic=generic)


def fold(text: str) -> str:
    """NFKD, diacritics dropped, casefolded, apostrophes removed."""
    text = _APOSTROPHES.sub("", _POSSESSIVE.sub(r"\1", text))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_word(word: str, t: NameTables | None = None) -> str:
    """One folded word -> its canonical spelling (demonym, rules, variant table)."""
    t = t or tables()
    word = t.demonyms.get(word, word)
    ruled = _apply_rules(word, t.rules)
    return t.words.get(ruled, ruled)


def phonetic_key(word: str) -> str:
    """A coarse "sounds alike" key: `h` after a consonant and vowels after the first letter dropped."""
    if not word:
        return word
    stripped = _H_AFTER_CONSONANT.sub("", word)
    head, tail = stripped[:1], _VOWELS.sub("", stripped[1:])
    return _DOUBLE.sub(r"\1", head + tail)


@dataclass(frozen=True)
class NameForm:
    """A name ready for comparison."""

    text: str
    tokens: tuple[str, ...]  # canonical words, particles/stopwords/honorifics removed
    words: tuple[str, ...]  # the same words as written (folded), for explanations
    keys: tuple[str, ...]  # phonetic key of each token
    titles: tuple[str, ...]  # honorifics found at the start (folded)
    demonym: frozenset[str]  # tokens that were adjectives of nationality ("pakistani" -> "pakistan")
    compact: str  # letters and digits only, casefolded: the form acronyms compare on

    @property
    def norm(self) -> str:
        return " ".join(self.tokens)


@lru_cache(maxsize=65536)
def name_form(text: str, person: bool = True) -> NameForm:
    """Normalise ``text``; leading honorifics are removed from person names only."""
    t = tables()
    words = [w for w in _SPLIT.split(fold(_given_first(text))) if w]
    titles: list[str] = []
    if person:
        while len(words) > 1 and words[0] in t.honorifics:
            titles.append(words.pop(0))
    kept = [w for w in words if w not in t.particles and w not in t.stopwords] or words
    tokens = tuple(normalise_word(w) for w in kept)
    return NameForm(
        text=text,
        tokens=tokens,
        words=tuple(kept),
        keys=tuple(phonetic_key(w) for w in tokens),
        titles=tuple(titles),
        demonym=frozenset(normalise_word(w) for w in kept if w in t.demonyms),
        compact="".join(words),
    )


def _given_first(text: str) -> str:
    """Reorder "Surname, Given Names" (one comma, as lists write it) to "Given Names Surname"."""
    head, comma, tail = text.partition(",")
    if comma and "," not in tail and head.strip() and tail.strip():
        return f"{tail.strip()} {head.strip()}"
    return text


def is_acronym(text: str) -> bool:
    """A short single word written in capitals ("TTP", "ISIL-K", "JuA"): compared only as an acronym."""
    stripped = text.strip()
    letters = re.sub(r"[^A-Za-z0-9]", "", stripped)
    if not 2 <= len(letters) <= 6 or " " in stripped:
        return False
    capitals = sum(1 for c in letters if c.isupper())
    return capitals >= 2 and capitals >= len(letters) - 2 and not letters[1:].islower()


def split_acronym(name: str) -> tuple[str, str | None]:
    """``"HAQQANI NETWORK (HQN)"`` or ``"... / HUM"`` -> name and acronym; none -> ``(name, None)``."""
    m = _TRAILING_ACRONYM.match(name.strip())
    acronym = m and (m["acr"] or m["slash"])
    if m and acronym and is_acronym(acronym):
        return m["name"].strip(), acronym.strip()
    return name.strip(), None


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a country code, name or demonym; ``None`` when unknown."""
    if not text or not text.strip():
        return None
    import pycountry

    candidate = text.strip()
    if len(candidate) == 2 and candidate.isalpha():
        return candidate.upper()
    demonym = tables().demonyms.get(fold(candidate))
    for attempt in (candidate, re.sub(r"\s*\(.*?\)\s*", " ", candidate).strip(), demonym):
        if not attempt:
            continue
        try:
            return str(pycountry.countries.lookup(attempt).alpha_2)
        except LookupError:
            continue
    return None
