"""The furniture and date vocabulary of ``threatscape/data/furniture.yaml``, loaded once.

``load_rules()`` reads the YAML file on first call and caches the compiled ``Rules``; nothing is
read at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from threatscape.errors import ConfigError

__all__ = ["Rules", "load_rules"]

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "furniture.yaml"


@dataclass(frozen=True, eq=False)  # hashed by identity: one cached instance
class Rules:
    furniture_lines: frozenset[str]
    furniture_patterns: tuple[re.Pattern[str], ...]
    footer_words: frozenset[str]
    end_markers: frozenset[str]
    agencies: tuple[str, ...]
    agency_re: str  # alternation of agency names, for embedding in other regexes
    credit_words: frozenset[str]
    bullets: str
    continuation_words: frozenset[str]
    published_labels: tuple[str, ...]
    updated_labels: tuple[str, ...]
    months: dict[str, int]
    weekdays: frozenset[str]
    numeric_day_first: bool
    thresholds: dict[str, int]

    def threshold(self, name: str) -> int:
        return self.thresholds[name]


def _alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered)


def _build(data: dict[str, Any]) -> Rules:
    agencies = [str(a) for a in data["agencies"]]
    months: dict[str, int] = {}
    for number, names in data["months"].items():
        for name in names:
            months[str(name).casefold()] = int(number)
    return Rules(
        furniture_lines=frozenset(str(x).casefold() for x in data["furniture_lines"]),
        furniture_patterns=tuple(re.compile(p, re.IGNORECASE) for p in data["furniture_patterns"]),
        footer_words=frozenset(str(x).casefold() for x in data["footer_words"]),
        end_markers=frozenset(str(x).casefold() for x in data["end_markers"]),
        agencies=tuple(agencies),
        agency_re=_alternation(agencies + [a.upper() for a in agencies]),
        credit_words=frozenset(str(x).casefold() for x in data["credit_words"]),
        bullets="".join(data["bullets"]),
        continuation_words=frozenset(str(x).casefold() for x in data["continuation_words"]),
        published_labels=tuple(sorted(data["published_labels"], key=len, reverse=True)),
        updated_labels=tuple(sorted(data["updated_labels"], key=len, reverse=True)),
        months=months,
        weekdays=frozenset(str(x).casefold() for x in data["weekdays"]),
        numeric_day_first=bool(data["numeric_day_first"]),
        thresholds={str(k): int(v) for k, v in data["thresholds"].items()},
    )


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The structure rules from the package data file (read and compiled once)."""
    try:
        data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
        return _build(data)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, re.error) as exc:
        raise ConfigError(f"cannot load structure rules {DATA_FILE.name}: {exc}") from exc
