"""Chat platforms: accounts met, events already handled, Slack installations and OAuth states."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.tables import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "platform_accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(128), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("conversation", sa.JSON, nullable=True),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("platform", "workspace", "user_id", name="uq_platform_accounts_user"),
    )
    op.create_index("ix_platform_accounts_email", "platform_accounts", ["school_id", "email"])
    op.create_table(
        "processed_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("platform", "event_id", name="uq_processed_events"),
    )
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("enterprise_id", sa.String(64), nullable=False),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("bot_user_id", sa.String(64), nullable=True),
        sa.Column("encrypted", sa.Text, nullable=False),
        sa.Column("installed_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("enterprise_id", "team_id", name="uq_slack_installations_team"),
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("state", sa.String(128), primary_key=True),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("slack_oauth_states")
    op.drop_table("slack_installations")
    op.drop_table("processed_events")
    op.drop_index("ix_platform_accounts_email", table_name="platform_accounts")
    op.drop_table("platform_accounts")
