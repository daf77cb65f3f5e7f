"""The archive list's filters that are not a column — 乡镇, 年度, 一年未更新, 从未帮扶 (and the
unit a home figure narrows to) — made available to the generic lists (``app.services.listing``)
from the same ``queries.archives_select`` the exports, printing and statistics use, so every list
agrees."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import HardshipArchive, Unit
from app.services import listing
from app.services.hardship.queries import ArchiveFilter, archives_select
from app.services.hardship.scope import MIDDLE_KINDS

NAMED = ("township_id", "year", "stale", "never_helped", "unit_id")


def _condition(key: str):
    def condition(value):
        ids = archives_select(ArchiveFilter(**{key: value})).with_only_columns(
            HardshipArchive.id).order_by(None)
        return HardshipArchive.id.in_(ids)
    return condition


for _key in NAMED:
    listing.register_filter("hardship_archive", _key, _condition(_key))


def township_choices(session) -> list[tuple[str, str]]:
    """(id, name) of the townships, streets and system unions that have archives' unions below."""
    return [tuple(r) for r in session.execute(
        select(Unit.id, Unit.name).where(Unit.deleted.is_(False), Unit.kind.in_(MIDDLE_KINDS))
        .order_by(Unit.code, Unit.name)).all()]


def year_choices(session) -> list[int]:
    """Years with archives (建档 or 申请), newest first."""
    when = func.substr(func.coalesce(HardshipArchive.archived_on, HardshipArchive.applied_on,
                                     func.date(HardshipArchive.created_at)), 1, 4)
    years = session.scalars(select(when).where(HardshipArchive.deleted.is_(False)).distinct())
    return sorted((int(y) for y in years if y and y.isdigit()), reverse=True)


def _plans_due(days):
    """Active plans whose next review falls within ``days`` days (overdue ones included)."""
    from datetime import timedelta

    from app.clock import today
    from app.models import HelpPlan
    from app.services.hardship.queries import PlanFilter, plans_select

    ids = plans_select(PlanFilter(status="active", due_by=today() + timedelta(days=int(days))))
    return HelpPlan.id.in_(ids.with_only_columns(HelpPlan.id).order_by(None))


listing.register_filter("hardship_plan", "due_within", _plans_due)
