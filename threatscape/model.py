"""The plain data model every stage speaks: frozen dataclasses, no behaviour beyond conversion.

Text positions are character offsets into ``Article.body``. Every extracted fact carries an
``Evidence`` span and the name/version of the extractor that produced it (``Evidence.extractor``).
``to_dict`` gives the JSON shape of ``docs/export-contract.md`` (version 1).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

EXPORT_VERSION = 1

ACTOR_TYPES = (
    "state",
    "government",
    "military",
    "armed_group",
    "political_party",
    "igo",
    "person",
    "civilians",
    "media",
    "other",
)
STANCES = ("assert", "accuse", "deny", "demand", "criticize", "warn", "threaten", "claim_responsibility")
PREDICATES = (
    "supports",
    "funds",
    "shelters",
    "collaborates_with",
    "allied_with",
    "leads",
    "member_of",
    "accuses",
    "denies",
    "demands",
    "attacks",
    "opposes",
    "criticizes",
)


@dataclass(frozen=True)
class Evidence:
    """A span of ``Article.body``: ``body[start:end] == text``."""

    start: int
    end: int
    text: str
    extractor: str | None = None  # "name/version" of what produced the fact


@dataclass(frozen=True)
class RawDocument:
    """One document as an input gave it, before structure is recognised.

    ``kind`` is ``text`` (a page dump or plain text, possibly several articles), ``html`` (a page)
    or ``record`` (a JSONL/feed record whose ``text`` is one article). ``origin`` names the input
    for messages ("notes.txt", "corpus.jsonl:17", a URL).
    """

    origin: str
    kind: str
    content: str
    source_id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    byline: str | None = None


@dataclass(frozen=True)
class IngestFailure:
    """An input that could not be read: ``origin`` names it, ``reason`` says why (one line)."""

    origin: str
    reason: str


@dataclass(frozen=True)
class Caption:
    text: str
    credit: str | None = None


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    source_id: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None  # YYYY-MM-DD
    updated: str | None = None  # YYYY-MM-DD
    dateline: str | None = None
    byline: str | None = None
    summary: tuple[str, ...] = ()
    captions: tuple[Caption, ...] = ()
    origin: str | None = None

    @property
    def date(self) -> str | None:
        """The date relative expressions resolve against: published, else updated."""
        return self.published or self.updated


@dataclass(frozen=True)
class Sanction:
    list: str
    ref: str
    name: str
    score: float


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None
    sanctions: tuple[Sanction, ...] = ()


@dataclass(frozen=True)
class Mention:
    """An actor named in the body."""

    actor: str
    evidence: Evidence
    role: str | None = None  # "TTP chief", "chief minister of Khyber Pakhtunkhwa"


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None = None  # full English name
    country_code: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None  # point, admin1, country, region
    geonameid: int | None = None
    evidence: Evidence | None = None

    @property
    def detail(self) -> int:
        """How precise the place is, 0 the most: a point; a district or other area inside a
        province (``region`` with an ``admin1`` of its own); a province; a wider named region
        (Darfur, the Sahel); a country; nothing known."""
        if self.precision == "region":
            return 1 if self.admin1 and self.admin1 != self.name else 3
        return {"point": 0, "admin1": 2, "country": 4}.get(self.precision or "", 5)


@dataclass(frozen=True)
class DateSpan:
    start: str | None
    end: str | None
    precision: str  # day, week, month, year, range
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Quantity:
    value: float
    evidence: Evidence
    unit: str | None = None
    what: str | None = None
    qualifier: str | None = None
    currency: str | None = None
    usd: float | None = None
    period: str | None = None


@dataclass(frozen=True)
class Claim:
    id: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    stance: str
    content: str
    direct: bool
    evidence: Evidence
    target: str | None = None


@dataclass(frozen=True)
class Fatalities:
    best: int | None
    low: int | None
    high: int | None
    breakdown: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Count:
    value: int
    qualifier: str | None = None


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    sub_type: str | None
    evidence: Evidence
    plover: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    aggregate: bool = False
    count: Count | None = None
    location: Place | None = None
    date: DateSpan | None = None
    fatalities: Fatalities | None = None
    reported_by: str | None = None
    claimed_by: str | None = None
    confidence: float = 0.5


@dataclass(frozen=True)
class Relation:
    id: str
    subject: str
    predicate: str
    object: str
    evidence: Evidence
    qualifiers: tuple[str, ...] = ()
    attributed_to: str | None = None
    contested: bool = False
    date: DateSpan | None = None
    contested_by: tuple[str, ...] = ()  # ids of the claims/relations that deny it


@dataclass(frozen=True)
class Extraction:
    """An article with everything extracted from it."""

    article: Article
    actors: tuple[Actor, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    relations: tuple[Relation, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    places: tuple[Place, ...] = ()
    dates: tuple[DateSpan, ...] = ()


@dataclass(frozen=True)
class FusedSource:
    """One source event of a fused event: which article said it and what toll it gave."""

    article_id: str
    event_id: str
    story_id: str
    fatalities: Fatalities | None = None
    reported_by: str | None = None
    date: DateSpan | None = None
    confidence: float = 0.5


@dataclass(frozen=True)
class FusedEvent:
    """One incident across its reports (``threatscape.resolve.fusion``); ``n_reports`` counts
    stories, ``sources`` every event."""

    id: str
    type: str
    sub_type: str | None
    sources: tuple[FusedSource, ...]
    n_reports: int
    plover: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    claimed_by: str | None = None
    aggregate: bool = False
    count: Count | None = None
    location: Place | None = None
    date: DateSpan | None = None
    fatalities: Fatalities | None = None
    confidence: float = 0.5


def to_dict(obj: Any) -> Any:
    """Dataclasses, tuples and dicts -> JSON-ready values (tuples become lists)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj
