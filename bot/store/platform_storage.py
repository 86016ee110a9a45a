"""The adapters' storage interfaces (`bot.platform_storage`) on the school's database.

Event ids in `processed_events`, messages shown straight to a person in the outbox (as
delivered, with where they landed), workspace installations in `slack_installations` (sealed
by the adapter) and install-link states in `slack_oauth_states`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import timedelta

from sqlalchemy import delete, select

from bot.clock import Clock
from bot.messages import Notice
from bot.platform_storage import PlatformStorage
from bot.store.database import Database
from bot.store.events import first_sightings
from bot.store.outbox import record_shown
from bot.store.tables import SlackInstallationRow, SlackOAuthStateRow
from bot.store.upsert import insert_for

#: How long an install link stays valid.
STATE_LIFETIME = timedelta(minutes=10)


class DatabaseEventLog:
    """`EventLog`: a row per platform and event id; the first insert wins."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    async def claim(self, platform: str, event_ids: Sequence[str]) -> set[str]:
        return await first_sightings(self.database, platform, list(event_ids), self.clock.now())


class DatabaseShownMessages:
    """`ShownMessages`: an outbox row already delivered, with its receipt."""

    def __init__(self, database: Database, school_id: str, clock: Clock) -> None:
        self.database = database
        self.school_id = school_id
        self.clock = clock

    async def record_shown(self, notice: Notice, *, request_id: int, platform: str,
                           receipt: Mapping[str, str]) -> None:
        await record_shown(self.database, self.school_id, notice, now=self.clock.now(), request_id=request_id,
                           platform=platform, receipt=dict(receipt))


class DatabaseInstallations:
    """`WorkspaceInstallations` in `slack_installations`; every workspace installed here belongs to the school."""

    def __init__(self, database: Database, school_id: str, clock: Clock) -> None:
        self.database = database
        self.school_id = school_id
        self.clock = clock

    async def save(self, *, enterprise_id: str, team_id: str, bot_user_id: str | None, sealed: str) -> None:
        values = {
            "school_id": self.school_id,
            "enterprise_id": enterprise_id,
            "team_id": team_id,
            "bot_user_id": bot_user_id,
            "encrypted": sealed,
            "installed_at": self.clock.now(),
        }
        async with self.database.transaction() as session:
            statement = insert_for(session, SlackInstallationRow).values(**values)
            updates = {key: values[key] for key in ("school_id", "bot_user_id", "encrypted", "installed_at")}
            await session.execute(
                statement.on_conflict_do_update(index_elements=["enterprise_id", "team_id"], set_=updates)
            )

    async def find(self, *, enterprise_id: str, team_id: str) -> str | None:
        async with self.database.reading() as session:
            row = await session.scalar(
                select(SlackInstallationRow).where(
                    SlackInstallationRow.enterprise_id == enterprise_id,
                    SlackInstallationRow.team_id == team_id,
                )
            )
        return row.encrypted if row is not None else None

    async def delete(self, *, enterprise_id: str, team_id: str) -> None:
        async with self.database.transaction() as session:
            await session.execute(
                delete(SlackInstallationRow).where(
                    SlackInstallationRow.enterprise_id == enterprise_id,
                    SlackInstallationRow.team_id == team_id,
                )
            )


class DatabaseSignInStates:
    """`SignInStates` in `slack_oauth_states`: each accepted once, before it expires."""

    def __init__(self, database: Database, clock: Clock, lifetime: timedelta = STATE_LIFETIME) -> None:
        self.database = database
        self.clock = clock
        self.lifetime = lifetime

    async def issue(self) -> str:
        state = secrets.token_urlsafe(32)
        now = self.clock.now()
        async with self.database.transaction() as session:
            await session.execute(delete(SlackOAuthStateRow).where(SlackOAuthStateRow.expires_at < now))
            session.add(SlackOAuthStateRow(state=state, expires_at=now + self.lifetime))
        return state

    async def consume(self, state: str) -> bool:
        async with self.database.transaction() as session:
            result = await session.execute(
                delete(SlackOAuthStateRow).where(
                    SlackOAuthStateRow.state == state[:128], SlackOAuthStateRow.expires_at >= self.clock.now()
                )
            )
        return bool(getattr(result, "rowcount", 0))


def open_platform_storage(database: Database, school_id: str, clock: Clock) -> PlatformStorage:
    """The adapters' storage for one school on its database."""
    return PlatformStorage(
        events=DatabaseEventLog(database, clock),
        shown=DatabaseShownMessages(database, school_id, clock),
        installations=DatabaseInstallations(database, school_id, clock),
        sign_in_states=DatabaseSignInStates(database, clock),
    )
