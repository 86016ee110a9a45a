"""Settings for every `staffroom` command, from the environment (and a `.env` file when present).

An environment variable wins over the same name in `.env`; the composition root (`bot.root`)
lets the command line (`--policies DIR`) win over both. Nothing else reads the environment.
Names are the ones each platform's documentation uses, so an IT person can copy
them from the Slack or Azure pages: `SLACK_BOT_TOKEN`, `MicrosoftAppId` and so on.
Secrets are `SecretStr`: they never appear in logs or reprs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError, ConfigProblem


class Settings(BaseSettings):
    """Everything Staffroom reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False, populate_by_name=True)

    # -- the school and its data -------------------------------------------------
    staffroom_policies: str | None = None
    staffroom_data_dir: str | None = None
    #: Where built routers are kept between runs (`off`: not kept); else $XDG_CACHE_HOME/staffroom.
    staffroom_cache_dir: str | None = None
    xdg_cache_home: str | None = None
    database_url: str | None = None
    #: Encrypts Slack tokens at rest (Fernet key: `staffroom secret-key` prints a new one).
    staffroom_secret_key: SecretStr | None = None
    staffroom_log_level: str = "INFO"

    # -- Slack -------------------------------------------------------------------
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    #: Socket Mode (no public HTTPS address needed) when set: an app-level token, xapp-…
    slack_app_token: SecretStr | None = None
    #: The Web API base URL: GovSlack, or a fake in tests. Ends with a slash.
    slack_api_url: str = "https://slack.com/api/"
    #: Several workspaces (OAuth install): the app's client id and secret.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None

    # -- Microsoft Teams (Bot Framework) -------------------------------------------
    microsoft_app_id: str = Field(default="", validation_alias=AliasChoices("MicrosoftAppId", "microsoft_app_id"))
    microsoft_app_password: SecretStr = Field(
        default=SecretStr(""), validation_alias=AliasChoices("MicrosoftAppPassword", "microsoft_app_password")
    )
    microsoft_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = Field(
        default="MultiTenant", validation_alias=AliasChoices("MicrosoftAppType", "microsoft_app_type")
    )
    microsoft_app_tenant_id: str = Field(
        default="", validation_alias=AliasChoices("MicrosoftAppTenantId", "microsoft_app_tenant_id")
    )

    #: Loopback service URLs the Teams bot may call besides Microsoft's (a local test channel),
    #: comma-separated: `http://127.0.0.1:3980/`. Anything not on loopback is refused.
    staffroom_teams_loopback_urls: str = ""

    @field_validator("staffroom_teams_loopback_urls")
    @classmethod
    def _only_loopback(cls, value: str) -> str:
        from bot.teams.service_urls import is_loopback_url

        for url in (item.strip() for item in value.split(",")):
            if url and not is_loopback_url(url):
                raise ValueError(f"{url} is not a loopback address (127.0.0.1, ::1 or localhost)")
        return value

    @property
    def teams_loopback_urls(self) -> list[str]:
        """`STAFFROOM_TEAMS_LOOPBACK_URLS` as a list."""
        return [url.strip() for url in self.staffroom_teams_loopback_urls.split(",") if url.strip()]

    @property
    def slack_configured(self) -> bool:
        """Slack is served when there is a signing secret and a token or an OAuth client."""
        return self.slack_signing_secret is not None and (
            self.slack_bot_token is not None or self.slack_client_id is not None
        )


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the environment; a bad value is a `ConfigError` naming the variable."""
    try:
        if environ is None:
            return Settings()
        return Settings.model_validate(environ)
    except ValidationError as error:
        problems = [
            ConfigProblem(Path("environment"), 0, str(item["loc"][0]) if item["loc"] else "", item["msg"])
            for item in error.errors()
        ]
        raise ConfigError(problems) from None
