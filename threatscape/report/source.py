"""Which events the report counts: fused events when the store has them, else the raw events table.

An ``EventSource`` is a selectable with one row per event and these columns: ``eid``, ``type``,
``sub_type``, ``actor1``, ``actor2``, ``country``, ``admin1``, ``location_name``, ``lat``, ``lon``,
``date_start``, ``f_best``, ``f_low``, ``f_high`` and ``article_id`` (for fused events: one of
the reports; ``links`` then lists every ``(eid, article_id)``).

Fused events are used when a table ``fused_events`` holds rows and has at least ``id``, ``type``
and ``date_start``, and a table named ``fused_event*`` links its ids (``fused_id``,
``fused_event_id`` or ``event_id``) to ``article_id``. Otherwise raw events are used, without the
tallies (``aggregate``), which are never counted as incidents.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    false,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.sql import ColumnElement, FromClause

from threatscape.store import schema as t

__all__ = ["EVENT_COLUMNS", "EventSource", "event_source", "materialize", "raw_source"]

EVENT_COLUMNS = (
    "eid",
    "type",
    "sub_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location_name",
    "lat",
    "lon",
    "date_start",
    "f_best",
    "f_low",
    "f_high",
    "article_id",
)
_FUSED_NAMES = {
    "f_best": "fatalities_best",
    "f_low": "fatalities_low",
    "f_high": "fatalities_high",
    "eid": "id",
}
_LINK_KEYS = ("fused_id", "fused_event_id", "event_id")


@dataclass(frozen=True)
class EventSource:
    name: str  # "events" or "fused_events"
    events: FromClause
    links: FromClause | None = None  # (eid, article_id) for fused events

    @property
    def fused(self) -> bool:
        return self.links is not None

    def col(self, name: str) -> ColumnElement[Any]:
        return self.events.c[name]


def raw_source() -> EventSource:
    e = t.events
    cols = [
        e.c.seq.label("eid"),
        e.c.type,
        e.c.sub_type,
        e.c.actor1,
        e.c.actor2,
        e.c.country,
        e.c.admin1,
        e.c.location_name,
        e.c.lat,
        e.c.lon,
        e.c.date_start,
        e.c.fatalities_best.label("f_best"),
        e.c.fatalities_low.label("f_low"),
        e.c.fatalities_high.label("f_high"),
        e.c.article_id,
    ]
    return EventSource("events", select(*cols).where(e.c.aggregate == false()).subquery("ev"))


def _reflect(conn: Connection, name: str) -> Table:
    """The table's columns as the database has them (its expression indexes, which SQLAlchemy
    cannot reflect and warns about, are of no use to a query built here)."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        return Table(name, MetaData(), autoload_with=conn)


def _link_table(conn: Connection, names: list[str]) -> tuple[Table, str] | None:
    for name in sorted(n for n in names if n.startswith("fused_event") and n != "fused_events"):
        cols = {c["name"] for c in inspect(conn).get_columns(name)}
        key = next((k for k in _LINK_KEYS if k in cols), None)
        if key and "article_id" in cols:
            return _reflect(conn, name), key
    return None


_TABLES: weakref.WeakKeyDictionary[Engine, tuple[Table, tuple[Table, str]]] = weakref.WeakKeyDictionary()


def _fused_tables(conn: Connection) -> tuple[Table, tuple[Table, str]] | None:
    """The fused-events table and its link table as the database has them; once found, kept for
    the engine's life (the web app asks on every request; a schema changes only when opened)."""
    found = _TABLES.get(conn.engine)
    if found is not None:
        return found
    names = inspect(conn).get_table_names()
    if "fused_events" not in names:
        return None
    fused = _reflect(conn, "fused_events")
    if not {"id", "type", "date_start"} <= set(fused.c.keys()):
        return None
    link = _link_table(conn, names)
    if link is None:
        return None
    _TABLES[conn.engine] = (fused, link)
    return fused, link


def _fused_source(conn: Connection) -> EventSource | None:
    tables = _fused_tables(conn)
    if tables is None:
        return None
    fused, (table, key) = tables
    if not conn.execute(select(literal(1)).select_from(fused).limit(1)).first():
        return None
    links = select(table.c[key].label("eid"), table.c.article_id).subquery("fl")
    first = select(links.c.eid, func.min(links.c.article_id).label("article_id")).group_by(links.c.eid).subquery()
    types = {"lat": Float, "lon": Float, "f_best": Integer, "f_low": Integer, "f_high": Integer}
    cols = []
    for name in EVENT_COLUMNS[:-1]:
        real = _FUSED_NAMES.get(name, name)
        typ = types.get(name, String)
        cols.append(fused.c[real].label(name) if real in fused.c else literal(None, typ()).label(name))
    query = select(*cols, first.c.article_id).join_from(fused, first, first.c.eid == fused.c.id)
    if "aggregate" in fused.c:
        query = query.where(fused.c.aggregate == false())
    return EventSource("fused_events", query.subquery("ev"), links)


def materialize(conn: Connection, src: EventSource, where: list[Any], name: str) -> EventSource:
    """The events of ``src`` matching ``where`` copied into a temporary table (one index scan).

    The report runs a dozen aggregates over the same period; each then reads the small copy
    instead of looking the period's rows up again. The table lives in the connection's session and
    goes with the transaction (the builder's connection never commits). In a read-only
    transaction on PostgreSQL, which may not create one, the events are read where they are.
    """
    if conn.dialect.name == "postgresql" and conn.execute(text("SHOW transaction_read_only")).scalar() == "on":
        return EventSource(src.name, select(*(src.events.c[c] for c in EVENT_COLUMNS)).where(*where).subquery(name),
                           src.links)  # fmt: skip
    types = {"lat": Float, "lon": Float, "f_best": Integer, "f_low": Integer, "f_high": Integer}
    cols = [Column(c, types.get(c, String)()) for c in EVENT_COLUMNS]
    conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
    table = Table(name, MetaData(), *cols, prefixes=["TEMPORARY"])
    table.create(conn)
    query = select(*(src.events.c[c] for c in EVENT_COLUMNS)).where(*where)
    conn.execute(insert(table).from_select(list(EVENT_COLUMNS), query))
    Index(f"{name}_date", table.c.date_start).create(conn)
    return EventSource(src.name, table, src.links)


def event_source(conn: Connection) -> EventSource:
    """Fused events when the store has them (see the module docstring), else the raw events."""
    return _fused_source(conn) or raw_source()
