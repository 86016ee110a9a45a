"""The question log: unanswered questions and answers marked 👎, kept without who asked."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("asked_on", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("answered", sa.Boolean, nullable=False),
        sa.Column("closest", sa.JSON, nullable=False),
        sa.Column("feedback", sa.String(8), nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.UniqueConstraint("token", name="uq_question_log_token"),
    )
    op.create_index("ix_question_log_school_day", "question_log", ["school_id", "asked_on"])


def downgrade() -> None:
    op.drop_index("ix_question_log_school_day", table_name="question_log")
    op.drop_table("question_log")
