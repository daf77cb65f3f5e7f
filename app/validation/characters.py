"""The one rule for the characters a text field may hold, applied to every text value on every path
(forms and services, the CLI, Excel import, and anything else that cleans through
``app.fields.spec.clean_value``).

- Text is NFC-normalised; Windows and old Mac line ends become ``\\n``.
- Control characters (C0, DEL, C1) are refused; only a multi-line field (备注, 情况说明) keeps
  newlines and tabs. Padding (spaces, newlines, tabs around the text) is trimmed as before.
- Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a name display
  as something else, are refused everywhere; zero-width characters (U+200B–U+200D, U+FEFF), which
  make two names look equal, are refused in single-line fields (names, addresses, numbers).
- A lone surrogate (undecodable bytes passed through) is refused.

Messages are Chinese, say what kind of character to remove, and never quote the text: the caller
names the field, and neither messages nor logs repeat a person's data.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\ufeff")
LINE_BREAKS = frozenset("\n\u2028\u2029")
MULTILINE_ALLOWED = frozenset("\n\t")

MSG_CONTROL = "含有不可见的控制字符,请删除后重新输入"
MSG_LINE_BREAK = "不能包含换行或制表符,请写在一行内"
MSG_BIDI = "含有改变文字方向的不可见字符(常由网页或聊天软件复制带入),请删除后重新输入"
MSG_ZERO_WIDTH = "含有零宽度的不可见字符(常由网页复制带入),请删除后重新输入"
MSG_UNREADABLE = "含有无法识别的字符(文件或输入的编码不对),请重新输入"


class TextError(ValueError):
    """A text value holds characters the rule refuses; ``str()`` is the Chinese message."""


def problem(text: str, *, multiline: bool = False) -> str | None:
    """The message for the first kind of refused character in ``text`` (already trimmed), or None."""
    if text.isprintable():  # one C pass: controls, bidi and zero-width characters are not printable
        return None
    for ch in text:
        if ch.isprintable() and ch not in BIDI_CONTROLS and ch not in ZERO_WIDTH:
            continue  # the common case, quickly
        if multiline and ch in MULTILINE_ALLOWED:
            continue
        if ch in BIDI_CONTROLS:
            return MSG_BIDI
        if ch in ZERO_WIDTH:
            if multiline:
                continue
            return MSG_ZERO_WIDTH
        if ch in LINE_BREAKS or ch in "\t\r":
            return MSG_LINE_BREAK
        cat = unicodedata.category(ch)
        if cat == "Cc":
            return MSG_CONTROL
        if cat == "Cs":
            return MSG_UNREADABLE
        # other non-printables (spaces such as U+3000, format characters such as soft hyphens) pass
    return None


def normalize(text: str, *, multiline: bool = False) -> str:
    """NFC, line ends unified (multi-line fields), trimmed; the caller checks with ``problem``."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    try:
        text = unicodedata.normalize("NFC", text)
    except UnicodeError:  # pragma: no cover - lone surrogates normalise unchanged in CPython
        pass
    return text.strip()


def clean(text: str, *, multiline: bool = False) -> str:
    """``text`` normalised, or TextError when it holds a refused character."""
    text = normalize(text, multiline=multiline)
    if msg := problem(text, multiline=multiline):
        raise TextError(msg)
    return text
