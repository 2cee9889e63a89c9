"""Stored money flows and strength figures as flat rows: the CSV the ``flows`` and ``strength``
commands print carries every field of the JSON export, one column each.

Nested values are flattened with underscores (``amount_evidence`` -> ``amount_start``,
``amount_end``, ``amount_text``; ``date`` -> ``date_start``, ``date_end``, ``date_precision``);
lists (``sanctioned``) are joined with ``;``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, or_, select

from threatscape.store import schema as t
from threatscape.store.events import _actor_ids, _actor_names
from threatscape.store.rows import date_bound

__all__ = ["FLOW_COLUMNS", "STRENGTH_COLUMNS", "flow_rows", "strength_rows"]

_EVIDENCE = {"evidence": "sentence", "amount_evidence": "amount", "payer_evidence": "payer",
             "payee_evidence": "payee", "count_evidence": "count"}  # fmt: skip
FLOW_COLUMNS = [
    "article_id", "article_date", "id", "payer", "payer_name", "payer_text", "payee", "payee_name", "payee_text",
    "amount", "currency", "usd", "usd_basis", "period", "usd_per_year", "purpose", "direction", "reported_by",
    "via", "stance", "contested", "sanctioned", "date_start", "date_end", "date_precision", "amount_start",
    "amount_end", "amount_text", "payer_start", "payer_end", "payee_start", "payee_end", "sentence_start",
    "sentence_end", "sentence_text", "extractor",
]  # fmt: skip
STRENGTH_COLUMNS = [
    "article_id", "article_date", "id", "group", "group_name", "value", "low", "high", "unit", "qualifier",
    "estimate_by", "estimate_text", "when", "date_start", "date_end", "date_precision", "count_start",
    "count_end", "count_text", "sentence_start", "sentence_end", "sentence_text", "extractor",
]  # fmt: skip


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """One stored fact (its export dict) as one flat row."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _EVIDENCE:
            prefix = _EVIDENCE[key]
            ev = value or {}
            out |= {
                f"{prefix}_start": ev.get("start"),
                f"{prefix}_end": ev.get("end"),
                f"{prefix}_text": ev.get("text"),
            }
            if key == "evidence":
                out["extractor"] = ev.get("extractor")
        elif key == "date":
            d = value or {}
            out |= {"date_start": d.get("start"), "date_end": d.get("end"), "date_precision": d.get("precision")}
        elif isinstance(value, list):
            out[key] = ";".join(map(str, value))
        else:
            out[key] = value
    return out


def _rows(
    conn: Connection, table: Table, parties: tuple[str, ...], actor: str | None, since: str | None, until: str | None
) -> list[dict[str, Any]]:
    since, until = date_bound("--since", since), date_bound("--until", until)
    names = _actor_names(conn)
    a = t.articles.c
    query = select(table.c.data, table.c.article_id, a.date).join_from(table, t.articles, a.id == table.c.article_id)
    if actor:
        ids = _actor_ids(actor, names)
        query = query.where(or_(*(table.c[p].in_(ids) for p in parties)))
    if since:
        query = query.where(a.date >= since)
    if until:
        query = query.where(a.date <= until + "\uffff")
    out = []
    for data, article_id, day in conn.execute(query.order_by(a.date, table.c.seq)):
        row = {"article_id": article_id, "article_date": day} | flatten(data or {})
        for p in ("payer", "payee", "group"):
            if p in row:
                row[f"{p}_name"] = names[row[p]][0] if row[p] in names else None
        out.append(row)
    return out


def flow_rows(
    conn: Connection, *, actor: str | None = None, since: str | None = None, until: str | None = None
) -> list[dict[str, Any]]:
    """Every stored flow (an actor filter keeps those it pays or gets), oldest article first."""
    return _rows(conn, t.flows, ("payer", "payee"), actor, since, until)


def strength_rows(
    conn: Connection, *, actor: str | None = None, since: str | None = None, until: str | None = None
) -> list[dict[str, Any]]:
    """Every stored strength figure (an actor filter keeps its group's), oldest article first."""
    return _rows(conn, t.strengths, ("group_id",), actor, since, until)
