"""Fused events read by period without touching the table: each row's span in days
(``span_days``, so the ``since`` filter can bound the start dates it reads by the longest span),
and two covering indexes, by start date and by type then start date, holding every column the
events list filters on and the dashboard counts by. A quarter's counts then read one index range;
the expression indexes of 0007 on the day an event reaches to are replaced by them.

Revision ID: 0008_fused_event_windows
Revises: 0007_fused_event_indexes
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from threatscape.store.rows import span_days

revision = "0008_fused_event_windows"
down_revision = "0007_fused_event_indexes"
branch_labels = None
depends_on = None

COVERED = [
    "date_end", "aggregate", "country", "admin1", "sub_type", "actor1", "actor2", "geo_precision",
    "fatalities_best", "fatalities_low", "fatalities_high",
]  # fmt: skip
INDEXES = {
    "ix_fused_events_window": ["date_start", "type", *COVERED],
    "ix_fused_events_type_window": ["type", "date_start", *COVERED],
    "ix_fused_events_span": ["aggregate", "span_days"],
}
BATCH = 5000


def upgrade() -> None:
    op.add_column("fused_events", sa.Column("span_days", sa.Integer))
    conn = op.get_bind()
    fused = sa.table("fused_events", sa.column("id"), sa.column("date_start"), sa.column("date_end"),
                     sa.column("span_days"))  # fmt: skip
    rows = conn.execute(sa.select(fused.c.id, fused.c.date_start, fused.c.date_end)).all()
    update = sa.update(fused).where(fused.c.id == sa.bindparam("row_id")).values(span_days=sa.bindparam("span"))
    for at in range(0, len(rows), BATCH):
        spans = [{"row_id": i, "span": span_days(s, e)} for i, s, e in rows[at : at + BATCH]]
        conn.execute(update, spans)
    op.drop_index("ix_fused_events_reach", "fused_events")
    op.drop_index("ix_fused_events_type_reach", "fused_events")
    for name, columns in INDEXES.items():
        op.create_index(name, "fused_events", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "fused_events")
    reach = sa.text("coalesce(date_end, date_start)")
    op.create_index("ix_fused_events_reach", "fused_events", [reach])
    op.create_index("ix_fused_events_type_reach", "fused_events", ["type", reach])
    op.drop_column("fused_events", "span_days")
