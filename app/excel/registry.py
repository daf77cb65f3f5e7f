"""Every record kind that can go to and come from Excel.

KIND is the English name the command line takes (``excel export members``). Two sources:

- **Generated** (``app.excel.generic``): every register of the manifest that no hand-made kind
  of the same spec covers gets a kind from its declaration — columns, drop-downs, list options,
  export and import through the generic record service. Its key is the register's ``excel_key``
  when it declares one, else the register key. The key is declared on the register, not derived
  (a plural of the spec key, say): the names people already type (``members``, ``units``) stay as
  they are, a new register gets a name by declaring it where everything else about it is
  declared, and nothing maps keys to kinds on the side.
- **Hand-made**: an area's module named in the manifest (``Area.excel``) exposes ``KINDS``, a
  tuple of ``ExcelKind``, for a sheet the generic one cannot be (child sheets, an area's own
  importer with warnings, export-only lists).

A kind names its RecordSpec and the columns of its sheet (field keys, in order), how to select the
rows of a filtered list (tuples in column order), and, if it can be imported, an ``Importer``.
Reference columns are named through the spec they refer to (``app.excel.refs``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from app.errors import InvalidInput
from app.fields.spec import Field, RecordSpec


@dataclass
class CheckResult:
    """What an importer's ``check`` may return instead of a plain errors dict: refusals, and
    warnings (rows that are valid but unusual — a yearly cap passed, a second payout in one
    campaign) which the user confirms by accepting the import."""

    errors: dict[int, dict[str, str]]
    warnings: dict[int, dict[str, str]]
    # rows recognised as records already here (``app.excel.reimport``): unchanged ones, and the
    # changed ones offered as updates in the 更新已有记录 mode ({sheet row: Match})
    unchanged: list[int] = field(default_factory=list)
    updates: dict = field(default_factory=dict)
    # probable duplicates (a payout list imported twice): refused unless that very row is
    # confirmed (``check_file(..., confirm_rows=…)``); then a warning the import confirms
    doubtful: dict[int, dict[str, str]] = field(default_factory=dict)


class Importer(Protocol):
    """The area-specific half of an import. ``rows`` are cleaned values (``RecordSpec.clean``
    with REF columns resolved to ids), each with its sheet row number; a kind with child sheets
    gets each row's child rows as a list under the child's ``attach`` key."""

    def check(self, db, actor, rows: list[tuple[int, dict]]) -> dict[int, dict[str, str]] | CheckResult:
        """Errors (and, as a ``CheckResult``, warnings) by sheet row number and field key
        (duplicates in the database and in the file, rules of the area's service). Writes nothing."""

    def write(self, session, actor, rows: list[tuple[int, dict]], *, source: str, **kw) -> int:
        """Write every row through the area's service in the caller's transaction (which the
        caller commits once); audit it; return the number written. A REF value may be a
        ``BatchRef`` to the record written from another sheet row of the same file (a unit's
        parent). An importer that reports warnings also gets ``confirmed``: the warnings the
        user accepted, to audit; ``checked`` is True when the database has not changed since
        ``check`` (``importer.checked_state``), so the importer may skip checking again."""


class _Sheet:
    """A sheet's columns as fields (``spec`` and ``columns`` come from the dataclass)."""

    spec: RecordSpec
    columns: tuple[str, ...]

    @property
    def fields(self) -> list[Field]:
        return [self.spec.field(k) for k in self.columns]

    @property
    def import_fields(self) -> list[Field]:
        """Columns a person fills in (derived fields are left out of templates and ignored)."""
        return [f for f in self.fields if not f.readonly]


@dataclass(frozen=True)
class ChildSheet(_Sheet):
    """A second sheet of a kind, one row per child record (the family members of an archive),
    linked to its parent row by the value of one of the parent's fields (the head's ID number),
    written in a key column of its own; a name column is checked against the parent's name."""

    title: str  # sheet name ("家庭成员")
    spec: RecordSpec
    columns: tuple[str, ...]
    parent_key: str  # the parent's field whose value links ("id_number")
    key_label: str  # the child sheet's column holding it ("户主身份证号")
    name_label: str  # the column naming the parent, checked ("户主姓名")
    attach: str  # the key under which the parent's cleaned values get their children
    # (session, options) -> rows of (parent key value, parent name, *columns) for the export
    select: Callable[[Any, dict], Iterable[tuple]]

    def link_fields(self, parent: RecordSpec) -> tuple[Field, Field]:
        """The key and name columns, as fields (the key is typed, masked and shown like the
        parent's field)."""
        from dataclasses import replace

        key = replace(parent.field(self.parent_key), key="_parent_key", label=self.key_label,
                      required=True, readonly=False)
        return key, Field("_parent_name", self.name_label, width=10)


@dataclass(frozen=True)
class ExcelKind(_Sheet):
    key: str  # "members"
    title: str  # "会员"
    spec: RecordSpec
    columns: tuple[str, ...]  # field keys, in sheet order
    # (session, options) -> (rows as tuples in column order, description of the selection)
    select: Callable[[Any, dict], tuple[Iterable[tuple], str]]
    options: tuple = ()  # FilterOption: --from/--to and the kind's own filters
    importer: Importer | None = None
    import_perm: str = "write"  # the Perm an import needs (units: manage_units)
    period: str = ""  # the date field --from/--to select on ("入会日期")
    children: tuple[ChildSheet, ...] = ()  # further sheets of child records

    @property
    def updatable(self) -> bool:
        """Whether its import recognises rows of records already here and may update them."""
        return bool(getattr(self.importer, "updates", False))



@lru_cache(maxsize=1)
def all_kinds() -> tuple[ExcelKind, ...]:
    """Each area's kinds in manifest order: its hand-made ones, then one for each of its registers
    that none covers."""
    from app.areas import all_areas, load
    from app.excel.generic import kind_for
    from app.kit.register import register

    made = {a.key: [k for module in a.excel for k in importlib.import_module(module).KINDS]
            for a in all_areas()}
    covered = {k.spec.key for kinds in made.values() for k in kinds}
    out: list[ExcelKind] = []
    for a in all_areas():
        out += made[a.key]
        regs = (register(load(path).key) for path in a.registers)
        out += [kind_for(r) for r in regs if r.key not in covered]
    keys = [k.key for k in out]
    if len(keys) != len(set(keys)):
        raise RuntimeError("two Excel kinds share a key")
    return tuple(out)


def kind(key: str) -> ExcelKind:
    """An Excel kind by its key ("archives"), its title ("困难职工档案"), or the key or name of the
    register it holds ("hardship_archive", as ``record`` names it), so one name works everywhere."""
    key = key.strip()
    for k in all_kinds():
        if key in (k.key, k.title):
            return k
    from app.kit.register import all_registers

    for r in all_registers():
        if key in (r.key, r.name):
            found = [k for k in all_kinds() if k.spec.model is r.spec.model]
            if len(found) == 1:
                return found[0]
    raise InvalidInput(f"没有名为“{key}”的数据类型。可用:{'、'.join(k.key for k in all_kinds())}")


def all_options() -> list:
    from app.services.filters import merged

    return merged(k.options for k in all_kinds())
