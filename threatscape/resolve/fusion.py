"""Fusion across reports: the same incident told by several outlets becomes one event.

``fuse_events(items)`` takes ``(article_id, story_id, Event)`` triples and returns one
``FusedEvent`` per incident, with every source event it absorbed, a fatality range across them
and ``n_reports`` counting *stories*: near-duplicate articles (one wire story syndicated on two
sites, ``Store.story_of``) are one report, never two.

Matching (``threatscape.resolve.fusion_match``) is a list of small comparison functions, each
scoring a pair of events in ``[0, 1]`` or ``None`` when it has nothing to go on; 0 vetoes the
pair. A pair matches when nothing vetoes it, both are dated, and the weighted mean of the known
scores reaches ``MATCH_THRESHOLD``:

- type: the same ACLED sub-event type, the same type, or types that one complex attack gives
  (a suicide bombing followed by a gun battle: *Explosions/Remote violence* and *Battles*);
- date: windows within ``DATE_SLACK_DAYS`` of each other (a night raid is "Friday" in one
  report and "Saturday" in the next); nothing vaguer than a month is fused;
- place: within ``NEAR_KM``, the same name, or the same admin1/country when one side is vague;
- actors: none contradicts (state forces are one side whatever branch a report names;
  unidentified armed groups fit any group);
- fatalities: within ``TOLL_FACTOR`` of each other (tolls rise as reports come in).

Clustering is complete linkage: pairs are merged best first, and two clusters join
only when every cross pair matches, so A~B~C never chains two different incidents. Aggregate
events (tallies over a period) are never fused with incidents, and with each other only inside one
story. The fused event takes ACLED's choices: the highest type of the hierarchy, the most precise
place, the earliest precise day, and the lowest reported toll as ``best``.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from threatscape.model import DateSpan, Event, Fatalities, FusedEvent, FusedSource, Place
from threatscape.resolve.fusion_match import (
    DATE_SLACK_DAYS,
    actor_key,
    date_bounds,
    match_score,
    toll,
    type_rank,
)

__all__ = ["FusedEvent", "FusedSource", "fuse_events", "fused_id"]


@dataclass(frozen=True)
class _Item:
    article_id: str
    story_id: str
    event: Event

    @property
    def key(self) -> tuple[str, str]:
        return (self.article_id, self.event.id)


def _pair_score(a: _Item, b: _Item) -> float | None:
    if a.event.aggregate or b.event.aggregate:
        return 1.0 if _same_tally(a, b) else None
    copies = a.story_id == b.story_id and a.article_id != b.article_id
    return match_score(a.event, b.event, copies=copies)


def _same_tally(a: _Item, b: _Item) -> bool:
    """Tallies fuse only with the same tally of the same story (a syndicated copy), never an incident."""
    ea, eb = a.event, b.event
    if not (ea.aggregate and eb.aggregate) or a.story_id != b.story_id:
        return False
    count = (ea.count.value if ea.count else None) == (eb.count.value if eb.count else None)
    span = (ea.date.start, ea.date.end) if ea.date else None
    return count and ea.type == eb.type and span == ((eb.date.start, eb.date.end) if eb.date else None)


# -- clustering ----------------------------------------------------------------------------------


def _sort_key(item: _Item) -> tuple[str, str, str]:
    days = date_bounds(item.event.date)
    return (days[0].isoformat() if days else "9999", item.article_id, item.event.id)


def _candidate_pairs(items: Sequence[_Item]) -> dict[tuple[int, int], float]:
    """Scores of the pairs that match: events whose dates come near each other, and copies of a story."""
    spans = [date_bounds(it.event.date) for it in items]
    pairs: set[tuple[int, int]] = set()
    for i, si in enumerate(spans):
        if si is None:
            break  # sorted: the undated come last, and pair up only with copies of their story
        for j in range(i + 1, len(items)):
            sj = spans[j]
            if sj is None or (sj[0] - si[1]).days > DATE_SLACK_DAYS:
                break  # sorted by start: nothing later can come near
            pairs.add((i, j))
    stories: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        stories.setdefault(it.story_id, []).append(i)
    pairs.update((i, j) for group in stories.values() for n, i in enumerate(group) for j in group[n + 1 :])
    scores = {(i, j): _pair_score(items[i], items[j]) for i, j in sorted(pairs)}
    return {pair: score for pair, score in scores.items() if score is not None}


def _cluster(items: Sequence[_Item]) -> list[list[int]]:
    """Complete linkage: best pairs first; clusters join only when every cross pair matches."""
    return _cluster_scores(len(items), _candidate_pairs(items))


def _cluster_scores(n: int, scores: dict[tuple[int, int], float]) -> list[list[int]]:
    """Complete linkage of ``n`` items over the ``scores`` of their matching pairs ``(i, j)``, ``i < j``."""
    cluster_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for (i, j), _score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj:
            continue
        if all((min(x, y), max(x, y)) in scores for x in members[ci] for y in members[cj]):
            for x in members[cj]:
                cluster_of[x] = ci
            members[ci].extend(members.pop(cj))
    return [sorted(m) for m in members.values()]


# -- one fused event per cluster -----------------------------------------------------------------


def _representative(group: Sequence[_Item]) -> _Item:
    """The member whose type ranks highest in ACLED's hierarchy, then the most confident."""
    return min(group, key=lambda it: (type_rank(it.event.type, it.event.sub_type), -it.event.confidence, it.key))


def _location(group: Sequence[_Item]) -> Place | None:
    placed = [it for it in group if it.event.location is not None]
    if not placed:
        return None

    def rank(it: _Item) -> tuple[int, int, float, tuple[str, str]]:
        p = it.event.location
        assert p is not None
        return (p.detail, p.lat is None, -it.event.confidence, it.key)

    return min(placed, key=rank).event.location


def _date(group: Sequence[_Item]) -> DateSpan | None:
    """The earliest day a report gives; else the overlap of the spans; else the narrowest span."""
    dated = [(d, it.event.date) for it in group if (d := date_bounds(it.event.date)) and it.event.date]
    if not dated:
        return None
    days = sorted(d[0] for d, span in dated if span.precision == "day" or d[0] == d[1])
    if days:
        return DateSpan(days[0].isoformat(), days[0].isoformat(), "day")
    start, end = max(d[0] for d, _ in dated), min(d[1] for d, _ in dated)
    if start <= end:
        narrowest = min(dated, key=lambda x: (x[0][1] - x[0][0]).days)[1]
        return DateSpan(start.isoformat(), end.isoformat(), narrowest.precision)
    return min(dated, key=lambda x: ((x[0][1] - x[0][0]).days, x[0][0]))[1]


def _fatalities(group: Sequence[_Item]) -> Fatalities | None:
    """ACLED's lowest reported figure as ``best``; the range across all reports as low..high."""
    figures = [f for it in group if (f := it.event.fatalities) is not None and toll(f) is not None]
    if not figures:
        return None
    bests = [f.best for f in figures if f.best is not None]
    lows = [x for f in figures for x in (f.low, f.best, f.high) if x is not None]
    highs = [x for f in figures for x in (f.high, f.best, f.low) if x is not None]
    best = min(bests) if bests else min(lows)
    return Fatalities(best=best, low=min(lows), high=max(highs))


def _actors(rep: _Item, group: Sequence[_Item]) -> tuple[str | None, str | None]:
    """The representative's actors; an empty or unidentified slot filled from the other reports."""
    slots = [rep.event.actor1, rep.event.actor2]
    for n, slot in enumerate(slots):
        if actor_key(slot) is not None:
            continue
        other = slots[1 - n]
        named = Counter(
            a
            for it in group
            for a in ((it.event.claimed_by, it.event.actor1) if n == 0 else (it.event.actor2,))
            if actor_key(a) is not None and actor_key(a) != actor_key(other)
        )
        if named:
            slots[n] = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return slots[0], slots[1]


def _confidence(group: Sequence[_Item]) -> float:
    """Independent stories raise the confidence: 1 - prod(1 - best confidence per story)."""
    per_story: dict[str, float] = {}
    for it in group:
        per_story[it.story_id] = max(per_story.get(it.story_id, 0.0), it.event.confidence)
    return round(1.0 - math.prod(1.0 - c for c in per_story.values()), 4)


def fused_id(article_id: str, event_id: str) -> str:
    """The id of a fused event: its first member's (article, event) pair, hashed."""
    return "fev-" + hashlib.sha256(f"{article_id}\x1f{event_id}".encode()).hexdigest()[:16]


def _fuse(group: Sequence[_Item]) -> FusedEvent:
    rep = _representative(group)
    actor1, actor2 = _actors(rep, group)
    sources = tuple(
        FusedSource(
            it.article_id,
            it.event.id,
            it.story_id,
            it.event.fatalities,
            it.event.reported_by,
            it.event.date,
            it.event.confidence,
        )
        for it in sorted(group, key=lambda it: it.key)
    )
    claimed = sorted({it.event.claimed_by for it in group if it.event.claimed_by})
    return FusedEvent(
        id=fused_id(*min(it.key for it in group)),
        type=rep.event.type,
        sub_type=rep.event.sub_type,
        sources=sources,
        n_reports=len({it.story_id for it in group}),
        plover=rep.event.plover,
        actor1=actor1,
        actor2=actor2,
        claimed_by=claimed[0] if claimed else None,
        aggregate=rep.event.aggregate,
        count=rep.event.count,
        location=_location(group),
        date=_date(group),
        fatalities=_fatalities(group),
        confidence=_confidence(group),
    )


def fuse_events(items: Sequence[tuple[str, str | None, Event]]) -> list[FusedEvent]:
    """One ``FusedEvent`` per incident among ``(article_id, story_id, event)`` triples.

    ``story_id`` is the near-duplicate story of the article (``None``: the article is its own
    story). The result does not depend on the order of ``items``; it is sorted by date, then id.
    """
    wrapped = sorted((_Item(a, s or a, e) for a, s, e in items), key=_sort_key)
    fused = [_fuse([wrapped[i] for i in group]) for group in _cluster(wrapped)]
    return sorted(fused, key=lambda f: (f.date.start if f.date and f.date.start else "9999", f.id))
