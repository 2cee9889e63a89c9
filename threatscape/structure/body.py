"""The body of one article: running text with the page furniture taken out.

Decisions: sub-headings and bullet lines inside the story stay as body paragraphs (they are the
writer's text); image captions go to ``captions``; a paragraph printed twice is kept once; a
standfirst printed before the dateline paragraph and again later is kept at its later place;
lines broken mid-sentence are joined; the story ends at a trailer heading ("You May Also Like")
or at a labelled publication stamp printed after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from threatscape.model import Caption
from threatscape.structure.dateline import Dateline, parse_dateline
from threatscape.structure.dates import read_stamp
from threatscape.structure.header import Draft, absorb
from threatscape.structure.lines import (
    bullet_text,
    is_end_marker,
    is_headline_like,
    is_name_like,
    parse_caption,
    parse_credit_line,
)
from threatscape.structure.rules import Rules
from threatscape.structure.text import normalise_text, word_count

__all__ = ["Body", "finish_body", "read_body"]

_RELATED_HEADINGS = frozenset({"also read", "read also", "related", "see also", "read more", "must read"})
_SENTENCE_END = ".!?:;\"”’')]…"
_DATELINE_SEARCH = 3  # paragraphs searched for the dateline
_ALT_TEXT_MAX_WORDS = 8  # image alt text printed above a caption
_BROKEN_MIN_WORDS = 8  # a line this long without a full stop was broken mid-sentence


@dataclass(frozen=True)
class Body:
    paragraphs: tuple[str, ...]
    dateline: str | None
    byline: str | None = None  # an author name printed after the story
    filed: tuple[int, int, int | None] | None = None  # the dateline's day: (month, day, year or None)


@lru_cache(maxsize=4)
def _signoff(rules: Rules) -> re.Pattern[str]:
    return re.compile(rf"^(?:[-–—]\s*)?\(?(?:{rules.agency_re})(?:\s*/\s*(?:{rules.agency_re}))*\)?$")


def _caption_follows(lines: list[str], i: int, end: int, rules: Rules) -> bool:
    """The line belongs to the caption under it: the caption printed bare, or the image's alt text.

    Alt text is a short lowercase phrase with no full stop ("rescuers search the collapsed market").
    """
    j = i + 1
    while j < end and not lines[j]:
        j += 1
    if j >= end:
        return False
    caption = parse_caption(lines[j], rules)
    if caption is None:
        return False
    line = lines[i]
    alt_text = line[0].islower() and word_count(line) <= _ALT_TEXT_MAX_WORDS and line[-1] not in _SENTENCE_END
    return alt_text or normalise_text(caption.text).startswith(normalise_text(line))


def _join(paragraphs: list[str], text: str, rules: Rules) -> bool:
    """Append ``text`` to the last paragraph when that one was broken mid-sentence.

    A line opening with a dateline ("PESHAWAR: ...") starts the story and is never a continuation
    (a standfirst without a full stop sits right above it)."""
    if not paragraphs or paragraphs[-1][-1] in _SENTENCE_END:
        return False
    if parse_dateline(text, rules, upper_only=True) is not None:
        return False
    if text[0].islower() or word_count(paragraphs[-1]) >= _BROKEN_MIN_WORDS:
        paragraphs[-1] = f"{paragraphs[-1]} {text}"
        return True
    return False


def _stamp(line: str, draft: Draft, rules: Rules, *, near_top: bool, dates: bool) -> str:
    """ "end" for a publication stamp closing the story, "skip" for another stamp, "" for no stamp."""
    stamp = read_stamp(line, rules)
    if stamp is None:
        return ""
    if near_top and dates:  # a date line just under the standfirst still belongs to the header
        draft.published = draft.published or stamp.published
        draft.updated = draft.updated or stamp.updated
        draft.plain = draft.plain or stamp.plain
        return "skip"
    if stamp.published:
        draft.published = draft.published or stamp.published
        return "end"
    return "skip"


def read_body(lines: list[str], start: int, end: int, draft: Draft, rules: Rules, *, dates: bool = True) -> list[str]:
    """Body lines of ``lines[start:end]`` as paragraphs; captions, stamps, bylines go to ``draft``."""
    paragraphs: list[str] = []
    joinable = False  # the previous kept line was directly above (no blank line between)
    words, minimum = 0, rules.threshold("min_split_body_words")
    i = start
    while i < end:
        line = lines[i]
        i += 1
        if not line:
            joinable = False
            continue
        if is_end_marker(line, rules) and paragraphs:
            break
        if normalise_text(line).strip(" :") in _RELATED_HEADINGS:
            if i < end and lines[i] and is_headline_like(lines[i], rules):
                i += 1  # the related headline under the heading
            continue
        stamp = _stamp(line, draft, rules, near_top=words < minimum, dates=dates)
        if stamp == "end":
            break  # a publication stamp printed after the story closes it
        if stamp:
            continue
        credit = parse_credit_line(line)
        if credit is not None and paragraphs and joinable:
            draft.captions.append(Caption(text=paragraphs.pop(), credit=credit))
            continue
        if absorb(line, draft, rules, dates=False) or _signoff(rules).match(line):
            continue
        if _caption_follows(lines, i - 1, end, rules):
            continue
        text = bullet_text(line, rules) or line
        if not (joinable and _join(paragraphs, text, rules)):
            paragraphs.append(text)
        words += word_count(text)
        joinable = True
    return paragraphs


def _take_dateline(paragraphs: list[str], rules: Rules) -> tuple[list[str], Dateline | None]:
    for k, para in enumerate(paragraphs[:_DATELINE_SEARCH]):
        later = {normalise_text(p) for p in paragraphs[k + 1 :]}
        before = [p for p in paragraphs[:k] if normalise_text(p) not in later]
        found = parse_dateline(para, rules, upper_only=bool(before))
        if found is None:
            continue
        return before + [found.text] + paragraphs[k + 1 :], found
    return paragraphs, None


@lru_cache(maxsize=4)
def _inline_signoff(rules: Rules) -> re.Pattern[str]:
    return re.compile(rf"\s+[-–—]\s*\(?(?:{rules.agency_re})\)?\s*$")


def _take_tail(paragraphs: list[str], rules: Rules) -> tuple[list[str], str | None]:
    """Strip an agency sign-off ("... – Reuters") and an author name printed after the story."""
    byline = None
    if len(paragraphs) > 1 and is_name_like(paragraphs[-1]):
        byline = paragraphs.pop()
    if paragraphs:
        paragraphs[-1] = _inline_signoff(rules).sub("", paragraphs[-1])
    return paragraphs, byline


def finish_body(paragraphs: list[str], title: str, rules: Rules) -> Body:
    """Take the dateline and sign-off off, drop repeats of the title and of earlier paragraphs."""
    paragraphs, dateline = _take_dateline(paragraphs, rules)
    paragraphs, byline = _take_tail(paragraphs, rules)
    seen = {normalise_text(title)} if title else set()
    kept: list[str] = []
    for para in paragraphs:
        key = normalise_text(para)
        if key in seen:
            continue
        seen.add(key)
        kept.append(para)
    place = dateline.place if dateline is not None else None
    return Body(paragraphs=tuple(kept), dateline=place, byline=byline, filed=dateline.day if dateline else None)
