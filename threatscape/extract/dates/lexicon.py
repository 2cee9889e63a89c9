"""The date lexicon: month and weekday names, units, count words, the compiled date patterns.

``load_date_lexicon()`` reads ``threatscape/data/dates.yaml`` (which documents each section) on
first use, never at import time, and compiles the patterns of ``grammar.build_patterns``;
``Resources`` holds the result and passes it to the date extractor and to the quantity extractor
(which skips dates). The file must hold exactly ``DATE_KEYS``: a missing or unknown key is a
``ConfigError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError
from threatscape.extract.datafile import data_source, read_data
from threatscape.extract.dates.grammar import Match, alternation, build_patterns
from threatscape.extract.nlp.regex_start import with_start_guard

__all__ = ["DATE_KEYS", "DateLexicon", "load_date_lexicon"]

DATA = "dates.yaml"
DATE_KEYS = frozenset(
    {
        "months",
        "ambiguous_months",
        "month_cues",
        "weekdays",
        "day_parts",
        "units",
        "recent_days",
        "range_openers",
        "range_joiners",
        "future_words",
        "future_auxiliaries",
        "month_first_hosts",
        "number_words",
        "sequence_same",
        "sequence_next",
        "sequence_previous",
    }
)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: loaded once, a cache key
class DateLexicon:
    month_number: dict[str, int]
    weekdays: tuple[str, ...]
    units: dict[str, str]
    recent_days: dict[str, int]
    future_auxiliaries: frozenset[str]
    month_first_hosts: tuple[str, ...]
    number_words: dict[str, int]  # "two weeks ago", "a couple of days"
    sequence: re.Pattern[str]  # "the following day", "two days later": relative to the incident before
    patterns: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], DateLexicon], Match | None]], ...]


def _lexicon_from(d: dict[str, Any]) -> DateLexicon:
    month_number = {name: int(num) for num, names in d["months"].items() for name in names}
    return DateLexicon(
        month_number=month_number,
        weekdays=tuple(d["weekdays"]),
        units={k.lower(): v for k, v in d["units"].items()},
        recent_days={k: int(v) for k, v in d["recent_days"].items()},
        future_auxiliaries=frozenset(d["future_auxiliaries"]),
        month_first_hosts=tuple(d["month_first_hosts"]),
        number_words={str(k): int(v) for k, v in d["number_words"].items()},
        sequence=_sequence_pattern(d),
        patterns=tuple((re.compile(with_start_guard(p)), b) for p, b in build_patterns(d, month_number)),
    )


def _sequence_pattern(d: dict[str, Any]) -> re.Pattern[str]:
    """One pattern with a named group per kind: ``same`` (+0), ``next`` (+1), ``previous`` (-1) and
    ``n``/``dir`` for "N days later/earlier"."""
    same, nxt, prev, count = (
        alternation(d[key], bounded=False)
        for key in ("sequence_same", "sequence_next", "sequence_previous", "number_words")
    )
    days = rf"(?P<n>\d{{1,2}}|{count})\s+days?\s+(?P<dir>later|after|earlier|before)"
    return re.compile(rf"\b(?:(?P<same>{same})|(?P<next>{nxt})|(?P<previous>{prev})|{days})\b", re.I)


@lru_cache(maxsize=4)
def load_date_lexicon(path: str | Path | None = None) -> DateLexicon:
    """The date lexicon built from ``threatscape/data/dates.yaml`` (or ``path``), once."""
    d = read_data(DATA, DATE_KEYS, path=path)
    try:
        return _lexicon_from(d)
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise ConfigError(f"cannot load the date lexicon ({exc})", source=data_source(DATA, path)) from exc
