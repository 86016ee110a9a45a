"""App keys (the key that signs 👍/👎 buttons); answered questions no longer wait in the question log.

From this version an answered question gets a question_log row only when its 👎 (or 👍)
is pressed, so rows an older version wrote for every answer go: answered questions nobody
marked are deleted, and a 👍 on an answered question keeps only its marker (no words).
An older answer's buttons then say the answer is too old to mark; declines are untouched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_keys",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("secret", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    log = sa.table("question_log", sa.column("answered", sa.Boolean), sa.column("feedback", sa.String),
                   sa.column("text", sa.Text), sa.column("closest", sa.JSON))
    op.execute(log.delete().where(log.c.answered.is_(True), log.c.feedback.is_(None)))
    op.execute(log.update().where(log.c.answered.is_(True), log.c.feedback == "good")
               .values(text="", closest=[]))


def downgrade() -> None:
    op.drop_table("app_keys")
