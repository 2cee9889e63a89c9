"""What the actor, network and claims pages read, built on the report's queries.

The event aggregates (activity by month, places, co-actors) are the report's own
(``threatscape.report.queries`` over ``event_source``); strength, money and contested pairs come
from ``threatscape.report.facts`` and ``sections``. What the report has no query for is here:
every relation (not only the support-type ones), the claims by or about one actor, a page of
claims with filters, and the relations as a network.

Relations and claims are dated by their article (published, else updated), as in the report; a
period bounds those dates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from threatscape.report import facts, queries
from threatscape.report.model import Filters, Period
from threatscape.report.source import event_source
from threatscape.store import schema as t
from threatscape.store.rows import date_bound, first_day, last_day

__all__ = [
    "ALL_TIME",
    "Activity",
    "ClaimPage",
    "Network",
    "activity",
    "actor_events",
    "claim_page",
    "claims_of",
    "network",
    "period",
    "predicates",
    "relations",
]

ALL_TIME = Period(date(1900, 1, 1), date(2100, 12, 31))
TOP_PLACES = 20
TOP_CO_ACTORS = 20
CLAIMS_OF_LIMIT = 300  # claims by or about one actor shown on its page
NETWORK_LIMIT = 5000  # relations one network holds at most


def period(since: str | None, until: str | None) -> Period:
    """The days from ``since`` to ``until`` (``YYYY[-MM[-DD]]``, inclusive; open ends: all time)."""
    start = _bound("since", since, last=False) or ALL_TIME.start
    end = _bound("until", until, last=True) or ALL_TIME.end
    return Period(start, end)


def _bound(name: str, value: str | None, *, last: bool) -> date | None:
    if not value:
        return None
    date_bound(name, value)
    return last_day(value) if last else first_day(value)


def _dated(period: Period | None) -> list[Any]:
    if period is None or period == ALL_TIME:
        return []
    d = t.articles.c.date
    return [and_(d >= period.start.isoformat(), d <= period.end.isoformat())]


# -- one actor -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """One actor's events in a period: in all, by month, where, and with whom."""

    events: int
    fatalities: int
    months: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM, events), oldest first
    countries: list[queries.GroupCount] = field(default_factory=list)
    admin1: list[queries.GroupCount] = field(default_factory=list)
    co_actors: list[tuple[str, int]] = field(default_factory=list)  # (actor id, events together)


def activity(conn: Connection, actor_id: str, within: Period = ALL_TIME) -> Activity:
    """The events ``actor_id`` is either actor of, counted by the report's queries."""
    src = event_source(conn)
    f = Filters(within, actor=actor_id)
    total = queries.totals(conn, src, f, within)
    months: Counter[str] = Counter()
    for day, _type, n in queries.daily_by_type(conn, src, f, within):
        months[day[:7]] += n
    together: Counter[str] = Counter()
    for a, b, n, _fat in queries.pair_counts(conn, src, f, within, limit=TOP_CO_ACTORS * 2):
        together[b if a == actor_id else a] += n
    return Activity(
        total.events,
        total.best,
        sorted(months.items()),
        queries.group_counts(conn, src, "country", f, within, TOP_PLACES),
        queries.group_counts(conn, src, "admin1", f, within, TOP_PLACES),
        together.most_common(TOP_CO_ACTORS),
    )


def actor_events(conn: Connection, within: Period = ALL_TIME) -> dict[str, int]:
    """Events per actor (either actor column) in the period."""
    src = event_source(conn)
    return {g.key: g.events for g in queries.group_counts(conn, src, "actor", Filters(within), within)}


def claims_of(conn: Connection, actor_id: str, limit: int = CLAIMS_OF_LIMIT) -> list[Any]:
    """Claims the actor made (speaker) or that are about it (target), oldest first."""
    c, a = t.claims, t.articles
    query = (
        select(c.c.speaker, c.c.speaker_text, c.c.stance, c.c.content, c.c.target, c.c.direct, c.c.article_id, a.c.date)
        .join_from(c, a, a.c.id == c.c.article_id)
        .where(or_(c.c.speaker == actor_id, c.c.target == actor_id))
        .order_by(a.c.date.nulls_last(), c.c.seq)
        .limit(limit)
    )
    return list(conn.execute(query))


# -- relations and the network ---------------------------------------------------------------


def relations(
    conn: Connection,
    *,
    actor: str | None = None,
    predicate: str | None = None,
    within: Period | None = None,
    limit: int = NETWORK_LIMIT,
) -> list[Any]:
    """Relations (any predicate, or ``predicate``), with ``actor`` as subject or object, stated in
    the period's articles; oldest first."""
    r, a = t.relations, t.articles
    query = (
        select(
            r.c.subject,
            r.c.predicate,
            r.c.object,
            r.c.attributed_to,
            r.c.contested,
            r.c.data,
            r.c.article_id,
            a.c.date,
        )
        .join_from(r, a, a.c.id == r.c.article_id)
        .where(*_dated(within))
    )
    if actor:
        query = query.where(or_(r.c.subject == actor, r.c.object == actor))
    if predicate:
        query = query.where(r.c.predicate == predicate)
    return list(conn.execute(query.order_by(a.c.date.nulls_last(), r.c.seq).limit(limit)))


def predicates(conn: Connection) -> list[tuple[str, int]]:
    """Every relation predicate in the store with how many relations have it, commonest first."""
    r = t.relations.c
    n = func.count()
    query = select(r.predicate, n).group_by(r.predicate).order_by(n.desc(), r.predicate)
    return [(p, int(k)) for p, k in conn.execute(query)]


@dataclass(frozen=True)
class Network:
    """Actors (``nodes``) and the relations between them (``edges``, one per subject, predicate
    and object, contested when any of its statements is), as plain dicts for JSON."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "edges": self.edges}


def network(conn: Connection, *, predicate: str | None = None, within: Period | None = None) -> Network:
    """The relations of the period (of one predicate) as a network of actors."""
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in relations(conn, predicate=predicate, within=within):
        key = (r.subject, r.predicate, r.object)
        edge = edges.setdefault(
            key,
            {
                "id": "|".join(key),
                "source": r.subject,
                "target": r.object,
                "predicate": r.predicate,
                "contested": False,
                "count": 0,
                "article_ids": [],
            },
        )
        edge["contested"] = edge["contested"] or bool(r.contested)
        edge["count"] += 1
        if r.article_id not in edge["article_ids"]:
            edge["article_ids"].append(r.article_id)
    degree: Counter[str] = Counter()
    for s, _p, o in edges:
        degree[s] += 1
        degree[o] += 1
    actors = facts.actor_rows(conn, sorted(degree))
    nodes = [
        {
            "id": n,
            "name": actors[n].name if n in actors else n,
            "type": actors[n].type if n in actors else None,
            "degree": degree[n],
        }
        for n in sorted(degree, key=lambda n: (-degree[n], n))
    ]
    return Network(nodes, list(edges.values()))


# -- claims -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimPage:
    total: int
    claims: list[dict[str, Any]]


def claim_page(
    conn: Connection,
    *,
    stance: str | None = None,
    speaker: str | None = None,
    within: Period | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ClaimPage:
    """Claims of one stance, by one speaker (an actor id, name or alias), in the period's
    articles; ``limit`` of them from ``offset``, oldest first, and how many match."""
    c, a = t.claims, t.articles
    where = _dated(within)
    if stance:
        where.append(c.c.stance == stance)
    if speaker:
        found = facts.find_actor(conn, speaker)
        where.append(c.c.speaker == (found.id if found else speaker))
    joined = c.join(a, a.c.id == c.c.article_id)
    total = conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
    query = (
        select(
            c.c.id,
            c.c.speaker,
            c.c.speaker_text,
            c.c.cue,
            c.c.stance,
            c.c.content,
            c.c.direct,
            c.c.target,
            c.c.article_id,
            a.c.date,
        )
        .select_from(joined)
        .where(*where)
        .order_by(a.c.date.nulls_last(), c.c.seq)
        .limit(limit)
        .offset(offset)
    )
    return ClaimPage(int(total), [dict(r._mapping) for r in conn.execute(query)])
