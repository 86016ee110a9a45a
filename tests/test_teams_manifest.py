"""The Teams app package: manifest valid against Microsoft's schema, icons the right size and colours."""

from __future__ import annotations

import importlib.util
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.cli import main
from bot.teams.manifest import MANIFEST_FOLDER, ManifestError, render_manifest, write_package
from tests.fakes_teams.schemas import teams_manifest_schema

APP_ID = "1a2b3c4d-0000-4000-8000-123456789abc"


def read_png(data: bytes) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """Width, height and RGBA rows of an 8-bit RGBA PNG whose rows use filter 0 (as drawn)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks = 8, {}
    idat = b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IDAT":
            idat += body
        chunks[kind] = body
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour, interlace) == (8, 6, 0), "8-bit RGBA, not interlaced"
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    rows = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0
        rows.append([tuple(line[1 + x * 4 : 5 + x * 4]) for x in range(width)])
    return width, height, rows


def test_the_manifest_is_valid_against_the_teams_schema() -> None:
    manifest = render_manifest(APP_ID)
    schema = teams_manifest_schema(manifest["manifestVersion"])
    validator = jsonschema.validators.validator_for(schema)(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(manifest))
    assert error is None, f"{list(error.absolute_path)}: {error.message}"
    assert tuple(int(p) for p in manifest["manifestVersion"].split(".")) >= (1, 17)
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team"}
    assert manifest["bots"][0]["commandLists"][0]["commands"]


def test_the_schema_check_would_catch_a_broken_manifest() -> None:
    manifest = render_manifest(APP_ID)
    schema = teams_manifest_schema(manifest["manifestVersion"])
    del manifest["accentColor"]
    manifest["bots"][0]["scopes"] = ["everywhere"]
    assert list(jsonschema.validators.validator_for(schema)(schema).iter_errors(manifest))


def test_the_colour_icon_is_192_square_and_opaque() -> None:
    width, height, rows = read_png((MANIFEST_FOLDER / "color.png").read_bytes())
    assert (width, height) == (192, 192)
    assert all(pixel[3] == 255 for row in rows for pixel in row)
    assert len({pixel for row in rows for pixel in row}) > 2  # a drawing, not a flat square


def test_the_outline_icon_is_32_square_white_on_transparent() -> None:
    width, height, rows = read_png((MANIFEST_FOLDER / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    pixels = [pixel for row in rows for pixel in row]
    assert all(p[3] == 0 or p[:3] == (255, 255, 255) for p in pixels), "only white, or fully transparent"
    assert rows[0][0][3] == 0 and rows[-1][-1][3] == 0
    visible = sum(1 for p in pixels if p[3] > 0)
    assert 0.1 < visible / len(pixels) < 0.8


def test_the_icons_are_what_the_drawing_script_draws(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("draw_icons", MANIFEST_FOLDER / "draw_icons.py")
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.icons().items():
        assert (MANIFEST_FOLDER / name).read_bytes() == data, f"{name} is out of date: run draw_icons.py"


def test_the_command_writes_an_uploadable_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "staffroom-teams.zip"
    assert main(["manifest", "teams", "--app-id", APP_ID, "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert json.loads(package.read("manifest.json"))["id"] == APP_ID
        assert package.read("outline.png") == (MANIFEST_FOLDER / "outline.png").read_bytes()


def test_a_wrong_app_id_is_explained_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "package.zip"
    assert main(["manifest", "teams", "--app-id", "my-bot", "--out", str(out)]) == 2
    assert "Application (client) ID" in capsys.readouterr().err
    assert not out.exists()
    with pytest.raises(ManifestError):
        write_package("", out)
