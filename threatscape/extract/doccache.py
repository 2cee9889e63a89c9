"""What the extractors ask of a parsed body again and again, computed once per ``Doc``.

``Doc.text`` and ``Doc.sents`` walk the whole document, creating a Python ``Token`` per position,
every time they are read; ``Token.sent`` walks to the sentence's ends. Each extractor reads them
many times per article. ``doc_text``, ``sentences`` and ``sentence_of`` give the same values from
a ``DocCache`` kept in ``doc.user_data`` until ``release(doc)`` (``extract_document`` releases it
when the article is done, so nothing outlives the extraction or reaches serialisation).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["DocCache", "doc_text", "release", "sentence_of", "sentences"]

KEY = "threatscape.doccache"


@dataclass
class DocCache:
    """The shared facts of one ``Doc``; each is computed on first use."""

    doc: Doc
    _text: str | None = None
    _sents: list[Span] | None = None
    _starts: list[int] = field(default_factory=list)

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


def sentence_of(tok: Token) -> Span:
    """``tok.sent``, by bisecting the cached sentence starts."""
    return cache_of(tok.doc).sentence_of(tok.i)


def release(doc: Doc) -> None:
    """Drop the cache (it refers back to the doc)."""
    doc.user_data.pop(KEY, None)
