"""What the extractors ask of a parsed body again and again, computed once per ``Doc``.

``Doc.text``, ``Doc.sents`` and ``Doc.ents`` walk the whole document, creating a Python ``Token``
or ``Span`` per position or entity, every time they are read; ``Token.sent`` walks to the
sentence's ends. Each extractor reads them many times per article. ``doc_text``, ``sentences``,
``sentence_of`` and ``doc_entities`` give the same values (``memo``: any other per-doc value) from
a ``DocCache`` kept in ``doc.user_data`` until ``release(doc)``; ``extract_document`` releases it
when the article is done, so nothing outlives the extraction or reaches serialisation.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["DocCache", "doc_entities", "doc_text", "memo", "release", "sentence_of", "sentences"]

KEY = "threatscape.doccache"
T = TypeVar("T")


@dataclass
class DocCache:
    """The shared facts of one ``Doc``; each is computed on first use."""

    doc: Doc
    _text: str | None = None
    _sents: list[Span] | None = None
    _starts: list[int] = field(default_factory=list)
    _ents: tuple[Span, ...] | None = None
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.doc.text
        return self._text

    @property
    def sents(self) -> list[Span]:
        if self._sents is None:
            self._sents = list(self.doc.sents)
            self._starts = [s.start for s in self._sents]
        return self._sents

    @property
    def ents(self) -> tuple[Span, ...]:
        if self._ents is None:
            self._ents = tuple(self.doc.ents)
        return self._ents

    def sentence_of(self, i: int) -> Span:
        """The sentence holding token ``i`` (what ``doc[i].sent`` returns)."""
        sents = self.sents
        return sents[bisect_right(self._starts, i) - 1]


def cache_of(doc: Doc) -> DocCache:
    found = doc.user_data.get(KEY)
    if found is None:
        found = doc.user_data[KEY] = DocCache(doc)
    return found  # type: ignore[no-any-return]


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once."""
    return cache_of(doc).text


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, computed once (do not modify the list)."""
    return cache_of(doc).sents


def doc_entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, computed once."""
    return cache_of(doc).ents


def memo(doc: Doc, key: str, compute: Callable[[Doc], T]) -> T:
    """``compute(doc)``, computed once per doc under ``key`` (one key, one function)."""
    found = cache_of(doc).memo
    if key not in found:
        found[key] = compute(doc)
    return found[key]  # type: ignore[no-any-return]


def sentence_of(tok: Token) -> Span:
    """``tok.sent``, by bisecting the cached sentence starts."""
    return cache_of(tok.doc).sentence_of(tok.i)


def release(doc: Doc) -> None:
    """Drop the cache (it refers back to the doc)."""
    doc.user_data.pop(KEY, None)
