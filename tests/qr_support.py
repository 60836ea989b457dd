"""Read QR codes back in tests: the SVG a page shows → pixels → Debian's zbarimg."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

_STEP = re.compile(r"([MmHh])\s*([-\d.\s]*)")


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (x, y) drawn by a segno SVG path of horizontal strokes."""
    path = re.search(r'\sd="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, args in _STEP.findall(path):
        numbers = [float(n) for n in args.split()]
        if command in "Mm":
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for index, (dx, dy) in enumerate(pairs):
                absolute = command == "M" and index == 0
                x, y = (dx, dy) if absolute else (x + dx, y + dy)
        else:
            for length in numbers:
                end = x + length if command == "h" else length
                dark.update((int(col), int(y)) for col in range(int(x), int(end)))
                x = end
    return dark


def png_of(dark: set[tuple[int, int]], scale: int = 4, quiet: int = 4) -> bytes:
    """A greyscale PNG of the modules, with a quiet zone around them."""
    size = max(max(x for x, _ in dark), max(y for _, y in dark)) + 1 + 2 * quiet
    rows = b""
    for y in range(size * scale):
        line = bytes(
            0 if (x // scale - quiet, y // scale - quiet) in dark else 255
            for x in range(size * scale)
        )
        rows += b"\x00" + line

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    side = size * scale
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def decode_png(png: bytes) -> list[str]:
    """What zbarimg reads in a PNG (one text per code found)."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: run scripts/ensure-zbar.sh")
    with tempfile.TemporaryDirectory() as folder:
        image = Path(folder) / "qr.png"
        image.write_bytes(png)
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=False
        )
    return [line for line in result.stdout.splitlines() if line]


def decode_svg(svg: str) -> list[str]:
    """What a QR code drawn as SVG says."""
    return decode_png(png_of(svg_modules(svg)))
