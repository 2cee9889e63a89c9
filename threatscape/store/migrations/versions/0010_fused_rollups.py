"""Roll-ups of the fused events for the dashboard. ``fused_periods`` counts the events on one day
per period (each month, ``YYYY-MM``, and each aligned week and 3-day span, ``YYYY-MM-DD/7`` and
``/3`` by their first day) and per type, sub-type, country, province, place precision and map spot;
``fused_period_actors`` per period (months, weeks and days) and actor. A window reads its whole
periods off them (a few hundred rows a period instead of every event; ``threatscape.store.events``)
and its other days event by event, off the window indexes, which now hold each event's span (to
keep to its one-day events there); the events not on one day have a partial index of their own.
``replace_fused`` rebuilds both roll-ups; this migration fills them from the fused events already
stored.

Revision ID: 0010_fused_rollups
Revises: 0009_fused_event_points
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from threatscape.store.events import refresh_rollups

revision = "0010_fused_rollups"
down_revision = "0009_fused_event_points"
branch_labels = None
depends_on = None

NOT_ONE_DAY = "span_days IS NULL OR span_days > 0 OR date_end != date_start"  # events._not_one_day
COVERED = [
    "date_end",
    "aggregate",
    "country",
    "admin1",
    "sub_type",
    "actor1",
    "actor2",
    "geo_precision",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "id",
    "lat",
    "lon",
]  # 0009's (a migration keeps its own copy: later ones must not change it)
WINDOWS = {
    "ix_fused_events_window": ["date_start", "type", *COVERED],
    "ix_fused_events_type_window": ["type", "date_start", *COVERED],
}


def _windows(extra: list[str]) -> None:
    for name, columns in WINDOWS.items():
        op.drop_index(name, "fused_events")
        op.create_index(name, "fused_events", [*columns, *extra])


def _counts() -> list[sa.Column[int]]:
    return [sa.Column("events", sa.Integer, nullable=False), sa.Column("fatalities_best", sa.Integer, nullable=False)]


def upgrade() -> None:
    op.create_table(
        "fused_periods",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(16), nullable=False),
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
        "fused_period_actors",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        *_counts(),
    )
    op.create_index("ix_fused_periods_period", "fused_periods", ["period"])
    op.create_index("ix_fused_period_actors_period", "fused_period_actors", ["period", "actor"])
    where = sa.text(NOT_ONE_DAY)
    op.create_index("ix_fused_events_not_one_day", "fused_events", ["date_start"], sqlite_where=where,
                    postgresql_where=where)  # fmt: skip
    _windows(["span_days"])
    refresh_rollups(op.get_bind())


def downgrade() -> None:
    _windows([])
    op.drop_index("ix_fused_events_not_one_day", "fused_events")
    op.drop_table("fused_period_actors")
    op.drop_table("fused_periods")
