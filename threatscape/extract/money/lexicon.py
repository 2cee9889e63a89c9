"""The money lexicon: direction and purpose words, strength units and cues, reference rates.

``load_money_lexicon()`` reads ``threatscape/data/money.yaml`` once, on first use; the file must
hold exactly ``MONEY_KEYS`` (a missing or unknown key is a ``ConfigError`` naming it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError
from threatscape.extract.datafile import check_keys, data_source, read_data

__all__ = ["MONEY_KEYS", "MoneyLexicon", "load_money_lexicon"]

DATA = "money.yaml"
MONEY_KEYS = frozenset(
    {
        "directions",
        "purposes",
        "kin",
        "strength_units",
        "strength_verbs",
        "strength_words",
        "casualty_words",
        "strength_times",
        "rates",
    }
)
ROLES = ("give", "get", "take")


@dataclass(frozen=True)
class MoneyLexicon:
    """Lookup tables of ``threatscape/data/money.yaml``; words are lower case."""

    directions: dict[str, tuple[str, str]]  # word -> (role: give/get/take, direction)
    purposes: dict[str, str]  # word or phrase -> purpose
    kin: frozenset[str]
    strength_units: dict[str, str]  # counted noun -> unit
    strength_verbs: frozenset[str]
    strength_words: tuple[str, ...]
    casualty_words: frozenset[str]
    strength_times: tuple[str, ...]
    rates: dict[str, dict[int, float]]  # currency -> year -> units per USD
    kin_re: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = "|".join(re.escape(w) for w in sorted(self.kin, key=len, reverse=True))
        pattern = rf"(?i)\b(?:(?:the|his|her|their|its)\s+)?(?:{words})\s+of\s+(?:the\s+)?(?:\[[^\]\n]{{1,40}}\]\s*)?$"
        object.__setattr__(self, "kin_re", re.compile(pattern))

    def usd(self, amount: float, currency: str | None, year: int | None) -> tuple[float, int] | None:
        """``amount`` in US dollars at the reference rate of ``year`` (the latest year the table
        has when ``year`` is past it, the earliest when before), and the year used; None for a
        currency without rates."""
        table = self.rates.get(currency or "")
        if not table:
            return None
        years = sorted(table)
        used = years[-1] if year is None else min(max(year, years[0]), years[-1])
        return amount / table[used], used


def _words(value: Any, where: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ConfigError(f"{where!r} must be a list of words", source=source)
    return [w.strip().lower() for w in value]


def build_money_lexicon(data: dict[str, Any], source: str) -> MoneyLexicon:
    directions: dict[str, tuple[str, str]] = {}
    roles = check_keys(data["directions"], ROLES, source=source, where="directions")
    for role in ROLES:
        for direction, words in (roles[role] or {}).items():
            for word in _words(words, f"directions.{role}.{direction}", source):
                directions[word] = (role, str(direction))
    purposes = {w: str(p) for p, words in data["purposes"].items() for w in _words(words, f"purposes.{p}", source)}
    units = {
        w: str(u) for u, words in data["strength_units"].items() for w in _words(words, f"strength_units.{u}", source)
    }
    rates: dict[str, dict[int, float]] = {}
    for currency, table in data["rates"].items():
        if not isinstance(table, dict) or not table:
            raise ConfigError(f"'rates.{currency}' must map years to rates", source=source)
        try:
            rates[str(currency)] = {int(y): float(r) for y, r in table.items()}
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"'rates.{currency}' holds a year or rate that is not a number", source=source) from exc
        if any(r <= 0 for r in rates[str(currency)].values()):
            raise ConfigError(f"'rates.{currency}' holds a rate that is not positive", source=source)
    return MoneyLexicon(
        directions=directions,
        purposes=purposes,
        kin=frozenset(_words(data["kin"], "kin", source)),
        strength_units=units,
        strength_verbs=frozenset(_words(data["strength_verbs"], "strength_verbs", source)),
        strength_words=tuple(_words(data["strength_words"], "strength_words", source)),
        casualty_words=frozenset(_words(data["casualty_words"], "casualty_words", source)),
        strength_times=tuple(sorted(_words(data["strength_times"], "strength_times", source), key=len, reverse=True)),
        rates=rates,
    )


@lru_cache(maxsize=4)
def load_money_lexicon(path: str | Path | None = None) -> MoneyLexicon:
    """The lexicon of ``threatscape/data/money.yaml`` (or ``path``), read once."""
    return build_money_lexicon(read_data(DATA, MONEY_KEYS, path=path), data_source(DATA, path))
