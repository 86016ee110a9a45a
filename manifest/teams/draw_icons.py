"""Draw Staffroom's Teams icons: color.png (192x192) and outline.png (32x32, white on transparent).

Pure standard library (zlib, struct), so the icons can be redrawn anywhere:
`python manifest/teams/draw_icons.py`. The shape is a speech bubble with two lines of
text; edges are anti-aliased by sampling each pixel 4x4 times.
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
BRAND = (0x31, 0x35, 0x6E)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4

Shape = Callable[[float, float], bool]


def rounded_rect(left: float, top: float, right: float, bottom: float, radius: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        if not (left <= x <= right and top <= y <= bottom):
            return False
        cx = min(max(x, left + radius), right - radius)
        cy = min(max(y, top + radius), bottom - radius)
        return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2

    return inside


def triangle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Shape:
    def side(p: tuple[float, float], q: tuple[float, float], x: float, y: float) -> float:
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])

    def inside(x: float, y: float) -> bool:
        d1, d2, d3 = side(a, b, x, y), side(b, c, x, y), side(c, a, x, y)
        return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))

    return inside


def bubble(size: float, inset: float = 0.0) -> Shape:
    """A speech bubble in a `size` square (the tail at the bottom left), shrunk by `inset`."""
    u = size / 192
    body = rounded_rect(30 * u + inset, 40 * u + inset, 162 * u - inset, 134 * u - inset, max(22 * u - inset, 1))
    tail = triangle(
        (56 * u + inset, 130 * u - inset), (92 * u - inset, 130 * u - inset), (46 * u + inset, 160 * u - inset * 2)
    )
    return lambda x, y: body(x, y) or tail(x, y)


def text_lines(size: float) -> Shape:
    u = size / 192
    first = rounded_rect(54 * u, 66 * u, 138 * u, 78 * u, 6 * u)
    second = rounded_rect(54 * u, 94 * u, 112 * u, 106 * u, 6 * u)
    return lambda x, y: first(x, y) or second(x, y)


def coverage(shape: Shape, x: int, y: int) -> float:
    step = 1 / SAMPLES
    hits = sum(
        shape(x + (i + 0.5) * step, y + (j + 0.5) * step) for i in range(SAMPLES) for j in range(SAMPLES)
    )
    return hits / SAMPLES**2


def draw_color(size: int = 192) -> list[list[tuple[int, int, int, int]]]:
    """Full-bleed brand colour, a white bubble, brand-coloured lines of text in it."""
    outer, lines = bubble(size), text_lines(size)
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            white = coverage(outer, x, y) * (1 - coverage(lines, x, y))
            row.append((*(round(b + (w - b) * white) for b, w in zip(BRAND, WHITE, strict=True)), 255))
        rows.append(row)
    return rows


def draw_outline(size: int = 32) -> list[list[tuple[int, int, int, int]]]:
    """The bubble's outline and its lines of text: white, everything else transparent."""
    outer, inner, lines = bubble(size), bubble(size, inset=2.2), text_lines(size)
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            alpha = max(coverage(outer, x, y) - coverage(inner, x, y), coverage(lines, x, y))
            row.append((255, 255, 255, round(255 * alpha)) if alpha > 0 else (0, 0, 0, 0))
        rows.append(row)
    return rows


def encode_png(rows: list[list[tuple[int, int, int, int]]]) -> bytes:
    """An 8-bit RGBA PNG (filter 0 on every row)."""
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def icons() -> dict[str, bytes]:
    return {"color.png": encode_png(draw_color()), "outline.png": encode_png(draw_outline())}


def main(folder: Path = HERE) -> int:
    for name, data in icons().items():
        (folder / name).write_bytes(data)
        print(f"wrote {folder / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
