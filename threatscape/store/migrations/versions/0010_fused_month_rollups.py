"""Month roll-ups of the fused events for the dashboard: ``fused_months`` counts the events whose
dates lie in one month per month, type, sub-type, country, province, place precision and map spot;
``fused_month_actors`` per month and actor pair (events on one day only). A window of whole months
reads a few hundred rows a month instead of every event (``threatscape.store.events``), plus the
events not on one day, found by a partial index of their own; ``replace_fused`` rebuilds both
roll-ups, and this migration fills them from the fused events already stored.

Revision ID: 0010_fused_month_rollups
Revises: 0009_fused_event_points
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from threatscape.store.events import refresh_months

revision = "0010_fused_month_rollups"
down_revision = "0009_fused_event_points"
branch_labels = None
depends_on = None


NOT_ONE_DAY = "span_days IS NULL OR span_days > 0 OR date_end != date_start"  # events._not_one_day


def _counts() -> list[sa.Column[int]]:
    return [sa.Column(name, sa.Integer, nullable=False) for name in ("events", "fatalities_best")]


def upgrade() -> None:
    op.create_table(
        "fused_months",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("sub_type", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("country_code", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("geo_precision", sa.String(16)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        *_counts(),
        sa.Column("fatalities_low", sa.Integer, nullable=False),
        sa.Column("fatalities_high", sa.Integer, nullable=False),
        sa.Column("first_day", sa.String(10)),
        sa.Column("last_day", sa.String(10)),
        sa.Column("event_id", sa.String(64)),
    )
    op.create_table(
        "fused_month_actors",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("actor1", sa.String(128)),
        sa.Column("actor2", sa.String(128)),
        *_counts(),
    )
    op.create_index("ix_fused_months_month", "fused_months", ["month"])
    op.create_index("ix_fused_month_actors_month", "fused_month_actors", ["month"])
    where = sa.text(NOT_ONE_DAY)
    op.create_index("ix_fused_events_not_one_day", "fused_events", ["date_start"], sqlite_where=where,
                    postgresql_where=where)  # fmt: skip
    refresh_months(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_fused_events_not_one_day", "fused_events")
    op.drop_table("fused_month_actors")
    op.drop_table("fused_months")
