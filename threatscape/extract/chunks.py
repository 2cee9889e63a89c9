"""Bodies longer than the parser takes, in pieces: paragraph-aligned chunks, facts mapped back.

spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters), needs about a gigabyte
per 100,000 characters it parses at once, and the extractors' cost grows faster than the text. A
body longer than ``CHUNK_CHARS`` (or the pipeline's ``max_length``, if smaller) is cut into
consecutive chunks of at most that size: at the last paragraph break in the second half of the
window, else the last line break, else the last sentence end, else the last space, else hard at
the limit (a text without a single space). Each chunk is parsed and extracted as an article of
its own (same metadata, id ``<article id>:<offset>``) and its ``Doc`` dropped before the next one
is parsed, so memory is bounded by one chunk. Every evidence span is shifted by the chunk's
offset, so ``body[start:end] == text`` holds on the whole body; actors are merged by id, facts
keep their order.

Bodies within the limit are parsed in batches with ``nlp.pipe`` as before (``extract_each``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import TYPE_CHECKING, Any

from threatscape.model import Actor, Article, Evidence, Extraction

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["CHUNK_CHARS", "Chunk", "chunk_limit", "extract_each", "extract_in_chunks", "split_chunks"]

CHUNK_CHARS = 100_000  # characters parsed at once at most: ~1 GB of parser memory, well under max_length
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")

_FACTS = (
    "mentions",
    "events",
    "claims",
    "relations",
    "quantities",
    "places",
    "dates",
    "flows",
    "strengths",
)  # Extraction fields

Extract = Callable[["Doc", Article], Extraction]


@dataclass(frozen=True)
class Chunk:
    """``body[start:end]``: one piece of a long body."""

    start: int
    end: int


def chunk_limit(nlp: Language) -> int:
    """The longest body parsed in one piece by ``nlp``."""
    return max(1, min(CHUNK_CHARS, int(getattr(nlp, "max_length", CHUNK_CHARS))))


def _last_sentence_end(body: str, lo: int, hi: int) -> int:
    """End of the last sentence ending in ``body[lo:hi]`` (after its trailing space), or -1."""
    cut = -1
    for m in _SENTENCE_END.finditer(body, lo, hi):
        cut = m.end()
    return cut


def _cut(body: str, start: int, limit: int) -> int:
    """Where the chunk starting at ``start`` ends: the best break in the second half of the window."""
    hi = start + limit
    lo = start + limit // 2
    para = body.rfind("\n\n", lo, hi)
    if para != -1:
        return para + 2
    line = body.rfind("\n", lo, hi)
    if line != -1:
        return line + 1
    sentence = _last_sentence_end(body, lo, hi)
    if sentence != -1:
        return sentence
    space = max(body.rfind(" ", lo, hi), body.rfind("\t", lo, hi))
    return space + 1 if space != -1 else hi


def split_chunks(body: str, limit: int) -> Iterator[Chunk]:
    """Consecutive chunks covering ``body`` exactly, each at most ``limit`` characters."""
    if limit < 1:
        raise ValueError("limit must be positive")
    start = 0
    while len(body) - start > limit:
        end = _cut(body, start, limit)
        yield Chunk(start, end)
        start = end
    if start < len(body):
        yield Chunk(start, len(body))


def _shift(value: Any, offset: int) -> Any:
    """``value`` with every ``Evidence`` inside it moved ``offset`` characters on."""
    if isinstance(value, Evidence):
        return replace(value, start=value.start + offset, end=value.end + offset)
    if isinstance(value, tuple):
        return tuple(_shift(v, offset) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for f in fields(value):
            old = getattr(value, f.name)
            new = _shift(old, offset)
            if new is not old:
                changed[f.name] = new
        return replace(value, **changed) if changed else value
    return value


def extract_in_chunks(article: Article, nlp: Language, extract: Extract, limit: int | None = None) -> Extraction:
    """Every fact of a long ``article``, extracted chunk by chunk (see the module docstring)."""
    limit = limit or chunk_limit(nlp)
    actors: dict[str, Actor] = {}
    facts: dict[str, list[Any]] = {name: [] for name in _FACTS}
    for chunk in split_chunks(article.body, limit):
        piece = replace(article, id=f"{article.id}:{chunk.start}", body=article.body[chunk.start : chunk.end])
        found = extract(nlp(piece.body), piece)
        for actor in found.actors:
            actors.setdefault(actor.id, actor)
        for name, kept in facts.items():
            kept.extend(_shift(getattr(found, name), chunk.start))
    return Extraction(article=article, actors=tuple(actors.values()), **{k: tuple(v) for k, v in facts.items()})


def extract_each(
    articles: Iterable[Article], nlp: Language, extract: Extract, *, batch_size: int = 32
) -> Iterator[Extraction]:
    """``extract(doc, article)`` for every article, in order: bodies within the chunk limit parsed
    in batches by ``nlp.pipe``, longer ones by ``extract_in_chunks``."""
    arts = articles if isinstance(articles, list) else list(articles)
    limit = chunk_limit(nlp)
    docs = nlp.pipe((a.body for a in arts if len(a.body) <= limit), batch_size=batch_size)
    for article in arts:
        if len(article.body) > limit:
            yield extract_in_chunks(article, nlp, extract, limit)
        else:
            yield extract(next(docs), article)
