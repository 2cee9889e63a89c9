"""The plain data model every stage speaks: frozen dataclasses, no behaviour beyond conversion.

Text positions are character offsets into ``Article.body``. Every extracted fact carries an
``Evidence`` span and the name/version of the extractor that produced it (``Evidence.extractor``).
``to_dict`` gives the JSON shape of ``docs/export-contract.md`` (version 1); ``from_dict`` reads
such a dict back into its dataclass (what the batch output is loaded with).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

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
class Flow:
    """Money that moves, or is said to: an amount tied to whoever pays and whoever gets it.

    ``payer``/``payee`` are actor ids (``None`` when the text names no one); ``*_text`` are the
    words naming them ("the family of Noor Wali Masoud", "a Gulf donor"). For seized or frozen
    money the payer is whose money it was and the payee who took or froze it. ``period`` is
    ``once``, ``day``, ``week``, ``month`` or ``year``; ``usd_basis`` says where ``usd`` comes from
    (``stated`` in the text, or ``rate YYYY`` from the reference rates shipped in
    ``data/money.yaml``). ``reported_by`` is who the text says reports it (the innermost statement
    holding it), ``via`` whoever relays that source (a report quoting a member state); ``stance``
    is that statement's: an accusation of funding (``accuse``) is not a fact of funding, and
    ``contested`` is true for one, or for a flow another statement denies. ``sanctioned``: ids of
    payer or payee that are on a loaded sanctions list.
    """

    id: str
    amount: float
    evidence: Evidence  # the sentence
    amount_evidence: Evidence
    currency: str | None = None
    usd: float | None = None
    usd_basis: str | None = None
    period: str = "once"
    payer: str | None = None
    payer_text: str | None = None
    payer_evidence: Evidence | None = None
    payee: str | None = None
    payee_text: str | None = None
    payee_evidence: Evidence | None = None
    purpose: str | None = None  # salaries, compensation, ransom, extortion, aid, budget, reward, ...
    direction: str | None = None  # paid, received, raised, seized, frozen, demanded, pledged, ...
    reported_by: str | None = None
    via: str | None = None
    stance: str = "assert"
    contested: bool = False
    sanctioned: tuple[str, ...] = ()
    date: DateSpan | None = None

    @property
    def usd_per_year(self) -> float | None:
        """``usd`` over a year for a recurring flow; a one-off amount as it is."""
        if self.usd is None:
            return None
        return self.usd * {"day": 365, "week": 52, "month": 12}.get(self.period, 1)


@dataclass(frozen=True)
class Strength:
    """How many fighters (cadres, recruits, members, troops) a group has, and whose estimate it is.

    ``value`` is the best figure, ``low``/``high`` a range when the text gives one. ``when`` is
    the text's words for the time it refers to ("in the past", "at its peak", "now"); ``date``
    the date it refers to when the text gives one. ``estimate_by`` is the actor the text credits
    with the figure, ``estimate_text`` the words naming it.
    """

    id: str
    value: int
    unit: str
    evidence: Evidence  # the sentence
    count_evidence: Evidence
    group: str | None = None
    low: int | None = None
    high: int | None = None
    qualifier: str | None = None
    estimate_by: str | None = None
    estimate_text: str | None = None
    when: str | None = None
    date: DateSpan | None = None


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
    flows: tuple[Flow, ...] = ()
    strengths: tuple[Strength, ...] = ()


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


T = TypeVar("T")


@cache
def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _from_value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _from_value(inner[0], value) if len(inner) == 1 else value
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_from_value(item, v) for v in value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_dict(hint, value)
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """The ``cls`` dataclass from a dict of ``to_dict``'s shape (lists back to tuples, nested
    dataclasses rebuilt); keys that are not fields are ignored, missing ones take their default."""
    hints = _field_types(cls)  # type: ignore[arg-type]
    kwargs = {f.name: _from_value(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}  # type: ignore[arg-type]
    return cls(**kwargs)
