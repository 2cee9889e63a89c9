"""Alembic environment: runs on the connection ``threatscape.store.migrate`` hands over.

There is no alembic.ini and no logging setup: the store opens the connection (and the transaction)
and puts it in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic command line
    raise RuntimeError("threatscape migrations run from threatscape.store.open_store, not the alembic CLI")

context.configure(connection=connection, target_metadata=None, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
