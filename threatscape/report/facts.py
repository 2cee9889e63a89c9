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
from threatscape.store.corrections import apply_to_claims, drop_wrong_relations, read_corrections

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
LEADER_WORDS = ("chief", "leader", "head", "commander", "emir", "amir", "founder", "spokes")


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
            r.c.subject, r.c.predicate, r.c.object, r.c.attributed_to, r.c.contested, r.c.data, r.c.article_id,
            a.c.date, r.c.id, r.c.ev_start, r.c.ev_end,
        )
        .join_from(r, a, a.c.id == r.c.article_id)
        .where(
            or_(r.c.subject == actor_id, r.c.object == actor_id),
            r.c.predicate.in_(SUPPORT_PREDICATES + ("leads",)),
            or_(a.c.date.is_(None), a.c.date <= until.end.isoformat()),
        )
        .order_by(a.c.date.desc().nulls_last(), r.c.seq)
        .limit(40)
    )  # fmt: skip
    return drop_wrong_relations(list(conn.execute(query)), read_corrections(conn, "relation"))


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


def strength_reports(conn: Connection, actor_id: str, until: Period, limit: int = 6) -> list[Any]:
    """The group's strength figures (``strengths`` rows) reported up to the end of the period,
    oldest first: the last ``limit`` of them."""
    s, a = t.strengths, t.articles
    query = (
        select(s.c.value, s.c.low, s.c.high, s.c.unit, s.c.estimate_by, s.c.data, s.c.article_id, a.c.date)
        .join_from(s, a, a.c.id == s.c.article_id)
        .where(s.c.group_id == actor_id, or_(a.c.date.is_(None), a.c.date <= until.end.isoformat()))
        .order_by(a.c.date.desc().nulls_last(), s.c.seq)
        .limit(limit)
    )
    return list(reversed(list(conn.execute(query))))


def money_flows(conn: Connection, period: Period, actor_id: str | None = None, limit: int = 25) -> list[Any]:
    """The money flows of the period's articles that name a payer or a payee (words or actor), the
    largest in USD a year first; with an actor, those it pays or gets, or that an article
    mentioning it reports."""
    f, a = t.flows, t.articles
    query = (
        select(
            f.c.amount,
            f.c.currency,
            f.c.usd,
            f.c.usd_per_year,
            f.c.period,
            f.c.payer,
            f.c.payee,
            f.c.purpose,
            f.c.direction,
            f.c.reported_by,
            f.c.stance,
            f.c.contested,
            f.c.data,
            f.c.article_id,
            a.c.date,
        )
        .join_from(f, a, a.c.id == f.c.article_id)
        .where(
            _in_period(period),
            or_(
                f.c.payer.is_not(None),
                f.c.data["payer_text"].as_string().is_not(None),
                f.c.payee.is_not(None),
                f.c.data["payee_text"].as_string().is_not(None),
            ),
        )
    )
    if actor_id:
        mention = select(t.article_actors.c.seq).where(
            t.article_actors.c.article_id == f.c.article_id, t.article_actors.c.actor_id == actor_id
        )
        query = query.where(or_(f.c.payer == actor_id, f.c.payee == actor_id, mention.exists()))
    query = query.order_by(f.c.usd_per_year.desc().nulls_last(), a.c.date, f.c.seq).limit(limit)
    return list(conn.execute(query))


def claims_by_stance(conn: Connection, period: Period, stances: tuple[str, ...], limit: int = 400) -> list[Any]:
    """Claims with one of ``stances`` in the period's articles (with the article date)."""
    c, a = t.claims, t.articles
    cols = (c.c.id, c.c.speaker, c.c.speaker_text, c.c.stance, c.c.content, c.c.target, c.c.article_id, a.c.date)
    query = (
        select(*cols, c.c.ev_start, c.c.ev_end)
        .join_from(c, a, a.c.id == c.c.article_id)
        .where(_in_period(period))
        .order_by(a.c.date, c.c.seq)
    )
    fixes = read_corrections(conn, "claim")
    if not fixes:  # the stance filter in SQL; with corrections it has to come after them
        return list(conn.execute(query.where(c.c.stance.in_(stances)).limit(limit)))
    rows = [r for r in apply_to_claims(list(conn.execute(query)), fixes) if r.stance in stances]
    return rows[:limit]


def support_relations(conn: Connection, period: Period, limit: int = 60) -> list[Any]:
    """Support-type relations (supports, funds, shelters, ...) stated in the period's articles."""
    r, a = t.relations, t.articles
    query = (
        select(r.c.subject, r.c.predicate, r.c.object, r.c.contested, r.c.article_id, r.c.id, r.c.ev_start, r.c.ev_end)
        .join_from(r, a, a.c.id == r.c.article_id)
        .where(r.c.predicate.in_(SUPPORT_PREDICATES), _in_period(period))
        .order_by(a.c.date)
        .limit(limit)
    )
    return drop_wrong_relations(list(conn.execute(query)), read_corrections(conn, "relation"))


def contested_relations(conn: Connection, period: Period, limit: int = 40) -> list[Any]:
    r, a = t.relations, t.articles
    query = (
        select(
            r.c.subject, r.c.predicate, r.c.object, r.c.attributed_to, r.c.data, r.c.article_id, a.c.date, r.c.id,
            r.c.ev_start, r.c.ev_end,
        )
        .join_from(r, a, a.c.id == r.c.article_id)
        .where(r.c.contested.is_(True), _in_period(period))
        .order_by(a.c.date)
        .limit(limit)
    )  # fmt: skip
    return drop_wrong_relations(list(conn.execute(query)), read_corrections(conn, "relation"))


def articles_by_id(conn: Connection, ids: list[str]) -> dict[str, Any]:
    a = t.articles
    out: dict[str, Any] = {}
    for i in range(0, len(ids), 500):
        query = select(a.c.id, a.c.title, a.c.source, a.c.date, a.c.url).where(a.c.id.in_(ids[i : i + 500]))
        out.update({r.id: r for r in conn.execute(query)})
    return out
