"""Fused events: one row per incident across its reports, and the source events it absorbed.

Revision ID: 0003_fused_events
Revises: 0002_sanctions
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_fused_events"
down_revision = "0002_sanctions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fused_events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("sub_type", sa.Text),
        sa.Column("plover", sa.String(32)),
        sa.Column("actor1", sa.String(128)),
        sa.Column("actor2", sa.String(128)),
        sa.Column("aggregate", sa.Boolean, nullable=False),
        sa.Column("country", sa.Text),
        sa.Column("country_code", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("location_name", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.String(16)),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("date_precision", sa.String(16)),
        sa.Column("fatalities_best", sa.Integer),
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
        sa.Column("n_reports", sa.Integer, nullable=False),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
    )
    for col in ("type", "country", "admin1", "date_start", "actor1", "actor2"):
        op.create_index(f"ix_fused_events_{col}", "fused_events", [col])
    op.create_table(
        "fused_event_sources",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fused_id", sa.String(64), sa.ForeignKey("fused_events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("story_id", sa.String(64), nullable=False),
        sa.Column("reported_by", sa.String(128)),
        sa.Column("fatalities_best", sa.Integer),
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
    )
    op.create_index("ix_fused_event_sources_fused_id", "fused_event_sources", ["fused_id"])
    op.create_index("ix_fused_event_sources_article_id", "fused_event_sources", ["article_id"])


def downgrade() -> None:
    op.drop_table("fused_event_sources")
    op.drop_table("fused_events")
