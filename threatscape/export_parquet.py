"""The record as Parquet tables: typed Arrow schemas, rows -> record batches, streamed to files.

One table per kind of row (``TABLES``): ``articles``, ``actors``, ``mentions`` (which article
names which actor, where), the facts of ``docs/export-contract.md`` (``events``, ``claims``,
``relations``, ``quantities``, ``flows``, ``strengths``; each row with the ``article_id`` it
belongs to), ``fused_events`` (incidents across reports, every source with its toll in the nested
``sources``) and ``sanctions`` (an actor's matches on the loaded lists, one row each).

Dates are ``date32``, counts and offsets ``int64``, amounts and coordinates ``float64``; lists stay
lists (``aliases``, ``qualifiers``, ``summary``), small records become structs (``captions``,
``sources``), an event's fatality breakdown a map. Evidence spans are flattened:
``evidence_start``, ``evidence_end``, ``evidence_text``, ``extractor``; the other spans of a flow
or a strength figure likewise (``amount_evidence_start`` ...). Ids are the export's.

``record_batch(table, rows)`` turns export-shaped dicts (the facts of ``export_article``, with
``article_id``) into one Arrow batch, so anything that holds such rows (the store here, the batch
pipeline's partitions) writes the same tables; ``article_rows`` gives them for one exported
article. ``write_parquet`` streams a store's record into a folder, one file per table, batch by
batch through ``pyarrow.parquet.ParquetWriter``: memory holds one batch, not the table.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from threatscape.errors import ConfigError
from threatscape.model import EXPORT_VERSION
from threatscape.store.base import QuerySource
from threatscape.store.records import (
    FACT_KINDS,
    Selection,
    read_actors,
    read_articles,
    read_facts,
    read_fused,
    read_mentions,
)

__all__ = ["BATCH_ROWS", "SCHEMAS", "TABLES", "article_rows", "record_batch", "write_parquet"]

BATCH_ROWS = 5000  # rows a batch (and a row group) holds: articles with their bodies stay a few MB

_STR, _INT, _FLOAT, _BOOL, _DATE = pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.date32()
_STRS = pa.list_(_STR)


def _span(prefix: str) -> list[pa.Field]:
    return [pa.field(f"{prefix}_start", _INT), pa.field(f"{prefix}_end", _INT), pa.field(f"{prefix}_text", _STR)]


_EVIDENCE = [*_span("evidence"), pa.field("extractor", _STR)]
_DATES = [pa.field("date_start", _DATE), pa.field("date_end", _DATE), pa.field("date_precision", _STR)]
_PLACE = [
    pa.field(n, ty)
    for n, ty in (("location_name", _STR), ("admin1", _STR), ("country", _STR), ("country_code", _STR),
                  ("lat", _FLOAT), ("lon", _FLOAT), ("geo_precision", _STR), ("geonameid", _INT))
]  # fmt: skip
_TOLL = [pa.field(f"fatalities_{k}", _INT) for k in ("best", "low", "high")]
_INCIDENT = [
    pa.field("type", _STR), pa.field("sub_type", _STR), pa.field("plover", _STR), pa.field("actor1", _STR),
    pa.field("actor2", _STR), pa.field("claimed_by", _STR), pa.field("aggregate", _BOOL),
    pa.field("count_value", _INT), pa.field("count_qualifier", _STR), *_PLACE, *_DATES, *_TOLL,
]  # fmt: skip


def _schema(*fields: pa.Field | tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([f if isinstance(f, pa.Field) else pa.field(*f) for f in fields])


SCHEMAS: dict[str, pa.Schema] = {
    "articles": _schema(
        ("id", _STR), ("story_id", _STR), ("source_id", _STR), ("title", _STR), ("url", _STR), ("source", _STR),
        ("published", _DATE), ("updated", _DATE), ("date", _DATE), ("dateline", _STR), ("byline", _STR),
        ("summary", _STRS), ("captions", pa.list_(pa.struct([("text", _STR), ("credit", _STR)]))), ("body", _STR),
    ),
    "actors": _schema(
        ("id", _STR), ("name", _STR), ("type", _STR), ("country", _STR), ("aliases", _STRS), ("affiliation", _STR),
        ("sanctions", pa.list_(pa.struct([("list", _STR), ("ref", _STR), ("name", _STR), ("score", _FLOAT)]))),
    ),
    "mentions": _schema(
        ("article_id", _STR), ("actor_id", _STR), ("role", _STR), ("start", _INT), ("end", _INT), ("text", _STR),
        ("extractor", _STR),
    ),
    "events": _schema(
        ("article_id", _STR), ("id", _STR), ("fused_id", _STR), *_INCIDENT, ("reported_by", _STR),
        ("fatalities_breakdown", pa.map_(_STR, _INT)), ("confidence", _FLOAT), *_EVIDENCE,
    ),
    "fused_events": _schema(
        ("id", _STR), *_INCIDENT, ("n_reports", _INT), ("n_sources", _INT), ("confidence", _FLOAT),
        ("sources", pa.list_(pa.struct([
            ("article_id", _STR), ("event_id", _STR), ("story_id", _STR), ("reported_by", _STR), *_TOLL,
            ("date", _DATE)]))),
    ),
    "claims": _schema(
        ("article_id", _STR), ("id", _STR), ("speaker", _STR), ("speaker_text", _STR), ("cue", _STR),
        ("stance", _STR), ("content", _STR), ("direct", _BOOL), ("target", _STR), *_EVIDENCE,
    ),
    "relations": _schema(
        ("article_id", _STR), ("id", _STR), ("subject", _STR), ("predicate", _STR), ("object", _STR),
        ("qualifiers", _STRS), ("attributed_to", _STR), ("contested", _BOOL), ("contested_by", _STRS), *_DATES,
        *_EVIDENCE,
    ),
    "quantities": _schema(
        ("article_id", _STR), ("index", _INT), ("value", _FLOAT), ("unit", _STR), ("what", _STR),
        ("qualifier", _STR), ("currency", _STR), ("usd", _FLOAT), ("period", _STR), *_EVIDENCE,
    ),
    "flows": _schema(
        ("article_id", _STR), ("id", _STR), ("amount", _FLOAT), ("currency", _STR), ("usd", _FLOAT),
        ("usd_basis", _STR), ("period", _STR), ("usd_per_year", _FLOAT), ("payer", _STR), ("payer_text", _STR),
        ("payee", _STR), ("payee_text", _STR), ("purpose", _STR), ("direction", _STR), ("reported_by", _STR),
        ("via", _STR), ("stance", _STR), ("contested", _BOOL), ("sanctioned", _STRS), *_DATES,
        *_span("amount_evidence"), *_span("payer_evidence"), *_span("payee_evidence"), *_EVIDENCE,
    ),
    "strengths": _schema(
        ("article_id", _STR), ("id", _STR), ("group", _STR), ("value", _INT), ("low", _INT), ("high", _INT),
        ("unit", _STR), ("qualifier", _STR), ("estimate_by", _STR), ("estimate_text", _STR), ("when", _STR),
        *_DATES, *_span("count_evidence"), *_EVIDENCE,
    ),
    "sanctions": _schema(("actor_id", _STR), ("list", _STR), ("ref", _STR), ("name", _STR), ("score", _FLOAT)),
}  # fmt: skip
TABLES = tuple(SCHEMAS)


# -- export dicts -> flat rows --------------------------------------------------------------------


def _day(value: Any) -> date | None:
    """An ISO date string as a date; ``None`` for none (or for anything that is no full date)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _spans(d: dict[str, Any], key: str, prefix: str) -> dict[str, Any]:
    ev = d.get(key) or {}
    return {f"{prefix}_start": _int(ev.get("start")), f"{prefix}_end": _int(ev.get("end")),
            f"{prefix}_text": ev.get("text")}  # fmt: skip


def _evidence(d: dict[str, Any]) -> dict[str, Any]:
    return _spans(d, "evidence", "evidence") | {"extractor": (d.get("evidence") or {}).get("extractor")}


def _dates(d: dict[str, Any]) -> dict[str, Any]:
    when = d.get("date") or {}
    return {"date_start": _day(when.get("start")), "date_end": _day(when.get("end")),
            "date_precision": when.get("precision")}  # fmt: skip


def _toll(fat: dict[str, Any] | None) -> dict[str, Any]:
    fat = fat or {}
    return {f"fatalities_{k}": _int(fat.get(k)) for k in ("best", "low", "high")}


def _incident(d: dict[str, Any]) -> dict[str, Any]:
    loc, count = d.get("location") or {}, d.get("count") or {}
    place = {"location_name": loc.get("name"), "admin1": loc.get("admin1"), "country": loc.get("country"),
             "country_code": loc.get("country_code"), "lat": loc.get("lat"), "lon": loc.get("lon"),
             "geo_precision": loc.get("precision"), "geonameid": _int(loc.get("geonameid"))}  # fmt: skip
    keys = ("id", "type", "sub_type", "plover", "actor1", "actor2", "claimed_by")
    return ({k: d.get(k) for k in keys} | {"aggregate": bool(d.get("aggregate"))}
            | {"count_value": _int(count.get("value")), "count_qualifier": count.get("qualifier")}
            | place | _dates(d) | _toll(d.get("fatalities")))  # fmt: skip


def _article(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "story_id", "source_id", "title", "url", "source", "dateline", "byline", "body")
    captions = [{"text": c.get("text"), "credit": c.get("credit")} for c in d.get("captions") or ()]
    date_of = d.get("date") or d.get("published") or d.get("updated")
    return {k: d.get(k) for k in keys} | {
        "published": _day(d.get("published")), "updated": _day(d.get("updated")), "date": _day(date_of),
        "summary": list(d.get("summary") or ()), "captions": captions,
    }  # fmt: skip


def _actor(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "type", "country", "affiliation")
    sanctions = [{"list": s.get("list"), "ref": s.get("ref"), "name": s.get("name"), "score": s.get("score")}
                 for s in d.get("sanctions") or ()]  # fmt: skip
    return {k: d.get(k) for k in keys} | {"aliases": list(d.get("aliases") or ()), "sanctions": sanctions}


def _event(d: dict[str, Any]) -> dict[str, Any]:
    breakdown = (d.get("fatalities") or {}).get("breakdown") or {}
    return ({"article_id": d.get("article_id"), "fused_id": d.get("fused_id")} | _incident(d)
            | {"reported_by": d.get("reported_by"), "confidence": d.get("confidence")}
            | {"fatalities_breakdown": [(str(k), _int(v)) for k, v in breakdown.items()]} | _evidence(d))  # fmt: skip


def _fused(d: dict[str, Any]) -> dict[str, Any]:
    sources = [{"article_id": s.get("article_id"), "event_id": s.get("event_id"), "story_id": s.get("story_id"),
                "reported_by": s.get("reported_by"), **_toll(s.get("fatalities")), "date": _day(s.get("date"))}
               for s in d.get("sources") or ()]  # fmt: skip
    return _incident(d) | {"n_reports": _int(d.get("n_reports")), "n_sources": _int(d.get("n_sources")),
                           "confidence": d.get("confidence"), "sources": sources}  # fmt: skip


def _plain(*keys: str, lists: tuple[str, ...] = (), dated: bool = False) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A row of ``keys`` as they are, ``lists`` as lists, the date span if ``dated``, the evidence."""

    def row(d: dict[str, Any]) -> dict[str, Any]:
        out = {"article_id": d.get("article_id")} | {k: d.get(k) for k in keys}
        out |= {k: list(d.get(k) or ()) for k in lists}
        return out | (_dates(d) if dated else {}) | _evidence(d)

    return row


def _flow(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "amount", "currency", "usd", "usd_basis", "period", "usd_per_year", "payer", "payer_text",
            "payee", "payee_text", "purpose", "direction", "reported_by", "via", "stance")  # fmt: skip
    out = {"article_id": d.get("article_id")} | {k: d.get(k) for k in keys}
    out |= {"contested": bool(d.get("contested")), "sanctioned": list(d.get("sanctioned") or ())} | _dates(d)
    for key in ("amount_evidence", "payer_evidence", "payee_evidence"):
        out |= _spans(d, key, key)
    return out | _evidence(d)


def _strength(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "group", "unit", "qualifier", "estimate_by", "estimate_text", "when")
    out = {"article_id": d.get("article_id")} | {k: d.get(k) for k in keys}
    out |= {k: _int(d.get(k)) for k in ("value", "low", "high")}
    return out | _dates(d) | _spans(d, "count_evidence", "count_evidence") | _evidence(d)


def _sanction(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in ("actor_id", "list", "ref", "name", "score")}


_ROWS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "articles": _article,
    "actors": _actor,
    "mentions": lambda d: {f.name: d.get(f.name) for f in SCHEMAS["mentions"]},
    "events": _event,
    "fused_events": _fused,
    "claims": _plain("id", "speaker", "speaker_text", "cue", "stance", "content", "direct", "target"),
    "relations": _plain(
        "id",
        "subject",
        "predicate",
        "object",
        "attributed_to",
        "contested",
        lists=("qualifiers", "contested_by"),
        dated=True,
    ),
    "quantities": _plain("index", "value", "unit", "what", "qualifier", "currency", "usd", "period"),
    "flows": _flow,
    "strengths": _strength,
    "sanctions": _sanction,
}


def record_batch(table: str, rows: Iterable[dict[str, Any]]) -> pa.RecordBatch:
    """One Arrow batch of ``table`` (``TABLES``) from export-shaped dicts: an article's export
    dict, an actor's, a fact's with its ``article_id`` (an event's also with ``fused_id``, a
    quantity's with ``index``), a fused event's, or ``{actor_id, list, ref, name, score}`` for
    ``sanctions``."""
    if table not in _ROWS:
        raise ConfigError(f"no Parquet table {table!r}; the tables are {', '.join(TABLES)}")
    return pa.RecordBatch.from_pylist([_ROWS[table](r) for r in rows], schema=SCHEMAS[table])


def article_rows(exported: dict[str, Any], story_id: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows one exported article (``export_article``) gives each table that holds it:
    ``articles``, ``actors``, ``sanctions`` and its facts (not ``mentions`` or ``fused_events``,
    which the export shape does not carry)."""
    article_id = exported["id"]
    out: dict[str, list[dict[str, Any]]] = {"articles": [exported | {"story_id": story_id or exported.get("story_id")}]}
    out["actors"] = list(exported.get("actors") or ())
    out["sanctions"] = [s | {"actor_id": a["id"]} for a in out["actors"] for s in a.get("sanctions") or ()]
    for kind in FACT_KINDS:
        facts = [d | {"article_id": article_id} for d in exported.get(kind) or ()]
        if kind == "quantities":
            facts = [d | {"index": i} for i, d in enumerate(facts)]
        out[kind] = facts
    return out


# -- the store -> files ---------------------------------------------------------------------------


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _folder(folder: str | Path) -> Path:
    """The output folder, made if its parent exists; a ``ConfigError`` naming it otherwise."""
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"-o {folder}: is a file; the Parquet export writes a folder (one file per table)")
    if not out.exists():
        if not out.parent.is_dir():
            raise ConfigError(f"-o {folder}: the folder {out.parent} does not exist")
        try:
            out.mkdir()
        except OSError as exc:
            raise ConfigError(f"-o {folder}: cannot make the folder ({exc.strerror})") from exc
    if not os.access(out, os.W_OK):
        raise ConfigError(f"-o {folder}: the folder is not writable")
    return out


def _write_table(path: Path, table: str, rows: Iterable[dict[str, Any]], batch_rows: int) -> int:
    """Write ``rows`` to ``path`` batch by batch (to a ``.part`` file, renamed when complete)."""
    part = path.with_name(path.name + ".part")
    schema = SCHEMAS[table].with_metadata({"threatscape.table": table, "threatscape.export": str(EXPORT_VERSION)})
    count = 0
    try:
        with pq.ParquetWriter(part, schema, compression="zstd") as writer:
            for chunk in _batched(rows, batch_rows):
                writer.write_batch(record_batch(table, chunk).replace_schema_metadata(schema.metadata))
                count += len(chunk)
        os.replace(part, path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)
    return count


def _sanction_rows(actors: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for actor in actors:
        for match in actor.get("sanctions") or ():
            yield dict(match) | {"actor_id": actor["id"]}


def _read(conn: Any, sel: Selection, table: str) -> Iterator[dict[str, Any]]:
    """The rows of one table of the selection, from the store."""
    if table in FACT_KINDS:
        return read_facts(conn, sel, table)
    if table == "sanctions":
        return _sanction_rows(read_actors(conn, sel))
    readers = {"articles": read_articles, "actors": read_actors, "mentions": read_mentions, "fused_events": read_fused}
    return readers[table](conn, sel)


def write_parquet(
    source: QuerySource,
    folder: str | Path,
    selection: Selection | None = None,
    *,
    batch_rows: int = BATCH_ROWS,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Write the selected record of ``source`` (every article by default) to ``folder``, one
    ``TABLE.parquet`` per table (``TABLES``, empty ones too), ``batch_rows`` rows per batch.
    Returns the rows written per table; ``progress(table, rows)`` is called as each is done."""
    sel = selection or Selection()
    out = _folder(folder)
    counts: dict[str, int] = {}
    with source.reading() as conn:
        for table in TABLES:
            counts[table] = _write_table(out / f"{table}.parquet", table, _read(conn, sel, table), batch_rows)
            if progress is not None:
                progress(table, counts[table])
    return counts
