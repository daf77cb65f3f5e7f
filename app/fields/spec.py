"""Field and record declarations, and turning raw user input into clean typed values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from app import validation as v
from app.validation import characters

# The dates any date field takes unless it declares its own ``date_range``: 9999-12-31 or
# 1800-01-01 is a typing mistake, not a date of this office's work.
PLAUSIBLE_DATES = (date(1900, 1, 1), date(2099, 12, 31))


class Kind(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    INT = "int"
    YEAR = "year"  # a calendar year (年度, 入学年份): an integer shown as 2026, never 2,026
    MONEY = "money"  # stored as integer fen, entered and shown in 元 with two decimals
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"  # stored UTC, shown local; only for read-only bookkeeping fields
    CODE = "code"  # one item of a code table (or of fixed ``choices``)
    CODES = "codes"  # several items, stored comma-separated
    BOOL = "bool"
    ID_NUMBER = "id_number"  # GB 11643 resident ID
    PHONE = "phone"  # mobile or landline
    MOBILE = "mobile"
    USCC = "uscc"  # 统一社会信用代码
    BANK_ACCOUNT = "bank_account"
    REF = "ref"  # the id of another record (``ref`` names its spec)


class Mask(StrEnum):
    NONE = ""
    ID = "id"
    PHONE = "phone"
    BANK = "bank"
    NAME = "name"
    # a birth date derived from an ID number: it is the 8 digits a masked ID hides, so wherever
    # the ID is masked the date is too (else the masked ID and its birth date rebuild the number)
    BIRTH = "birth"


@dataclass(frozen=True, slots=True)
class Field:
    key: str  # ORM attribute and bundle key (ASCII)
    label: str  # 中文: form label, list and Excel header, printed caption
    kind: Kind = Kind.TEXT
    required: bool = False
    max_len: int | None = None
    code_table: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # fixed (code, 中文) when there is no code table
    not_offered: tuple[str, ...] = ()  # codes of the table never offered here (refused on save)
    ref: str | None = None  # spec key of the referenced record, for Kind.REF
    ref_filter: Mapping[str, Any] | None = None  # e.g. {"kind": ("grassroots",)}
    # a text of digits (会员证号, 区划代码, 邮政编码): a text cell in Excel, never a number that loses
    # its leading zeros or its tail (the number kinds — ID, phone, bank, USCC — are text already)
    digits: bool = False
    check: Callable[[Any], str | None] | None = None  # extra rule on the cleaned value
    mask: Mask = Mask.NONE
    min_value: int | Decimal | None = None
    max_value: int | Decimal | None = None
    # a date field's plausible (earliest, latest) — ``PLAUSIBLE_DATES`` unless declared
    date_range: tuple[date, date] | None = None
    # the key of a date of the same record this one may not precede (结束日期 after 开始日期):
    # checked with the register's rule on every save, and followed by generated sample values
    not_before: str | None = None
    default: Any = None
    readonly: bool = False  # derived (shown with ``help`` saying how), never typed in
    # given when the record is made, changed later only by the register's own process: the
    # message says which (a member's union moves by a 会籍 transfer, not by an edit)
    set_once: str = ""
    # other headers a spreadsheet from elsewhere gives the column (a township's roster: 身份证号码,
    # 入会时间, 工作单位): an import reads them as this field
    aliases: tuple[str, ...] = ()
    help: str = ""
    section: str = "基本信息"
    in_list: bool = True
    filter: bool = False
    search: bool = False
    width: int = 12  # characters, for list and Excel columns
    pdf: Any = None  # placement on a printed form (used by app.printing)

    @property
    def is_coded(self) -> bool:
        return self.kind in (Kind.CODE, Kind.CODES)


@dataclass(frozen=True)
class ChildSpec:
    """A one-to-many part edited as a sub-table of its parent (e.g. family members)."""

    key: str
    title: str
    spec_key: str
    parent_key: str  # the child's column holding the parent id
    max_rows: int | None = None


@dataclass(frozen=True)
class RecordSpec:
    key: str  # "member"
    title: str  # "会员"
    model: type
    fields: tuple[Field, ...]
    display_key: str = "name"  # the field that names a record in messages and the audit log
    children: tuple[ChildSpec, ...] = ()
    default_sort: str = "name"
    # A list on screen opens newest first when it is in order of a date or a year (a ledger,
    # visits, 年度 records): the clerk looks for what she just entered at the top (printed and
    # exported lists keep the core's ascending order unless the list was sorted). None derives it
    # from the sort field's kind; False keeps a date list oldest first (回访 due soonest on top).
    default_descending: bool | None = None
    # A record kept as a 草稿 before it is submitted (an archive): only these fields are required
    # to keep it; every required field is required when it is submitted (``missing``). None: no
    # drafts, every required field is required on every save.
    draft_required: tuple[str, ...] | None = None
    # The union a record belongs to (a REF to "unit"): lists narrow to a unit's subtree by it, and a
    # user may change only records of their own unit or below (app.services.records).
    unit_key: str | None = None
    # The date a period selects on (--from/--to, statistics, a list form's subtitle).
    period_key: str | None = None
    # The list columns a clerk reads first (姓名 before codes and dates): shown first, in this
    # order, before the rest of the list fields in their form order (the form keeps its own).
    list_lead: tuple[str, ...] = ()
    _by_key: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def missing(self, record) -> dict[str, str]:
        """The required fields a stored record (a draft being submitted) still lacks: {key: 必填}."""
        return {f.key: "必填" for f in self.editable_fields
                if f.required and getattr(record, f.key, None) in (None, "")}

    @property
    def newest_first(self) -> bool:
        """Whether the default order is descending (see ``default_descending``)."""
        if self.default_descending is not None:
            return self.default_descending
        f = next((f for f in self.fields if f.key == self.default_sort), None)
        return f is not None and f.kind in (Kind.DATE, Kind.DATETIME, Kind.YEAR)

    def __post_init__(self):
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate field keys in {self.key}")
        self._by_key.update({f.key: f for f in self.fields})
        for key in (self.unit_key, self.period_key, *(f.not_before for f in self.fields), *self.list_lead):
            if key is not None and key not in self._by_key:
                raise ValueError(f"{self.key} declares {key}, which is not one of its fields")

    def field(self, key: str) -> Field:
        return self._by_key[key]

    def has(self, key: str) -> bool:
        return key in self._by_key

    @property
    def editable_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.readonly)

    @property
    def list_fields(self) -> tuple[Field, ...]:
        """The default list columns: ``list_lead`` first, then the other list fields in order."""
        lead = tuple(self._by_key[k] for k in self.list_lead)
        return lead + tuple(f for f in self.fields if f.in_list and f.key not in self.list_lead)

    @property
    def labels(self) -> dict[str, str]:
        return {f.key: f.label for f in self.fields}

    def order_errors(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The declared ``not_before`` orders a record's values break (both dates given)."""
        errors = {}
        for f in self.fields:
            if f.not_before is None:
                continue
            value, first = values.get(f.key), values.get(f.not_before)
            if value is not None and first is not None and value < first:
                errors[f.key] = f"{f.label}不能早于{self.field(f.not_before).label}"
        return errors

    def describe(self, obj) -> str:
        return str(getattr(obj, self.display_key, "") or getattr(obj, "id", ""))

    def clean(self, values: Mapping[str, Any], codes=None, *,
              partial: bool = False, draft: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
        """Check and convert raw input (strings from a form or a spreadsheet, or typed values).

        Returns (cleaned values, {field key: Chinese message}). With ``partial`` only the keys
        present are checked (an update of some fields); otherwise every editable field is. With
        ``draft`` (a spec with ``draft_required``) only those fields must be filled in.
        """
        keep = set(self.draft_required) if draft and self.draft_required is not None else None
        cleaned: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for f in self.editable_fields:
            if partial and f.key not in values:
                continue
            try:
                value = clean_value(f, values.get(f.key), codes)
            except ValueError as exc:
                errors[f.key] = str(exc)
                continue
            if value is None and f.default is not None and not partial:
                value = f.default
            if value is None or value == "" or value == ():
                if f.required and (keep is None or f.key in keep):
                    errors[f.key] = "必填"
                    continue
                value = None
            elif f.check and (msg := f.check(value)):
                errors[f.key] = msg
                continue
            cleaned[f.key] = value
        return cleaned, errors


_TRUE = {"1", "true", "yes", "y", "是", "√", "有", "t"}
_FALSE = {"0", "false", "no", "n", "否", "×", "无", "f", ""}


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_value(f: Field, raw: Any, codes=None) -> Any:
    """Convert one raw value for field ``f``; raise ValueError with a Chinese message."""
    if _is_blank(raw):
        return None
    k = f.kind
    if k in (Kind.TEXT, Kind.TEXTAREA):
        text = characters.clean(v.strip_text(str(raw)), multiline=k == Kind.TEXTAREA)
        if f.max_len and len(text) > f.max_len:
            raise ValueError(f"不能超过 {f.max_len} 个字(当前 {len(text)} 个)")
        return text or None
    if isinstance(raw, str) and (msg := characters.problem(raw.strip())):
        raise ValueError(msg)  # every other kind: the same rule before its own format check
    if k in (Kind.INT, Kind.YEAR):
        what = "应为四位数的年份,如 2026" if k == Kind.YEAR else "应为整数"
        if isinstance(raw, bool):
            raise ValueError(what)
        text = v.clean_text(str(raw)).replace(",", "")
        if k == Kind.YEAR:
            text = text.removesuffix("年").strip()
        try:
            n = int(raw) if isinstance(raw, int) else int(Decimal(text))
        except (InvalidOperation, ValueError):
            raise ValueError(what) from None
        if isinstance(raw, str) and "." in text and Decimal(text) != n:
            raise ValueError(what)
        _range(f, n)
        return n
    if k == Kind.MONEY:
        try:  # negative only where the field allows it (a reversal line of a ledger's sheet)
            amount = v.parse_amount(raw, allow_negative=f.min_value is not None and f.min_value < 0)
        except v.AmountError as exc:
            raise ValueError(str(exc)) from None
        fen = v.yuan_to_fen(amount)
        _range(f, fen)
        return fen
    if k == Kind.DECIMAL:
        try:
            d = Decimal(v.clean_text(str(raw)).replace(",", ""))
        except InvalidOperation:
            raise ValueError("应为数字") from None
        _range(f, d)
        return d
    if k == Kind.DATE:
        try:
            d = v.parse_date(raw)
        except v.DateError as exc:
            raise ValueError(str(exc)) from None
        low, high = f.date_range or PLAUSIBLE_DATES
        if not low <= d <= high:
            raise ValueError(f"日期不合常理,应在 {low.isoformat()} 至 {high.isoformat()} 之间")
        return d
    if k == Kind.BOOL:
        if isinstance(raw, bool):
            return raw
        text = v.clean_text(str(raw)).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("应填“是”或“否”")
    if k == Kind.CODE:
        return _resolve_code(f, raw, codes)
    if k == Kind.CODES:
        items = raw if isinstance(raw, (list, tuple, set)) else str(raw).replace("，", ",").replace("、", ",").split(",")
        resolved = [_resolve_code(f, item, codes) for item in items if not _is_blank(item)]
        return ",".join(dict.fromkeys(resolved)) or None
    if k == Kind.ID_NUMBER:
        try:
            return v.parse_id_number(str(raw)).number
        except v.IdNumberError as exc:
            raise ValueError(without_label(str(exc), "身份证号")) from None
    if k in (Kind.PHONE, Kind.MOBILE):
        text = v.normalize_phone(str(raw))
        msg = v.check_mobile(text) if k == Kind.MOBILE else v.check_phone(text)
        if msg:
            raise ValueError(msg)
        return text
    if k == Kind.USCC:
        text = v.normalize_uscc(str(raw))
        if msg := v.check_uscc(text):
            raise ValueError(without_label(msg, "统一社会信用代码"))
        return text
    if k == Kind.BANK_ACCOUNT:
        text = v.clean_text(str(raw)).replace(" ", "")
        if not text.isdigit() or not 12 <= len(text) <= 30:
            raise ValueError("银行账号应为 12–30 位数字")
        return text
    if k == Kind.REF:
        return str(raw).strip()
    raise AssertionError(f"unknown kind {k}")


def without_label(message: str, label: str) -> str:
    """A validator's stand-alone message ("身份证号校验位不正确") as a field's message: the caller
    puts the field's label in front ("身份证号:校验位不正确", never "身份证号身份证号…")."""
    rest = message.removeprefix(label).removeprefix("中的")
    return rest if rest and rest != message else message


def _range(f: Field, n) -> None:
    if f.min_value is not None and n < f.min_value:
        raise ValueError(f"不能小于 {f.min_value}")
    if f.max_value is not None and n > f.max_value:
        raise ValueError(f"不能大于 {f.max_value}")


def _resolve_code(f: Field, raw, codes) -> str:
    text = v.strip_text(str(raw))
    if f.choices:
        for code, label in f.choices:
            if text in (code, label):
                return code
        raise ValueError(f"“{text}”不是有效的选项")
    if codes is None:
        return text
    code = codes.resolve(f.code_table, text)
    if code is None:
        raise ValueError(f"“{text}”不在代码表“{codes.table_name(f.code_table)}”中")
    return code


def display_value(f: Field, value, codes=None) -> str:
    """The text a user sees for a stored value (lists, Excel, print), unmasked."""
    if value is None or value == "":
        return ""
    if f.kind == Kind.MONEY:
        return v.format_yuan(value)
    if f.kind == Kind.DATETIME and isinstance(value, datetime):
        from app.clock import to_local

        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if f.kind == Kind.DATE:
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    if f.kind == Kind.BOOL:
        return "是" if value else "否"
    if f.kind == Kind.CODE:
        return choice_label(f, value, codes)
    if f.kind == Kind.CODES:
        return "、".join(choice_label(f, c, codes) for c in str(value).split(",") if c)
    return str(value)


def offered_choices(f: Field, codes) -> list[tuple[str, str]]:
    """The (code, 中文) items a form, sub-table or Excel template offers for a coded field:
    active code-table items, less the ones this field never takes."""
    if f.choices:
        items = list(f.choices)
    elif f.code_table and codes is not None:
        items = [(e.code, e.label) for e in codes.items(f.code_table)]
    else:
        return []
    return [(c, label) for c, label in items if c not in f.not_offered]


def choice_label(f: Field, code: str, codes=None) -> str:
    if f.choices:
        return dict(f.choices).get(code, code)
    return codes.label(f.code_table, code) if codes is not None else code
