"""The monitoring report as plain data: every number, table and figure, with the articles it rests on.

``threatscape.report.build.build_report`` fills a ``Report`` from store queries; the renderers
(``render_html``, ``render_md``, ``render_pdf``) only lay it out. Every item that states a fact
carries ``article_ids`` (the articles cited for it, capped at ``Sourced.CITE_LIMIT``) and, where
the fact rests on more articles than are cited, ``n_articles`` (how many in all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = [
    "ActorProfile",
    "ContestedPair",
    "CountRow",
    "Figure",
    "Filters",
    "Headline",
    "MoneyFlow",
    "NotableEvent",
    "Period",
    "ProfileItem",
    "Report",
    "Source",
]


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def label(self) -> str:
        return f"{self.start.day} {self.start:%b %Y} – {self.end.day} {self.end:%b %Y}"


@dataclass(frozen=True)
class Filters:
    """What the report is about: a period and optional country / admin-1 / actor restrictions."""

    period: Period
    country: str | None = None  # full English name, as stored on events
    admin1: str | None = None
    actor: str | None = None  # actor id
    actor_name: str | None = None


@dataclass(frozen=True)
class CountRow:
    """One row of a headline table: a label, its value now and in the previous period."""

    key: str
    label: str
    value: int
    previous: int | None = None
    fatalities: int | None = None
    article_ids: tuple[str, ...] = ()
    n_articles: int = 0

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.value - self.previous


@dataclass(frozen=True)
class Headline:
    """Headline figures for the period and the one before it."""

    events: int
    events_previous: int
    fatalities_best: int
    fatalities_low: int
    fatalities_high: int
    fatalities_previous: int
    articles: int
    by_type: tuple[CountRow, ...]
    by_actor: tuple[CountRow, ...]
    by_admin1: tuple[CountRow, ...]
    article_ids: tuple[str, ...] = ()
    aggregates: int = 0  # tallies over a period reported in the texts, never counted as incidents


@dataclass(frozen=True)
class ProfileItem:
    """A sourced statement in an actor profile ("around 10,000 fighters", per whom, where)."""

    text: str
    attributed_to: str | None = None
    article_ids: tuple[str, ...] = ()
    contested: bool = False
    kind: str = ""


@dataclass(frozen=True)
class ActorProfile:
    actor_id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...]
    events: int
    fatalities: int
    strength: tuple[ProfileItem, ...] = ()
    leadership: tuple[ProfileItem, ...] = ()
    relations: tuple[ProfileItem, ...] = ()
    sanctions: tuple[ProfileItem, ...] = ()
    article_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class MoneyFlow:
    """One flow for the financing table: who pays whom (names, or the text's words for an unnamed
    party), how much and how often, for what, per whom; ``contested`` when the source accuses
    rather than states, or another statement denies it."""

    amount: float
    currency: str | None
    usd: float | None
    period: str | None
    payer: str | None
    payee: str | None
    purpose: str | None
    direction: str | None
    source: str | None
    contested: bool
    usd_per_year: float | None
    evidence: str | None  # the amount as written
    date: str | None
    article_ids: tuple[str, ...] = ()
    sanctioned: bool = False


@dataclass(frozen=True)
class ContestedPair:
    """An accusation beside its denial, each with its speaker and source."""

    accuser: str
    accusation: str
    denier: str
    denial: str
    accusation_articles: tuple[str, ...]
    denial_articles: tuple[str, ...]
    target: str | None = None


@dataclass(frozen=True)
class NotableEvent:
    key: str
    date: str | None
    type: str
    sub_type: str | None
    place: str
    actors: str
    fatalities_best: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    reports: int
    article_ids: tuple[str, ...]
    why: str = ""  # deadliest, most reported


@dataclass(frozen=True)
class Figure:
    """A chart or map as inline SVG, its caption, and the articles it rests on."""

    key: str
    title: str
    caption: str
    svg: str | None
    article_ids: tuple[str, ...] = ()
    n_articles: int = 0
    note: str | None = None  # shown instead of the figure when it could not be drawn


@dataclass(frozen=True)
class Source:
    number: int
    article_id: str
    title: str
    outlet: str | None
    date: str | None
    url: str | None


@dataclass
class Report:
    """Everything the renderers show, in order."""

    filters: Filters
    generated: str
    headline: Headline
    profiles: list[ActorProfile] = field(default_factory=list)
    money: list[MoneyFlow] = field(default_factory=list)
    contested: list[ContestedPair] = field(default_factory=list)
    notable: list[NotableEvent] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    event_source: str = "events"  # "fused_events" when fused events were used
    notes: list[str] = field(default_factory=list)
    actor_names: dict[str, str] = field(default_factory=dict)

    def source_number(self, article_id: str) -> int | None:
        for s in self.sources:
            if s.article_id == article_id:
                return s.number
        return None

    def cite_numbers(self, article_ids: tuple[str, ...]) -> list[int]:
        index = {s.article_id: s.number for s in self.sources}
        return sorted({index[a] for a in article_ids if a in index})
