"""精准识别: the same person (ID number) registered twice — in one county, or in two counties'
archives as the city sees them.

Registers whose model names a ``__person_key__`` (members, hardship archives) are checked: live
records of one register that share the key are a group. The city prints the groups as a report
and sends each record another unit owns a 核查 request (``app.services.requests``): the county
looks, and voids its copy through its own service or answers why both stay. A record's form shows
its other records (``others``) the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.security.roles import Perm
from app.services.ownership import owned_here, owner_name


@dataclass(frozen=True)
class Match:
    register: str  # register key ("member", "hardship_archive")
    title: str  # its name ("会员", "困难职工档案")
    id: str
    label: str  # the record's name
    owner_id: str | None
    owner_name: str
    detail: str  # its union, and its archive number or status


@dataclass(frozen=True)
class Group:
    register: str
    title: str
    id_number: str  # masked unless the user may reveal
    matches: tuple[Match, ...]

    @property
    def across_units(self) -> bool:
        return len({m.owner_id for m in self.matches}) > 1


def person_registers() -> list:
    from app.kit.register import all_registers

    return [r for r in all_registers() if getattr(r.spec.model, "__person_key__", None)]


def _matches(session: Session, reg, keys) -> dict[str, list[Match]]:
    from app.models import Unit

    model = reg.spec.model
    col = getattr(model, model.__person_key__)
    unit_col = getattr(model, reg.spec.unit_key) if reg.spec.unit_key else None
    out: dict[str, list[Match]] = {}
    keys = list(keys)
    for i in range(0, len(keys), 500):
        q = select(model, Unit.name).where(col.in_(keys[i:i + 500]), model.deleted.is_(False))
        q = q.outerjoin(Unit, Unit.id == unit_col) if unit_col is not None else q.add_columns()
        for obj, union in session.execute(q.order_by(model.owner_unit_id, model.id)):
            number = getattr(obj, "archive_no", None)
            detail = "、".join(x for x in (union, number) if x)
            out.setdefault(getattr(obj, model.__person_key__), []).append(
                Match(reg.key, reg.name, obj.id, reg.spec.describe(obj), obj.owner_unit_id,
                      owner_name(session, obj.owner_unit_id), detail))
    return out


def groups(session: Session, actor, *, limit: int = 2000) -> list[Group]:
    """Every person key held by two or more live records of one register (at the city: across
    all its counties), each with its records and their owning units."""
    from app.fields.masking import mask
    from app.fields.spec import Mask

    actor.require(Perm.READ, "查看重复人员")
    out = []
    for reg in person_registers():
        model = reg.spec.model
        col = getattr(model, model.__person_key__)
        dup = list(session.scalars(select(col).where(model.deleted.is_(False), col.is_not(None))
                                   .group_by(col).having(func.count() > 1).order_by(col).limit(limit)))
        found = _matches(session, reg, dup)
        shown = (lambda v: v) if actor.can(Perm.REVEAL) else (lambda v: mask(Mask.ID, v))
        out += [Group(reg.key, reg.name, shown(k), tuple(found[k])) for k in dup if len(found.get(k, ())) > 1]
    return out


def others(session: Session, actor, key: str, record_id: str) -> list[Match]:
    """The other live records of the same person as this one (its form flags them)."""
    from app.services.records import get

    reg = next((r for r in person_registers() if r.key == key), None)
    if reg is None:
        return []
    obj = get(session, actor, reg, record_id)
    value = getattr(obj, reg.spec.model.__person_key__)
    if not value:
        return []
    return [m for m in _matches(session, reg, [value]).get(value, []) if m.id != record_id]


def request_checks(session: Session, actor, found: list[Group]) -> int:
    """A 核查 request to the owner of each record of a group that this unit does not own (one
    waiting already is not sent twice). Returns how many went."""
    from app.errors import AppError
    from app.services.requests import request_change

    sent = 0
    for g in found:
        for m in g.matches:
            if owned_here(session, m.owner_id):
                continue
            rest = "、".join(f"{o.owner_name}的“{o.label}”" + (f"({o.detail})" if o.detail else "")
                            for o in g.matches if o.id != m.id)
            try:
                request_change(session, actor, m.register, m.id, "check",
                               reason=f"身份证号与{rest}相同,请核对是否同一人、是否重复登记;"
                                      "如重复,请作废本单位多余的一条,或写明两条都保留的原因")
                sent += 1
            except AppError:
                continue  # the same request waits already
    return sent
