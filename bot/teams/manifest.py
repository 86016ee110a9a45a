"""`staffroom manifest teams`: the Teams app package (manifest.json and two icons, zipped).

The manifest in `manifest/teams/` names a placeholder app id; the package carries the
school's own bot registration (its Microsoft App ID) as both the Teams app id and the bot id.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

#: The manifest and icons, in the repository beside `bot/`.
MANIFEST_FOLDER = Path(__file__).resolve().parents[2] / "manifest" / "teams"
FILES = ("manifest.json", "color.png", "outline.png")


class ManifestError(Exception):
    """The package can't be built; the message says why, for a person."""


def render_manifest(app_id: str, folder: Path = MANIFEST_FOLDER) -> dict[str, Any]:
    """The manifest with `app_id` (a GUID, as Azure shows it) as the app and bot id."""
    try:
        parsed = uuid.UUID(app_id.strip())
    except ValueError:
        raise ManifestError(
            f"'{app_id}' is not a Microsoft App ID: copy the Application (client) ID, a GUID like "
            "1a2b3c4d-0000-4000-8000-123456789abc, from your Azure Bot's Configuration page."
        ) from None
    try:
        manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except OSError as error:
        raise ManifestError(f"The Teams manifest template can't be read ({error.strerror}): {folder}") from None
    manifest["id"] = str(parsed)
    for bot in manifest.get("bots", []):
        bot["botId"] = str(parsed)
    return manifest


def write_package(app_id: str, out: Path, folder: Path = MANIFEST_FOLDER) -> Path:
    """Write the .zip Teams accepts: manifest.json, color.png and outline.png at its root."""
    manifest = render_manifest(app_id, folder)
    missing = [name for name in FILES[1:] if not (folder / name).is_file()]
    if missing:
        raise ManifestError(f"Missing icons in {folder}: {', '.join(missing)} (run manifest/teams/draw_icons.py)")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
            package.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
            for name in FILES[1:]:
                package.write(folder / name, arcname=name)
    except OSError as error:
        raise ManifestError(f"Can't write {out}: {error.strerror}") from None
    return out
