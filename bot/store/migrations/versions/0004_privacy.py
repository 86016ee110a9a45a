"""Data protection: when a chat account's person left the directory; the audit log opens only for retention.

The audit log stays append-only, except inside a transaction that holds a row in
`audit_releases`: "purge" lets the retention purge delete the entries of requests past
their retention, "erase" lets an erasure replace a person's email by a pseudonym and empty
notes. The row is inserted and deleted inside that one transaction, so no other
transaction ever sees it (bot/privacy/release.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.tables import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SQLITE_GUARDED = """
CREATE TRIGGER audit_log_no_{what} BEFORE {WHAT} ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_releases WHERE purpose = '{purpose}')
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
"""
_SQLITE_ORIGINAL = """
CREATE TRIGGER audit_log_no_{what} BEFORE {WHAT} ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
"""
_POSTGRES_GUARDED = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_releases WHERE purpose = 'purge') THEN RETURN OLD; END IF;
  IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM audit_releases WHERE purpose = 'erase') THEN RETURN NEW; END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END
$$ LANGUAGE plpgsql
"""
_POSTGRES_ORIGINAL = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.add_column("platform_accounts", sa.Column("left_directory_at", UtcDateTime(), nullable=True))
    op.create_index("ix_requests_closed", "requests", ["school_id", "state", "updated_at"])
    op.create_index("ix_outbox_request", "outbox", ["request_id"])
    op.create_table(
        "audit_releases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for what, purpose in (("update", "erase"), ("delete", "purge")):
            op.execute(f"DROP TRIGGER audit_log_no_{what}")
            op.execute(_SQLITE_GUARDED.format(what=what, WHAT=what.upper(), purpose=purpose))
    else:
        op.execute(_POSTGRES_GUARDED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for what in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_log_no_{what}")
            op.execute(_SQLITE_ORIGINAL.format(what=what, WHAT=what.upper()))
    else:
        op.execute(_POSTGRES_ORIGINAL)
    op.drop_table("audit_releases")
    op.drop_index("ix_outbox_request", table_name="outbox")
    op.drop_index("ix_requests_closed", table_name="requests")
    with op.batch_alter_table("platform_accounts") as batch:
        batch.drop_column("left_directory_at")
