"""The header of one article: where its title is, and what stands between the title and the body.

The header holds the headline printings, image captions, "Short Url", stamps ("Updated 15
February 2025", "Published : ..."), bylines, "Follow", and bullet summary lines. It ends at the
first line of running text (or a dateline). Only dates read here (and labelled stamps after the
body) count as the article's dates: dates before the title (render dates, sidebars) and in
captions never do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from threatscape.model import Caption
from threatscape.structure.dates import read_stamp
from threatscape.structure.lines import (
    bullet_text,
    is_furniture,
    is_headline_like,
    is_name_like,
    is_prose,
    parse_byline,
    parse_caption,
    parse_credit_line,
)
from threatscape.structure.rules import Rules
from threatscape.structure.text import deglue, normalise_text, word_count

__all__ = ["Draft", "absorb", "find_body_start", "guess_title", "read_cluster", "read_header", "title_above"]


@dataclass
class Draft:
    """What the reader has gathered for one article so far (mutable while reading)."""

    title: str = ""
    summary: list[str] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    byline: str | None = None
    published: str | None = None
    updated: str | None = None
    plain: str | None = None  # an unlabelled date stamp in the header
    decks: list[str] = field(default_factory=list)
    last: str = ""  # kind of the last line absorbed: "stamp", "furniture", ...

    def is_title(self, line: str) -> bool:
        return bool(self.title) and normalise_text(line) == normalise_text(self.title)


def absorb(line: str, draft: Draft, rules: Rules, *, dates: bool = True) -> bool:
    """Take a furniture, caption, stamp or byline line into ``draft``; False if it is none of those."""
    kind = _absorb(line, draft, rules, dates)
    if kind:
        draft.last = kind
    return bool(kind)


def _absorb(line: str, draft: Draft, rules: Rules, dates: bool) -> str:
    if draft.is_title(line):
        return "title"
    if is_furniture(line, rules):
        return "furniture"
    caption = parse_caption(line, rules)
    if caption is not None:
        draft.captions.append(caption)
        return "caption"
    credit = parse_credit_line(line)
    if credit is not None:
        if draft.captions and draft.captions[-1].credit is None:
            draft.captions[-1] = Caption(text=draft.captions[-1].text, credit=credit)
        return "credit"
    stamp = read_stamp(line, rules)
    if stamp is not None:
        if dates:
            draft.published = draft.published or stamp.published
            draft.updated = draft.updated or stamp.updated
            draft.plain = draft.plain or stamp.plain
        draft.byline = draft.byline or parse_byline(deglue(line), rules, stamp=True)
        return "stamp"
    byline = parse_byline(line, rules)
    if byline is not None:
        draft.byline = draft.byline or byline
        return "byline"
    return ""


def _starts_body(line: str, rules: Rules) -> bool:
    if parse_caption(line, rules) is not None or is_furniture(line, rules):
        return False
    return is_prose(line, rules)


def find_body_start(lines: list[str], start: int, end: int, rules: Rules) -> int:
    """Index of the first line of running text in ``lines[start:end]`` (``end`` if none)."""
    for i in range(start, end):
        if lines[i] and bullet_text(lines[i], rules) is None and _starts_body(lines[i], rules):
            return i
    return end


def _is_header_item(line: str, rules: Rules) -> bool:
    return (
        not line
        or is_furniture(line, rules)
        or bullet_text(line, rules) is not None
        or parse_caption(line, rules) is not None
        or parse_credit_line(line) is not None
        or read_stamp(line, rules) is not None
        or parse_byline(line, rules) is not None
    )


def guess_title(lines: list[str], start: int, body: int, rules: Rules) -> int | None:
    """Index of the headline before the body: the nearest headline-shaped line above it.

    When the line right above that one is also headline-shaped and shorter, the nearer one is a
    deck (standfirst) and the upper one the headline, unless that upper line is itself one of a
    list of headline-shaped lines (a sidebar).
    """
    j = body - 1
    while j >= start and (_is_header_item(lines[j], rules) or not is_headline_like(lines[j], rules)):
        j -= 1
    if j < start:
        return None
    k = j - 1
    while k >= start and not lines[k]:
        k -= 1
    upper = lines[k] if k >= start else ""
    shorter = word_count(upper) < word_count(lines[j])
    if upper and is_headline_like(upper, rules) and not _is_header_item(upper, rules) and shorter:
        m = k - 1
        while m >= start and not lines[m]:
            m -= 1
        in_list = m >= start and is_headline_like(lines[m], rules)  # a sidebar list, not a headline
        return j if in_list else k
    return j


def title_above(lines: list[str], start: int, first: int, rules: Rules) -> int | None:
    """A shorter headline just above a repeated line, separated from it only by stamps or bylines.

    Then the repeated line is a standfirst printed twice, not the headline.
    """
    j, between = first - 1, 0
    while j >= start and (not lines[j] or read_stamp(lines[j], rules) or parse_byline(lines[j], rules)):
        between += bool(lines[j])
        j -= 1
    if j < start or not between or not is_headline_like(lines[j], rules):
        return None
    return j if word_count(lines[j]) < word_count(lines[first]) else None


def read_cluster(lines: list[str], first: int, last: int, draft: Draft, rules: Rules) -> None:
    """Lines between a headline's printings: furniture, stamps and bylines, else image captions."""
    for line in lines[first + 1 : last]:
        if not line or absorb(line, draft, rules):
            continue
        if draft.last == "stamp" and draft.byline is None and is_name_like(line):
            draft.byline = line
            continue
        draft.captions.append(Caption(text=line))


def is_deck(line: str, rules: Rules) -> bool:
    """A standfirst under the headline: a few real words, balanced brackets, not furniture."""
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    balanced = line.count("(") == line.count(")")
    return len(words) >= rules.threshold("headline_min_words") and balanced


def read_header(lines: list[str], start: int, end: int, draft: Draft, rules: Rules, *, dates: bool) -> int:
    """Read header lines from ``start``; return the index where the body begins."""
    i = start
    while i < end:
        line = lines[i]
        if not line:
            i += 1
            continue
        bullet = bullet_text(line, rules)
        if bullet is not None:
            if normalise_text(bullet) not in {normalise_text(s) for s in draft.summary}:
                draft.summary.append(bullet)
        elif _starts_body(line, rules):
            return i
        elif absorb(line, draft, rules, dates=dates):
            pass
        elif draft.last == "stamp" and draft.byline is None and is_name_like(line):
            draft.byline = line
        elif is_deck(line, rules):
            draft.decks.append(line)
        i += 1
    return end
