"""The home page's key figures and to-do items, from the manifest (``app.areas``): each area's
declared figures with a ``home`` label, and its to-do providers ``(session, actor) -> list[Todo]``.
A figure names the list behind it (``Target``), so the home page opens exactly the records it
counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.clock import today
from app.security.roles import Perm


@dataclass(frozen=True)
class Target:
    """Where a figure or to-do leads: an area's page, the register whose list to show there (or
    a tab of the page's own: "users"), and the list filters to apply (``{"open": id}`` opens one
    record)."""

    page: str
    tab: str = ""
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    unit: str
    group: str  # the area the figure belongs to (a heading on the home page)
    target: Target | None = None
    note: str = ""


@dataclass(frozen=True)
class Todo:
    text: str
    level: str = "info"  # "info" | "warn" | "urgent"
    target: Target | None = None


def figures(session: Session, actor) -> list[Figure]:
    """This year's home cards: every declared figure with a ``home`` label, by area, each opening
    the records it counts."""
    from app.areas import area
    from app.kit.figures import all_figures, compute
    from app.services.city import is_city

    if not actor.can(Perm.READ):
        return []
    start, end = year_bounds(today().year)
    city = is_city(session)
    by_area: dict[str, list] = {}
    for area_key, fig in all_figures():
        if fig.home and (city or not fig.city_only):
            by_area.setdefault(area_key, []).append(fig)
    out = []
    for area_key, figs in by_area.items():
        values = compute(session, actor, figs, start, end)
        for v in values:
            out.append(Figure(v.definition.home.format(year=start.year), v.value, v.unit,
                              area(area_key).title, target_of(area_key, v.query), v.note))
    return out


def county_table(session: Session, actor):
    """At the city: this year's home figures per county, with each county's last bundle
    (``app.services.city.CountyTable``); None at a county."""
    from app.services.city import county_table as table
    from app.services.city import is_city

    if not is_city(session) or not actor.can(Perm.READ):
        return None
    return table(session, actor, *year_bounds(today().year), home_only=True)


def target_of(area_key: str, query) -> Target:
    """The list a figure's records are in: the area's page, the register's tab, and the query's
    filters (its period as a Range on the period field, its unit as ``unit``)."""
    return Target(area_key, query.spec_key, query.as_filters())


def todos(session: Session, actor) -> list[Todo]:
    """The 待办 of this user, from every area's providers in manifest order."""
    from app.areas import entries, load

    return [t for path in entries("todos") for t in load(path)(session, actor)]


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
