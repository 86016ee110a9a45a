"""`staffroom manifest slack`: the app manifest with this server's URLs, ready for "create from manifest"."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

MANIFEST_FILE = Path(__file__).resolve().parents[2] / "manifest" / "slack" / "manifest.yaml"
PLACEHOLDER = "https://staffroom.example.org"


class ManifestError(ValueError):
    """The URL can't be used in a Slack manifest; the message says why, for a person."""


def check_base_url(url: str) -> str:
    """`https://host[:port][/prefix]` without a trailing slash; Slack only calls HTTPS addresses."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ManifestError(f"{url!r} is not an https:// address; Slack only sends events to HTTPS URLs.")
    if parts.query or parts.fragment:
        raise ManifestError(f"{url!r} has a query or fragment; give just the server's address.")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def load_manifest(file: Path = MANIFEST_FILE) -> dict[str, Any]:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ManifestError(f"{file} is not a manifest")
    return data


def render_manifest(url: str | None, *, socket_mode: bool = False, file: Path = MANIFEST_FILE) -> str:
    """The manifest as YAML: request URLs on `url`, or Socket Mode with no public URLs."""
    if url is None and not socket_mode:
        raise ManifestError("Give --url https://YOUR-HOST, or --socket-mode for a server with no public address.")
    text = file.read_text(encoding="utf-8")
    if url is not None:
        text = text.replace(PLACEHOLDER, check_base_url(url))
    if not socket_mode:
        return text
    manifest = load_manifest_text(text)
    settings = manifest["settings"]
    settings["socket_mode_enabled"] = True
    settings["event_subscriptions"].pop("request_url", None)
    settings["interactivity"].pop("request_url", None)
    for command in manifest["features"].get("slash_commands", []):
        command.pop("url", None)
    if url is None:
        manifest["oauth_config"].pop("redirect_urls", None)
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)


def load_manifest_text(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ManifestError("the manifest is not a mapping")
    return data
