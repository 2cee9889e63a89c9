"""Indexes for the web UI's filtered lists of fused events: by period end, sub-type, and type with
period end (the events list of one type over a quarter reads an index range, not the table).

Revision ID: 0007_fused_event_indexes
Revises: 0006_corrections
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007_fused_event_indexes"
down_revision = "0006_corrections"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_fused_events_date_end": ["date_end"],
    "ix_fused_events_sub_type": ["sub_type"],
    "ix_fused_events_type_date_end": ["type", "date_end"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "fused_events", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "fused_events")
