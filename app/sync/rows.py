"""One table's rows in a bundle: the column list, and checks of every incoming value against the
model column (type, length, nullability) and the RecordSpec (code tables, ID numbers, ranges).

Rows travel as JSON arrays of the stored values in the manifest's column order, followed by the
row's field dots (or null): dates as ``YYYY-MM-DD``, times as SQLAlchemy stores them, booleans as
0/1, money as integer fen. Checks are compiled once per table so a row costs a few type tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from operator import mul

import orjson
from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, Numeric, String

from app.fields.registry import spec_for_table
from app.fields.spec import PLAUSIBLE_DATES, Kind, clean_value
from app.sync import policy
from app.validation import characters, check_id_number
from app.validation.idcard import _PERMIT_PREFIXES, _PROVINCES
from app.validation.phone import _MOBILE

MISSING = "MISSING"  # an unresolved reference (other record, code): the row may wait for it
ABSENT = object()  # a column an older bundle does not carry, until app.sync.shapes fills it


_SHAPE_ID = re.compile(r"\d{17}[\dX]")
_EARLIEST = date(1900, 1, 1)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ASCII_ZERO_SUM = 48 * sum(_ID_WEIGHTS)  # digits read as bytes: subtract their "0"s


def fast_id_problem(v: str) -> str | None:
    """The stored (canonical, 18-character) ID number checked as ``parse_id_number`` does, on a
    fast path; the slow path only words the message."""
    if len(v) == 18 and _SHAPE_ID.fullmatch(v):
        total = sum(map(mul, v.encode()[:17], _ID_WEIGHTS)) - _ASCII_ZERO_SUM
        try:
            birth = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
        except ValueError:
            birth = None
        region, province = v[:6], int(v[:2])
        place_ok = region in _PERMIT_PREFIXES or (province in _PROVINCES and province not in (81, 82, 83))
        if ("10X98765432"[total % 11] == v[17] and birth is not None and place_ok
                and _EARLIEST <= birth <= date.today()):
            return None
    msg = check_id_number(v)
    return msg or "格式不规范(应为 18 位大写)"


def _is_date(v: str) -> bool:
    try:
        date.fromisoformat(v)
        return True
    except ValueError:
        return False


def _is_datetime(v: str) -> bool:
    try:
        datetime.fromisoformat(v)
        return True
    except ValueError:
        return False


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DEVICE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._:-]{0,63}")
MAX_VV = 64 << 10  # a version vector of a thousand devices
# the bookkeeping columns every travelling row carries, named in messages
META_LABELS = {"id": "编号", "owner_unit_id": "归属单位", "created_at": "创建时间",
               "created_by": "创建人", "updated_at": "修改时间", "updated_by": "修改人",
               "revision": "修订次数", "vv": "版本向量", "deleted": "作废"}
# kinds whose stored value goes through the forms' ``clean_value`` again (the others are checked
# by the compiled tests: type, length, range, choices, the ID number's fast path, a date's range
# on its ISO text; a phone in the canonical mobile form passes without the call)
_CLEANED_KINDS = (Kind.DATE, Kind.PHONE, Kind.MOBILE, Kind.USCC, Kind.BANK_ACCOUNT, Kind.CODES)


def well_formed_id(v) -> bool:
    return type(v) is str and _UUID.fullmatch(v) is not None


def vv_problem(v) -> bool:
    """True when ``v`` is not a version vector: a JSON object of device id → positive integer."""
    if type(v) is not str or len(v) > MAX_VV:
        return True
    try:
        doc = orjson.loads(v)
    except orjson.JSONDecodeError:
        return True
    return type(doc) is not dict or not all(
        type(c) is int and c > 0 and _DEVICE.fullmatch(d) for d, c in doc.items())


def _chars(v: str, multiline: bool) -> str | None:
    """The text-character rule of the forms (``app.validation.characters``); every character it
    refuses is non-printable, so a printable string costs one C-level test."""
    return None if v.isprintable() else characters.problem(v, multiline=multiline)


def _field_problem(f, v) -> str | None:
    """The stored value of a field as the forms would clean it again: their message, or None."""
    try:
        value = clean_value(f, v)
    except ValueError as exc:
        return str(exc)
    if f.check and value not in (None, "", ()):
        return f.check(value)
    return None


def _number(v):
    """A range check's operand: numbers as they are, decimals stored as text (such as an area
    in square metres) read exactly; None when the text is not a number."""
    if type(v) in (int, float):
        return v
    try:
        return Decimal(v)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _compile(columns, table, spec):
    """One Python function checking a whole row: type, length and nullability of each column,
    and (for live rows) the RecordSpec's ID-number, length, range and choice rules."""
    ns = {"_is_date": _is_date, "_is_datetime": _is_datetime, "_idn": fast_id_problem,
          "_num": _number, "_vv": vv_problem, "_uuid": _UUID.fullmatch, "_chars": _chars,
          "_field": _field_problem, "_mobile": _MOBILE.fullmatch}
    labels = META_LABELS | (spec.labels if spec else {})
    uuids = {"id", "owner_unit_id"} | {
        c for c in columns for fk in table.c[c].foreign_keys if fk.column.name == "id"}
    src = ["def validate(row, live):", "    p = []"]
    for i, c in enumerate(columns):
        col = table.c[c]
        label = labels.get(c) or f"内部字段 {c} "  # a column no form shows
        t = col.type
        src.append(f"    v = row[{i}]")
        src.append("    if v is None:")
        src.append(f"        p.append({label + '不能为空'!r})" if not col.nullable else "        pass")
        f = spec.field(c) if spec and spec.has(c) else None
        if c == "vv":
            test, msg = "_vv(v)", "格式不符(应为设备编号到正整数的对应)"
        elif c == "revision":
            test, msg = "type(v) is not int or v < 0", "应为不小于 0 的整数"
        elif c in uuids and isinstance(t, String):
            test, msg = "type(v) is not str or not _uuid(v)", "格式不符(应为记录编号)"
        elif isinstance(t, Boolean):
            test, msg = "type(v) is not int or v not in (0, 1)", "应为 0 或 1"
        elif isinstance(t, Integer):
            test, msg = "type(v) is not int", "应为整数"
        elif isinstance(t, DateTime):
            test, msg = "type(v) is not str or len(v) > 32 or not _is_datetime(v)", "应为日期时间"
        elif isinstance(t, Date):
            test, msg = "type(v) is not str or len(v) != 10 or not _is_date(v)", "应为日期"
        elif isinstance(t, Numeric):
            test, msg = "type(v) not in (int, float)", "应为数字"
        elif isinstance(t, LargeBinary):
            test, msg = "True", "不支持的二进制字段"
        else:
            limit = getattr(t, "length", None) or 1_000_000
            test, msg = f"type(v) is not str or len(v) > {limit}", f"应为不超过 {limit} 个字的文字"
        src.append(f"    elif {test}:")
        src.append(f"        p.append({label + msg!r})")
        text = isinstance(t, String) and c != "vv" and c not in uuids
        if text:  # every text column, tombstones too: the forms' character rule
            multiline = f.kind == Kind.TEXTAREA if f is not None else not (
                isinstance(t, String) and t.length)  # an unbounded internal text may hold lines
            src.append(f"    elif not v.isprintable() and (m := _chars(v, {multiline})):")
            src.append(f"        p.append({label!r} + m)")
        if f is None:
            continue
        if f.kind == Kind.DATE and not f.check:  # the forms' plausible range, on the ISO text
            low, high = (d.isoformat() for d in (f.date_range or PLAUSIBLE_DATES))
            src.append(f"    elif live and not {low!r} <= v <= {high!r}:")
            src.append(f"        p.append({label + f'日期不合常理,应在 {low} 至 {high} 之间'!r})")
        elif f.kind in _CLEANED_KINDS or (f.check and text):
            ns[f"_f{i}"] = f
            fast = "not _mobile(v) and " if f.kind in (Kind.PHONE, Kind.MOBILE) else ""
            src.append(f"    elif live and {fast}(m := _field(_f{i}, v)):")
            src.append(f"        p.append({label!r} + m)")
        if f.kind == Kind.ID_NUMBER:
            src.append("    elif live and (m := _idn(v)):")
            src.append(f"        p.append({label!r} + m)")
        if f.max_len:
            src.append(f"    elif live and len(v) > {f.max_len}:")
            src.append(f"        p.append({label + f'超过 {f.max_len} 个字'!r})")
        if f.min_value is not None or f.max_value is not None:
            src.append("    elif live and (n := _num(v)) is None:")
            src.append(f"        p.append({label + '应为数字'!r})")
        if f.min_value is not None:
            src.append(f"    elif live and n < {int(f.min_value)}:")
            src.append(f"        p.append({label + '超出允许范围'!r})")
        if f.max_value is not None:
            src.append(f"    elif live and n > {int(f.max_value)}:")
            src.append(f"        p.append({label + '超出允许范围'!r})")
        if f.choices:
            ns[f"_choices{i}"] = frozenset(code for code, _ in f.choices)
            src.append(f"    elif live and v not in _choices{i}:")
            src.append(f"        p.append({label + '不是有效的选项'!r})")
    src.append("    return p")
    exec("\n".join(src), ns)  # noqa: S102 - source built above from the model, no input
    return ns["validate"]


@dataclass
class TableCodec:
    table: object
    name: str
    title: str
    columns: list[str]
    index: dict[str, int]
    validate: object = None  # compiled: (row, live) -> [problems]
    codes: list = field(default_factory=list)  # (i, label, code_table, multiple)
    refs: list = field(default_factory=list)  # (i, label, referenced table)
    user_idx: list[int] = field(default_factory=list)  # merge-able fields incl. deleted
    protected: frozenset = frozenset()
    display: int | None = None
    person_key: int | None = None
    number_key: int | None = None
    immutable: bool = False
    attachment_sha: int | None = None
    labels: dict = field(default_factory=dict)  # column → Chinese label (messages)

    @classmethod
    def build(cls, table) -> TableCodec:
        cols = policy.bundle_columns(table)
        index = {c: i for i, c in enumerate(cols)}
        spec = spec_for_table(table.name)
        self = cls(table=table, name=str(table.name), title=spec.title if spec else table.name,
                   columns=cols, index=index)
        labels = self.labels = META_LABELS | (dict(spec.labels) if spec else {})
        self.validate = _compile(cols, table, spec)
        for c in cols:
            for fk in table.c[c].foreign_keys:
                self.refs.append((index[c], labels.get(c, c), str(fk.column.table.name)))
        if spec:
            for f in spec.fields:
                if f.key not in index:
                    continue
                if f.kind in (Kind.CODE, Kind.CODES) and f.code_table:
                    self.codes.append((index[f.key], f.label, f.code_table, f.kind == Kind.CODES))
            self.display = index.get(spec.display_key)
        self.user_idx = [i for c, i in index.items() if c not in policy.META]
        self.protected = policy.protected_fields(table.name)
        pk = policy.person_key(table.name)
        self.person_key = index.get(pk) if pk else None
        nk = policy.number_key(table.name)
        self.number_key = index.get(nk) if nk else None
        self.immutable = policy.is_immutable(table.name)
        if (blob := policy.blob_column(table.name)) is not None:
            self.attachment_sha = index[blob]
        return self

    def field_labels(self, keys) -> str:
        return "、".join(self.labels.get(k, k) for k in keys)

    def label(self, row) -> str:
        """The record as a report names it: its display value when that is plain text a form
        would accept, else its id (a refused row's content is never repeated)."""
        shown = row[self.display] if self.display is not None else None
        if type(shown) is str and shown and len(shown) <= 100 and not _chars(shown, False):
            return shown
        if type(shown) is int and shown is not ABSENT:
            return str(shown)
        rid = row[0] if "id" not in self.index else row[self.index["id"]]
        return rid if well_formed_id(rid) else "?"

    def check_values(self, row, live: bool) -> list[str]:
        """Problems with the row's own values (not references). Tombstones are checked for types
        only: a record deleted elsewhere may carry blanked personal fields."""
        return self.validate(row, live)

