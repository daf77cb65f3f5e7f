"""Reading printed PDFs back the way a person would: text (pdftotext), fonts (pdffonts), page
count (pdfinfo) and pixels (pdftoppm)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def _run(*args) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, encoding="utf-8",
                          check=True).stdout


def text(path: Path, *, raw: bool = False) -> str:
    """The text laid out as on the page, or ``raw``: in the order it was drawn, so the lines of
    one wrapped cell follow each other."""
    return _run("pdftotext", "-raw" if raw else "-layout", path, "-")


def squeezed(path: Path, *, raw: bool = False) -> str:
    """The text without spaces (pdftotext spreads table cells with blanks)."""
    return re.sub(r"\s+", "", text(path, raw=raw))


def fonts(path: Path) -> list[dict]:
    lines = _run("pdffonts", path).splitlines()[2:]
    out = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object ID
        out.append({"name": parts[0], "emb": parts[-5], "line": line})
    return out


def pages(path: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", path))[1])


def page_size(path: Path) -> tuple[float, float]:
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", _run("pdfinfo", path))
    return float(m[1]), float(m[2])


def render(path: Path, page: int, dpi: int, out_stem: Path) -> Path:
    _run("pdftoppm", "-png", "-r", dpi, "-f", page, "-l", page, "-singlefile", path, out_stem)
    return out_stem.with_suffix(".png")


def qr_modules_on_page(png: Path, dpi: int, page_h_pt: float, x_pt: float, y_pt: float,
                       size_pt: float, count: int, border: int = 2) -> list[list[bool]]:
    """Sample the centre of every module of the QR code drawn at (x, y) (bottom-left, points)."""
    from PIL import Image

    img = Image.open(png).convert("L")
    scale = dpi / 72.0
    box = size_pt / (count + 2 * border)
    out = []
    for r in range(count):
        row = []
        for c in range(count):
            cx = (x_pt + (c + border + 0.5) * box) * scale
            cy = (page_h_pt - (y_pt + size_pt - (r + border + 0.5) * box)) * scale
            row.append(img.getpixel((int(cx), int(cy))) < 128)
        out.append(row)
    return out
