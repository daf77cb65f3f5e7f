"""Union units: the installation's own federation at the root and the unions under it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.errors import AppError, ValidationFailed
from app.fields.units import UNIT
from app.models import Member, Unit
from app.security.roles import Perm
from app.services import records

# Which kinds of unit may sit under which (the county/city federation is the root).
ALLOWED_PARENTS = {
    "county": {"city"},
    "township": {"county", "city"},
    "street": {"county", "city"},
    "system": {"county", "city"},
    "grassroots": {"county", "city", "township", "street", "system"},
    "federation": {"county", "city", "township", "street", "system"},
    "city": set(),
}
KIND_LABELS = {"city": "市总工会", "county": "县(区)总工会", "township": "乡镇工会",
               "street": "街道工会", "system": "系统工会", "grassroots": "基层工会",
               "federation": "联合基层工会"}
MEMBER_UNIT_KINDS = ("grassroots", "federation")


def _check_parent(session: Session, unit: Unit | None, kind: str, parent_id: str | None) -> None:
    if parent_id is None:
        raise ValidationFailed({"parent_id": "必填"}, UNIT.labels)
    parent = session.get(Unit, parent_id)
    if parent is None or parent.deleted:
        raise ValidationFailed({"parent_id": "上级单位不存在或已作废"}, UNIT.labels)
    allowed = ALLOWED_PARENTS.get(kind, set())
    if parent.kind not in allowed:
        names = "、".join(KIND_LABELS[k] for k in sorted(allowed)) or "无"
        raise ValidationFailed(
            {"parent_id": f"{KIND_LABELS.get(kind, kind)}的上级应为{names},不能是{KIND_LABELS.get(parent.kind, parent.kind)}"},
            UNIT.labels)
    node = parent
    while unit is not None and node is not None:  # no cycles
        if node.id == unit.id:
            raise ValidationFailed({"parent_id": "不能把单位设为自己下级的下级"}, UNIT.labels)
        node = session.get(Unit, node.parent_id) if node.parent_id else None


ROOT_NAMESPACE = uuid.UUID("0b7e4c1e-5a61-4f0e-9d3c-6a2b8f1d4e70")


def root_unit_id(code: str) -> str:
    return str(uuid.uuid5(ROOT_NAMESPACE, f"unit:{code}"))


def create_root(session: Session, name: str, code: str, level: str) -> Unit:
    """The installation's own federation (called once, at set-up)."""
    # The same id on every installation of this unit (office PCs, a re-installed county), so the
    # records it owns have one owner everywhere (app.sync).
    root = Unit(id=root_unit_id(code), name=name, kind=level, code=code, active=True, sort_order=0)
    session.add(root)
    session.flush()
    return root


def create_unit(session: Session, actor, values: Mapping[str, Any]) -> Unit:
    actor.require(Perm.MANAGE_UNITS, "新增单位")
    cleaned = records.clean_or_raise(session, UNIT, values)
    if cleaned["kind"] in ("city", "county"):
        raise ValidationFailed({"kind": "本级总工会在初始化时建立,不能再新增"}, UNIT.labels)
    _check_parent(session, None, cleaned["kind"], cleaned.get("parent_id"))
    unit = Unit()
    records.apply(unit, cleaned)
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, actor, unit_id: str, values: Mapping[str, Any]) -> Unit:
    actor.require(Perm.MANAGE_UNITS, "修改单位")
    unit = records.get_live(session, UNIT, unit_id)
    cleaned = records.clean_or_raise(session, UNIT, values, partial=True)
    kind = cleaned.get("kind", unit.kind)
    if unit.parent_id is None:  # the root keeps its kind and has no parent
        if kind != unit.kind or cleaned.get("parent_id"):
            raise ValidationFailed({"kind": "本级总工会的类型和上级不能修改"}, UNIT.labels)
    elif "kind" in cleaned or "parent_id" in cleaned:
        _check_parent(session, unit, kind, cleaned.get("parent_id", unit.parent_id))
        if kind not in MEMBER_UNIT_KINDS and live_member_count(session, unit.id):
            raise ValidationFailed({"kind": "该单位下登记有会员,只能是基层工会或联合基层工会"},
                                   UNIT.labels)
    records.apply(unit, cleaned)
    session.flush()
    return unit


def void_unit(session: Session, actor, unit_id: str) -> None:
    """作废 a unit that has no live sub-units and no members; history stays."""
    actor.require(Perm.MANAGE_UNITS, "作废单位")
    unit = records.get_live(session, UNIT, unit_id)
    if unit.parent_id is None:
        raise AppError("本级总工会不能作废")
    children = session.scalar(select(func.count()).select_from(Unit).where(
        Unit.parent_id == unit_id, Unit.deleted.is_(False)))
    if children:
        raise AppError(f"“{unit.name}”下还有 {children} 个下级单位,请先调整或作废它们")
    if n := live_member_count(session, unit_id):
        raise AppError(f"“{unit.name}”下还登记有 {n} 名会员,请先转出会员")
    unit.deleted = True
    session.flush()


def live_member_count(session: Session, unit_id: str) -> int:
    return session.scalar(select(func.count()).select_from(Member).where(
        Member.union_id == unit_id, Member.deleted.is_(False))) or 0


def member_counts(session: Session) -> dict[str, int]:
    """Registered (live) members per union id."""
    rows = session.execute(select(Member.union_id, func.count()).where(Member.deleted.is_(False))
                           .group_by(Member.union_id))
    return dict(rows.all())


def root_unit(session: Session) -> Unit | None:
    root_id = session.info.get("root_unit_id")
    return session.get(Unit, root_id) if root_id else None


def tree(session: Session, *, include_grassroots: bool = True) -> list[tuple[Unit, int]]:
    """Live units in tree order as (unit, depth), the root first."""
    q = select(Unit).where(Unit.deleted.is_(False))
    if not include_grassroots:
        q = q.where(Unit.kind.notin_(MEMBER_UNIT_KINDS))
    units = list(session.scalars(q.order_by(Unit.sort_order, Unit.name)))
    by_parent: dict[str | None, list[Unit]] = {}
    ids = {u.id for u in units}
    root = root_unit(session)
    for u in units:
        parent = u.parent_id if u.parent_id in ids else None
        # City mode: each county's own root arrives in its bundles and is shown under the city.
        if parent is None and root is not None and root.kind == "city" and u.kind == "county":
            parent = root.id
        by_parent.setdefault(parent, []).append(u)
    out: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for u in by_parent.get(parent_id, []):
            out.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def find_by_code(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code, Unit.deleted.is_(False))
                          .order_by(Unit.parent_id.is_not(None)).limit(1))


def find_unit(session: Session, text: str) -> Unit:
    """A live unit given by its id, region code or exact name."""
    text = text.strip()
    rows = session.scalars(select(Unit).where(Unit.deleted.is_(False), or_(
        Unit.id == text, Unit.code == text, Unit.name == text))).all()
    if not rows:
        raise AppError(f"找不到单位“{text}”(可写单位名称、区划代码或编号)")
    if len(rows) > 1:
        raise AppError(f"“{text}”对应多个单位,请改用单位编号")
    return rows[0]
