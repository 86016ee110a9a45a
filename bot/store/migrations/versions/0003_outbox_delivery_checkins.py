"""Outbox delivery (backoff, leases, dead letters, once-only keys), check-ins and scheduled runs."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.tables import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("dedupe_key", sa.String(255), nullable=True))
    op.add_column("outbox", sa.Column("next_attempt_at", UtcDateTime(), nullable=True))
    op.add_column("outbox", sa.Column("lease_until", UtcDateTime(), nullable=True))
    op.add_column("outbox", sa.Column("lease_token", sa.String(36), nullable=True))
    op.add_column("outbox", sa.Column("dead_at", UtcDateTime(), nullable=True))
    op.add_column("outbox", sa.Column("platform", sa.String(16), nullable=True))
    op.add_column("outbox", sa.Column("receipt", sa.JSON, nullable=True))
    op.create_index("ix_outbox_recipient", "outbox", ["school_id", "recipient_email", "deliver_after", "id"])
    op.create_index("uq_outbox_dedupe_key", "outbox", ["dedupe_key"], unique=True)
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("staff_email", sa.String(320), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("manager_email", sa.String(320), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("school_id", "staff_email", "day", name="uq_check_ins_day"),
    )
    op.create_table(
        "scheduled_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("messages", sa.Integer, nullable=False),
        sa.UniqueConstraint("school_id", "kind", "day", name="uq_scheduled_runs"),
    )


def downgrade() -> None:
    op.drop_table("scheduled_runs")
    op.drop_table("check_ins")
    op.drop_index("uq_outbox_dedupe_key", table_name="outbox")
    op.drop_index("ix_outbox_recipient", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        for column in ("receipt", "platform", "dead_at", "lease_token", "lease_until", "next_attempt_at", "dedupe_key"):
            batch.drop_column(column)
