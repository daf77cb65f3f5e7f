"""Figures declared as data: a count, sum or distinct count over a register, with filters, a period,
its unit of measure (家, 人, 人次, 场, 份, 万元, 斤) and a drill-down to exactly the records it
counts (a ``ListQuery``). The home cards, an area's statistics tab, ``stats AREA`` and the
half-year summary read the same declarations, so a number and the list behind it never disagree.

Figures over one register and period are computed together, one aggregate each in a single
SELECT (``CASE WHEN`` the figure's own filters), so a dozen figures over a million ledger lines
cost one pass over the period's index range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, distinct, func, select

from app.services import listing
from app.services.listing import ListQuery, Range

PERIOD = "@period"  # a filter value: the statistics period, as a Range
PERIOD_END = "@period_end"  # a filter value: the period's last day


@dataclass(frozen=True)
class Count:
    """How many records."""

    def expr(self, table, cond):
        return func.sum(case((cond, 1), else_=0)) if cond is not None else func.count()

    def columns(self, table) -> list:
        return []

    def of_rows(self, rows) -> int:
        return len(rows)


@dataclass(frozen=True)
class Sum:
    """The sum of a field (or of several added up); ``wan`` turns integer fen into 万元 (two
    decimals, rounded half up)."""

    key: str | tuple[str, ...]
    wan: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,) if isinstance(self.key, str) else self.key

    def expr(self, table, cond):
        col = sum((table.c[k] for k in self.keys[1:]), table.c[self.keys[0]])
        return func.coalesce(func.sum(case((cond, col), else_=0) if cond is not None else col), 0)

    def columns(self, table) -> list:
        return [table.c[k] for k in self.keys]

    def of_rows(self, rows) -> int:
        return sum(v or 0 for r in rows for v in r)


@dataclass(frozen=True)
class Distinct:
    """How many different values (the first non-empty of ``keys``: a person by ID number, else
    by name)."""

    keys: tuple[str, ...]

    def _value(self, table):
        cols = [table.c[k] for k in self.keys]
        return cols[0] if len(cols) == 1 else func.coalesce(*cols)

    def expr(self, table, cond):
        value = self._value(table)
        return func.count(distinct(case((cond, value), else_=None) if cond is not None else value))

    def columns(self, table) -> list:
        return [table.c[k] for k in self.keys]

    def of_rows(self, rows) -> int:
        return len({next((v for v in r if v is not None), None) for r in rows} - {None})


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: str  # may name the ``by`` fields: "{goods_kind}({goods_unit})"
    unit: str  # 家 人 人次 场 份 万元 斤 户 件 … (or "{field}": the group's label)
    spec: str  # the register counted
    measure: Count | Sum | Distinct = Count()
    filters: Mapping[str, Any] = field(default_factory=dict)  # values may be PERIOD, PERIOD_END
    period: bool = True  # select on the spec's ``period_key``; False: the filters say when
    note: str = ""  # may use {yuan}: a money sum in 元
    seed: str = ""  # the seed's phrase the figure fills ("发放困难职工慰问金▢万元")
    home: str = ""  # a home-page card with this label (this year; may use {year})
    by: tuple[str, ...] = ()  # one figure per value of these fields (each kind of goods)
    city_only: bool = False  # a city's figure (县(区)总工会 it holds): not on a county's pages


@dataclass(frozen=True)
class FigureValue:
    key: str
    label: str
    value: int | Decimal
    unit: str
    query: ListQuery  # exactly the records counted
    note: str = ""
    definition: FigureDef | None = None

    @property
    def text(self) -> str:
        if isinstance(self.value, Decimal):
            return f"{self.value:,.2f}"
        return f"{self.value:,}"

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label,
                "value": str(self.value) if isinstance(self.value, Decimal) else self.value,
                "unit": self.unit, "text": self.text, "note": self.note,
                "records": self.query.as_dict()}


def _resolve(value, d0: date, d1: date):
    if value == PERIOD:
        return Range(d0, d1)
    if value == PERIOD_END:
        return d1
    return value


def figure_query(fig: FigureDef, d0: date, d1: date, unit: str | None,
                 extra: Mapping[str, Any] | None = None) -> ListQuery:
    """The records a figure counts for the period and unit (its drill-down)."""
    filters = {k: _resolve(v, d0, d1) for k, v in fig.filters.items()} | dict(extra or {})
    return ListQuery.of(fig.spec, filters=filters, unit=unit,
                        period=Range(d0, d1) if fig.period else None)


def _wan(fen: int) -> Decimal:
    from app.validation import format_wan

    return Decimal(format_wan(fen).replace(",", ""))


def _value(fig: FigureDef, raw) -> int | Decimal:
    raw = raw or 0
    return _wan(raw) if isinstance(fig.measure, Sum) and fig.measure.wan else int(raw)


def _note(fig: FigureDef, raw) -> str:
    if "{yuan}" not in fig.note:
        return fig.note
    from app.validation import format_yuan

    return fig.note.format(yuan=format_yuan(int(raw or 0)))


def compute(session, actor, figs: Sequence[FigureDef], d0: date, d1: date,
            unit: str | None = None) -> list[FigureValue]:
    """The figures for a period (and a unit's subtree), in declaration order.

    Figures over one register and period share a SELECT: each gets an aggregate (``CASE WHEN``
    its filters) in one pass; those with a grouping filter (a subquery such as net relief per
    household) are grouped by their filters instead, each group one SELECT with the filters in
    its WHERE, so the subquery runs once however many figures use it."""
    from app.fields.registry import spec as spec_by_key

    out: dict[int, list[FigureValue]] = {}
    groups: dict[tuple, list[tuple[int, FigureDef]]] = {}
    with _sorting_in_temp_files(session):
        for i, fig in enumerate(figs):
            if fig.by:
                out[i] = _grouped(session, actor, fig, d0, d1, unit)
                continue
            own = figure_query(fig, d0, d1, None).filters
            named = any(listing.is_grouping(fig.spec, k) for k, _ in own)
            groups.setdefault((fig.spec, fig.period, own if named else None), []).append((i, fig))
        for (spec_key, with_period, shared), members in groups.items():
            spec = spec_by_key(spec_key)
            listing.require_list(actor, spec)
            table = spec.model.__table__
            common = ListQuery.of(spec_key, filters=dict(shared or ()), unit=unit,
                                  period=Range(d0, d1) if with_period else None)
            where = listing.conditions(session, spec, common, actor)
            aggs = []
            for _, fig in members:
                own = () if shared is not None else figure_query(fig, d0, d1, None).filters
                conds = [listing.filter_condition(spec, table, k, v, unit) for k, v in own]
                if len(members) == 1:  # alone: its filters select rows, so their indexes serve it
                    where = [*where, *conds]
                    conds = []
                aggs.append(fig.measure.expr(table, and_(*conds) if conds else None))
            row = session.execute(select(*aggs).select_from(table).where(*where)).one()
            for (i, fig), raw in zip(members, row):
                out[i] = [FigureValue(fig.key, fig.label, _value(fig, raw), fig.unit,
                                      figure_query(fig, d0, d1, unit), _note(fig, raw), fig)]
    return [v for i in sorted(out) for v in out[i]]


@contextmanager
def _sorting_in_temp_files(session):
    """A GROUP BY or DISTINCT over a million rows sorts about twice as fast spilling to temporary
    files as in SQLite's in-memory temp store (the connections' default here)."""
    raw = session.connection().connection.driver_connection
    old = raw.execute("PRAGMA temp_store").fetchone()[0]
    raw.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA temp_store = {int(old)}")


def _grouped(session, actor, fig: FigureDef, d0, d1, unit) -> list[FigureValue]:
    """One figure per value of ``fig.by`` (大米 in 斤, 食用油 in 桶 …), labelled from the codes."""
    from app.fields.registry import spec as spec_by_key
    from app.fields.spec import display_value
    from app.services.records import codebook

    spec = spec_by_key(fig.spec)
    listing.require_list(actor, spec)
    table = spec.model.__table__
    query = figure_query(fig, d0, d1, unit)
    by = [table.c[k] for k in fig.by]
    rows = session.execute(select(*by, fig.measure.expr(table, None)).select_from(table)
                           .where(*listing.conditions(session, spec, query, actor),
                                  *[c.is_not(None) for c in by])
                           .group_by(*by).order_by(*by)).all()
    book = codebook(session)
    out = []
    for row in rows:
        values = dict(zip(fig.by, row[:-1]))
        labels = {k: display_value(spec.field(k), v, book) for k, v in values.items()}
        out.append(FigureValue("_".join([fig.key, *map(str, values.values())]),
                               fig.label.format(**labels), _value(fig, row[-1]),
                               fig.unit.format(**labels), replace(
                                   query, filters=tuple(sorted({**query.filter_map, **values}.items()))),
                               _note(fig, row[-1]), fig))
    return out


def drill_value(session, actor, value: FigureValue) -> int | Decimal:
    """The figure recomputed from the records its drill-down lists (a check that the list behind a
    number is exactly what it counted)."""
    from app.fields.registry import spec as spec_by_key

    fig = value.definition
    spec = spec_by_key(value.query.spec_key)
    cols = fig.measure.columns(spec.model.__table__) or [spec.model.__table__.c.id]
    rows = session.execute(listing.rows_select(session, value.query, cols, actor=actor)).all()
    return _value(fig, fig.measure.of_rows(rows))


# -- the areas' figures --------------------------------------------------------------------------
def periods(on: date) -> list[tuple[str, date, date]]:
    """The periods a summary is written for, the current half-year first (a statistics tab's
    default): 2026年上半年, 2026年, 2025年下半年, 2025年 (in the second half: 下半年, 年, 上半年, last year)."""
    y = on.year

    def half(year: int, second: bool) -> tuple[str, date, date]:
        if second:
            return f"{year}年下半年", date(year, 7, 1), date(year, 12, 31)
        return f"{year}年上半年", date(year, 1, 1), date(year, 6, 30)

    def whole(year: int) -> tuple[str, date, date]:
        return f"{year}年", date(year, 1, 1), date(year, 12, 31)

    if on.month >= 7:
        return [half(y, True), whole(y), half(y, False), whole(y - 1)]
    return [half(y, False), whole(y), half(y - 1, True), whole(y - 1)]


def area_figures(area_key: str) -> tuple[FigureDef, ...]:
    from app.areas import area, load

    return tuple(f for path in area(area_key).figures for f in load(path))


def all_figures() -> list[tuple[str, FigureDef]]:
    """(area key, figure) for every declared figure, in manifest order."""
    from app.areas import all_areas, load

    return [(a.key, f) for a in all_areas() for path in a.figures for f in load(path)]


@dataclass(frozen=True)
class AreaStats:
    """An area's figures for a period and a unit (the statistics tab, ``stats AREA``, the summary)."""

    area: str
    date_from: date
    date_to: date
    unit_name: str
    unit_code: str | None
    figures: tuple[FigureValue, ...]

    def figure(self, key: str) -> FigureValue:
        return next(f for f in self.figures if f.key == key)

    def as_dict(self) -> dict:
        return {"area": self.area, "date_from": self.date_from.isoformat(),
                "date_to": self.date_to.isoformat(), "unit": self.unit_name,
                "unit_code": self.unit_code, "figures": [f.as_dict() for f in self.figures]}


def area_stats(session, actor, area_key: str, d0: date, d1: date, unit: str | None = None
               ) -> AreaStats:
    """The area's figures for the period, for the whole installation or for ``unit`` and its
    subtree: a unit given by its region code, exact name or id (as ``print --union``; a system
    union has no code)."""
    from app.areas import area
    from app.errors import InvalidInput
    from app.models import Unit
    from app.security.roles import Perm
    from app.services.units import find_by_code, find_unit

    actor.require(Perm.READ, f"查看{area(area_key).title}统计")
    if d1 < d0:
        raise InvalidInput("统计截止日期不能早于开始日期")
    chosen = (find_by_code(session, unit.strip()) or find_unit(session, unit)) if unit else None
    shown = chosen or session.get(Unit, session.info.get("root_unit_id"))
    from app.services.city import is_city

    figs = [f for f in area_figures(area_key) if not f.city_only or is_city(session)]
    values = compute(session, actor, figs, d0, d1, chosen.id if chosen else None)
    return AreaStats(area_key, d0, d1, shown.name if shown else "", chosen.code if chosen else None,
                     tuple(values))
