"""The quantity lexicon: number words, currencies, units, casualty words, read from YAML once.

``load_quantity_lexicon()`` reads ``threatscape/data/quantities.yaml`` on first use (never at
import time) and compiles the regular expressions ``extract/quantities/extractor.py`` scans with;
``Resources`` holds the result and passes it in. The file must hold exactly ``QUANTITY_KEYS``
(and its sections theirs): a missing or unknown key is a ``ConfigError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError
from threatscape.extract.datafile import check_keys, data_source, read_data
from threatscape.extract.nlp.regex_start import with_start_guard

__all__ = ["QUANTITY_KEYS", "QuantityLexicon", "load_quantity_lexicon"]

DATA = "quantities.yaml"
QUANTITY_KEYS = frozenset(
    {
        "number_words",
        "small_scales",
        "article_scales",
        "digit_scales",
        "vague_counts",
        "vague_multipliers",
        "qualifiers",
        "currencies",
        "iso_codes",
        "usd_lead_words",
        "periods",
        "units",
        "casualties",
        "censor_chars",
        "tally_nouns",
        "label_words",
        "age_words",
        "age_prefixes",
        "count_fillers",
        "time_words",
    }
)
NUMBER_KEYS = ("small", "multipliers", "scales")
PERIOD_KEYS = ("adjectives", "nouns", "after_words")
CURRENCY_KEYS = ("words", "symbols")
CASUALTY_KEYS = ("lemmas", "intransitive", "phrases", "nouns", "surface", "light_verbs", "objects")  # each optional


@dataclass(frozen=True)
class QuantityLexicon:
    """Lookup tables and compiled patterns (see ``threatscape/data/quantities.yaml``)."""

    small: dict[str, int]
    multipliers: dict[str, int]
    scales: dict[str, int]
    small_scales: dict[str, int]  # hundred/thousand/million/billion for "several hundred"
    digit_scales: dict[str, int]
    vague_counts: dict[str, int]
    vague_multipliers: dict[str, int]
    qualifiers: dict[str, str]
    currency_words: dict[str, str]  # lower-case word -> ISO code
    symbols: dict[str, str]
    iso_codes: frozenset[str]
    period_adjectives: dict[str, str]
    period_nouns: dict[str, str]
    units: dict[str, str]
    lemma_kind: dict[str, str]
    intransitive: frozenset[str]
    phrase_kind: tuple[tuple[str, str], ...]
    light_kind: dict[tuple[str, str], str]  # (verb lemma, object lemma) -> kind
    noun_kind: dict[str, str]
    surface_kind: dict[str, str]
    censor_chars: str
    tally_nouns: frozenset[str]
    label_words: frozenset[str]
    age_words: tuple[str, ...]
    age_prefixes: frozenset[str]
    count_fillers: frozenset[str]  # "38 more injured"
    time_words: frozenset[str]
    phrase_re: re.Pattern[str]
    usd_re: re.Pattern[str]
    period_re: re.Pattern[str]

    def censored_kind(self, word: str) -> str | None:
        """``"k!lled"`` -> ``"killed"``: a word with stand-in characters read against the lexicon."""
        w = word.lower()
        if not any(c in self.censor_chars for c in w) or not any(c.isalpha() for c in w):
            return None
        pattern = re.compile("".join("." if c in self.censor_chars else re.escape(c) for c in w))
        for surface, kind in self.surface_kind.items():
            if pattern.fullmatch(surface):
                return kind
        return None


def _alt(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _phrase_re(d: dict[str, Any], currency_words: dict[str, str], symbols: dict[str, str]) -> str:
    nw = d["number_words"]
    words = _alt([*nw["small"], *nw["multipliers"], *nw["scales"]])
    long_scales = _alt(k for k in d["digit_scales"] if len(k) > 2)
    short_scales = _alt(k for k in d["digit_scales"] if len(k) <= 2)
    iso = _alt(d["iso_codes"])
    return (
        rf"(?P<qual>\b(?i:{_alt(d['qualifiers'])})\s+)?"
        rf"(?:(?P<sym>{_alt(symbols)})\s?|(?P<isopre>\b(?:{iso})\s?))?"
        r"(?:"
        rf"(?P<vague>\b(?i:{_alt(d['vague_counts'])})(?=\s+of\b))"
        rf"|(?P<several>\b(?i:{_alt(d['vague_multipliers'])}))\s+"
        rf"(?P<sevscale>(?i:{'|'.join(map(re.escape, d['small_scales']))}))\b"
        r"|(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        rf"(?:\s?(?P<dscale>(?i:{long_scales}))\b|(?P<dscale_short>(?:{short_scales}))\b)?"
        rf"|(?P<words>\b(?i:(?:an?\s+(?={'|'.join(map(re.escape, d['article_scales']))}))?(?:{words})"
        rf"(?:(?:\s+and\s+|\s+|-)(?:{words}))*)\b)"
        r")"
        r"(?P<pct>\s?%|\s+(?i:per\s?cent)\b)?"
        rf"(?:\s+(?P<curword>(?i:{_alt(currency_words)}))\b|\s?(?P<isopost>\b(?:{iso})\b))?"
    )


def _casualty_tables(d: dict[str, Any]) -> dict[str, Any]:
    lemma_kind: dict[str, str] = {}
    phrase_kind: list[tuple[str, str]] = []
    noun_kind: dict[str, str] = {}
    surface_kind: dict[str, str] = {}
    light_kind: dict[tuple[str, str], str] = {}
    intransitive: set[str] = set()
    for kind, entry in d["casualties"].items():
        lemma_kind.update({w: kind for w in entry.get("lemmas", [])})
        intransitive.update(entry.get("intransitive", []))
        phrase_kind.extend((p, kind) for p in entry.get("phrases", []))
        noun_kind.update({w: kind for w in entry.get("nouns", [])})
        surface_kind.update({w: kind for w in entry.get("surface", [])})
        for verb in entry.get("light_verbs", []):
            light_kind.update({(verb, obj): kind for obj in entry.get("objects", [])})
    phrase_kind.sort(key=lambda pk: len(pk[0]), reverse=True)
    return {
        "lemma_kind": lemma_kind,
        "intransitive": frozenset(intransitive),
        "phrase_kind": tuple(phrase_kind),
        "noun_kind": noun_kind,
        "surface_kind": surface_kind,
        "light_kind": light_kind,
    }


def _lexicon_from(d: dict[str, Any]) -> QuantityLexicon:
    currency_words: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for code, entry in d["currencies"].items():
        currency_words.update({w.lower(): code for w in entry.get("words", [])})
        symbols.update({s: code for s in entry.get("symbols", [])})
    periods = d["periods"]
    digit_scales = {k.lower(): int(v) for k, v in d["digit_scales"].items()}
    phrase = _phrase_re(d, currency_words, symbols)
    lead = "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in d["usd_lead_words"])
    usd = (
        rf"\s*[(,\u2013\u2014-]?\s*(?:(?i:{lead})\s+)*(?:US\$|\$|USD\s?)"
        r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        rf"(?:\s?(?P<scale>(?i:{_alt(digit_scales)}))\b)?\s*\)?"
    )
    period = (
        rf"\s*,?\s*(?:(?i:{_alt(periods['after_words'])})\s+(?P<word>(?i:{_alt(periods['nouns'])}))\b"
        rf"|(?P<word_adj>(?i:{_alt(periods['adjectives'])}))\b)"
    )
    nw = d["number_words"]
    return QuantityLexicon(
        small={k: int(v) for k, v in nw["small"].items()},
        multipliers={k: int(v) for k, v in nw["multipliers"].items()},
        scales={k: int(v) for k, v in nw["scales"].items()},
        small_scales={str(k): int(v) for k, v in d["small_scales"].items()},
        digit_scales=digit_scales,
        vague_counts={k: int(v) for k, v in d["vague_counts"].items()},
        vague_multipliers={k: int(v) for k, v in d["vague_multipliers"].items()},
        qualifiers={k.lower(): v for k, v in d["qualifiers"].items()},
        currency_words=currency_words,
        symbols=symbols,
        iso_codes=frozenset(d["iso_codes"]),
        period_adjectives=dict(periods["adjectives"]),
        period_nouns=dict(periods["nouns"]),
        units={str(k).lower(): v for k, v in d["units"].items()},
        censor_chars=str(d["censor_chars"]),
        tally_nouns=frozenset(d["tally_nouns"]),
        label_words=frozenset(w.lower() for w in d["label_words"]),
        age_words=tuple(d["age_words"]),
        age_prefixes=frozenset(d["age_prefixes"]),
        count_fillers=frozenset(d["count_fillers"]),
        time_words=frozenset(d["time_words"]),
        phrase_re=re.compile(with_start_guard(phrase)),
        usd_re=re.compile(usd),
        period_re=re.compile(period),
        **_casualty_tables(d),
    )


def _check_sections(d: dict[str, Any], source: str) -> None:
    check_keys(d["number_words"], NUMBER_KEYS, source=source, where="number_words")
    check_keys(d["periods"], PERIOD_KEYS, source=source, where="periods")
    for code, entry in (d["currencies"] or {}).items():
        check_keys(entry, CURRENCY_KEYS, source=source, where=f"currencies.{code}")
    for kind, entry in (d["casualties"] or {}).items():
        check_keys(entry, (), optional=CASUALTY_KEYS, source=source, where=f"casualties.{kind}")


@lru_cache(maxsize=4)
def load_quantity_lexicon(path: str | Path | None = None) -> QuantityLexicon:
    """The quantity lexicon in ``threatscape/data/quantities.yaml`` (or ``path``), read once."""
    source = data_source(DATA, path)
    d = read_data(DATA, QUANTITY_KEYS, path=path)
    _check_sections(d, source)
    try:
        return _lexicon_from(d)
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise ConfigError(f"cannot load the quantity lexicon ({exc})", source=source) from exc
