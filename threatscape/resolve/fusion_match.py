"""Whether two event reports tell one incident: small weighted comparison functions.

Each comparison scores a pair of events in ``[0, 1]``, or ``None`` when it has nothing to go on;
0 vetoes the pair. ``match_score`` says a pair matches when nothing vetoes it, both are dated, and
the weighted mean of the known scores reaches ``MATCH_THRESHOLD``. See ``threatscape.resolve.fusion``
for how matches become fused events.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from threatscape.model import DateSpan, Event, Fatalities, Place
from threatscape.resolve.gazetteer_names import name_key, strip_feature_word

__all__ = [
    "COMPARISONS",
    "DATE_SLACK_DAYS",
    "MATCH_THRESHOLD",
    "SUB_TYPE_ORDER",
    "TYPE_ORDER",
    "VAGUE_MAX_DAYS",
    "Comparison",
    "actor_key",
    "compare_actors",
    "compare_dates",
    "compare_fatalities",
    "compare_places",
    "compare_types",
    "date_bounds",
    "match_score",
    "toll",
    "type_rank",
]

MATCH_THRESHOLD = 0.75  # weighted mean of the comparisons a pair needs to be one incident
DATE_SLACK_DAYS = 2  # reports of one incident may disagree on the day by this much
VAGUE_MAX_DAYS = 31  # a date span wider than a month is not an incident date
NEAR_KM = 25.0  # two geocoded points this close are one place
TOLL_FACTOR, TOLL_SLACK = 3.0, 5  # tolls a and b (a <= b) are compatible when b <= 3a + 5
ANCHOR_SCORE = 0.6  # an undated/unplaced side needs its other evidence at least this strong

TYPE_ORDER = (
    "Battles", "Protests", "Riots", "Explosions/Remote violence", "Violence against civilians",
    "Strategic developments",
)  # fmt: skip
SUB_TYPE_ORDER: dict[str, tuple[str, ...]] = {
    "Battles": ("Government regains territory", "Non-state actor overtakes territory", "Armed clash"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
}  # fmt: skip
# Types one incident can be reported as (a complex attack; a protest that turns violent).
_TYPE_FAMILIES = (
    frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"}),
    frozenset({"Protests", "Riots"}),
)
_STATE_SUFFIXES = ("-MIL", "-POL", "-GOV")  # one country's state forces: one side (ACLED inter 1)
_GENERIC_SUFFIX = "-UAG"  # unidentified armed group: fits any group


# -- comparisons -------------------------------------------------------------------------------


def type_rank(type_: str, sub_type: str | None) -> tuple[int, int]:
    t = TYPE_ORDER.index(type_) if type_ in TYPE_ORDER else len(TYPE_ORDER)
    subs = SUB_TYPE_ORDER.get(type_, ())
    return (t, subs.index(sub_type) if sub_type in subs else len(subs))


def compare_types(a: Event, b: Event) -> float | None:
    """1 for one sub-event type, 0.8 one type, 0.6 one complex attack; 0 otherwise.

    Strategic developments fuse only with the same sub-event type: an arrest is not an agreement.
    """
    if a.type == b.type and a.sub_type == b.sub_type:
        return 1.0
    if a.type == b.type:
        return 0.0 if a.type not in SUB_TYPE_ORDER else 0.8
    if any(a.type in family and b.type in family for family in _TYPE_FAMILIES):
        return 0.6
    return 0.0


def date_bounds(span: DateSpan | None) -> tuple[date, date] | None:
    if span is None or not span.start:
        return None
    try:
        start = date.fromisoformat(span.start)
        end = date.fromisoformat(span.end) if span.end else start
    except ValueError:
        return None
    return (start, end) if end >= start else (end, start)


def compare_dates(a: Event, b: Event) -> float | None:
    """1 for one day, less per day apart (0 past ``DATE_SLACK_DAYS``); 0.5 when a month holds a day."""
    da, db = date_bounds(a.date), date_bounds(b.date)
    if da is None or db is None:
        return None
    widths = ((da[1] - da[0]).days, (db[1] - db[0]).days)
    if max(widths) > VAGUE_MAX_DAYS:
        return 0.0
    gap = max(0, (db[0] - da[1]).days, (da[0] - db[1]).days)
    if gap > DATE_SLACK_DAYS:
        return 0.0
    if max(widths) > DATE_SLACK_DAYS:
        return 0.5 if gap == 0 else 0.0
    return 1.0 - 0.2 * gap


def _km(a: Place, b: Place) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _same(x: str | None, y: str | None) -> bool | None:
    if not x or not y:
        return None
    return x.casefold() == y.casefold()


def _vague(p: Place) -> bool:
    return p.precision in ("admin1", "region", "country") or p.lat is None


def _base_name(p: Place) -> str:
    """ "Kalat District" -> "kalat": the name without its feature word, as the gazetteer keys it."""
    return strip_feature_word(name_key(p.name))[0]


def compare_places(a: Event, b: Event) -> float | None:
    """1 within ``NEAR_KM`` or by name (a town and its namesake district too), 0.7 same admin1 and
    0.5 same country when one is vague."""
    pa, pb = a.location, b.location
    if pa is None or pb is None:
        return None
    km = _km(pa, pb)
    if km is not None and km <= NEAR_KM and not _vague(pa) and not _vague(pb):
        return 1.0
    if _same(pa.country_code or pa.country, pb.country_code or pb.country) is False:
        return 0.0
    if min(pa.detail, pb.detail) <= 1 and _same(_base_name(pa), _base_name(pb)) and _same(pa.admin1, pb.admin1):
        return 1.0  # a town and the district named after it ("Kalat", "Kalat district")
    if not _vague(pa) and not _vague(pb):
        same_name = _same(pa.name, pb.name) and _same(pa.admin1, pb.admin1) is not False
        return 1.0 if same_name and (km is None or km <= 4 * NEAR_KM) else 0.0
    if "admin1" in (pa.precision, pb.precision) or (pa.admin1 and pb.admin1):
        return {True: 0.7, False: 0.0, None: 0.5}[_same(pa.admin1, pb.admin1)]
    return 0.5


def actor_key(actor: str | None) -> str | None:
    if not actor or actor.endswith(_GENERIC_SUFFIX):
        return None
    for suffix in _STATE_SUFFIXES:
        if actor.endswith(suffix):
            return actor[: -len(suffix)] + "-STATE"
    return actor


def _actor_keys(e: Event) -> set[str]:
    return {k for k in map(actor_key, (e.actor1, e.actor2, e.claimed_by)) if k}


def compare_actors(a: Event, b: Event) -> float | None:
    """Shared actors score 0.6-1; 0 when the reports name different actors on one side."""
    ka, kb = _actor_keys(a), _actor_keys(b)
    if not ka or not kb:
        return None
    if ka & kb:  # one side shared: the other sides must not differ (TTP vs army, BLA vs army)
        return 0.0 if ka - kb and kb - ka else 0.6 + 0.4 * len(ka & kb) / len(ka | kb)
    a1, b1 = actor_key(a.actor1), actor_key(b.actor1)
    if a1 and b1 and a1 not in kb and b1 not in ka:
        return 0.0
    return 0.5


def toll(f: Fatalities | None) -> int | None:
    if f is None:
        return None
    return next((x for x in (f.best, f.low, f.high) if x is not None), None)


def compare_fatalities(a: Event, b: Event) -> float | None:
    """Tolls within ``TOLL_FACTOR`` (plus ``TOLL_SLACK``) of each other are one incident's."""
    ta, tb = toll(a.fatalities), toll(b.fatalities)
    if ta is None or tb is None:
        return None
    lo, hi = sorted((ta, tb))
    if hi > TOLL_FACTOR * lo + TOLL_SLACK:
        return 0.0
    return 0.5 + 0.5 * (lo + 1) / (hi + 1)


@dataclass(frozen=True)
class Comparison:
    name: str
    weight: float
    compare: Callable[[Event, Event], float | None]


COMPARISONS = (
    Comparison("type", 1.0, compare_types),
    Comparison("date", 2.0, compare_dates),
    Comparison("place", 2.0, compare_places),
    Comparison("actors", 1.5, compare_actors),
    Comparison("fatalities", 0.5, compare_fatalities),
)


def _words(e: Event) -> set[str]:
    return set(e.evidence.text.casefold().split())


def _copy_score(a: Event, b: Event, scores: dict[str, float | None]) -> float | None:
    """Events of two copies of one story: the same sub-event type and nothing against is enough.

    The copies tell the same sentences, so a date or place neither copy resolved is no reason to
    list the incident twice; the overlap of the evidence words picks the right partner.
    """
    if scores["type"] != 1.0:
        return None
    known = [(c.weight, s) for c in COMPARISONS if (s := scores[c.name]) is not None]
    mean = sum(w * s for w, s in known) / sum(w for w, _ in known)
    wa, wb = _words(a), _words(b)
    overlap = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    return 0.8 * mean + 0.2 * overlap if mean >= MATCH_THRESHOLD else None


def match_score(a: Event, b: Event, *, copies: bool = False) -> float | None:
    """How surely ``a`` and ``b`` report one incident (``None``: they do not).

    ``copies``: the events come from two articles of one near-duplicate story (a syndicated wire
    text), where undated or unplaced events may still pair up. Ignores ``aggregate``;
    ``fuse_events`` keeps tallies apart before asking.
    """
    scores: dict[str, float | None] = {}
    for c in COMPARISONS:
        scores[c.name] = c.compare(a, b)
        if scores[c.name] == 0.0:
            return None
    if copies:
        return _copy_score(a, b, scores)
    if scores["date"] is None:
        return None
    if scores["place"] is None and (scores["date"] < 0.8 or (scores["actors"] or 0.0) < ANCHOR_SCORE):
        return None
    known = [(c.weight, s) for c in COMPARISONS if (s := scores[c.name]) is not None]
    mean = sum(w * s for w, s in known) / sum(w for w, _ in known)
    return mean if mean >= MATCH_THRESHOLD else None
