"""Text normalisation shared by every validator.

Chinese IMEs switch between half-width and full-width input, so users routinely type
"１３８００１３８０００" or "ｘ" without noticing. Codes and numbers are compared and stored in
half-width form; names and addresses keep their characters and only lose stray padding.
"""

from __future__ import annotations

_IDEOGRAPHIC_SPACE = "\u3000"
_NBSP = "\u00a0"

# U+FF01..U+FF5E are the full-width forms of U+0021..U+007E, at a fixed offset.
_FULLWIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[ord(_IDEOGRAPHIC_SPACE)] = ord(" ")


def to_halfwidth(s: str) -> str:
    """Map full-width ASCII (digits, letters, punctuation) and the ideographic space to half-width.

    Other characters (CJK, ¥, …) are left alone.
    """
    return s.translate(_FULLWIDTH_TABLE)


def clean_text(s: str | None) -> str:
    """Normalise a code or number typed by hand: half-width, trimmed, inner whitespace runs → one space.

    Only for codes, numbers and similar tokens: it changes full-width characters, which names
    and addresses may legitimately contain (use :func:`strip_text` there).
    """
    if s is None:
        return ""
    return " ".join(to_halfwidth(str(s)).split())


def strip_text(s: str | None) -> str:
    """Trim a name or address without touching its characters.

    Ideographic and non-breaking spaces become ordinary spaces (so padding copied from Word or
    Excel is trimmed too); inner spaces are otherwise kept (addresses use them), and full-width
    letters and digits are not converted.
    """
    if s is None:
        return ""
    return str(s).replace(_IDEOGRAPHIC_SPACE, " ").replace(_NBSP, " ").strip()
