"""One table's rows in a bundle: the column list, and checks of every incoming value against the
model column (type, length, nullability) and the RecordSpec (code tables, ID numbers, ranges).

Rows travel as JSON arrays of the stored values in the manifest's column order, followed by the
row's field dots (or null): dates as ``YYYY-MM-DD``, times as SQLAlchemy stores them, booleans as
0/1, money as integer fen. Checks are compiled once per table so a row costs a few type tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, Numeric, String, Text

from app.fields.registry import spec_for_table
from app.fields.spec import Kind
from app.sync import policy
from app.validation import check_id_number

MISSING = "MISSING"  # an unresolved reference (other record, code): the row may wait for it


def _type_check(col):
    t = col.type
    nullable = col.nullable
    if isinstance(t, Boolean):
        def chk(v):
            return None if v in (0, 1) else "应为 0 或 1"
    elif isinstance(t, Integer):
        def chk(v):
            return None if type(v) is int else "应为整数"
    elif isinstance(t, DateTime):
        def chk(v):
            if type(v) is not str or len(v) > 32:
                return "应为日期时间"
            try:
                datetime.fromisoformat(v)
            except ValueError:
                return "日期时间格式不正确"
            return None
    elif isinstance(t, Date):
        def chk(v):
            if type(v) is not str or len(v) != 10:
                return "应为日期"
            try:
                date.fromisoformat(v)
            except ValueError:
                return "日期格式不正确"
            return None
    elif isinstance(t, Numeric):
        def chk(v):
            return None if type(v) in (int, float) else "应为数字"
    elif isinstance(t, LargeBinary):
        def chk(v):
            return "不支持的二进制字段"
    elif isinstance(t, (String, Text)):
        limit = getattr(t, "length", None) or 1_000_000

        def chk(v):
            if type(v) is not str:
                return "应为文字"
            return None if len(v) <= limit else f"超过 {limit} 个字"
    else:
        def chk(v):
            return None

    def check(v):
        if v is None:
            return None if nullable else "不能为空"
        return chk(v)

    return check


def _spec_check(f):
    """Spec rules that do not depend on other rows (IDs, length, range)."""
    checks = []
    if f.kind == Kind.ID_NUMBER:
        def idn(v):
            msg = check_id_number(v)
            return "身份证号" + msg if msg else None
        checks.append(idn)
    if f.max_len:
        checks.append(lambda v, n=f.max_len: None if len(v) <= n else f"超过 {n} 个字")
    if f.min_value is not None or f.max_value is not None:
        lo, hi = f.min_value, f.max_value
        checks.append(lambda v: None if (lo is None or v >= lo) and (hi is None or v <= hi)
                      else "超出允许范围")
    if f.choices:
        allowed = {c for c, _ in f.choices}
        checks.append(lambda v: None if v in allowed else f"“{v}”不是有效的选项")
    return checks


@dataclass
class TableCodec:
    table: object
    name: str
    title: str
    columns: list[str]
    index: dict[str, int]
    checks: list = field(default_factory=list)  # (i, label, fn)
    codes: list = field(default_factory=list)  # (i, label, code_table, multiple)
    refs: list = field(default_factory=list)  # (i, label, referenced table)
    user_idx: list[int] = field(default_factory=list)  # merge-able fields incl. deleted
    protected: frozenset = frozenset()
    display: int | None = None
    person_key: int | None = None
    immutable: bool = False
    attachment_sha: int | None = None

    @classmethod
    def build(cls, table) -> TableCodec:
        cols = policy.bundle_columns(table)
        index = {c: i for i, c in enumerate(cols)}
        spec = spec_for_table(table.name)
        self = cls(table=table, name=str(table.name), title=spec.title if spec else table.name,
                   columns=cols, index=index)
        labels = spec.labels if spec else {}
        for c in cols:
            col = table.c[c]
            self.checks.append((index[c], labels.get(c, c), _type_check(col)))
            for fk in col.foreign_keys:
                self.refs.append((index[c], labels.get(c, c), fk.column.table.name))
        if spec:
            for f in spec.fields:
                if f.key not in index:
                    continue
                for fn in _spec_check(f):
                    self.checks.append((index[f.key], f.label, _when_set(fn)))
                if f.kind in (Kind.CODE, Kind.CODES) and f.code_table:
                    self.codes.append((index[f.key], f.label, f.code_table, f.kind == Kind.CODES))
            self.display = index.get(spec.display_key)
        self.user_idx = [i for c, i in index.items() if c not in policy.META]
        self.protected = policy.protected_fields(table.name)
        pk = policy.person_key(table.name)
        self.person_key = index.get(pk) if pk else None
        self.immutable = policy.is_immutable(table.name)
        if table.name == "attachments":
            self.attachment_sha = index["sha256"]
        return self

    def label(self, row) -> str:
        if self.display is not None and row[self.display]:
            return str(row[self.display])
        return str(row[0] if "id" not in self.index else row[self.index["id"]])

    def check_values(self, row, live: bool) -> list[str]:
        """Problems with the row's own values (not references). Tombstones are checked for types
        only: a record deleted elsewhere may carry blanked personal fields."""
        out = []
        for i, label, fn in self.checks:
            msg = fn(row[i]) if live or fn.__name__ == "check" else None
            if msg:
                out.append(f"{label}{msg}")
        return out


def _when_set(fn):
    def spec_rule(v):
        return None if v is None else fn(v)
    return spec_rule
