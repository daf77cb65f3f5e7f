"""Helpers for form modules: grid rows declared by field key, digests, QR payloads, 编号 and file
names.

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
from app.printing.qr import build_payload, content_hash


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


def qr_of(spec: RecordSpec, record: Any) -> str:
    """A record form's QR payload. Its kind is the spec key upper-cased (``HARDSHIP_ARCHIVE``), so
    that ``match_paper`` finds the record again from a signed paper copy."""
    return build_payload(spec.key.upper(), record.id, record_digest(spec, record))


def initials(title: str) -> str:
    """"走访慰问" → "ZFWW": the letters a printed 编号 starts with, as 会员 gives HY."""
    from app.pinyin import char_pinyin

    return "".join(char_pinyin(c)[:1] for c in title if "\u4e00" <= c <= "\u9fff").upper() or "UD"


def batch_stem(title: str, name_of):
    """The file name of a record form's batch: the record's name for one, the count for several."""
    def stem(items) -> str:
        if len(items) == 1:
            return safe_stem(title, name_of(items[0]))
        return safe_stem(title, f"{len(items)}份")
    return stem


def register_options(spec: RecordSpec) -> tuple:
    """The options of a register's generated card and list: its standard ones (``--union``,
    ``--from``/``--to`` on its period) captioned by its own fields. The command line
    joins every form's help under one flag, so the period's help is one for all registers."""
    from dataclasses import replace

    from app.kit.options import standard_options

    helps = {"from": "其他登记表和名单:该登记的日期起(如走访日期、活动日期)",
             "to": "其他登记表和名单:该登记的日期止"}
    return tuple(replace(o, help=helps[o.dest]) if o.dest in helps else o
                 for o in standard_options(spec))


def safe_stem(*parts: str) -> str:
    """A file name from parts joined by "_" that Windows accepts (``app.pathrules.safe_stem``: no
    refused or control characters, no trailing dot or space, no device name such as CON)."""
    return pathrules.safe_stem(*parts)
