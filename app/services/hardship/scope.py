"""Where an archive sits in the union tree, who may act on it by unit, and the year's parameters.

An archive belongs to a grassroots union; above it are the township / street / system union and
the county federation. A user belongs to a unit (``users.unit_id``; this installation's own
federation when unset). A user may handle an archive when their unit is the archive's union or an
ancestor of it; the county-level steps need the county itself.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError
from app.models import HardshipParams, Unit
from app.services.hardship.eligibility import Params

# the unit tree and the scope a user may act in are the units service's (every register uses them)
from app.services.units import actor_unit_id, require_in_chain, subtree_ids, unit_chain  # noqa: F401

MIDDLE_KINDS = ("township", "street", "system")


def county_of(chain: list[Unit]) -> Unit:
    """The county federation above a union (the topmost unit when there is none)."""
    return next((u for u in chain if u.kind == "county"), chain[-1])


def middle_of(chain: list[Unit]) -> Unit:
    """The township / street / system union that does the 复审; the county when the grassroots
    union sits directly under it."""
    return next((u for u in chain[1:] if u.kind in MIDDLE_KINDS), county_of(chain))


def params_row(session: Session, county_id: str, year: int) -> HardshipParams | None:
    return session.scalar(select(HardshipParams).where(
        HardshipParams.unit_id == county_id, HardshipParams.year == year,
        HardshipParams.deleted.is_(False)))


def as_params(row: HardshipParams, county_name: str = "") -> Params:
    def codes(text: str | None) -> frozenset[str]:
        return frozenset(c for c in (text or "").split(",") if c)

    return Params(year=row.year, dibao_monthly_fen=row.dibao_monthly_fen,
                  rigid_items=codes(row.rigid_items), accident_ratio_pct=row.accident_ratio_pct,
                  exclusions=codes(row.exclusions), min_age=row.min_age, max_age=row.max_age,
                  id=row.id, county_name=county_name.removesuffix("总工会"))


def require_params(session: Session, county: Unit, year: int) -> HardshipParams:
    row = params_row(session, county.id, year)
    if row is None:
        raise AppError(f"尚未设置{county.name}{year}年的困难职工认定参数(低保标准等),"
                       "请审核人先在“认定参数”中设置")
    return row
