"""The Slack app manifest: complete, consistent with the app, and printed with the server's URLs."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from bot.slack.app import BOT_SCOPES
from bot.slack.manifest import ManifestError, load_manifest, render_manifest


def test_the_manifest_asks_for_exactly_the_scopes_the_app_uses() -> None:
    manifest = load_manifest()
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    features = manifest["features"]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert features["bot_user"]["display_name"]
    assert features["slash_commands"][0]["command"] == "/staffroom"
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) >= {"message.im", "app_mention", "app_home_opened"}
    assert settings["interactivity"]["is_enabled"] is True


def test_manifest_slack_fills_every_url() -> None:
    manifest = yaml.safe_load(render_manifest("https://staff.oakfield.example/"))
    base = "https://staff.oakfield.example"
    assert manifest["settings"]["event_subscriptions"]["request_url"] == f"{base}/slack/events"
    assert manifest["settings"]["interactivity"]["request_url"] == f"{base}/slack/events"
    assert manifest["features"]["slash_commands"][0]["url"] == f"{base}/slack/events"
    assert manifest["oauth_config"]["redirect_urls"] == [f"{base}/slack/oauth_redirect"]
    assert "staffroom.example.org" not in yaml.safe_dump(manifest)


def test_socket_mode_needs_no_public_url() -> None:
    manifest = yaml.safe_load(render_manifest(None, socket_mode=True))
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert "url" not in manifest["features"]["slash_commands"][0]


@pytest.mark.parametrize("url", ["http://staff.example", "staff.example", "https://x.example/?a=1", ""])
def test_a_bad_url_is_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ManifestError):
        render_manifest(url)


def test_the_command_prints_it() -> None:
    result = subprocess.run([sys.executable, "-m", "bot.cli", "manifest", "slack", "--url", "https://h.example"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "request_url: https://h.example/slack/events" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "bot.cli", "manifest", "slack", "--url", "http://h.example"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "https" in bad.stderr and "Traceback" not in bad.stderr
