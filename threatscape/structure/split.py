"""Splitting a page dump into articles.

Rule: a news page prints its headline more than once around its header furniture (image
caption, "Short Url", "Updated ...", "Follow"). A headline-shaped line printed again within
``repeat_window`` lines is one *printing cluster*; each cluster opens an article. A cluster only
starts a new article once the current one has at least ``min_split_body_words`` words of running
text after its own headline, so a headline repeated inside one article's header never splits it.
A dump without repeated headlines is one article.
"""

from __future__ import annotations

from dataclasses import dataclass

from threatscape.structure.lines import is_headline_like, is_prose, parse_caption
from threatscape.structure.rules import Rules
from threatscape.structure.text import normalise_text, word_count

__all__ = ["Cluster", "Segment", "find_headline_clusters", "split_dump"]


@dataclass(frozen=True)
class Cluster:
    """Where one headline is printed: first and last line index, and the headline as printed."""

    first: int
    last: int
    title: str


@dataclass(frozen=True)
class Segment:
    """Lines ``start``..``end`` (exclusive) of one article, with its headline cluster if any."""

    start: int
    end: int
    cluster: Cluster | None


def _headline_keys(lines: list[str], rules: Rules) -> list[str | None]:
    keys: list[str | None] = []
    for line in lines:
        ok = is_headline_like(line, rules) and parse_caption(line, rules) is None
        keys.append(normalise_text(line) if ok else None)
    return keys


_MAX_PROSE_BETWEEN = 1  # a long caption may stand between printings; story paragraphs may not


def _prose_lines(lines: list[str], i: int, j: int, rules: Rules) -> int:
    return sum(1 for x in lines[i + 1 : j] if is_prose(x, rules))


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


def _prose_words(lines: list[str], start: int, end: int, rules: Rules) -> int:
    return sum(word_count(x) for x in lines[start:end] if is_prose(x, rules))


def split_dump(lines: list[str], rules: Rules) -> list[Segment]:
    """The articles of a dump of cleaned lines, as line ranges with their headline clusters."""
    clusters = find_headline_clusters(lines, rules)
    if not clusters:
        return [Segment(0, len(lines), None)]
    minimum = rules.threshold("min_split_body_words")
    segments: list[Segment] = []
    if _prose_words(lines, 0, clusters[0].first, rules) >= minimum:  # a story before the first one
        segments.append(Segment(0, clusters[0].first, None))
    starts: list[tuple[int, Cluster]] = [(segments[-1].end if segments else 0, clusters[0])]
    for cluster in clusters[1:]:
        opened = starts[-1][1]
        if _prose_words(lines, opened.last + 1, cluster.first, rules) >= minimum:
            starts.append((cluster.first, cluster))
    for n, (start, cluster) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        segments.append(Segment(start, end, cluster))
    return segments
