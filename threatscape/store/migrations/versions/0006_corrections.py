"""Analysts' corrections of events, claims and relations, stored apart from the facts.

Revision ID: 0006_corrections
Revises: 0005_flows_strengths
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_corrections"
down_revision = "0005_flows_strengths"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("fact_id", sa.String(128), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("ev_start", sa.Integer),
        sa.Column("ev_end", sa.Integer),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_corrections_article_id", "corrections", ["article_id"])


def downgrade() -> None:
    op.drop_table("corrections")
