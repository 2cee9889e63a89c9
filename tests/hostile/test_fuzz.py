"""Arbitrary text, arbitrary bytes and arbitrary HTML thrown at reading, structure and extraction.

Whatever comes in: the only exception is a ``ThreatscapeError`` (bad input is reported, never a
crash); every evidence span slices its article's body exactly; the export is valid JSON that
reads back to itself. Hypothesis runs derandomised under the ``ci`` profile (``tests/conftest.py``),
so CI tries the same inputs every time.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threatscape.errors import ThreatscapeError
from threatscape.ingest.documents import iter_documents
from threatscape.model import Article, IngestFailure, RawDocument, to_dict
from threatscape.pipeline import Resources, extract_articles
from threatscape.settings import Settings
from threatscape.structure import structure_document

RESOURCES = Resources(sanctions=None)
SETTINGS = Settings(allow_private=False, timeout=1.0, fetch_deadline=1.0)
SLOW = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

# news-like phrases of our own, so that generated input reaches the extractors, not only the reader
PHRASES = [
    "Gunmen killed 7 people in Dera Ismail Khan on Tuesday, police said.",
    "The army denied the claim.",
    '"We did not carry out the attack," a spokesman for the group said.',
    "At least 3 soldiers died when a bomb hit their convoy near Kandahar.",
    "Protesters marched in Lahore on 5 May 2024 demanding fuel subsidies.",
    "The ministry accused the militia of receiving $2 million a month from abroad.",
    "Officials said the group has some 4,000 fighters.",
    "Rebels seized the town of Goma.",
]
ODD = [
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\x00",
    "\ufeff",
    "\r\n",
    "\u2028",
    "\U0001f4a3",
    "&#0;",
    "&#x110000;",
    "%",
    "\\",
    '"',
    "\u0301",  # a combining mark with nothing before it
]
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=400)  # lone surrogates too
NEWSLIKE = st.lists(st.one_of(st.sampled_from(PHRASES), st.sampled_from(ODD), ANY_TEXT), max_size=12).map(
    lambda parts: " ".join(parts)
)
TEXT = st.one_of(ANY_TEXT, NEWSLIKE, NEWSLIKE.map(lambda s: s.replace(". ", ".\n\n")))

TAGS = [
    "p",
    "div",
    "script",
    "style",
    "a",
    "article",
    "h1",
    "title",
    "iframe",
    "svg",
    "table",
    "td",
    "br",
    "img",
    "noscript",
    "template",
    "body",
    "head",
    "meta",
    "time",
    "span",
    "main",
    "header",
    "footer",
]
ATTRS = [
    "",
    ' href="javascript:alert(1)"',
    ' href="https://example.org/a"',
    ' onload="alert(1)"',
    ' class="article-body"',
    ' itemprop="articleBody"',
    ' datetime="2024-02-30"',
    ' content="2025-01-01T00:00:00Z" property="article:published_time"',
    " id=",
    ' style="display:none"',
]
JUNK = st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "</p", "<", ">", "&amp", "&nbsp;", "</"])
LEAF = st.one_of(TEXT, JUNK)


def _element(tag: str, attrs: str, children: list[str], closed: bool) -> str:
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


HTML = st.recursive(
    LEAF,
    lambda inner: st.builds(
        _element, st.sampled_from(TAGS), st.sampled_from(ATTRS), st.lists(inner, max_size=4), st.booleans()
    ),
    max_leaves=25,
)
PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"<?xml version='1.0' encoding='latin-1'?>",
    b"<html><meta charset=shift_jis>",
    b'{"text": "',
    b"<rss><channel><item><title>",
    b"%PDF-1.4\n",
]
BYTES = st.builds(lambda head, body: head + body, st.sampled_from(PREFIXES), st.binary(max_size=1500))


def _spans(value: Any) -> Iterator[dict[str, Any]]:
    """Every evidence record anywhere in an exported extraction."""
    if isinstance(value, dict):
        if {"start", "end", "text"} <= value.keys():
            yield value
        for v in value.values():
            yield from _spans(v)
    elif isinstance(value, list):
        for v in value:
            yield from _spans(v)


def _check_articles(articles: list[Article]) -> None:
    for ex in extract_articles(articles, RESOURCES):
        body = ex.article.body
        exported = to_dict(ex)
        dumped = json.dumps(exported, ensure_ascii=False, allow_nan=False)
        assert json.loads(dumped) == exported
        for span in _spans(exported):
            if span is exported.get("article"):
                continue
            assert body[span["start"] : span["end"]] == span["text"], span


def _structure(doc: RawDocument) -> list[Article]:
    try:
        return structure_document(doc)
    except ThreatscapeError:
        return []


@settings(max_examples=300, **SLOW)
@given(TEXT, st.sampled_from(["text", "record"]))
def test_arbitrary_text(text: str, kind: str) -> None:
    _check_articles(_structure(RawDocument(origin="fuzz.txt", kind=kind, content=text, title=text[:40] or None)))


@settings(max_examples=250, **SLOW)
@given(HTML)
def test_arbitrary_html(page: str) -> None:
    data = f"<html><body>{page}</body></html>".encode("utf-8", "surrogatepass")
    _check_bytes(data, "fuzz.html")


@settings(max_examples=300, **SLOW)
@given(BYTES, st.sampled_from(["-", "fuzz.txt", "fuzz.html", "fuzz.json", "fuzz.xml"]))
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    _check_bytes(data, name)


def _check_bytes(data: bytes, name: str) -> None:
    """Read ``data`` as the input ``name`` would be read (a file's name picks the format; ``-`` is
    stdin, whose format is sniffed), then structure and extract it."""
    articles: list[Article] = []
    for item in _read(data, name):
        if isinstance(item, IngestFailure):
            assert item.reason and "\n" not in item.reason
            continue
        articles.extend(_structure(item))
    _check_articles(articles)


def _read(data: bytes, name: str) -> list[RawDocument | IngestFailure]:
    if name == "-":
        return list(iter_documents(["-"], SETTINGS, stdin=io.BytesIO(data)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return list(iter_documents([str(path)], SETTINGS))


def test_ci_draws_the_same_inputs_every_run() -> None:
    probe = "import conftest; from hypothesis import settings as s; print(s.default.derandomize, s.default.database)"
    env = {**os.environ, "CI": "1"}
    env.pop("HYPOTHESIS_PROFILE", None)
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[1],
        env=env,
        check=True,
    )
    assert out.stdout.split() == ["True", "None"]
