"""Several Slack workspaces: installations in our database, tokens encrypted at rest, OAuth states.

Each installation is stored whole (as slack_sdk's `Installation`) encrypted with Fernet
using `STAFFROOM_SECRET_KEY`; several keys separated by commas rotate (the first
encrypts, any decrypts). Every workspace installed here belongs to the running school.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import delete, select

from bot.clock import Clock
from bot.errors import ConfigError, ConfigProblem
from bot.store.database import Database
from bot.store.tables import SlackInstallationRow, SlackOAuthStateRow
from bot.store.upsert import insert_for

log = logging.getLogger(__name__)

#: How long an install link stays valid.
STATE_LIFETIME = timedelta(minutes=10)


def make_cipher(key_setting: str | None) -> MultiFernet:
    """The cipher for tokens at rest; a missing or malformed key is a configuration error."""
    keys = [part.strip() for part in (key_setting or "").split(",") if part.strip()]
    if not keys:
        raise _key_problem("is required to store Slack tokens (several workspaces)")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise _key_problem("must be a Fernet key (32 url-safe base64-encoded bytes)") from None


def _key_problem(message: str) -> ConfigError:
    return ConfigError([ConfigProblem(Path("environment"), 0, "STAFFROOM_SECRET_KEY", message)])


def new_secret_key() -> str:
    return Fernet.generate_key().decode()


def _json_default(value: object) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class DatabaseInstallationStore(AsyncInstallationStore):
    """slack_sdk's installation store on the `slack_installations` table (bot tokens only)."""

    def __init__(self, database: Database, school_id: str, cipher: MultiFernet, clock: Clock) -> None:
        self.database = database
        self.school_id = school_id
        self.cipher = cipher
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    def _encrypt(self, installation: Installation) -> str:
        data = installation.to_dict_for_copying()
        return self.cipher.encrypt(json.dumps(data, default=_json_default).encode()).decode()

    def _decrypt(self, encrypted: str) -> Installation | None:
        try:
            data = json.loads(self.cipher.decrypt(encrypted.encode()))
        except (InvalidToken, ValueError):
            log.error("a Slack installation can't be decrypted: was STAFFROOM_SECRET_KEY changed?")
            return None
        return Installation(**data)

    async def async_save(self, installation: Installation) -> None:
        values = {
            "school_id": self.school_id,
            "enterprise_id": installation.enterprise_id or "",
            "team_id": installation.team_id or "",
            "bot_user_id": installation.bot_user_id,
            "encrypted": self._encrypt(installation),
            "installed_at": self.clock.now(),
        }
        async with self.database.transaction() as session:
            statement = insert_for(session, SlackInstallationRow).values(**values)
            updates = {key: values[key] for key in ("school_id", "bot_user_id", "encrypted", "installed_at")}
            await session.execute(
                statement.on_conflict_do_update(index_elements=["enterprise_id", "team_id"], set_=updates)
            )
        log.info("Slack workspace %s installed", installation.team_id or installation.enterprise_id)

    async def async_save_bot(self, bot: Bot) -> None:
        # Bots are saved as part of their installation (async_save); nothing separate to keep.
        return None

    async def _find(self, enterprise_id: str | None, team_id: str | None,
                    is_enterprise_install: bool | None) -> Installation | None:
        team = "" if is_enterprise_install else (team_id or "")
        async with self.database.reading() as session:
            row = await session.scalar(
                select(SlackInstallationRow).where(
                    SlackInstallationRow.enterprise_id == (enterprise_id or ""),
                    SlackInstallationRow.team_id == team,
                )
            )
        return self._decrypt(row.encrypted) if row is not None else None

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        installation = await self._find(enterprise_id, team_id, is_enterprise_install)
        return installation.to_bot() if installation is not None and installation.bot_token else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await self._find(enterprise_id, team_id, is_enterprise_install)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is not None:
            return  # one installer's user token: we keep none, so nothing to delete
        async with self.database.transaction() as session:
            await session.execute(
                delete(SlackInstallationRow).where(
                    SlackInstallationRow.enterprise_id == (enterprise_id or ""),
                    SlackInstallationRow.team_id == (team_id or ""),
                )
            )
        log.info("Slack workspace %s uninstalled", team_id or enterprise_id)


class DatabaseOAuthStateStore(AsyncOAuthStateStore):
    """OAuth `state` values in `slack_oauth_states`: each accepted once, before it expires."""

    def __init__(self, database: Database, clock: Clock, lifetime: timedelta = STATE_LIFETIME) -> None:
        self.database = database
        self.clock = clock
        self.lifetime = lifetime

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        now = self.clock.now()
        async with self.database.transaction() as session:
            await session.execute(delete(SlackOAuthStateRow).where(SlackOAuthStateRow.expires_at < now))
            session.add(SlackOAuthStateRow(state=state, expires_at=now + self.lifetime))
        return state

    async def async_consume(self, state: str) -> bool:
        async with self.database.transaction() as session:
            result = await session.execute(
                delete(SlackOAuthStateRow).where(
                    SlackOAuthStateRow.state == state[:128], SlackOAuthStateRow.expires_at >= self.clock.now()
                )
            )
        return bool(getattr(result, "rowcount", 0))
