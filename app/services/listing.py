"""Lists of records, driven by their ``RecordSpec``: filters, one search box, sorting, keyset pages
and counts — permission-checked, sensitive columns masked. Every list in the UI (and the CLI's
searches) reads records through here, so a list of a million members stays fast everywhere.

- **Keyset pages.** Rows are ordered by the sort column and then by SQLite's ``rowid``; the next
  page starts after the last (value, rowid) seen, so page 5,000 costs what page 1 costs (OFFSET
  would walk every row before it). With ``rowid`` as the tie-breaker an index on the sort column
  alone serves the whole ORDER BY.
- **Search.** One text matches names, ID numbers, phones and pinyin ("zs", "zhangsan" → 张三).
  Tables with an FTS5 trigram index (``app.db.fts``) answer substrings of three or more characters
  from it; shorter texts, pinyin and long number prefixes use indexed prefix ranges
  (``col >= 'zs' AND col < 'zt'``, which uses a plain index where ``LIKE`` would not). Small tables
  without an index just compare substrings.
- **Two plans.** When a search matches few rows (under ``BROAD_MATCHES``) the matching rowids
  drive the query and are sorted; when it matches many (every "z…" name), scanning in sort order
  and keeping the matches finds a page sooner — a quick capped count decides, per query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, false, func, literal_column, or_, select, true, union
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session

from app.db import fts
from app.fields.codes import CodeBook
from app.fields.masking import mask
from app.fields.registry import spec as spec_by_key
from app.fields.spec import Field, Kind, Mask, RecordSpec, display_value
from app.security.roles import Perm
from app.validation import format_yuan, to_halfwidth

PAGE_SIZE = 200
BROAD_MATCHES = 10_000
# The permission needed to list a record type (READ when not named here).
LIST_PERMISSIONS: dict[str, tuple[Perm, str]] = {"user": (Perm.MANAGE_USERS, "查看用户列表")}

_NUMERIC = (Kind.INT, Kind.MONEY, Kind.DECIMAL)
_NUMBER_LIKE = (Kind.ID_NUMBER, Kind.PHONE, Kind.MOBILE, Kind.USCC, Kind.BANK_ACCOUNT)
_TEXT = (Kind.TEXT, Kind.TEXTAREA)
_DIGITS = re.compile(r"[0-9]+[xX]?")
_FTS_MAX_DIGITS = 8  # longer digit strings are ID or phone prefixes: the plain index is faster


@dataclass(frozen=True)
class Range:
    """A filter value for dates and numbers: ``low <= value <= high`` (either end open)."""

    low: Any = None
    high: Any = None


@dataclass(frozen=True)
class ListQuery:
    """What a list shows. Hashable, so a UI can compare and remember queries."""

    spec_key: str
    filters: tuple[tuple[str, Any], ...] = ()
    search: str = ""
    sort: str | None = None  # a field key; None means the spec's default sort
    descending: bool = False

    @classmethod
    def of(cls, spec_key: str, *, filters: Mapping[str, Any] | None = None, search: str = "",
           sort: str | None = None, descending: bool = False) -> ListQuery:
        return cls(spec_key, _freeze_filters(filters or {}), search.strip(), sort, descending)

    @property
    def filter_map(self) -> dict[str, Any]:
        return dict(self.filters)

    def with_filters(self, filters: Mapping[str, Any]) -> ListQuery:
        return replace(self, filters=_freeze_filters(filters))

    def with_search(self, text: str) -> ListQuery:
        return replace(self, search=text.strip())

    def sorted_by(self, key: str | None, descending: bool = False) -> ListQuery:
        return replace(self, sort=key, descending=descending)


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
    """A stored (or already masked) value as a list shows it: 1,234 · 1,234.50 · 2020-07-10."""
    if value is None or value == "":
        return ""
    if f.kind == Kind.INT and isinstance(value, int):
        return f"{value:,}"
    if f.kind == Kind.MONEY and isinstance(value, int):
        return format_yuan(value)
    return display_value(f, value, codes)


# -- reading ------------------------------------------------------------------------------------
def require_list(actor, spec: RecordSpec) -> None:
    perm, action = LIST_PERMISSIONS.get(spec.key, (Perm.READ, f"查看{spec.title}"))
    actor.require(perm, action)


def fetch_page(session: Session, actor, query: ListQuery, *, after: tuple | None = None,
               limit: int = PAGE_SIZE, codes: CodeBook | None = None,
               columns: Sequence[ListColumn] | None = None) -> Page:
    """One page of rows in the query's order, starting after ``after`` (a row's ``key``).

    The page's rowids are found first (from indexes alone where possible), and only those rows
    are read: a "deferred join", so sorting thousands of matches never reads thousands of rows.
    """
    spec = spec_by_key(query.spec_key)
    require_list(actor, spec)
    cols = list(columns) if columns is not None else list_columns(spec)
    table = spec.model.__table__
    rowid = _rowid(table)
    sort_col, descending = sort_column(spec, query)
    base = base_conditions(spec, query)
    branches = []
    for cond, free_sort in _search_branches(session, spec, query.search, sort_col):
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
        *conditions(session, spec, query))
    return session.execute(stmt).scalar_one()


def sort_column(spec: RecordSpec, query: ListQuery):
    """The column to order by. Personal names sort by their pinyin (丁 before 万 before 严 would be
    code-point order), as offices sort name lists."""
    table = spec.model.__table__
    key = query.sort or spec.default_sort
    if key not in table.c:
        raise ValueError(f"cannot sort {spec.key} by {key}")
    if key == "name" and "name_pinyin" in table.c:
        key = "name_pinyin"
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
    """Live rows matching the filters (everything but the search)."""
    table = spec.model.__table__
    conds = []
    if "deleted" in table.c:
        conds.append(table.c.deleted == false())
    for key, value in query.filters:
        conds.append(_filter(spec, table, key, value))
    return conds


def conditions(session: Session, spec: RecordSpec, query: ListQuery) -> list:
    conds = base_conditions(spec, query)
    if query.search:
        cond = search_condition(session, spec, query.search)
        if cond is not None:
            conds.append(cond)
    return conds


def _filter(spec: RecordSpec, table, key: str, value):
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


@dataclass(frozen=True)
class _Source:
    """One way a search text can match: an indexed prefix, a trigram match or a substring."""

    how: str  # "prefix" | "fts" | "contains"
    column: str
    text: str


def search_sources(spec: RecordSpec, text: str) -> list[_Source]:
    """Decide how a search text is looked up (see the module notes)."""
    q = " ".join(to_halfwidth(text).split())
    if not q:
        return []
    table = spec.model.__table__
    index = fts.for_table(table.name)
    fields = [f for f in spec.fields if f.search and f.key in table.c]
    texts = [f.key for f in fields if f.kind in _TEXT]
    numbers = [f.key for f in fields if f.kind in _NUMBER_LIKE]
    pinyin = [c for c in ("name_initials", "name_pinyin") if c in table.c]
    alpha = q.isascii() and q.isalpha()
    out: list[_Source] = []
    if alpha and pinyin:  # one letter: a pinyin starting with it means initials starting with it
        out += [_Source("prefix", c, q.lower()) for c in (pinyin[:1] if len(q) == 1 else pinyin)]
    if index is None:
        return out + [_Source("contains", c, q) for c in texts + numbers]
    number = q.replace(" ", "").upper()
    if _DIGITS.fullmatch(number):
        out += [_Source("prefix", c, number) for c in numbers]
        if 3 <= len(number) <= _FTS_MAX_DIGITS:
            out.append(_Source("fts", index.name, number))
    elif len(q) >= 3 and not alpha:
        out.append(_Source("fts", index.name, q))
    else:  # one or two characters of a name, or a Latin name
        out += [_Source("prefix", c, q) for c in texts]
    return out


def search_condition(session: Session, spec: RecordSpec, text: str):
    """The WHERE condition for a search text, choosing the plan by a capped count of matches."""
    sources = search_sources(spec, text)
    if not sources:
        return None
    table = spec.model.__table__
    if fts.for_table(table.name) is None:  # a small table: compare as we scan
        return or_(*[_inline(table, s, plain=True) for s in sources])
    candidates = [_candidate_select(table, s) for s in sources]
    matches = candidates[0] if len(candidates) == 1 else union(*candidates)
    probe = select(func.count()).select_from(matches.limit(BROAD_MATCHES).subquery())
    if session.execute(probe).scalar_one() < BROAD_MATCHES:
        return literal_column(f"{table.name}.rowid").in_(matches)
    return or_(*[_inline(table, s, plain=False) for s in sources])


def _search_branches(session: Session, spec: RecordSpec, text: str, sort_col) -> list[tuple]:
    """How to find one page of a search: one (condition, free_sort) per way the text can match.

    - A prefix on a column whose covering index also holds the sort column (pinyin initials or a
      name, sorted by pinyin): those matches cluster in the sort order, so the index range is
      read and its small (value, sort key, rowid) entries sorted — ``free_sort``.
    - Otherwise a capped count decides: few matches are looked up by their index and sorted;
      many are found by walking the sort order and keeping the matches (unary ``+`` keeps SQLite
      off the search column's index).
    """
    sources = search_sources(spec, text)
    if not sources:
        return [(None, False)]
    table = spec.model.__table__
    if fts.for_table(table.name) is None:
        return [(or_(*[_inline(table, s, plain=True) for s in sources]), False)]
    out = []
    for s in sources:
        if s.how == "prefix" and s.column == sort_col.name:  # a range of the sort order itself
            out.append((_inline(table, s, plain=True), False))
            continue
        if s.how == "prefix" and _covers(table, s.column, sort_col.name):
            out.append((_inline(table, s, plain=True), True))
            continue
        candidates = _candidate_select(table, s)
        probe = select(func.count()).select_from(candidates.limit(BROAD_MATCHES).subquery())
        if session.execute(probe).scalar_one() < BROAD_MATCHES:
            out.append((literal_column(f"{table.name}.rowid").in_(candidates), False))
        else:
            out.append((_inline(table, s, plain=False), False))
    return out


def _covers(table, first: str, sort: str) -> bool:
    """An index led by ``first`` that also holds ``sort`` (and ``deleted``), so it can answer a
    prefix search sorted by ``sort`` without reading rows."""
    for index in table.indexes:
        names = [c.name for c in index.columns]
        if names and names[0] == first and sort in names and (
                "deleted" in names or "deleted" not in table.c):
            return True
    return False


def _prefix_bounds(text: str) -> tuple[str, str]:
    return text, text[:-1] + chr(ord(text[-1]) + 1)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _candidate_select(table, s: _Source):
    """rowids matching one source, using its index (the 'few matches' plan)."""
    if s.how == "fts":
        ft = sql_table(s.column)
        return (select(literal_column(f"{s.column}.rowid")).select_from(ft)
                .where(literal_column(s.column).op("MATCH")(_fts_phrase(s.text))))
    lo, hi = _prefix_bounds(s.text)
    col = table.c[s.column]
    return select(literal_column(f"{table.name}.rowid")).where(col >= lo, col < hi)


def _inline(table, s: _Source, *, plain: bool):
    """The source as a row filter. In the 'many matches' plan a unary ``+`` keeps SQLite from
    driving the query by the search column's index, so it walks the sort order instead."""
    if s.how == "contains":
        escaped = s.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return table.c[s.column].like(f"%{escaped}%", escape="\\")
    if s.how == "fts":
        if plain:
            return literal_column(f"{table.name}.rowid").in_(_candidate_select(table, s))
        # many matches: test each row walked in sort order for the substring, rather than
        # materialising every match of the index first
        index = fts.for_table(table.name)
        return or_(*[func.instr(table.c[c], s.text) > 0 for c in index.columns])
    lo, hi = _prefix_bounds(s.text)
    col = table.c[s.column] if plain else literal_column(f"+{table.name}.{s.column}")
    return and_(col >= lo, col < hi)


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


def unit_subtree(session: Session, unit_id: str) -> list[str]:
    """A unit and every live unit under it (to list the members of a township's unions)."""
    from app.models import Unit

    children: dict[str | None, list[str]] = {}
    for uid, parent in session.execute(select(Unit.id, Unit.parent_id).where(Unit.deleted == false())):
        children.setdefault(parent, []).append(uid)
    out, todo = [], [unit_id]
    while todo:
        uid = todo.pop()
        out.append(uid)
        todo.extend(children.get(uid, ()))
    return out
