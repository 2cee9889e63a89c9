"""The dashboard's counts and map read indexes only: the two covering window indexes of 0008 also
hold each event's id and coordinates (the articles behind the filtered events join their sources
by id; the map's points are read without the events' JSON), and the sources are indexed by
(fused id, article), so counting the distinct articles of a quarter's events reads two indexes.

Revision ID: 0009_fused_event_points
Revises: 0008_fused_event_windows
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0009_fused_event_points"
down_revision = "0008_fused_event_windows"
branch_labels = None
depends_on = None

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
]  # fmt: skip, as in 0008
POINTS = ["id", "lat", "lon"]
WINDOWS = {
    "ix_fused_events_window": ["date_start", "type", *COVERED],
    "ix_fused_events_type_window": ["type", "date_start", *COVERED],
}


def _windows(extra: list[str]) -> None:
    for name, columns in WINDOWS.items():
        op.drop_index(name, "fused_events")
        op.create_index(name, "fused_events", [*columns, *extra])


def upgrade() -> None:
    _windows(POINTS)
    op.drop_index("ix_fused_event_sources_fused_id", "fused_event_sources")
    op.create_index("ix_fused_event_sources_fused_article", "fused_event_sources", ["fused_id", "article_id"])


def downgrade() -> None:
    op.drop_index("ix_fused_event_sources_fused_article", "fused_event_sources")
    op.create_index("ix_fused_event_sources_fused_id", "fused_event_sources", ["fused_id"])
    _windows([])
