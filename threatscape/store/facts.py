"""Rows for the facts of one article, written and read back in the export shape.

The dicts come from ``threatscape.export.export_article``; each fact row keeps its dict in
``data`` and copies the fields worth filtering on into real columns.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from threatscape.export import export_article
from threatscape.model import Extraction
from threatscape.store import schema as t

__all__ = ["FACT_KEYS", "fact_rows", "read_facts", "write_facts"]

FACT_KEYS = (  # export key -> the table its facts are stored in
    ("events", t.events),
    ("claims", t.claims),
    ("relations", t.relations),
    ("quantities", t.quantities),
    ("flows", t.flows),
    ("strengths", t.strengths),
)


def _span(fact: dict[str, Any]) -> dict[str, Any]:
    ev = fact.get("evidence") or {}
    return {"ev_start": ev.get("start"), "ev_end": ev.get("end")}


def _event_row(d: dict[str, Any]) -> dict[str, Any]:
    loc, date, fat = d.get("location") or {}, d.get("date") or {}, d.get("fatalities") or {}
    return {
        "id": d["id"],
        "type": d["type"],
        "sub_type": d.get("sub_type"),
        "plover": d.get("plover"),
        "actor1": d.get("actor1"),
        "actor2": d.get("actor2"),
        "aggregate": bool(d.get("aggregate")),
        "country": loc.get("country"),
        "admin1": loc.get("admin1"),
        "location_name": loc.get("name"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "date_start": date.get("start"),
        "date_end": date.get("end"),
        "date_precision": date.get("precision"),
        "fatalities_best": fat.get("best"),
        "fatalities_low": fat.get("low"),
        "fatalities_high": fat.get("high"),
        "confidence": d.get("confidence"),
    }


def _claim_row(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "speaker", "speaker_text", "cue", "stance", "content", "direct", "target")
    return {k: d.get(k) for k in keys}


def _relation_row(d: dict[str, Any]) -> dict[str, Any]:
    date = d.get("date") or {}
    keys = ("id", "subject", "predicate", "object", "attributed_to", "contested")
    return {k: d.get(k) for k in keys} | {"date_start": date.get("start"), "date_end": date.get("end")}


def _quantity_row(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("value", "unit", "what", "qualifier", "currency", "usd", "period")
    return {k: d.get(k) for k in keys}


def _flow_row(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "amount", "currency", "usd", "usd_per_year", "period", "payer", "payee", "purpose", "direction")
    date = d.get("date") or {}
    return {k: d.get(k) for k in (*keys, "reported_by", "stance", "contested")} | {"date_start": date.get("start")}


def _strength_row(d: dict[str, Any]) -> dict[str, Any]:
    date = d.get("date") or {}
    keys = ("id", "value", "low", "high", "unit", "estimate_by")
    return {k: d.get(k) for k in keys} | {"group_id": d.get("group"), "date_start": date.get("start")}


_ROW = {
    "events": _event_row,
    "claims": _claim_row,
    "relations": _relation_row,
    "quantities": _quantity_row,
    "flows": _flow_row,
    "strengths": _strength_row,
}


def _mention_rows(ex: Extraction) -> list[dict[str, Any]]:
    rows = [
        {
            "actor_id": m.actor,
            "role": m.role,
            "ev_start": m.evidence.start,
            "ev_end": m.evidence.end,
            "ev_text": m.evidence.text,
            "extractor": m.evidence.extractor,
        }
        for m in ex.mentions
    ]
    mentioned = {m.actor for m in ex.mentions}
    rows += [{"actor_id": a.id} for a in ex.actors if a.id not in mentioned]  # referred to, no span
    return rows


def _upsert_actors(conn: Connection, actors: list[dict[str, Any]]) -> None:
    if not actors:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    latest = {a["id"]: a for a in actors}  # one row per id, or PostgreSQL refuses the batch
    stmt = dialect.insert(t.actors).values(list(latest.values()))
    columns = ("name", "type", "country", "aliases", "affiliation", "sanctions")
    conn.execute(
        stmt.on_conflict_do_update(index_elements=[t.actors.c.id], set_={c: stmt.excluded[c] for c in columns})
    )


def _insert(conn: Connection, table: Table, article_id: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        full = [{c.name: None for c in table.columns if c.name != "seq"} | r | {"article_id": article_id} for r in rows]
        conn.execute(insert(table), full)


def _unlink_contested(conn: Connection, article_id: str) -> None:
    """Take the statements of ``article_id`` (about to be replaced) out of the ``contested_by``
    lists of other articles' relations; a relation nothing contests any more is not contested.
    The next contested-links pass links the new statements."""
    ids = set(conn.execute(select(t.claims.c.id).where(t.claims.c.article_id == article_id)).scalars())
    ids |= set(conn.execute(select(t.relations.c.id).where(t.relations.c.article_id == article_id)).scalars())
    if not ids:
        return
    r = t.relations.c
    rows = conn.execute(select(r.seq, r.data).where(r.contested.is_(True), r.article_id != article_id)).all()
    for seq, data in rows:
        before = list((data or {}).get("contested_by") or ())
        kept = [x for x in before if x not in ids]
        if kept != before:
            data = dict(data) | {"contested_by": kept, "contested": bool(kept)}
            conn.execute(update(t.relations).where(r.seq == seq).values(contested=bool(kept), data=data))


def fact_rows(ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    """The rows ``write_facts`` stores for ``ex``, by table name (``actors``, ``article_actors`` and
    the tables of ``FACT_KEYS``), without ``article_id`` and ``seq``; every fact row keeps its
    exported dict in ``data``. The batch output (``threatscape.batch``) writes the same rows."""
    exported = export_article(ex)
    rows: dict[str, list[dict[str, Any]]] = {"actors": exported["actors"], "article_actors": _mention_rows(ex)}
    for key, table in FACT_KEYS:
        rows[table.name] = [_ROW[key](d) | _span(d) | {"data": d} for d in exported[key]]
    return rows


def write_facts(conn: Connection, ex: Extraction, *, replacing: bool = True) -> None:
    """Replace the stored facts of ``ex.article`` with those of ``ex`` (inside the caller's
    transaction); ``replacing=False`` when the article has just been added (nothing to replace)."""
    article_id = ex.article.id
    rows = fact_rows(ex)
    if replacing:
        _unlink_contested(conn, article_id)
        for table in t.FACT_TABLES:
            conn.execute(delete(table).where(table.c.article_id == article_id))
    _upsert_actors(conn, rows["actors"])
    _insert(conn, t.article_actors, article_id, rows["article_actors"])
    for _key, table in FACT_KEYS:
        _insert(conn, table, article_id, rows[table.name])


def read_facts(conn: Connection, article_id: str) -> dict[str, Any]:
    """The stored facts of one article: ``actors``, ``events``, ``claims``, ``relations``,
    ``quantities``, ``flows``, ``strengths``."""
    first = (
        select(t.article_actors.c.actor_id, func.min(t.article_actors.c.seq).label("first"))
        .where(t.article_actors.c.article_id == article_id)
        .group_by(t.article_actors.c.actor_id)
        .subquery()
    )
    cols = [t.actors.c[c] for c in ("id", "name", "type", "country", "aliases", "affiliation", "sanctions")]
    rows = conn.execute(select(*cols).join(first, first.c.actor_id == t.actors.c.id).order_by(first.c.first))
    out: dict[str, Any] = {"actors": [dict(r._mapping) for r in rows]}
    for key, table in FACT_KEYS:
        query = select(table.c.data).where(table.c.article_id == article_id).order_by(table.c.seq)
        out[key] = list(conn.execute(query).scalars())
    return out
