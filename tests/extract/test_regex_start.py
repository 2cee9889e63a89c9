"""The start guard never changes what a pattern finds; it leaves patterns it cannot reason about."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threatscape.extract.nlp.regex_start import with_start_guard

PATTERNS = [
    r"(?P<expr>(?:\b(?P<wd>Monday\b|Friday\b),?\s+)?(?P<mon>March\b|May\b)\s*(?P<day>3[01]|[12]\d|0?[1-9]))",
    r"\b(?i:between|from)\s+(?P<y>1[89]\d\d|20\d\d)",
    r"(?:(?i:early|late)[\s-]+)?(?P<mon>June|July),?\s+(?P<year>20\d\d)",
    r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})\b",
    r"[$€£]\s?\d+(?:,\d{3})*",
    r"(?i:k)m\b",
]
ALPHABET = "MarchMayFridayJunejulyBETWEENfrom early-late 0123456789/.,$€£kKmK\n"


@pytest.mark.parametrize("pattern", PATTERNS)
@given(text=st.text(alphabet=ALPHABET, max_size=80))
def test_same_matches(pattern, text):
    plain, guarded = re.compile(pattern), re.compile(with_start_guard(pattern))
    assert [(m.span(), m.groups()) for m in plain.finditer(text)] == [
        (m.span(), m.groups()) for m in guarded.finditer(text)
    ]


def test_guards_a_leading_alternation():
    assert with_start_guard(PATTERNS[0]).startswith("(?=[MF")


@pytest.mark.parametrize("pattern", [r"a*", r".b", r"[^x]y", r"(?i)abc", r"(?:a|.)b"])
def test_leaves_what_it_cannot_reason_about(pattern):
    assert with_start_guard(pattern) == pattern
