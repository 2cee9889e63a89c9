"""Fusion cut into blocks by country and date window, so the pair matching can run on a cluster.

``fuse_events`` compares every pair of events whose dates come near each other, and every pair
inside one story. On millions of events that is the costly part; the clustering after it only
reads the scores. ``fuse_blocked(items, map_blocks)`` gives exactly what ``fuse_events(items)``
gives, with the scoring done block by block by ``map_blocks`` (the builtin ``map``, or a Dask
client's map through ``dask_map``):

- **date windows**: an event touches every window of ``WINDOW_DAYS`` days its span, stretched by
  ``DATE_SLACK_DAYS`` at the end, overlaps; two events whose dates come near each other (their
  stretched spans overlap) always share a window, whichever side of a window's edge they fall;
- **countries**: inside a window, events are blocked by country (``country_code``, else the
  country's name, as ``compare_places`` compares them); events of different countries never
  match, except two precise points within ``NEAR_KM`` of each other (a border town): those are
  found by *border* blocks, cells of a grid on the globe (``CELL_KM`` a side) that each point's
  box of ``NEAR_KM`` touches;
- **no country** (unplaced, or a place without one): such an event may match an event of any
  country, so it goes into every country block of its windows, and a block of its own window's
  countryless events;
- **stories**: the events of the copies of a syndicated story pair up whatever their dates (a
  copy may not resolve a date the other does), and tallies only within their story, in a block
  per story; inside one article, events that can pair meet in the blocks above, since a pair
  with no date, or a date vaguer than ``VAGUE_MAX_DAYS``, matches only between copies.

A pair found in several blocks is scored the same in each and counted once. Complete linkage
over the same scores gives the same clusters (clusters never cross a component of the pair
graph, and inside one the order of merges depends only on its own pairs), so the fused events,
their ids and their order are those of ``fuse_events``. ``BlockStats`` says how many blocks
there were and how many event copies they held (the shuffle's volume).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from threatscape.model import Event, FusedEvent
from threatscape.resolve.fusion import _cluster_scores, _fuse, _Item, _pair_score, _sort_key
from threatscape.resolve.fusion_match import DATE_SLACK_DAYS, NEAR_KM, VAGUE_MAX_DAYS, _vague, date_bounds

__all__ = ["BlockStats", "block_items", "dask_map", "fuse_blocked", "score_block"]

WINDOW_DAYS = 7
CELL_KM = 16 * NEAR_KM  # a point further than NEAR_KM from every wall of its cell is in one border block
_EARTH_KM = 6371.0
_EPOCH = dt.date(1970, 1, 1)

Key = tuple[str, str]  # (article id, event id)
Pair = tuple[Key, Key, float]
ScoreBlock = Callable[[Sequence[_Item], str], list[Pair]]
MapBlocks = Callable[[ScoreBlock, list[Sequence[_Item]], list[str]], Iterable[list[Pair]]]


@dataclass
class BlockStats:
    events: int = 0
    blocks: int = 0
    copies: int = 0  # events shipped, summed over blocks (a shuffle's volume)
    pairs: int = 0  # pairs that match, once each

    @property
    def replication(self) -> float:
        return self.copies / self.events if self.events else 0.0


def _country(e: Event) -> str | None:
    p = e.location
    key = (p.country_code or p.country) if p is not None else None
    return key.casefold() if key else None


def _windows(e: Event) -> range | None:
    """The windows an event's dates touch; None when no date can pair it (none, or vaguer than
    ``VAGUE_MAX_DAYS``, which ``compare_dates`` vetoes whatever the other event)."""
    days = date_bounds(e.date)
    if days is None or (days[1] - days[0]).days > VAGUE_MAX_DAYS:
        return None
    first = (days[0] - _EPOCH).days // WINDOW_DAYS
    last = (days[1] - _EPOCH).days + DATE_SLACK_DAYS
    return range(first, last // WINDOW_DAYS + 1)


def _cells(e: Event) -> list[tuple[int, int, int]]:
    """The border cells a precise point's box of ``NEAR_KM`` touches (3-D, on the sphere's chord:
    two points within ``NEAR_KM`` along the surface are closer still along the chord)."""
    p = e.location
    if p is None or p.lat is None or p.lon is None or _vague(p):
        return []
    la, lo = math.radians(p.lat), math.radians(p.lon)
    xyz = (_EARTH_KM * math.cos(la) * math.cos(lo), _EARTH_KM * math.cos(la) * math.sin(lo), _EARTH_KM * math.sin(la))
    spans = [range(math.floor((c - NEAR_KM) / CELL_KM), math.floor((c + NEAR_KM) / CELL_KM) + 1) for c in xyz]
    return [(x, y, z) for x in spans[0] for y in spans[1] for z in spans[2]]


def block_items(items: Sequence[_Item]) -> Iterator[tuple[str, list[_Item]]]:
    """Every block of ``items`` (named ``kind:key``) with its events, sorted as ``fuse_events`` sorts them."""
    by_country: dict[tuple[int, str], list[_Item]] = {}
    countryless: dict[int, list[_Item]] = {}
    border: dict[tuple[int, tuple[int, int, int]], list[_Item]] = {}
    stories: dict[str, list[_Item]] = {}
    for it in sorted(items, key=_sort_key):
        stories.setdefault(it.story_id, []).append(it)
        windows = _windows(it.event)
        if windows is None:
            continue
        country = _country(it.event)
        cells = _cells(it.event) if country is not None else []
        for w in windows:
            if country is None:
                countryless.setdefault(w, []).append(it)
            else:
                by_country.setdefault((w, country), []).append(it)
            for cell in cells:
                border.setdefault((w, cell), []).append(it)
    for (w, country), members in sorted(by_country.items()):
        merged = sorted(members + countryless.get(w, []), key=_sort_key)
        yield f"country:{country}:{w}", merged
    for w, members in sorted(countryless.items()):
        yield f"countryless:{w}", members
    for (w, cell), members in sorted(border.items()):
        if len({_country(it.event) for it in members}) > 1:
            yield f"border:{w}:{cell}", members
    for story, members in sorted(stories.items()):
        if len({it.article_id for it in members}) == 1:
            # one article: its dated events meet in the blocks above; only its tallies need this
            members = [it for it in members if it.event.aggregate]
        if len(members) > 1:
            yield f"story:{story}", members


def _near_in_time(a: _Item, b: _Item) -> bool:
    da, db = date_bounds(a.event.date), date_bounds(b.event.date)
    if da is None or db is None:
        return False
    return (db[0] - da[1]).days <= DATE_SLACK_DAYS and (da[0] - db[1]).days <= DATE_SLACK_DAYS


def _pairs(members: Sequence[_Item], kind: str) -> Iterator[tuple[_Item, _Item]]:
    if kind != "border":
        yield from combinations(members, 2)
        return
    by_country: dict[str | None, list[_Item]] = {}
    for it in members:
        by_country.setdefault(_country(it.event), []).append(it)
    for x, y in combinations(sorted(by_country, key=str), 2):  # only across countries
        for a in by_country[x]:
            for b in by_country[y]:
                yield (a, b) if _sort_key(a) <= _sort_key(b) else (b, a)


def score_block(members: Sequence[_Item], name: str) -> list[Pair]:
    """The pairs of one block that match, with their scores (``fuse_events``'s own scoring)."""
    kind = name.split(":", 1)[0]
    found: list[Pair] = []
    for a, b in _pairs(members, kind):
        if kind == "story":
            pass  # every pair of a story
        elif not _near_in_time(a, b):
            continue
        elif kind == "country" and _country(a.event) is None and _country(b.event) is None:
            continue  # found by the countryless block
        score = _pair_score(a, b)
        if score is not None:
            found.append((a.key, b.key, score))
    return found


def fuse_blocked(
    items: Sequence[tuple[str, str | None, Event]],
    map_blocks: MapBlocks | None = None,
    stats: BlockStats | None = None,
) -> list[FusedEvent]:
    """``fuse_events(items)``, with the pairs scored block by block by ``map_blocks(fn, blocks,
    names)`` (default: the builtin ``map``, in this process)."""
    wrapped = sorted((_Item(a, s or a, e) for a, s, e in items), key=_sort_key)
    blocks = list(block_items(wrapped))
    run = map_blocks or map
    index = {it.key: n for n, it in enumerate(wrapped)}
    scores: dict[tuple[int, int], float] = {}
    for pairs in run(score_block, [m for _, m in blocks], [name for name, _ in blocks]):
        for ka, kb, score in pairs:
            i, j = sorted((index[ka], index[kb]))
            scores[(i, j)] = score
    if stats is not None:
        stats.events, stats.blocks = len(wrapped), len(blocks)
        stats.copies, stats.pairs = sum(len(m) for _, m in blocks), len(scores)
    fused = [_fuse([wrapped[i] for i in group]) for group in _cluster_scores(len(wrapped), scores)]
    return sorted(fused, key=lambda f: (f.date.start if f.date and f.date.start else "9999", f.id))


def dask_map(client: Any, batch: int = 64) -> MapBlocks:
    """A ``map_blocks`` that scores the blocks on the workers of the Dask ``client``, ``batch``
    blocks to a task (small blocks are many; one task each would cost more than the scoring)."""

    def score_many(chunk: list[tuple[Sequence[_Item], str]]) -> list[list[Pair]]:
        return [score_block(members, name) for members, name in chunk]

    def run(fn: Any, blocks: list[Sequence[_Item]], names: list[str]) -> Iterator[list[Pair]]:
        del fn  # always score_block: the workers import it
        work = list(zip(blocks, names, strict=True))
        chunks = [work[n : n + batch] for n in range(0, len(work), batch)]
        futures = client.map(score_many, chunks, pure=False)  # never skipped as identical input
        for future in futures:
            yield from future.result()

    return run
