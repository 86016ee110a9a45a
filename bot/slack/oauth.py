"""Several Slack workspaces: installations kept sealed through `WorkspaceInstallations`, and OAuth states.

Each installation is stored whole (as slack_sdk's `Installation`) encrypted with Fernet
using `STAFFROOM_SECRET_KEY`; several keys separated by commas rotate (the first
encrypts, any decrypts). Where they are kept is the storage this adapter is given
(`bot.platform_storage`); every workspace installed here belongs to the running school.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.errors import ConfigError, ConfigProblem
from bot.platform_storage import SignInStates, WorkspaceInstallations

log = logging.getLogger(__name__)


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


class EncryptedInstallationStore(AsyncInstallationStore):
    """slack_sdk's installation store (bot tokens only), each installation encrypted before it is kept."""

    def __init__(self, installations: WorkspaceInstallations, cipher: MultiFernet) -> None:
        self.installations = installations
        self.cipher = cipher

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
        await self.installations.save(
            enterprise_id=installation.enterprise_id or "",
            team_id=installation.team_id or "",
            bot_user_id=installation.bot_user_id,
            sealed=self._encrypt(installation),
        )
        log.info("Slack workspace %s installed", installation.team_id or installation.enterprise_id)

    async def async_save_bot(self, bot: Bot) -> None:
        # Bots are saved as part of their installation (async_save); nothing separate to keep.
        return None

    async def _find(self, enterprise_id: str | None, team_id: str | None,
                    is_enterprise_install: bool | None) -> Installation | None:
        team = "" if is_enterprise_install else (team_id or "")
        sealed = await self.installations.find(enterprise_id=enterprise_id or "", team_id=team)
        return self._decrypt(sealed) if sealed is not None else None

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
        await self.installations.delete(enterprise_id=enterprise_id or "", team_id=team_id or "")
        log.info("Slack workspace %s uninstalled", team_id or enterprise_id)


class OAuthStateStore(AsyncOAuthStateStore):
    """slack_sdk's OAuth state store on `SignInStates`: each state accepted once, before it expires."""

    def __init__(self, states: SignInStates) -> None:
        self.states = states

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await self.states.issue()

    async def async_consume(self, state: str) -> bool:
        return await self.states.consume(state)
