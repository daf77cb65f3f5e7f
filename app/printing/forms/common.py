"""Helpers for form modules: grid rows declared by field key, digests and file names.

A record form's grid is declared as rows of field keys, e.g.::

    LAYOUT = (("name", "gender", "birth_date", Photo(4)),
              (("id_number", 3), "phone"))

Each key becomes a label cell (its ``Field.label``, with "*" when required) and a value cell
(spanning the given number of columns); a ``Cell`` is taken as it is. Values come from the
record through ``PrintContext.shown`` (labels of codes, 2020年3月5日, masking), unless the form
passes its own text in ``values``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app import pathrules
from app.fields.spec import RecordSpec
from app.pathrules import STEM_MAX  # noqa: F401 (re-exported)
from app.printing.grid import Cell, Label, Value
from app.printing.qr import content_hash


def label_text(f) -> str:
    return ("*" if f.required else "") + f.label


def field_rows(ctx, spec: RecordSpec, record: Any, layout, values: Mapping[str, str] | None = None
               ) -> list[list[Cell]]:
    """Grid rows from a layout of field keys (see the module docstring)."""
    values = values or {}
    rows = []
    for layout_row in layout:
        row: list[Cell] = []
        for item in layout_row:
            if isinstance(item, Cell):
                row.append(item)
                continue
            key, span = (item, 1) if isinstance(item, str) else item
            f = spec.field(key)
            text = values[key] if key in values else ctx.shown(f, getattr(record, key, None))
            row += [Label(label_text(f)), Value(text, span=span)]
        rows.append(row)
    return rows


def record_digest(spec: RecordSpec, record: Any) -> str:
    """Hash of a record's declared fields as stored: recomputed later, it tells whether the record
    changed after the paper copy was printed."""
    return content_hash({f.key: getattr(record, f.key, None) for f in spec.fields})


def safe_stem(*parts: str) -> str:
    """A file name from parts joined by "_" that Windows accepts (``app.pathrules.safe_stem``: no
    refused or control characters, no trailing dot or space, no device name such as CON)."""
    return pathrules.safe_stem(*parts)
