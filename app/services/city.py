"""The city's view of its counties (市总工会, city mode).

Each county's data arrives in its bundles and is owned by the county's own federation (its root
unit, kind ``county``), which at the city sits under the city (``units.parent_of``). From that:
- ``counties``: the county federations the city holds, in code order;
- ``county_table``: a county × figure table built on the declared figures (``area_stats`` for each
  county's unit), so every area's figures appear in it as they are declared, with when each county
  last sent a bundle and whether one arrived for the period;
- ``reporting``: which counties have sent nothing since the period began (the city's 待办).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import to_local
from app.models import SyncBundle, SyncPeer, Unit
from app.services.units import city_root_id


@dataclass(frozen=True)
class County:
    id: str
    name: str
    code: str
    last_bundle: datetime | None  # when its last data bundle was imported here (UTC)

    @property
    def short_name(self) -> str:
        return self.name.removesuffix("总工会")

    def reported_since(self, day: date) -> bool:
        return self.last_bundle is not None and to_local(self.last_bundle).date() >= day


@dataclass(frozen=True)
class Column:
    area: str
    area_title: str
    key: str
    label: str
    unit: str


@dataclass
class CountyRow:
    county: County
    values: dict[str, object] = field(default_factory=dict)  # "area.key" → FigureValue


@dataclass
class CountyTable:
    date_from: date
    date_to: date
    columns: list[Column]
    rows: list[CountyRow]

    def value(self, row: CountyRow, column: Column):
        return row.values.get(f"{column.area}.{column.key}")

    @property
    def silent(self) -> list[County]:
        """Counties that have sent no bundle since the period began."""
        return [r.county for r in self.rows if not r.county.reported_since(self.date_from)]


def is_city(session: Session) -> bool:
    return city_root_id(session) is not None


def counties(session: Session) -> list[County]:
    """The county federations this city holds (none at a county)."""
    city = city_root_id(session)
    if city is None:
        return []
    last = dict(session.execute(
        select(SyncPeer.unit_id, func.max(SyncBundle.at)).join(SyncBundle, SyncBundle.peer_id == SyncPeer.id)
        .where(SyncBundle.direction == "in", SyncBundle.kind == "data").group_by(SyncPeer.unit_id)).all())
    rows = session.scalars(select(Unit).where(Unit.kind == "county", Unit.deleted.is_(False),
                                              Unit.id != city))
    found = {u.id: County(u.id, u.name, u.code or "", last.get(u.id)) for u in rows}
    for p in session.scalars(select(SyncPeer).where(SyncPeer.level == "county",
                                                    SyncPeer.trusted.is_(True))):
        if p.unit_id not in found:  # trusted, but nothing received yet
            found[p.unit_id] = County(p.unit_id, p.unit_name, p.unit_code, None)
    return sorted(found.values(), key=lambda c: (c.code, c.name))


def county_choices(session: Session) -> list[tuple[str, str]]:
    """(id, name) for a 县(区) filter: the owning unit of a county's records is its federation."""
    return [(c.id, c.name) for c in counties(session)]


def county_table(session: Session, actor, d0: date, d1: date, *,
                 areas: list[str] | None = None, home_only: bool = False) -> CountyTable:
    """Every declared figure (one per column; figures per kind of goods are left out: their
    columns differ by county) of the given areas, or of all, for each county's subtree."""
    from app.areas import area as area_of
    from app.kit.figures import all_figures, compute

    picked: dict[str, list] = {}
    for area_key, fig in all_figures():
        if (areas is None or area_key in areas) and not fig.by and (fig.home or not home_only) \
                and not fig.city_only:
            picked.setdefault(area_key, []).append(fig)
    columns = [Column(a, area_of(a).title, f.key, f.home.format(year=d0.year) if home_only and f.home
                      else f.label, f.unit) for a, figs in picked.items() for f in figs]
    rows = []
    for county in counties(session):
        row = CountyRow(county)
        for area_key, figs in picked.items():
            for v in compute(session, actor, figs, d0, d1, county.id):
                row.values[f"{area_key}.{v.key}"] = v
        rows.append(row)
    return CountyTable(d0, d1, columns, rows)
