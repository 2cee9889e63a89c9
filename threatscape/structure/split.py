"""Splitting a page dump into articles.

Rule: a news page prints its headline more than once around its header furniture (image
caption, "Short Url", "Updated ...", "Follow"). A headline-shaped line printed again within
``repeat_window`` lines is one *printing cluster*; each cluster opens an article. A cluster only
starts a new article once the current one has at least ``min_split_body_words`` words of running
text after its own headline, so a headline repeated inside one article's header never splits it.
A headline printed once but followed by a Published/Updated stamp also opens an article, once
the current one has that much running text. A dump with neither is one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from threatscape.structure.dates import read_stamp
from threatscape.structure.lines import is_headline_like, is_prose, parse_byline, parse_caption
from threatscape.structure.rules import Rules
from threatscape.structure.text import normalise_text, word_count

__all__ = ["Cluster", "Segment", "find_headline_clusters", "find_stamped_headlines", "split_dump"]


@dataclass(frozen=True)
class Cluster:
    """Where one headline is printed: first and last line index, and the headline as printed."""

    first: int
    last: int
    title: str
    repeated: bool = True  # printed twice; else a headline printed once right above a stamp


@dataclass(frozen=True)
class Segment:
    """Lines ``start``..``end`` (exclusive) of one article, with its headline cluster if any."""

    start: int
    end: int
    cluster: Cluster | None


def _headline_keys(lines: list[str], rules: Rules) -> list[str | None]:
    keys: list[str | None] = []
    for line in lines:
        ok = (
            is_headline_like(line, rules)
            and parse_caption(line, rules) is None
            and read_stamp(line, rules) is None
            and parse_byline(line, rules) is None
        )
        keys.append(normalise_text(line) if ok else None)
    return keys


_MAX_PROSE_BETWEEN = 1  # a long caption may stand between printings; story paragraphs may not


def _prose_lines(lines: list[str], i: int, j: int, rules: Rules) -> int:
    return sum(1 for x in lines[i + 1 : j] if is_prose(x, rules))


_RELATIVE_UPDATE = re.compile(r"^updated\s+\d+\s*\w+.*\bago$", re.IGNORECASE)


def find_headline_clusters(lines: list[str], rules: Rules) -> list[Cluster]:
    """Headlines printed two or more times within ``repeat_window`` lines, in page order."""
    window = rules.threshold("repeat_window")
    keys = _headline_keys(lines, rules)
    clusters: list[Cluster] = []
    i = 0
    while i < len(lines):
        key = keys[i]
        repeats = [j for j in range(i + 1, min(len(lines), i + window + 1)) if key and keys[j] == key]
        if not repeats:
            i += 1
            continue
        repeats = [j for j in repeats if _prose_lines(lines, i, j, rules) <= _MAX_PROSE_BETWEEN]
        if not repeats:
            i += 1
            continue
        last = repeats[-1]
        while True:  # extend through further printings within the window of the last one
            more = [
                j
                for j in range(last + 1, min(len(lines), last + window + 1))
                if keys[j] == key and _prose_lines(lines, last, j, rules) <= _MAX_PROSE_BETWEEN
            ]
            if not more:
                break
            last = more[-1]
        clusters.append(Cluster(first=i, last=last, title=lines[i]))
        i = last + 1
    return clusters


def _stamped(lines: list[str], i: int, rules: Rules) -> bool:
    """A headline printed once with a Published/Updated stamp on one of the next two lines."""
    following = [x for x in lines[i + 1 : i + 6] if x][:2]
    for line in following:
        stamp = read_stamp(line, rules)
        if (stamp and (stamp.published or stamp.updated)) or _RELATIVE_UPDATE.match(line):
            return True
    return False


def find_stamped_headlines(lines: list[str], rules: Rules) -> list[Cluster]:
    """Headlines printed once but followed by a labelled stamp ("Updated 3 March 2025")."""
    keys = _headline_keys(lines, rules)
    return [
        Cluster(first=i, last=i, title=lines[i], repeated=False)
        for i in range(len(lines))
        if keys[i] and (i == 0 or not lines[i - 1]) and _stamped(lines, i, rules)
    ]


def _prose_words(lines: list[str], start: int, end: int, rules: Rules) -> int:
    return sum(word_count(x) for x in lines[start:end] if is_prose(x, rules))


def split_dump(lines: list[str], rules: Rules) -> list[Segment]:
    """The articles of a dump of cleaned lines, as line ranges with their headline clusters."""
    repeated = find_headline_clusters(lines, rules)
    taken = {i for c in repeated for i in range(c.first, c.last + 1)}
    single = [c for c in find_stamped_headlines(lines, rules) if c.first not in taken]
    clusters = sorted(repeated + single, key=lambda c: c.first)
    minimum = rules.threshold("min_split_body_words")
    starts: list[tuple[int, Cluster | None]] = []
    start, current, read_from = 0, None, 0
    for cluster in clusters:
        if _prose_words(lines, read_from, cluster.first, rules) >= minimum:  # the story before is done
            starts.append((start, current))
            start, current, read_from = cluster.first, cluster, cluster.last + 1
        elif current is None and cluster.repeated:  # the first story's own headline
            current, read_from = cluster, cluster.last + 1
    starts.append((start, current))
    ends = [s for s, _ in starts[1:]] + [len(lines)]
    return [Segment(s, e, c) for (s, c), e in zip(starts, ends, strict=True)]
