"""Indexes for the web UI's filtered lists of fused events: on the day an event reaches to
(``coalesce(date_end, date_start)``, the expression the ``since`` filter compares), alone and after
the type, and on the sub-type (the events list of one type over a quarter reads an index range,
not the table).

Revision ID: 0007_fused_event_indexes
Revises: 0006_corrections
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_fused_event_indexes"
down_revision = "0006_corrections"
branch_labels = None
depends_on = None

REACH = "coalesce(date_end, date_start)"
INDEXES: dict[str, list[str | sa.TextClause]] = {
    "ix_fused_events_reach": [sa.text(REACH)],
    "ix_fused_events_type_reach": ["type", sa.text(REACH)],
    "ix_fused_events_sub_type": ["sub_type"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "fused_events", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "fused_events")
