"""Quotation spans in an article body: straight and curly, double and single, never failing.

A chain of small steps over one paragraph at a time:

1. ``_marks`` finds candidate quote marks and decides, from the characters around each, whether
   it opens or closes (curly marks say so themselves; a straight mark opens at a word start).
2. ``_pair`` pairs openers with closers. An opener left unclosed at the end of a paragraph that
   the paragraph *starts* with is the newsroom convention for a quote running on into the next
   paragraph: it closes at the paragraph end. Any other unbalanced mark is ignored, so stray or
   broken marks never fail an article.
3. Single quotes (‘…’ or '…') are looked for only outside double quotes, and an apostrophe
   inside a word (Pakistan’s) is never a mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Quote", "find_quotes", "paragraph_spans"]

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
WRAP_STOPS = ".?!:;”\"’'»)]"  # a line ending in one of these is not a hard-wrapped line
MIN_SINGLE_QUOTE_CHARS = 4  # a single-quoted span shorter than this is more likely not a quote


@dataclass(frozen=True)
class Quote:
    """Quoted words: ``body[start:end]`` includes the marks, ``body[inner_start:inner_end]`` not."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    paragraph: int  # index of the paragraph it starts in
    open_ended: bool = False  # no closing mark: the quote runs to the paragraph end

    @property
    def length(self) -> int:
        return self.inner_end - self.inner_start


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: a non-blank line, joined with the next when the text was
    hard-wrapped (the line ends without closing punctuation and the next starts in lower case)."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", body):
        line = m.group()
        if not line.strip():
            continue
        if spans and _wrapped(body[spans[-1][0] : spans[-1][1]], line) and "\n\n" not in body[spans[-1][1] : m.start()]:
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append((m.start(), m.end()))
    return spans


def _wrapped(previous: str, line: str) -> bool:
    tail, head = previous.rstrip(), line.lstrip()
    return bool(tail) and bool(head) and tail[-1] not in WRAP_STOPS and head[0].islower()


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _marks(text: str, straight: str, opens: str, closes: str) -> list[tuple[int, str]]:
    """(offset, 'open'|'close'|'either') for each candidate mark in one paragraph."""
    out: list[tuple[int, str]] = []
    for m in _mark_chars(straight + opens + closes).finditer(text):
        i, ch = m.start(), m.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in opens:
            out.append((i, "open"))
        elif ch in closes:
            if _is_word_char(before) and _is_word_char(after):
                continue  # an apostrophe inside a word
            out.append((i, "close"))
        elif ch == straight:
            if _is_word_char(before) and _is_word_char(after):
                continue
            if before.isspace() or before in "([{—–-/" or i == 0:
                out.append((i, "open" if not after.isspace() else "either"))
            else:
                out.append((i, "close"))
    return out


@lru_cache(maxsize=16)
def _mark_chars(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(chars)}]")


def _pair(marks: list[tuple[int, str]], length: int) -> list[tuple[int, int, bool]]:
    """(open offset, close offset, open_ended) pairs; unbalanced marks are dropped."""
    pairs = []
    opened: int | None = None
    for pos, kind in marks:
        if opened is None:
            if kind in ("open", "either"):
                opened = pos
            continue
        if kind in ("close", "either"):
            pairs.append((opened, pos, False))
            opened = None
        elif opened == 0:  # paragraph-initial quote restarted without closing: close it here
            pairs.append((opened, pos, True))
            opened = pos
        else:
            opened = pos  # the earlier opener was stray
    if opened == 0:
        pairs.append((0, length, True))
    return pairs


def _quotes_in(text: str, offset: int, para: int, masked: list[tuple[int, int]]) -> list[Quote]:
    found = []
    for straight, opens, closes, is_single in (
        ('"', DOUBLE_OPEN, DOUBLE_CLOSE, False),
        ("'", SINGLE_OPEN, SINGLE_CLOSE, True),
    ):
        marks = _marks(text, straight, opens, closes)
        if is_single:  # single marks inside double quotes are nested quotes or apostrophes
            marks = [(p, k) for p, k in marks if not any(s <= p < e for s, e in masked)]
        for a, b, open_ended in _pair(marks, len(text)):
            inner_end = b if not open_ended else len(text.rstrip())
            end = b + 1 if not open_ended else inner_end
            if is_single and (inner_end - a - 1 < MIN_SINGLE_QUOTE_CHARS or " " not in text[a + 1 : b]):
                continue
            if not text[a + 1 : inner_end].strip():
                continue
            found.append(Quote(offset + a, offset + end, offset + a + 1, offset + inner_end, para, open_ended))
            if not is_single:
                masked.append((a, end))
    return found


def find_quotes(body: str) -> list[Quote]:
    """Every quotation in the body, in order of position. Never raises on unbalanced marks."""
    quotes: list[Quote] = []
    for para, (start, end) in enumerate(paragraph_spans(body)):
        text = body[start:end].replace("\n", " ")  # same length: offsets stay valid
        lead = len(text) - len(text.lstrip())
        quotes.extend(_quotes_in(text[lead:], start + lead, para, []))
    return sorted(quotes, key=lambda q: q.start)
