"""Queries for the report's non-event facts: actors, relations, claims, money, strength, sources.

Claims, relations and quantities are dated by their article (published, else updated); the
period bounds those dates. With an actor filter, money flows come from articles that mention it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from threatscape.report.model import Period
from threatscape.store import schema as t

__all__ = [
    "ActorRow",
    "actor_rows",
    "articles_by_id",
    "claims_by_stance",
    "leaders",
    "money_flows",
    "relations_of",
    "strength_reports",
    "support_relations",
]

SUPPORT_PREDICATES = ("supports", "funds", "shelters", "collaborates_with", "allied_with")
STRENGTH_WORDS = ("fighter", "militant", "member", "cadre", "combatant", "insurgent", "men", "recruit")
CASUALTY_WORDS = ("kill", "dead", "died", "injur", "wound", "arrest", "martyr", "captur", "hostage")
LEADER_WORDS = ("chief", "leader", "head", "commander", "emir", "amir", "founder", "spokes")
NEAR_CHARS = 200  # an actor mention this close to a number of fighters is whose strength it is


@dataclass(frozen=True)
class ActorRow:
    id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...]
    affiliation: str | None
    sanctions: tuple[dict[str, Any], ...]


def _in_period(period: Period) -> Any:
    d = t.articles.c.date
    return and_(d >= period.start.isoformat(), d <= period.end.isoformat())


def actor_rows(conn: Connection, ids: list[str] | None = None) -> dict[str, ActorRow]:
    query = select(t.actors)
    if ids is not None:
        query = query.where(t.actors.c.id.in_(ids))
    return {
        r.id: ActorRow(r.id, r.name, r.type, r.country, tuple(r.aliases or ()), r.affiliation, tuple(r.sanctions or ()))
        for r in conn.execute(query)
    }


def find_actor(conn: Connection, text: str) -> ActorRow | None:
    """The actor whose id, name or alias is ``text`` (case-insensitive), or None."""
    key = text.strip().lower()
    query = select(t.actors).where(or_(func.lower(t.actors.c.id) == key, func.lower(t.actors.c.name) == key))
    row = conn.execute(query.limit(1)).first()
    if row is not None:
        return actor_rows(conn, [row.id])[row.id]
    for actor in actor_rows(conn).values():
        if key in (a.lower() for a in actor.aliases):
            return actor
    return None


def relations_of(conn: Connection, actor_id: str, until: Period) -> list[Any]:
    """Support-type relations with the actor as subject or object, in articles up to the period's end."""
    r, a = t.relations, t.articles
    query = (
        select(
            r.c.subject, r.c.predicate, r.c.object, r.c.attributed_to, r.c.contested, r.c.data, r.c.article_id, a.c.date
        )
        .join_from(r, a, a.c.id == r.c.article_id)
        .where(
            or_(r.c.subject == actor_id, r.c.object == actor_id),
            r.c.predicate.in_(SUPPORT_PREDICATES + ("leads",)),
            or_(a.c.date.is_(None), a.c.date <= until.end.isoformat()),
        )
        .order_by(a.c.date.desc().nulls_last(), r.c.seq)
        .limit(40)
    )
    return list(conn.execute(query))


def leaders(conn: Connection, actor_id: str) -> list[tuple[str, str, str]]:
    """(person name, role as written, article id) for people affiliated with the actor who have a leader role."""
    p, m = t.actors, t.article_actors
    query = (
        select(p.c.name, m.c.role, m.c.article_id)
        .join_from(p, m, m.c.actor_id == p.c.id)
        .where(p.c.affiliation == actor_id, p.c.type == "person", m.c.role.is_not(None))
        .order_by(m.c.seq.desc())
        .limit(50)
    )
    out: list[tuple[str, str, str]] = []
    for name, role, article_id in conn.execute(query):
        if any(w in role.lower() for w in LEADER_WORDS) and all(name != o[0] for o in out):
            out.append((name, role, article_id))
    return out[:4]


def strength_reports(conn: Connection, actor_id: str, until: Period) -> list[tuple[Any, str | None]]:
    """Numbers of fighters near a mention of the actor, with the speaker of the claim that holds them."""
    q, m, a, c = t.quantities, t.article_actors, t.articles, t.claims
    near = and_(
        m.c.article_id == q.c.article_id,
        m.c.actor_id == actor_id,
        m.c.ev_start.is_not(None),
        func.abs(m.c.ev_start - q.c.ev_start) <= NEAR_CHARS,
    )
    query = (
        select(q.c.value, q.c.qualifier, q.c.what, q.c.data, q.c.article_id, q.c.ev_start, q.c.ev_end, a.c.date)
        .join_from(q, a, a.c.id == q.c.article_id)
        .where(select(m.c.seq).where(near).exists(), or_(a.c.date.is_(None), a.c.date <= until.end.isoformat()))
        .order_by(a.c.date.desc().nulls_last())
        .limit(200)
    )
    out: list[tuple[Any, str | None]] = []
    for row in conn.execute(query):
        what = (row.what or "").lower()
        if not any(w in what for w in STRENGTH_WORDS) or any(w in what for w in CASUALTY_WORDS):
            continue
        if _nearest_actor(conn, row.article_id, row.ev_start) != actor_id:
            continue
        speaker = conn.execute(
            select(c.c.speaker, c.c.speaker_text)
            .where(c.c.article_id == row.article_id, c.c.ev_start <= row.ev_start, c.c.ev_end >= row.ev_end)
            .limit(1)
        ).first()
        out.append((row, (speaker.speaker or speaker.speaker_text) if speaker else None))
    return out[:4]


def _nearest_actor(conn: Connection, article_id: str, position: int) -> str | None:
    """The group mentioned closest to ``position`` in the article (people and 'other' left out)."""
    m, a = t.article_actors, t.actors
    query = (
        select(m.c.actor_id)
        .join_from(m, a, a.c.id == m.c.actor_id)
        .where(m.c.article_id == article_id, m.c.ev_start.is_not(None), a.c.type.not_in(("person", "other")))
        .order_by(func.abs(m.c.ev_start - position), m.c.ev_start)
        .limit(1)
    )
    return conn.execute(query).scalar_one_or_none()


def money_flows(conn: Connection, period: Period, actor_id: str | None = None, limit: int = 25) -> list[Any]:
    """Amounts of money in the period's articles, the largest (in USD) first."""
    q, a = t.quantities, t.articles
    query = (
        select(
            q.c.value, q.c.currency, q.c.usd, q.c.period, q.c.what, q.c.qualifier, q.c.data, q.c.article_id, a.c.date
        )
        .join_from(q, a, a.c.id == q.c.article_id)
        .where(q.c.currency.is_not(None), _in_period(period))
    )
    if actor_id:
        mention = select(t.article_actors.c.seq).where(
            t.article_actors.c.article_id == q.c.article_id, t.article_actors.c.actor_id == actor_id
        )
        query = query.where(mention.exists())
    query = query.order_by(q.c.usd.desc().nulls_last(), a.c.date).limit(limit)
    return list(conn.execute(query))


def claims_by_stance(conn: Connection, period: Period, stances: tuple[str, ...], limit: int = 400) -> list[Any]:
    """Claims with one of ``stances`` in the period's articles (with the article date)."""
    c, a = t.claims, t.articles
    query = (
        select(c.c.speaker, c.c.speaker_text, c.c.stance, c.c.content, c.c.target, c.c.article_id, a.c.date)
        .join_from(c, a, a.c.id == c.c.article_id)
        .where(c.c.stance.in_(stances), _in_period(period))
        .order_by(a.c.date, c.c.seq)
        .limit(limit)
    )
    return list(conn.execute(query))


def support_relations(conn: Connection, period: Period, limit: int = 60) -> list[Any]:
    """Support-type relations (supports, funds, shelters, ...) stated in the period's articles."""
    r, a = t.relations, t.articles
    query = (
        select(r.c.subject, r.c.predicate, r.c.object, r.c.contested, r.c.article_id)
        .join_from(r, a, a.c.id == r.c.article_id)
        .where(r.c.predicate.in_(SUPPORT_PREDICATES), _in_period(period))
        .order_by(a.c.date)
        .limit(limit)
    )
    return list(conn.execute(query))


def contested_relations(conn: Connection, period: Period, limit: int = 40) -> list[Any]:
    r, a = t.relations, t.articles
    query = (
        select(r.c.subject, r.c.predicate, r.c.object, r.c.attributed_to, r.c.data, r.c.article_id, a.c.date)
        .join_from(r, a, a.c.id == r.c.article_id)
        .where(r.c.contested.is_(True), _in_period(period))
        .order_by(a.c.date)
        .limit(limit)
    )
    return list(conn.execute(query))


def articles_by_id(conn: Connection, ids: list[str]) -> dict[str, Any]:
    a = t.articles
    out: dict[str, Any] = {}
    for i in range(0, len(ids), 500):
        query = select(a.c.id, a.c.title, a.c.source, a.c.date, a.c.url).where(a.c.id.in_(ids[i : i + 500]))
        out.update({r.id: r for r in conn.execute(query)})
    return out
