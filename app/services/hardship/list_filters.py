"""The area's named list filters — conditions that are not one column: 乡镇, 年度, 一年未更新, 从未帮扶,
a cause (main or minor), 年审 in a period, net relief in a period, in force on a day; for the
ledger: cash lines, reversals, people helped in a period; for help plans: due reviews and the unit
of the household. Registered with ``app.services.listing`` (the manifest names this module), so
lists, exports, printing and the figures take them as ``ListQuery`` filters like any field."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, func, literal_column, or_, select

from app.clock import today
from app.models import HardshipArchive, HardshipReview, HelpPlan, ReliefEntry, Unit
from app.services import listing
from app.services.hardship.scope import MIDDLE_KINDS
from app.services.units import subtree_ids

A, L, P = HardshipArchive, ReliefEntry, HelpPlan


def _between(col, value: listing.Range) -> list:
    conds = []
    if value.low is not None:
        conds.append(col >= value.low)
    if value.high is not None:
        conds.append(col <= value.high)
    return conds


# -- archives -----------------------------------------------------------------------------------
def _township(unit_id):
    return A.union_id.in_(select(Unit.id).where(Unit.parent_id == unit_id))


def _year(year):
    """建档年度, or the year applied before approval."""
    when = func.coalesce(A.archived_on, A.applied_on, func.date(A.created_at))
    return func.substr(when, 1, 4) == str(year)


def _stale(on=True):
    """已建档, no 年审 and no change for a year (before today, or before the day given)."""
    cutoff = (on if isinstance(on, date) else today()) - timedelta(days=365)
    return (A.status == "archived") & (func.coalesce(A.last_recheck_on, A.archived_on) < cutoff) \
        & (func.date(A.updated_at) < cutoff.isoformat())


def _never_helped(_on=True):
    return (A.status == "archived") & ~exists().where(L.archive_id == A.id)


def _cause(code):
    return or_(A.main_cause == code, ("," + A.minor_causes + ",").like(f"%,{code},%"))


def _rechecked(period):
    R = HardshipReview
    return exists().where(R.archive_id == A.id, R.action == "annual", *_between(R.acted_on, period))


def _by(column: str):
    """GROUP BY a ledger column as an expression (``+col``): SQLite then reads the period's range of
    the covering stats index and sorts, instead of walking the column's whole index (7x at 1M)."""
    return literal_column(f"+hardship_ledger.{column}")


def _in_unit(unit_id) -> list:
    return [L.unit_id.in_(subtree_ids(unit_id))] if unit_id else []


def _helped(period, unit_id=None):
    """Households whose net relief in the period (within the unit's records) is positive (a payout
    reversed in full leaves nothing): cash, goods value or goods quantity."""
    net = (select(L.archive_id).where(L.recipient_kind == "worker", L.archive_id.is_not(None),
                                      *_between(L.paid_on, period), *_in_unit(unit_id))
           .group_by(_by("archive_id")).having(or_(func.sum(L.cash_fen + L.goods_value_fen) > 0,
                                                   func.sum(L.goods_qty) > 0)))
    return A.id.in_(net)


def _in_force_on(day):
    """Archived on or before the day, and not exited or cancelled by then."""
    return (A.archived_on <= day) & (A.closed_on.is_(None) | (A.closed_on > day)) \
        & A.status.in_(("archived", "exited", "cancelled"))


for _key, _fn in (("township_id", _township), ("year", _year), ("stale", _stale),
                  ("never_helped", _never_helped), ("cause", _cause), ("rechecked", _rechecked),
                  ("in_force_on", _in_force_on)):
    listing.register_filter("hardship_archive", _key, _fn)
listing.register_filter("hardship_archive", "helped", _helped, grouping=True)


# -- the ledger ---------------------------------------------------------------------------------
def _with_cash(_on=True):
    return L.cash_fen != 0


def _reversals(how):
    """"exclude": neither reversals nor the lines they reverse; "only": the reversals."""
    if how == "exclude":
        return L.reverses_id.is_(None) & L.id.notin_(
            select(L.reverses_id).where(L.reverses_id.is_not(None)))
    return L.reverses_id.is_not(None)


def _person_helped(period, unit_id=None):
    """Lines of workers whose net relief in the period (within the unit's records) is positive,
    by ID number."""
    net = (select(L.recipient_id_number).where(L.recipient_kind == "worker",
                                               L.recipient_id_number.is_not(None),
                                               *_between(L.paid_on, period), *_in_unit(unit_id))
           .group_by(_by("recipient_id_number"))
           .having(or_(func.sum(L.cash_fen + L.goods_value_fen) > 0, func.sum(L.goods_qty) > 0)))
    return L.recipient_id_number.in_(net)


for _key, _fn in (("with_cash", _with_cash), ("reversals", _reversals)):
    listing.register_filter("relief_entry", _key, _fn)
listing.register_filter("relief_entry", "person_helped", _person_helped, grouping=True)


# -- help plans -----------------------------------------------------------------------------------
def _plans_due(days):
    """Active plans whose next review falls within ``days`` days (overdue ones included)."""
    return (P.status == "active") & (P.next_review_on <= today() + timedelta(days=int(days)))


def _plans_of_unit(unit_id):
    return P.archive_id.in_(select(A.id).where(A.union_id.in_(subtree_ids(unit_id))))


listing.register_filter("hardship_plan", "due_within", _plans_due)
listing.register_filter("hardship_plan", "unit", _plans_of_unit)


# -- choices the archive list offers ------------------------------------------------------------------
def township_choices(session) -> list[tuple[str, str]]:
    """(id, name) of the townships, streets and system unions that have archives' unions below;
    at the city each named with its county (three counties may each have a 东城街道)."""
    from sqlalchemy.orm import aliased

    from app.services.units import with_county

    owner = aliased(Unit)
    rows = session.execute(
        select(Unit.id, Unit.name, owner.name).outerjoin(owner, owner.id == Unit.owner_unit_id)
        .where(Unit.deleted.is_(False), Unit.kind.in_(MIDDLE_KINDS))
        .order_by(owner.code, Unit.code, Unit.name)).all()
    return with_county(session, rows)


def year_choices(session) -> list[int]:
    """Years with archives (建档 or 申请), newest first."""
    when = func.coalesce(A.archived_on, A.applied_on, func.date(A.created_at))
    years = session.scalars(select(func.substr(when, 1, 4)).where(A.deleted.is_(False)).distinct())
    return sorted((int(y) for y in years if y and y.isdigit()), reverse=True)
