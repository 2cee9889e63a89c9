"""Initial schema: articles (+ full-text search), ingest failures, actors and article facts.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', "
    "content_rowid='seq', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body); END",
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, body) "
    "VALUES ('delete', old.seq, old.title, old.body); END",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, body) "
    "VALUES ('delete', old.seq, old.title, old.body); "
    "INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body); END",
)
_PG_FTS = "CREATE INDEX ix_articles_fts ON articles USING GIN (to_tsvector('english', title || ' ' || body))"


def _fact_table(name: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        *columns,
        sa.Column("ev_start", sa.Integer),
        sa.Column("ev_end", sa.Integer),
    )
    op.create_index(f"ix_{name}_article_id", name, ["article_id"])


def _articles() -> None:
    op.create_table(
        "articles",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("story_id", sa.String(64), nullable=False),
        sa.Column("source_id", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("updated", sa.String(10)),
        sa.Column("date", sa.String(10)),
        sa.Column("dateline", sa.Text),
        sa.Column("byline", sa.Text),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("captions", sa.JSON, nullable=False),
        sa.Column("origin", sa.Text),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_index("ix_articles_date", "articles", ["date"])
    op.create_table(
        "ingest_failures",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def _facts() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("country", sa.Text),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("affiliation", sa.String(128)),
        sa.Column("sanctions", sa.JSON, nullable=False),
    )
    _fact_table(
        "article_actors",
        sa.Column("actor_id", sa.String(128), nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("ev_text", sa.Text),
        sa.Column("extractor", sa.Text),
    )
    op.create_index("ix_article_actors_actor_id", "article_actors", ["actor_id"])
    _fact_table(
        "claims",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("speaker", sa.String(128)),
        sa.Column("speaker_text", sa.Text),
        sa.Column("cue", sa.Text),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("direct", sa.Boolean, nullable=False),
        sa.Column("target", sa.String(128)),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_claims_speaker", "claims", ["speaker"])
    _fact_table(
        "quantities",
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.Text),
        sa.Column("what", sa.Text),
        sa.Column("qualifier", sa.Text),
        sa.Column("currency", sa.String(8)),
        sa.Column("usd", sa.Float),
        sa.Column("period", sa.Text),
        sa.Column("data", sa.JSON, nullable=False),
    )


def _relations_events() -> None:
    _fact_table(
        "relations",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("predicate", sa.String(32), nullable=False),
        sa.Column("object", sa.String(128), nullable=False),
        sa.Column("attributed_to", sa.String(128)),
        sa.Column("contested", sa.Boolean, nullable=False),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_relations_subject", "relations", ["subject"])
    op.create_index("ix_relations_object", "relations", ["object"])
    _fact_table(
        "events",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("sub_type", sa.Text),
        sa.Column("plover", sa.String(32)),
        sa.Column("actor1", sa.String(128)),
        sa.Column("actor2", sa.String(128)),
        sa.Column("aggregate", sa.Boolean, nullable=False),
        sa.Column("country", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("location_name", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("date_precision", sa.String(16)),
        sa.Column("fatalities_best", sa.Integer),
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
        sa.Column("confidence", sa.Float),
        sa.Column("data", sa.JSON, nullable=False),
    )
    for col in ("type", "country", "date_start"):
        op.create_index(f"ix_events_{col}", "events", [col])


def upgrade() -> None:
    _articles()
    _facts()
    _relations_events()
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for stmt in _SQLITE_FTS:
            op.execute(stmt)
    elif dialect == "postgresql":
        op.execute(_PG_FTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for name in ("events", "relations", "quantities", "claims", "article_actors", "actors"):
        op.drop_table(name)
    op.drop_table("ingest_failures")
    op.drop_table("articles")
