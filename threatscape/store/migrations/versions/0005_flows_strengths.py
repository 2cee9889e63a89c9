"""Money flows and group strength, facts of their own.

Revision ID: 0005_flows_strengths
Revises: 0004_extraction_versions
Create Date: 2026-12-02

Articles stored before this revision were extracted without the ``money`` extractor, so their
versions differ from the installed ones: ``threatscape reextract`` (or the next ingest that
meets them) gives them their flows and strengths.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_flows_strengths"
down_revision = "0004_extraction_versions"
branch_labels = None
depends_on = None


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


def upgrade() -> None:
    _fact_table(
        "flows",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("currency", sa.String(8)),
        sa.Column("usd", sa.Float),
        sa.Column("usd_per_year", sa.Float),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("payer", sa.String(128)),
        sa.Column("payee", sa.String(128)),
        sa.Column("purpose", sa.String(32)),
        sa.Column("direction", sa.String(32)),
        sa.Column("reported_by", sa.String(128)),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("contested", sa.Boolean, nullable=False),
        sa.Column("date_start", sa.String(10)),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_flows_payer", "flows", ["payer"])
    op.create_index("ix_flows_payee", "flows", ["payee"])
    _fact_table(
        "strengths",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("group_id", sa.String(128)),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("low", sa.Integer),
        sa.Column("high", sa.Integer),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("estimate_by", sa.String(128)),
        sa.Column("date_start", sa.String(10)),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_strengths_group_id", "strengths", ["group_id"])


def downgrade() -> None:
    op.drop_table("strengths")
    op.drop_table("flows")
