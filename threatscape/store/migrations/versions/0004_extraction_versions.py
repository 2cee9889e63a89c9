"""Articles record the extractor versions of their facts and whether their contested links are pending.

Revision ID: 0004_extraction_versions
Revises: 0003_fused_events
Create Date: 2026-12-01

Articles stored before this revision get NULL versions: the next ingest that meets one, or
``threatscape reextract``, extracts it again with the installed extractors.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_extraction_versions"
down_revision = "0003_fused_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN on both databases (a SQLite table rebuild would renumber the FTS rowids)
    op.add_column("articles", sa.Column("extracted_with", sa.JSON))
    op.add_column("articles", sa.Column("versions_key", sa.String(16)))
    op.add_column("articles", sa.Column("links_pending", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_articles_versions_key", "articles", ["versions_key"])


def downgrade() -> None:
    op.drop_index("ix_articles_versions_key", "articles")
    for column in ("links_pending", "versions_key", "extracted_with"):
        op.drop_column("articles", column)
