"""Plain-text tables for the terminal, padded by display width (a hanzi takes two columns)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - width(text))


def render(header: list[str], rows: list[list[str]], *, limit: int = 40) -> list[str]:
    """Lines of an aligned table; a column is at most ``limit`` display columns wide."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [min(limit, max(width(r[i]) for r in cells)) for i in range(len(header))]
    return ["  ".join(pad(c, w) for c, w in zip(r, widths)).rstrip() for r in cells]
