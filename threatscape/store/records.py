"""The stored record read back table by table, streamed, for the exports (Parquet, FollowTheMoney).

Every reader takes a connection (``QuerySource.reading()``) and a ``Selection`` of articles and
yields one dict per row, in a fixed order, from a cursor that fetches ``CHUNK`` rows at a time:
memory stays flat however large the store. Facts come in their export shape
(``docs/export-contract.md``, as the store keeps them in ``data``) with the ``article_id`` they
belong to and, for the FollowTheMoney entities, the article's ``url`` and ``source``.

What a selection holds: its articles; every fact of those articles; the actors they refer to
and, transitively, the actors those are affiliated with; the fused events with at least one
source among them. With no bounds that is the whole record, less actors no stored article refers
to any more (left behind when an article's facts were replaced).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, false, func, select, true

from threatscape.store import schema as t
from threatscape.store.events import fused_event_sources, fused_events
from threatscape.store.rows import EXPORT_KEYS, date_bound
from threatscape.store.sanctions import entries_table
from threatscape.store.search import search_clause

__all__ = [
    "CHUNK",
    "FACT_KINDS",
    "Selection",
    "read_actors",
    "read_articles",
    "read_facts",
    "read_fused",
    "read_fused_sources",
    "read_mentions",
    "read_sanction_entry",
]

CHUNK = 1000  # rows a cursor fetches at a time
FACT_KINDS = ("events", "claims", "relations", "quantities", "flows", "strengths")
_FACT_TABLES = {
    "events": t.events,
    "claims": t.claims,
    "relations": t.relations,
    "quantities": t.quantities,
    "flows": t.flows,
    "strengths": t.strengths,
}


@dataclass(frozen=True)
class Selection:
    """Which articles an export holds: dated ``since``/``until`` (``YYYY[-MM[-DD]]``, inclusive,
    as ``threatscape articles`` reads them) and matching the full-text ``search``."""

    since: str | None = None
    until: str | None = None
    search: str | None = None

    def __post_init__(self) -> None:
        date_bound("--since", self.since)
        date_bound("--until", self.until)

    def clause(self, dialect: str) -> ColumnElement[bool]:
        """The WHERE clause on ``articles`` that keeps the selected ones."""
        a = t.articles.c
        parts: list[ColumnElement[bool]] = []
        if self.since:
            parts.append(a.date >= self.since)
        if self.until:
            parts.append(func.substr(a.date, 1, len(self.until)) <= self.until)
        if self.search is not None and self.search.strip():
            found = search_clause(dialect, self.search)
            parts.append(false() if found is None else found)
        return and_(true(), *parts)


def _stream(conn: Connection, query: Select[Any]) -> Iterator[Any]:
    yield from conn.execution_options(yield_per=CHUNK).execute(query)


def read_articles(conn: Connection, sel: Selection) -> Iterator[dict[str, Any]]:
    """The selected articles in the export shape (plus ``story_id`` and ``date``), in stored order."""
    a = t.articles.c
    keys = (*EXPORT_KEYS, "date")
    query = select(*(a[k] for k in keys)).where(sel.clause(conn.dialect.name)).order_by(a.seq)
    for row in _stream(conn, query):
        yield dict(row._mapping)


def _referred_actor_ids(conn: Connection, sel: Selection) -> Select[Any]:
    """Ids of the actors the selected articles refer to, and of those they are affiliated with."""
    m, a, act = t.article_actors.c, t.articles.c, t.actors.c
    referred = select(m.actor_id).join(t.articles, a.id == m.article_id).where(sel.clause(conn.dialect.name))
    base = select(act.id, act.affiliation).where(act.id.in_(referred)).cte("exported", recursive=True)
    step = select(act.id, act.affiliation).join(base, act.id == base.c.affiliation)
    closure = base.union(step)
    return select(closure.c.id)


def read_actors(conn: Connection, sel: Selection) -> Iterator[dict[str, Any]]:
    """The actors of the selection (see the module's docstring), by id."""
    act = t.actors.c
    cols = ("id", "name", "type", "country", "aliases", "affiliation", "sanctions")
    query = select(*(act[c] for c in cols)).where(act.id.in_(_referred_actor_ids(conn, sel))).order_by(act.id)
    for row in _stream(conn, query):
        d = dict(row._mapping)
        d["aliases"], d["sanctions"] = list(d["aliases"] or ()), list(d["sanctions"] or ())
        yield d


def read_mentions(conn: Connection, sel: Selection) -> Iterator[dict[str, Any]]:
    """Every actor mention of the selected articles (``article_id``, ``actor_id``, ``role``,
    ``start``, ``end``, ``text``, ``extractor``; no span for an actor referred to but not named),
    by article and then by actor, each actor's in text order."""
    m, a = t.article_actors.c, t.articles.c
    query = (
        select(m.article_id, m.actor_id, m.role, m.ev_start, m.ev_end, m.ev_text, m.extractor)
        .join(t.articles, a.id == m.article_id)
        .where(sel.clause(conn.dialect.name))
        .order_by(a.seq, m.actor_id, m.seq)
    )
    for r in _stream(conn, query):
        yield {"article_id": r.article_id, "actor_id": r.actor_id, "role": r.role, "start": r.ev_start,
               "end": r.ev_end, "text": r.ev_text, "extractor": r.extractor}  # fmt: skip


def read_facts(conn: Connection, sel: Selection, kind: str) -> Iterator[dict[str, Any]]:
    """The facts of one kind (``FACT_KINDS``) of the selected articles, in stored order: each its
    export dict with ``article_id``, ``article_url`` and ``article_source``; an event also with
    ``fused_id``, the fused event holding it (``None`` before events are fused), and quantities,
    which have no id of their own, with ``index``, their place among the article's quantities."""
    table = _FACT_TABLES[kind]
    a = t.articles.c
    cols = [table.c.data, table.c.article_id, a.url, a.source]
    query = select(*cols).join_from(table, t.articles, a.id == table.c.article_id)
    if kind == "events":
        s = fused_event_sources.c
        on = and_(s.article_id == table.c.article_id, s.event_id == table.c.id)
        query = query.add_columns(s.fused_id).outerjoin(fused_event_sources, on)
    query = query.where(sel.clause(conn.dialect.name)).order_by(a.seq, table.c.seq)
    last, index = None, 0
    for row in _stream(conn, query):
        d = dict(row.data or {}) | {"article_id": row.article_id, "article_url": row.url, "article_source": row.source}
        if kind == "events":
            d["fused_id"] = row.fused_id
        if kind == "quantities":
            index = index + 1 if row.article_id == last else 0
            last, d["index"] = row.article_id, index
        yield d


def read_fused_sources(conn: Connection, sel: Selection) -> Iterator[dict[str, Any]]:
    """The fused events with a source among the selected articles, one row per such source, by
    fused event id: ``fused`` (the fused event's dict, as ``threatscape events --format json``
    gives it, every source included) with the source's ``article_id``, ``event_id``,
    ``article_url``, ``article_source`` and the source event's ``evidence``."""
    s, a, f, e = fused_event_sources.c, t.articles.c, fused_events.c, t.events.c
    query = (
        select(f.data, s.article_id, s.event_id, a.url, a.source, e.data.label("event"))
        .join_from(fused_event_sources, fused_events, f.id == s.fused_id)
        .join(t.articles, a.id == s.article_id)
        .outerjoin(t.events, and_(e.article_id == s.article_id, e.id == s.event_id))
        .where(sel.clause(conn.dialect.name))
        .order_by(f.id, s.seq)
    )
    for row in _stream(conn, query):
        event = row.event or {}
        yield {"fused": row.data, "article_id": row.article_id, "event_id": row.event_id,
               "article_url": row.url, "article_source": row.source, "evidence": event.get("evidence")}  # fmt: skip


def read_fused(conn: Connection, sel: Selection) -> Iterator[dict[str, Any]]:
    """The fused events with a source among the selected articles, by id (their dicts as stored)."""
    s, a, f = fused_event_sources.c, t.articles.c, fused_events.c
    touching = select(s.fused_id).join(t.articles, a.id == s.article_id).where(sel.clause(conn.dialect.name))
    for row in _stream(conn, select(f.data).where(f.id.in_(touching)).order_by(f.id)):
        yield dict(row.data)


def read_sanction_entry(conn: Connection, list_name: str, ref: str) -> dict[str, Any] | None:
    """The entry ``ref`` of the newest stored version of the list that has it, or ``None``."""
    en = entries_table.c
    query = select(en.data).where(en.list == list_name, en.ref == ref).order_by(en.seq.desc()).limit(1)
    found = conn.execute(query).scalar_one_or_none()
    return dict(found) if found is not None else None
