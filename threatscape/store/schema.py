"""The tables, as SQLAlchemy Core objects for queries (the migrations create them).

An article row records what its facts were extracted with (``extracted_with``, ``versions_key``;
NULL when it has none) and whether the contested links across articles still have to be worked
out for it (``links_pending``), so that an interrupted ingest can be completed by the next one.

Facts (``article_actors``, ``claims``, ``quantities``, ``relations``, ``events``, ``flows``,
``strengths``) belong to one
article (``article_id``, deleted with it) and keep the exported dict of the fact in ``data``; the
real columns are there to filter and sort on. ``actors`` is shared by all articles.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "FACT_TABLES",
    "actors",
    "article_actors",
    "articles",
    "claims",
    "corrections",
    "events",
    "flows",
    "ingest_failures",
    "metadata",
    "quantities",
    "relations",
    "strengths",
]

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("story_id", String(64), nullable=False, index=True),
    Column("source_id", Text),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("url", Text),
    Column("source", Text),
    Column("published", String(10)),
    Column("updated", String(10)),
    Column("date", String(10), index=True),  # published, else updated
    Column("dateline", Text),
    Column("byline", Text),
    Column("summary", JSON, nullable=False),
    Column("captions", JSON, nullable=False),
    Column("origin", Text),
    Column("minhash", LargeBinary),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("extracted_with", JSON(none_as_null=True)),  # extractor name -> version; NULL: no facts
    Column("versions_key", String(16), index=True),  # threatscape.versions.versions_key of it
    Column("links_pending", Boolean, nullable=False, default=False),  # contested links to work out
)

ingest_failures = Table(
    "ingest_failures",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("country", Text),
    Column("aliases", JSON, nullable=False),
    Column("affiliation", String(128)),
    Column("sanctions", JSON, nullable=False),
)


def _fact_table(name: str, *columns: Column) -> Table:  # type: ignore[type-arg]
    return Table(
        name,
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        *columns,
        Column("ev_start", Integer),
        Column("ev_end", Integer),
    )


article_actors = _fact_table(
    "article_actors",
    Column("actor_id", String(128), nullable=False, index=True),
    Column("role", Text),
    Column("ev_text", Text),
    Column("extractor", Text),
)

claims = _fact_table(
    "claims",
    Column("id", String(128), nullable=False),
    Column("speaker", String(128), index=True),
    Column("speaker_text", Text),
    Column("cue", Text),
    Column("stance", String(32), nullable=False),
    Column("content", Text, nullable=False),
    Column("direct", Boolean, nullable=False),
    Column("target", String(128)),
    Column("data", JSON, nullable=False),
)

quantities = _fact_table(
    "quantities",
    Column("value", Float, nullable=False),
    Column("unit", Text),
    Column("what", Text),
    Column("qualifier", Text),
    Column("currency", String(8)),
    Column("usd", Float),
    Column("period", Text),
    Column("data", JSON, nullable=False),
)

relations = _fact_table(
    "relations",
    Column("id", String(128), nullable=False),
    Column("subject", String(128), nullable=False, index=True),
    Column("predicate", String(32), nullable=False),
    Column("object", String(128), nullable=False, index=True),
    Column("attributed_to", String(128)),
    Column("contested", Boolean, nullable=False),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("data", JSON, nullable=False),
)

events = _fact_table(
    "events",
    Column("id", String(128), nullable=False),
    Column("type", Text, nullable=False, index=True),
    Column("sub_type", Text),
    Column("plover", String(32)),
    Column("actor1", String(128)),
    Column("actor2", String(128)),
    Column("aggregate", Boolean, nullable=False),
    Column("country", Text, index=True),
    Column("admin1", Text),
    Column("location_name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("date_start", String(10), index=True),
    Column("date_end", String(10)),
    Column("date_precision", String(16)),
    Column("fatalities_best", Integer),
    Column("fatalities_low", Integer),
    Column("fatalities_high", Integer),
    Column("confidence", Float),
    Column("data", JSON, nullable=False),
)

flows = _fact_table(
    "flows",
    Column("id", String(128), nullable=False),
    Column("amount", Float, nullable=False),
    Column("currency", String(8)),
    Column("usd", Float),
    Column("usd_per_year", Float),
    Column("period", String(16), nullable=False),
    Column("payer", String(128), index=True),
    Column("payee", String(128), index=True),
    Column("purpose", String(32)),
    Column("direction", String(32)),
    Column("reported_by", String(128)),
    Column("stance", String(32), nullable=False),
    Column("contested", Boolean, nullable=False),
    Column("date_start", String(10)),
    Column("data", JSON, nullable=False),
)

strengths = _fact_table(
    "strengths",
    Column("id", String(128), nullable=False),
    Column("group_id", String(128), index=True),
    Column("value", Integer, nullable=False),
    Column("low", Integer),
    Column("high", Integer),
    Column("unit", String(32), nullable=False),
    Column("estimate_by", String(128)),
    Column("date_start", String(10)),
    Column("data", JSON, nullable=False),
)

corrections = Table(  # analysts' corrections: never deleted with the facts they correct
    "corrections",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("fact_id", String(128), nullable=False),
    Column("article_id", String(64), nullable=False, index=True),
    Column("ev_start", Integer),
    Column("ev_end", Integer),
    Column("field", String(16), nullable=False),
    Column("value", JSON, nullable=False),
    Column("author", Text, nullable=False),
    Column("note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

FACT_TABLES = (article_actors, claims, quantities, relations, events, flows, strengths)
