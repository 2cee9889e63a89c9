"""A partition's output as Parquet tables, and the extractions read back from them.

One file per table under ``DIR/part-NNNNN/``: ``articles``, ``actors``, ``article_actors`` (the
mentions), ``events``, ``claims``, ``relations``, ``quantities``, ``flows``, ``strengths`` and
``failures``. Every fact table has the columns of the store's table of that name
(``threatscape.store.schema``; JSON columns as JSON text, ``data`` the fact's exported dict), the
rows ``threatscape.store.facts.fact_rows`` gives, plus ``article_id``, ``article`` (the article's
place in the partition) and ``position`` (the row's place among the article's). ``failures``
holds ``input``, ``origin``, ``article_id`` (when an article failed) and ``error``.

``extractions`` rebuilds each article's ``Extraction`` from the tables (``model.from_dict`` on
the exported dicts), so that ``threatscape load`` stores them through the same
``Store.save_extraction`` as ``ingest``: the rows it writes are the rows ``ingest`` writes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Column, Float, Integer

from threatscape.model import (
    Actor,
    Article,
    Caption,
    Claim,
    Event,
    Evidence,
    Extraction,
    Flow,
    Mention,
    Quantity,
    Relation,
    Strength,
    from_dict,
)
from threatscape.store import schema as t
from threatscape.store.facts import FACT_KEYS, fact_rows

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["TABLES", "Failure", "PartitionTables", "extractions", "failures", "partition_tables"]

TABLES = ("articles", "actors", "article_actors", *(table.name for _, table in FACT_KEYS), "failures")
_FACT_CLASSES: dict[str, type] = {
    "events": Event,
    "claims": Claim,
    "relations": Relation,
    "quantities": Quantity,
    "flows": Flow,
    "strengths": Strength,
}
_ARTICLE_TEXT = ("id", "origin", "source_id", "title", "body", "url", "source", "published", "updated")
_ARTICLE_MORE = ("date", "dateline", "byline")


@dataclass(frozen=True)
class Failure:
    """One row of ``failures``: what could not be read or extracted, and why."""

    input: str
    origin: str
    error: str
    article_id: str | None = None


def _arrow_type(column: Column) -> pa.DataType:  # type: ignore[type-arg]
    import pyarrow as pa

    kind = column.type
    if isinstance(kind, JSON):
        return pa.string()
    if isinstance(kind, Boolean):
        return pa.bool_()
    if isinstance(kind, Integer):
        return pa.int64()
    if isinstance(kind, Float):
        return pa.float64()
    return pa.string()


def _store_columns(name: str) -> list[Column]:  # type: ignore[type-arg]
    table = t.metadata.tables[name]
    return [c for c in table.columns if c.name not in ("seq", "article_id")]


def _schema(name: str) -> pa.Schema:
    import pyarrow as pa

    if name == "articles":
        caption = pa.struct([("text", pa.string()), ("credit", pa.string())])
        return pa.schema(
            [("article", pa.int32())]
            + [(c, pa.string()) for c in (*_ARTICLE_TEXT, *_ARTICLE_MORE)]
            + [("summary", pa.list_(pa.string())), ("captions", pa.list_(caption))]
        )
    if name == "failures":
        return pa.schema([(c, pa.string()) for c in ("input", "origin", "article_id", "error")])
    keys = [("article_id", pa.string()), ("article", pa.int32()), ("position", pa.int32())]
    return pa.schema(keys + [(c.name, _arrow_type(c)) for c in _store_columns(name)])


def _article_row(n: int, a: Article) -> dict[str, Any]:
    row: dict[str, Any] = {"article": n} | {k: getattr(a, k) for k in (*_ARTICLE_TEXT, *_ARTICLE_MORE)}
    return row | {"summary": list(a.summary), "captions": [{"text": c.text, "credit": c.credit} for c in a.captions]}


def _typed(name: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in _store_columns(name):
        value = row.get(c.name)
        out[c.name] = json.dumps(value, ensure_ascii=False) if isinstance(c.type, JSON) and value is not None else value
    return out


@dataclass(frozen=True)
class PartitionTables:
    """Table name -> its pyarrow table, for one partition."""

    tables: dict[str, pa.Table]

    def parquet(self, name: str) -> bytes:
        import pyarrow as pa
        import pyarrow.parquet as pq

        sink = pa.BufferOutputStream()
        pq.write_table(self.tables[name], sink, compression="zstd")
        return bytes(sink.getvalue().to_pybytes())


def partition_tables(done: Sequence[Extraction], failures: Iterable[Failure]) -> PartitionTables:
    """The tables of a partition's extractions (in input order) and failures."""
    import pyarrow as pa

    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, ex in enumerate(done):
        rows["articles"].append(_article_row(n, ex.article))
        for name, table_rows in fact_rows(ex).items():
            keys = {"article_id": ex.article.id, "article": n}
            rows[name] += [keys | {"position": i} | _typed(name, r) for i, r in enumerate(table_rows)]
    rows["failures"] = [
        {"input": f.input, "origin": f.origin, "article_id": f.article_id, "error": f.error} for f in failures
    ]
    return PartitionTables({name: pa.Table.from_pylist(rows[name], schema=_schema(name)) for name in TABLES})


def _article(row: dict[str, Any]) -> Article:
    captions = tuple(Caption(c["text"], c["credit"]) for c in row["captions"] or ())
    fields = {k: row[k] for k in _ARTICLE_TEXT if k != "id"} | {k: row[k] for k in ("dateline", "byline")}
    return Article(row["id"], **fields, summary=tuple(row["summary"] or ()), captions=captions)


def _actor(row: dict[str, Any]) -> Actor:
    return from_dict(Actor, row | {"aliases": json.loads(row["aliases"]), "sanctions": json.loads(row["sanctions"])})


def _mention(row: dict[str, Any]) -> Mention | None:
    if row["ev_start"] is None:
        return None  # an actor referred to without a span: written again from the actors
    evidence = Evidence(row["ev_start"], row["ev_end"], row["ev_text"], row["extractor"])
    return Mention(row["actor_id"], evidence, row["role"])


def _by_article(table: pa.Table) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(table.to_pylist(), key=lambda r: (r["article"], r["position"])):
        out[row["article"]].append(row)
    return out


def extractions(tables: dict[str, pa.Table]) -> Iterator[Extraction]:
    """Each article of a partition's tables with its facts, in input order."""
    facts = {name: _by_article(tables[name]) for name in TABLES if name not in ("articles", "failures")}
    for row in sorted(tables["articles"].to_pylist(), key=lambda r: r["article"]):
        n = row["article"]
        mentions = (_mention(r) for r in facts["article_actors"][n])
        parts: dict[str, Any] = {
            key: tuple(from_dict(_FACT_CLASSES[key], json.loads(r["data"])) for r in facts[table.name][n])
            for key, table in FACT_KEYS
        }
        yield Extraction(
            article=_article(row),
            actors=tuple(_actor(r) for r in facts["actors"][n]),
            mentions=tuple(m for m in mentions if m is not None),
            **parts,
        )


def failures(table: pa.Table) -> list[Failure]:
    return [Failure(r["input"], r["origin"], r["error"], r["article_id"]) for r in table.to_pylist()]
