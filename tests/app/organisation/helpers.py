"""Small helpers for the organisation tests: grassroots unions of the template county and fresh
members with valid ID numbers nobody else holds."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.models import Member, Unit
from app.services import records
from app.services.organisation import membership
from tests.app.syncnet import id_number


def unions(session, n: int = 3) -> list[str]:
    return list(session.scalars(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False))
                                .order_by(Unit.name).limit(n)))


def new_member(session, actor, union_id: str, seq: int, *, joined: str = "2020-03-05",
               name: str = "测试会员", region: str = "110105", **values) -> Member:
    """A member registered through the register (its opening events made by its ``written``
    hook); ``seq`` (odd, 1–999) keeps the ID number apart from every other test's."""
    return records.create(session, actor, "member", {
        "name": name, "union_id": union_id, "joined_on": joined,
        "id_number": id_number(region, date(1985, 6, 1), seq), **values})


def event(session, actor, member_id: str, kind: str, on: str, **values):
    return records.create(session, actor, membership.REGISTER,
                          {"member_id": member_id, "kind": kind, "event_date": on, **values})


def kinds(session, member_id: str) -> list[str]:
    return [e.kind for e in membership.events_of(session, member_id)]
