"""What a record type declares beyond its fields, and the registry of every register.

A ``Register`` is to a record type what Frappe's DocType controller is to its fields: the spec
says what a record holds, the register says who may read and change it, which rule it must pass,
what is derived, how it is numbered, and — for the few records whose life is an area's own
process (a review chain, a ledger) — which area function replaces the generic create, update or
void. The rule is one function over a batch (``Item``s), so the single save, the Excel import and
the bundle check run the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from app.fields.spec import RecordSpec
from app.security.roles import Perm
from app.services.filters import FilterOption


@dataclass
class Item:
    """One record a rule checks: its values as they would be stored, the record they change (None
    for a new one), the keys this change sets, and how a message names it within a batch
    ("本文件第 5 行"; empty for a single save)."""

    values: dict[str, Any]
    record: Any = None
    changed: frozenset[str] = frozenset()
    where: str = ""

    @property
    def is_new(self) -> bool:
        return self.record is None

    def touches(self, *keys: str) -> bool:
        return self.record is None or not self.changed.isdisjoint(keys)


# (session, items) -> {index of the item: {field key: Chinese message}}
Rule = Callable[[Any, list[Item]], Mapping[int, Mapping[str, str]]]


@dataclass(frozen=True)
class Numbering:
    """A series a new record's number is taken from (Frappe's naming series, Odoo's sequences):
    ``pattern`` may use {year} (of ``date_key``'s value, else today), {unit_code} (this
    installation's region code) and {seq} with a width ({seq:04d}). The next number is one more
    than the highest of the same prefix in the table; two PCs of one unit that number at once are
    told apart at exchange by the model's ``__number_key__`` (a clash queued for renumbering)."""

    key: str
    pattern: str = "{year}-{seq:04d}"
    date_key: str | None = None


@dataclass(frozen=True)
class Card:
    """A record's printed card: the cells a card ends with for opinions, signatures and stamps."""

    opinions: tuple[str, ...] = ()  # "基层工会意见" …: a tall cell each, with 盖章 and date
    title: str = ""  # default: spec title + 登记表
    notes: tuple[str, ...] = ()
    # (session, record) -> a line under the header saying what the record is now ("冲正记录:…"),
    # or "" — what a clerk must not miss on the paper
    status: Callable[[Any, Any], str] | None = None


@dataclass(frozen=True)
class Register:
    spec: RecordSpec
    title: str = ""  # the tab and menu name (default: the spec's title)
    read: Perm = Perm.READ
    write: Perm = Perm.WRITE
    rule: Rule | None = None
    derive: Callable[[dict], None] | None = None  # pure derived values (also live in forms)
    # values filled from other records before cleaning (the archive's head into a visit)
    fill: Callable[[Any, dict], dict] | None = None
    # session-aware derived values after cleaning, before the rule: (session, values, record)
    prepare: Callable[[Any, dict, Any], None] | None = None
    initial: Mapping[str, Any] = field(default_factory=dict)  # stored values a new record starts with
    # the union a record belongs to when it has no ``spec.unit_key`` field: (session, values) -> id
    unit_of: Callable[[Any, Mapping], str | None] | None = None
    number: Numbering | None = None
    locked: Callable[[Any], str | None] | None = None  # why a record may no longer change or go
    before_void: Callable[[Any, Any], None] | None = None  # (session, record): refuse with AppError
    # An area's own process replaces the generic path: (session, actor, values) -> record, …
    create: Callable | None = None
    # what follows a write of records of this register, on every path (the single save, the
    # batch, a void): (session, actor, ids); a member's opening 会籍 events, a derived state
    written: Callable[[Any, Any, list[str]], None] | None = None
    update: Callable | None = None
    void: Callable | None = None
    creatable: bool = True
    editable: bool = True
    voidable: bool = True
    importable: bool = True  # Excel import through ``check_many`` / ``add_many``
    # Excel (``app.excel.generic``): the kind's name when it is not the register key (the command
    # line's ``excel export members``); the fields a spreadsheet names a record of this register by
    # in another kind's reference column (a unit by name or region code, a member by ID number or
    # 会员证号, never by a name that repeats): an export writes the first that names the record
    # alone, an import reads any (default: the display key); and the list options beyond --union /
    # --from / --to (``standard_options``)
    excel_key: str = ""
    named_by: tuple[str, ...] = ()
    options: tuple[FilterOption, ...] = ()
    card: Card = Card()
    # the columns of the generated printed list (default: the spec's list fields), for a register
    # whose list shows more than an A4 page holds
    paper_columns: tuple[str, ...] = ()
    search_hint: str = ""  # the list's search box placeholder
    tag_columns: tuple[str, ...] = ("status", "active")  # shown as coloured tags in lists
    # realistic business content for generated records (demo data, contract tests): (session,
    # rng, generic values) -> values, e.g. an archived household for a 金秋助学 application
    sample: Callable[[Any, Any, dict], dict] | None = None
    # ids of live records a typed key names (会员证号, 档案编号 …) beyond the generic id / name /
    # search-field match: (session, text) -> ids
    lookup: Callable[[Any, str], list[str]] | None = None
    lookup_hint: str = "记录编号、名称或身份证号等"  # what a user may type to name one record
    # a record about a person started from a member (``app.services.member_prefill``): this
    # register's field -> the member's field it takes ("@employer": the member's union's
    # enterprise); the form offers 从会员带入 and the member list 从会员新建
    from_member: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def name(self) -> str:
        return self.title or self.spec.title

    @property
    def kind_key(self) -> str:
        return self.excel_key or self.key

    @property
    def name_keys(self) -> tuple[str, ...]:
        return self.named_by or (self.spec.display_key,)

    def __post_init__(self):
        for key in self.named_by:
            if not self.spec.has(key):
                raise ValueError(f"{self.key} is named by {key}, which is not one of its fields")
        for key in self.from_member:
            if not self.spec.has(key):
                raise ValueError(f"{self.key} takes {key} from a member, which is not one of its fields")

    @property
    def hint(self) -> str:
        """What the list's one search box finds: the declared hint, else the searched fields."""
        return self.search_hint or " / ".join(f.label for f in self.spec.fields if f.search)


def _as_register(obj) -> Register:
    if isinstance(obj, Register):
        return obj
    if isinstance(obj, RecordSpec):
        return Register(obj)
    raise TypeError(f"a register entry names {type(obj).__name__}, not a Register or RecordSpec")


@lru_cache(maxsize=1)
def all_registers() -> tuple[Register, ...]:
    from app.areas import entries, load

    regs = tuple(_as_register(load(path)) for path in entries("registers"))
    keys = [r.key for r in regs]
    if len(keys) != len(set(keys)):
        raise RuntimeError("two registers share a key")
    return regs


def registers_of(area) -> tuple[Register, ...]:
    """The registers an area declares, in its manifest order."""
    from app.areas import load

    return tuple(_as_register(load(path)) for path in area.registers)


@cache
def area_of(key: str):
    """The area that declares the register ``key``."""
    from app.areas import all_areas

    for a in all_areas():
        if any(r.key == key for r in registers_of(a)):
            return a
    raise KeyError(key)


def register(key: str) -> Register:
    for r in all_registers():
        if r.key == key:
            return r
    raise KeyError(key)


def find(key: str) -> Register | None:
    try:
        return register(key)
    except KeyError:
        return None


def lookup(text: str) -> Register:
    """A register named on the command line: its key ("member") or its title ("会员")."""
    from app.errors import InvalidInput

    text = text.strip()
    for r in all_registers():
        if text in (r.key, r.name, r.spec.title):
            return r
    from app.excel.registry import all_kinds  # the name ``excel`` gives it ("archives")

    for k in all_kinds():
        if text in (k.key, k.title):
            found = [r for r in all_registers() if r.spec.model is k.spec.model]
            if len(found) == 1:
                return found[0]
    known = "、".join(f"{r.key}({r.name})" for r in all_registers())
    raise InvalidInput(f"没有名为“{text}”的登记类型。可用:{known}")
