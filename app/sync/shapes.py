"""A table's rows in a bundle made by another schema version: the bundle's column list against
this program's, so that neighbouring versions keep exchanging (DESIGN.md §4).

- A column this program lacks (the sender is newer): its value is taken out of the row, with its
  field dot, and kept aside (``app.sync.extras``), never dropped.
- A column the bundle lacks (the sender is older): a derived column (the pinyin of a name) is
  derived from the record by its register's ``derive``; otherwise a
  record this database already has keeps its own value (and field dot), and a new record takes the
  column's default (the model's, else the server's), else NULL where allowed. A NOT NULL column
  with none of these refuses the new record, with the reason.
"""

from __future__ import annotations

import re
from functools import cache

from sqlalchemy import Boolean, Integer, TextClause
from sqlalchemy.dialects import sqlite

from app.db.base import SyncMixin
from app.sync import fieldversions
from app.sync.rows import ABSENT

NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
REQUIRED = sorted(SyncMixin.META_COLUMNS - SyncMixin.LOCAL_COLUMNS)  # every version has them
_DIALECT = sqlite.dialect()


def column_list_problem(columns) -> str | None:
    """Why a member's column list cannot be read (None when it can)."""
    if not isinstance(columns, list) or not all(isinstance(c, str) and NAME.match(c) for c in columns) \
            or len(set(columns)) != len(columns):
        return "字段列表格式不符"
    if any(c not in columns for c in REQUIRED):
        return "字段列表缺少同步所需的字段"
    return None


def stored(col, value):
    """A Python value in the form a bundle row (and the database) holds it: dates as text,
    booleans as 0/1."""
    if value is None:
        return None
    process = col.type.dialect_impl(_DIALECT).bind_processor(_DIALECT)
    return process(value) if process else value


def column_default(col):
    """(how, what) a new record gets for ``col`` when nothing is sent (``default_value`` gives
    it); None when the column is NOT NULL with no default."""
    d, sd = col.default, col.server_default
    if d is not None and d.is_scalar:
        return "value", stored(col, d.arg)
    if d is not None and d.is_callable:  # per record (a fresh id or time each)
        return "call", lambda: stored(col, d.arg(None))
    if sd is not None and isinstance(sd.arg, TextClause):
        return "sql", sd.arg.text
    if sd is not None and isinstance(sd.arg, str):  # stored with the column's affinity
        whole = isinstance(col.type, (Integer, Boolean)) and re.fullmatch(r"-?\d+", sd.arg)
        return "value", int(sd.arg) if whole else sd.arg
    return ("value", None) if col.nullable else None


def default_value(conn, default: tuple):
    how, what = default
    if how == "call":
        return what()
    if how == "sql":  # the model's own SQL text, such as CURRENT_TIMESTAMP
        return conn.execute(f"SELECT {what}").fetchone()[0]
    return what


@cache
def _derive_hook(table: str):
    """The register's ``derive`` (gender from an ID number, pinyin from a name) for its table."""
    from app.fields.registry import spec_for_table
    from app.kit.register import find

    spec = spec_for_table(table)
    reg = find(spec.key) if spec is not None else None
    return reg.derive if reg is not None else None


def rederive(codec, row: list) -> None:
    """Recompute, in place, the derived columns of a row that a field-level merge put together
    from two versions (the name of one, the pinyin of the other must not stay apart)."""
    hook = _derive_hook(codec.name)
    if hook is None:
        return
    before = {col: v for col, v in zip(codec.columns, row) if v is not None}
    values = dict(before)
    try:
        hook(values)
    except Exception:  # noqa: BLE001 - a value the checks refuse anyway
        return
    for col, v in values.items():
        if col in codec.index and (col not in before or v is not before[col]):
            row[codec.index[col]] = stored(codec.table.c[col], v)


class TableShape:
    """The bundle's columns of one table against the codec's (this program's)."""

    def __init__(self, codec, sent: list[str]):
        self.codec, self.sent = codec, list(sent)
        self.width = len(sent) + 1  # the values, then the field dots
        self.identical = self.sent == codec.columns
        pos = {c: i for i, c in enumerate(sent)}
        self.take = [pos.get(c) for c in codec.columns]
        self.missing = [c for c in codec.columns if c not in pos]
        self.extra = [(i, c) for i, c in enumerate(sent) if c not in codec.index]
        self.defaults = {c: column_default(codec.table.c[c]) for c in self.missing}
        self.derive = _derive_hook(codec.name) if self.missing else None

    def split(self, row: list, dots: dict) -> tuple[list, dict, dict]:
        """(the row in this program's column order with ABSENT where not sent, the values of the
        columns this program lacks, their dots). Dots of unknown columns leave ``dots``."""
        if self.identical:
            return row, {}, {}
        local = [ABSENT if i is None else row[i] for i in self.take]
        extras = {c: row[i] for i, c in self.extra}
        kept = {c: dots.pop(c) for c in [k for k in dots if k not in self.codec.index]}
        return local, extras, kept

    def fill(self, conn, items: list[tuple[list, dict]]) -> dict[str, str]:
        """Fill the ABSENT columns of a batch in place; {row id: why it is refused}."""
        if not self.missing or not items:
            return {}
        c = self.codec
        i_id, name = c.index["id"], c.name
        ids = [row[i_id] for row, _ in items]
        have = {}
        for k in range(0, len(ids), 500):
            part = ids[k:k + 500]
            for r in conn.execute(f"SELECT id, {', '.join(self.missing)} FROM {name} WHERE id IN "
                                  f"({','.join('?' * len(part))})", part):
                have[r[0]] = dict(zip(self.missing, r[1:]))
        ldots = fieldversions.read_many(conn, name, list(have)) if have else {}
        refused = {}
        for row, dots in items:
            rid = row[i_id]
            derived = self._derived(row)
            local = have.get(rid)
            for col in self.missing:
                k = c.index[col]
                if col in derived:
                    row[k] = stored(c.table.c[col], derived[col])
                elif local is not None:
                    row[k] = local[col]
                    if col in ldots.get(rid, {}):
                        dots[col] = ldots[rid][col]
                elif self.defaults[col] is None:
                    row[k] = None
                    refused[rid] = (f"数据包由较旧版本的程序生成,没有本程序必填的“{c.labels.get(col) or col}”,"
                                    "无法新增这条记录:请对方升级程序后重新导出")
                else:
                    row[k] = default_value(conn, self.defaults[col])
        return refused

    def _derived(self, row: list) -> dict:
        if self.derive is None:
            return {}
        values = {col: v for col, v in zip(self.codec.columns, row) if v is not ABSENT and v is not None}
        try:
            self.derive(values)
        except Exception:  # noqa: BLE001 - a value the checks refuse anyway (a bad ID number)
            return {}
        return {col: v for col, v in values.items() if col in self.missing}
