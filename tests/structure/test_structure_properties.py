"""Invariants: no input crashes the structurer, and what comes out is clean and stable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from threatscape.errors import ParseError
from threatscape.model import Article, RawDocument
from threatscape.structure import article_id, structure_document
from threatscape.structure.lines import is_furniture
from threatscape.structure.rules import load_rules

FURNITURE = [
    "Short Url",
    "Follow",
    "ADVERTISEMENT",
    "Updated 15 February 2025",
    "Updated 3 min ago",
    "https://arab.news/ab12",
    "Facebook Twitter WhatsApp",
    "+ ↺ − 16 px",
    "• A bullet line here",
    "KARACHI: The city was calm on Monday as shops reopened after the strike, traders said.",
    "A headline printed twice here",
    "(AFP/File)",
    "By Jane Roe",
    " date 2025-01-02 ",
]
SENTENCE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120)
LINE = st.one_of(SENTENCE, st.sampled_from(FURNITURE))
PAGE = st.lists(LINE, max_size=30).map("\n".join)


def _structure(content: str, kind: str) -> list[Article]:
    try:
        return structure_document(RawDocument(origin="prop.txt", kind=kind, content=content))
    except ParseError:
        return []


@settings(max_examples=300, deadline=None)
@given(PAGE, st.sampled_from(["text", "record"]))
def test_no_input_crashes_and_body_is_not_furniture(content: str, kind: str) -> None:
    rules = load_rules()
    for a in _structure(content, kind):
        assert a.body.strip()
        assert a.id == article_id(a.body)
        for para in a.body.split("\n\n"):
            assert not is_furniture(para, rules), para
        assert a.published is None or len(a.published) == 10


@settings(max_examples=100, deadline=None)
@given(PAGE)
def test_structuring_is_deterministic(content: str) -> None:
    assert _structure(content, "text") == _structure(content, "text")
