"""Lists of records, driven by their ``RecordSpec``: filters, one search box, sorting, keyset pages
and counts — permission-checked, sensitive columns masked. Every list in the UI (and the CLI's
searches) reads records through here, so a list of a million members stays fast everywhere.

- **Keyset pages.** Rows are ordered by the sort column and then by SQLite's ``rowid``; the next
  page starts after the last (value, rowid) seen, so page 5,000 costs what page 1 costs (OFFSET
  would walk every row before it). With ``rowid`` as the tie-breaker an index on the sort column
  alone serves the whole ORDER BY.
- **Deferred join.** A page's rowids are found first, from indexes alone where possible, and only
  those rows are read, so sorting thousands of matches never reads thousands of rows.
- **Search.** One text matches names, ID numbers, phones and pinyin ("zs", "zhangsan" → 张三):
  trigram index for 3+ characters, indexed prefix ranges for shorter texts — the plans are in
  ``app.services.list_search``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, false, func, literal_column, or_, select, true, union
from sqlalchemy.orm import Session

from app.fields.codes import CodeBook
from app.fields.masking import mask
from app.fields.registry import spec as spec_by_key
from app.fields.spec import Field, Kind, Mask, RecordSpec, display_value
from app.security.roles import Perm
from app.services.list_search import search_branches, search_condition, search_sources  # noqa: F401
from app.validation import format_yuan

PAGE_SIZE = 200
# The permission needed to list a record type that is not a register (READ when not named here).
LIST_PERMISSIONS: dict[str, tuple[Perm, str]] = {"user": (Perm.MANAGE_USERS, "查看用户列表")}

_NUMERIC = (Kind.INT, Kind.YEAR, Kind.MONEY, Kind.DECIMAL)  # right-aligned


@dataclass(frozen=True)
class Range:
    """A filter value for dates and numbers: ``low <= value <= high`` (either end open)."""

    low: Any = None
    high: Any = None


@dataclass(frozen=True)
class ListQuery:
    """What a list shows — and what an export writes, a list form prints and a figure counts: field
    filters (a value, a tuple of values, a ``Range``; or a named filter an area registered), a unit
    whose whole subtree the records belong to (``RecordSpec.unit_key``), a period on the spec's
    ``period_key``, one search text, and the order. Hashable, so a UI can compare and remember
    queries; ``as_dict`` / ``from_dict`` carry it through JSON (``stats --json``)."""

    spec_key: str
    filters: tuple[tuple[str, Any], ...] = ()
    search: str = ""
    sort: str | None = None  # a field key; None means the spec's default sort
    descending: bool = False
    unit: str | None = None  # a unit id: records of it and every unit below it
    period: Range | None = None

    @classmethod
    def of(cls, spec_key: str, *, filters: Mapping[str, Any] | None = None, search: str = "",
           sort: str | None = None, descending: bool = False, unit: str | None = None,
           period: Range | None = None) -> ListQuery:
        if period is not None and period.low is None and period.high is None:
            period = None
        return cls(spec_key, _freeze_filters(filters or {}), search.strip(), sort, descending,
                   unit or None, period)

    @property
    def filter_map(self) -> dict[str, Any]:
        return dict(self.filters)

    def as_filters(self) -> dict[str, Any]:
        """The whole query as a list's filters hold it (a home figure opening its records, a
        figure's drill-down): its period as a Range on the spec's period field, its unit as
        ``unit`` (a list narrows to that unit's subtree)."""
        filters = self.filter_map
        if self.period is not None:
            filters[spec_by_key(self.spec_key).period_key] = self.period
        if self.unit:
            filters["unit"] = self.unit
        return filters

    def with_filters(self, filters: Mapping[str, Any]) -> ListQuery:
        return replace(self, filters=_freeze_filters(filters))

    def with_search(self, text: str) -> ListQuery:
        return replace(self, search=text.strip())

    def sorted_by(self, key: str | None, descending: bool = False) -> ListQuery:
        return replace(self, sort=key, descending=descending)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"spec": self.spec_key,
                               "filters": {k: _to_json(v) for k, v in self.filters}}
        for key in ("search", "sort", "unit"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.descending:
            out["descending"] = True
        if self.period is not None:
            out["period"] = _to_json(self.period)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ListQuery:
        period = _from_json(data["period"]) if data.get("period") else None
        return cls.of(data["spec"], filters={k: _from_json(v) for k, v in data.get("filters", {}).items()},
                      search=data.get("search", ""), sort=data.get("sort"),
                      descending=bool(data.get("descending")), unit=data.get("unit"), period=period)


def _to_json(value):
    if isinstance(value, Range):
        return {"from": _to_json(value.low), "to": _to_json(value.high)}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


def _from_json(value):
    if isinstance(value, dict) and set(value) <= {"from", "to"}:
        return Range(_from_json(value.get("from")), _from_json(value.get("to")))
    if isinstance(value, list):
        return tuple(_from_json(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _freeze_filters(filters: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    items = []
    for key, value in filters.items():
        if value is None or value == "" or value == () or value == []:
            continue
        if isinstance(value, (list, set, frozenset)):
            value = tuple(sorted(value))
        items.append((key, value))
    return tuple(sorted(items, key=lambda kv: kv[0]))


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: str
    kind: Kind
    width: int
    align: str  # "left" | "right" | "center"
    sortable: bool
    masked: bool
    field: Field


@dataclass(frozen=True)
class ListRow:
    id: str
    key: tuple  # (sort value, rowid): where the next page starts
    values: tuple  # stored values in column order (sensitive ones masked)
    texts: tuple[str, ...]  # what a user sees in each column


@dataclass(frozen=True)
class Page:
    rows: list[ListRow]
    more: bool  # another page follows


# -- columns ------------------------------------------------------------------------------------
def list_columns(spec: RecordSpec, keys: Sequence[str] | None = None) -> list[ListColumn]:
    fields = [spec.field(k) for k in keys] if keys else list(spec.list_fields)
    table = spec.model.__table__
    out = []
    for f in fields:
        align = "right" if f.kind in _NUMERIC else ("center" if f.kind == Kind.BOOL else "left")
        sortable = f.key in table.c and f.kind not in (Kind.REF, Kind.CODES)
        masked = f.mask not in (Mask.NONE, Mask.NAME)
        out.append(ListColumn(f.key, f.label, f.kind, f.width, align, sortable, masked, f))
    return out


def cell_text(f: Field, value, codes: CodeBook | None = None) -> str:
    """A stored (or already masked) value as a list shows it: 1,234 · 1,234.50 · 2020-07-10; a
    year (``Kind.YEAR``) as 2026, never 2,026."""
    if value is None or value == "":
        return ""
    if f.kind == Kind.INT and isinstance(value, int):
        return f"{value:,}"
    if f.kind == Kind.MONEY and isinstance(value, int):
        return format_yuan(value)
    return display_value(f, value, codes)


# -- reading ------------------------------------------------------------------------------------
def require_list(actor, spec: RecordSpec) -> None:
    from app.kit.register import find

    if (reg := find(spec.key)) is not None:
        perm, action = reg.read, f"查看{reg.name}"
    else:
        perm, action = LIST_PERMISSIONS.get(spec.key, (Perm.READ, f"查看{spec.title}"))
    actor.require(perm, action)


def fetch_page(session: Session, actor, query: ListQuery, *, after: tuple | None = None,
               limit: int = PAGE_SIZE, codes: CodeBook | None = None,
               columns: Sequence[ListColumn] | None = None) -> Page:
    """One page of rows in the query's order, starting after ``after`` (a row's ``key``)."""
    spec = spec_by_key(query.spec_key)
    require_list(actor, spec)
    cols = list(columns) if columns is not None else list_columns(spec)
    table = spec.model.__table__
    rowid = _rowid(table)
    sort_col, descending = sort_column(spec, query)
    base = base_conditions(spec, query) + scope_conditions(session, actor, spec)
    branches = []
    for cond, free_sort in search_branches(session, spec, query.search, sort_col):
        # free_sort: order by +column, so SQLite drives the query by the search's covering index
        sort_expr = literal_column(f"+{table.name}.{sort_col.name}") if free_sort else sort_col
        keyset = [_after(sort_expr, rowid, after, descending, sort_col.nullable)] if after else []
        inner = (select(rowid.label("rid")).select_from(table)
                 .where(*base, *keyset, *([cond] if cond is not None else []))
                 .order_by(*_order(sort_expr, rowid, descending)).limit(limit + 1).subquery())
        branches.append(select(inner.c.rid))
    ids = branches[0] if len(branches) == 1 else union(*branches)
    stmt = (select(rowid.label("_rowid"), table.c.id, sort_col, *[table.c[c.key] for c in cols])
            .where(rowid.in_(ids)).order_by(*_order(sort_col, rowid, descending)).limit(limit + 1))
    rows = session.execute(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    refs = _ref_labels(session, cols, rows)
    out = []
    for row in rows:
        values, texts = [], []
        for c, value in zip(cols, row[3:]):
            if c.masked:
                value = mask(c.field.mask, value)
            if c.kind == Kind.REF:
                texts.append(refs.get(c.key, {}).get(value, "") if value else "")
            else:
                texts.append(cell_text(c.field, value, codes))
            values.append(value)
        out.append(ListRow(row[1], (row[2], row[0]), tuple(values), tuple(texts)))
    return Page(out, more)


def _order(sort_expr, rowid, descending: bool) -> tuple:
    return (sort_expr.desc(), rowid.desc()) if descending else (sort_expr, rowid)


def count(session: Session, actor, query: ListQuery) -> int:
    spec = spec_by_key(query.spec_key)
    require_list(actor, spec)
    stmt = select(func.count()).select_from(spec.model.__table__).where(
        *conditions(session, spec, query, actor))
    return session.execute(stmt).scalar_one()


def all_ids(session: Session, actor, query: ListQuery, *, limit: int = 20_000) -> list[str]:
    """Every id the query lists, in its order (batch printing a filtered list); at most ``limit``."""
    spec = spec_by_key(query.spec_key)
    require_list(actor, spec)
    table = spec.model.__table__
    sort_col, descending = sort_column(spec, query)
    stmt = (select(table.c.id).where(*conditions(session, spec, query, actor))
            .order_by(*_order(sort_col, _rowid(table), descending)).limit(limit))
    return list(session.scalars(stmt))


def rows_select(session: Session, query: ListQuery, columns=None, *, actor=None):
    """A SELECT of the query's rows in its order (``columns``: default the whole record), for
    exports and printing, which stream it. With ``actor``: permission-checked and narrowed to
    what the user may see (exports and printing check their own permission first)."""
    spec = spec_by_key(query.spec_key)
    if actor is not None:
        require_list(actor, spec)
    table = spec.model.__table__
    sort_col, descending = sort_column(spec, query)
    cols = columns if columns is not None else (spec.model,)
    return (select(*cols).where(*conditions(session, spec, query, actor))
            .order_by(*_order(sort_col, _rowid(table), descending)))


def sort_column(spec: RecordSpec, query: ListQuery):
    """The column to order by. Personal names sort by their pinyin (丁 before 万 before 严 would be
    code-point order), as offices sort name lists: a name column ``x`` with a ``x_pinyin`` column
    beside it (members' and archives' ``name``, 金秋助学's ``student_name``) sorts by that."""
    table = spec.model.__table__
    key = query.sort or spec.default_sort
    if key not in table.c:
        raise ValueError(f"cannot sort {spec.key} by {key}")
    if f"{key}_pinyin" in table.c:
        key = f"{key}_pinyin"
    return table.c[key], query.descending


def _rowid(table):
    return literal_column(f"{table.name}.rowid")


def _after(col, rowid, after: tuple, descending: bool, nullable: bool):
    """Rows after (value, rowid) in ORDER BY col, rowid (SQLite sorts NULL first)."""
    value, last = after
    if not descending:
        if value is None:
            return or_(and_(col.is_(None), rowid > last), col.is_not(None))
        return and_(col >= value, or_(col > value, rowid > last))
    if value is None:
        return and_(col.is_(None), rowid < last)
    cond = and_(col <= value, or_(col < value, rowid < last))
    return or_(cond, col.is_(None)) if nullable else cond


# -- conditions ---------------------------------------------------------------------------------
def base_conditions(spec: RecordSpec, query: ListQuery) -> list:
    """Live rows matching the filters, the unit's subtree and the period (everything but the
    search)."""
    table = spec.model.__table__
    conds = []
    # An append-only table (a money ledger, ``__immutable__``) is never tombstoned; leaving the flag
    # out keeps period queries on its covering index, which does not carry it (16x at 1M lines).
    if "deleted" in table.c and not getattr(spec.model, "__immutable__", False):
        conds.append(table.c.deleted == false())
    for key, value in query.filters:
        conds.append(filter_condition(spec, table, key, value, query.unit))
    if query.unit:
        conds.append(unit_condition(spec, query.unit))
    if query.period is not None:
        if not spec.period_key:
            raise ValueError(f"{spec.key} has no period field")
        conds.append(filter_condition(spec, table, spec.period_key, query.period))
    return conds


def unit_condition(spec: RecordSpec, unit_id: str):
    """Records of the unit and every unit below it: by ``spec.unit_key``, or by the spec's named
    filter ``unit`` (a help plan belongs to its archive's union)."""
    from app.services.units import subtree_ids

    if spec.unit_key:
        return spec.model.__table__.c[spec.unit_key].in_(subtree_ids(unit_id))
    if (named := _named_filter(spec.key, "unit")) is not None:
        return named(unit_id)
    raise ValueError(f"{spec.key} has no unit field")


def has_unit(spec: RecordSpec) -> bool:
    """Whether records of the spec belong to a union (so a list can narrow to a unit's subtree)."""
    return bool(spec.unit_key) or _named_filter(spec.key, "unit") is not None


def scope_conditions(session: Session, actor, spec: RecordSpec) -> list:
    """What a user may see by unit: a user of a township or grassroots union sees the records of
    their unit's subtree; users of this installation's own federation see everything."""
    unit_id = getattr(actor, "unit_id", None)
    if not unit_id or unit_id == session.info.get("root_unit_id") or actor.role == "system":
        return []
    return [unit_condition(spec, unit_id)] if has_unit(spec) else []


def conditions(session: Session, spec: RecordSpec, query: ListQuery, actor=None) -> list:
    conds = base_conditions(spec, query)
    if actor is not None:
        conds += scope_conditions(session, actor, spec)
    if query.search:
        cond = search_condition(session, spec, query.search)
        if cond is not None:
            conds.append(cond)
    return conds


# Filters that are not a column (乡镇, 一年未更新, 从未帮扶 …): an area registers, per spec key and
# filter key, fn(value) -> SQL condition on the spec's table (``register_filter``). The modules
# that register (the manifest's ``filters``) are imported on the first lookup, so a page, the CLI
# and a test all see the same filters whatever they happened to import.
_NAMED_FILTERS: dict[tuple[str, str], Callable[[Any], Any]] = {}
_LOADED = False


_GROUPING: set[tuple[str, str]] = set()


def register_filter(spec_key: str, key: str, condition: Callable[..., Any], *,
                    grouping: bool = False) -> None:
    """``condition(value)`` -> SQL. A ``grouping`` condition is a subquery that groups many rows
    (net relief per household): it is ``condition(value, unit_id)``, narrowing its subquery to
    the list's unit, and figures using it share one SELECT so it runs once."""
    _NAMED_FILTERS[(spec_key, key)] = condition
    if grouping:
        _GROUPING.add((spec_key, key))


def _named_filter(spec_key: str, key: str) -> Callable[[Any], Any] | None:
    global _LOADED
    if not _LOADED:
        import importlib

        from app.areas import entries

        _LOADED = True
        for module in entries("filters"):
            importlib.import_module(module)
    return _NAMED_FILTERS.get((spec_key, key))


def is_grouping(spec_key: str, key: str) -> bool:
    """Whether ``key`` is a grouping named filter of the spec (``register_filter``)."""
    _named_filter(spec_key, key)
    return (spec_key, key) in _GROUPING


def named_filters(spec_key: str) -> list[str]:
    """The named filters an area registered for a spec (their keys)."""
    _named_filter(spec_key, "")
    return [k for s, k in _NAMED_FILTERS if s == spec_key]


def filter_condition(spec: RecordSpec, table, key: str, value, unit: str | None = None):
    if (named := _named_filter(spec.key, key)) is not None:
        return named(value, unit) if (spec.key, key) in _GROUPING else named(value)
    if key not in table.c:
        raise ValueError(f"{spec.key} has no column {key}")
    col = table.c[key]
    if isinstance(value, Range):
        parts = []
        if value.low is not None:
            parts.append(col >= value.low)
        if value.high is not None:
            parts.append(col <= value.high)
        return and_(*parts) if parts else true()
    if isinstance(value, tuple):
        return col.in_(value)
    return col == value


# -- labels and choices -------------------------------------------------------------------------
def _ref_labels(session: Session, cols: Iterable[ListColumn], rows) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for i, c in enumerate(cols):
        if c.kind != Kind.REF or not c.field.ref:
            continue
        ids = {row[3 + i] for row in rows if row[3 + i]}
        out[c.key] = ref_labels(session, c.field.ref, ids)
    return out


def ref_labels(session: Session, spec_key: str, ids: Iterable[str]) -> dict[str, str]:
    """Display names of referenced records by id (deleted ones too: history still names them)."""
    ids = list(ids)
    if not ids:
        return {}
    ref = spec_by_key(spec_key)
    table = ref.model.__table__
    label = table.c[ref.display_key]
    out = {}
    for i in range(0, len(ids), 500):
        out.update(session.execute(select(table.c.id, label).where(table.c.id.in_(ids[i:i + 500]))).all())
    return out


def filter_fields(spec: RecordSpec) -> list[Field]:
    return [f for f in spec.fields if f.filter]


def filter_choices(spec: RecordSpec, key: str, codes: CodeBook | None) -> list[tuple[Any, str]]:
    """The values a filter offers (code items including inactive ones, which old records carry)."""
    f = spec.field(key)
    if f.kind == Kind.BOOL:
        return [(True, "是"), (False, "否")]
    if f.choices:
        return list(f.choices)
    if f.code_table and codes is not None:
        return [(e.code, e.label if e.active else f"{e.label}(停用)")
                for e in codes.items(f.code_table, active_only=False)]
    return []


def unit_tree(session: Session, *, include_grassroots: bool = True) -> list[tuple[str, str, str, int]]:
    """Live units in tree order as (id, name, kind, depth), the root first — plain rows, light
    enough to build a tree widget of a thousand unions at once."""
    from app.models import Unit
    from app.services.units import MEMBER_UNIT_KINDS

    q = select(Unit.id, Unit.name, Unit.kind, Unit.parent_id).where(Unit.deleted == false())
    if not include_grassroots:
        q = q.where(Unit.kind.notin_(MEMBER_UNIT_KINDS))
    rows = session.execute(q.order_by(Unit.sort_order, Unit.name)).all()
    ids = {r.id for r in rows}
    children: dict[str | None, list] = {}
    for r in rows:
        children.setdefault(r.parent_id if r.parent_id in ids else None, []).append(r)
    out: list[tuple[str, str, str, int]] = []
    todo = [(r, 0) for r in reversed(children.get(None, []))]
    while todo:
        r, depth = todo.pop()
        out.append((r.id, r.name, r.kind, depth))
        todo.extend((c, depth + 1) for c in reversed(children.get(r.id, [])))
    return out
