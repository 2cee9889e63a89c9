"""Sanctions lists (every loaded version), their entries, reviewer decisions and the review queue.

Revision ID: 0002_sanctions
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_sanctions"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sanctions_lists",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("entries", sa.Integer, nullable=False),
        sa.UniqueConstraint("name", "version", name="uq_sanctions_lists_name_version"),
    )
    op.create_table(
        "sanctions_entries",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("list", sa.String(128), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("ref", sa.String(256), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_sanctions_entries_list_version", "sanctions_entries", ["list", "version"])
    op.create_table(
        "sanctions_decisions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("query_norm", sa.Text, nullable=False),
        sa.Column("list", sa.String(128), nullable=False),
        sa.Column("ref", sa.String(256), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("query_norm", "list", "ref", name="uq_sanctions_decisions_key"),
    )
    op.create_table(
        "sanctions_reviews",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("query_norm", sa.Text, nullable=False),
        sa.Column("list", sa.String(128), nullable=False),
        sa.Column("ref", sa.String(256), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("query_norm", "list", "ref", name="uq_sanctions_reviews_key"),
    )


def downgrade() -> None:
    for name in ("sanctions_reviews", "sanctions_decisions", "sanctions_entries", "sanctions_lists"):
        op.drop_table(name)
