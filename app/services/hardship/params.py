"""The yearly eligibility and relief parameters of each county (低保标准, 刚性支出 items, the 80%
意外致困 ratio, exclusions, ages, the yearly relief cap, 公示 days, 金秋助学 standards).

Each (county, year) is one version; changing it is audited like any record. Set by a 审核人 or
审批人 (the aid centre and the leadership own the policy), never by the clerk who applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import PermissionDenied, ValidationFailed
from app.fields.hardship import PARAMS
from app.models import HardshipParams, Unit
from app.security.roles import Perm
from app.services import records
from app.services.hardship import scope
from app.services.hardship.settings import publicity_floor


def _require(actor) -> None:
    if not (actor.can(Perm.REVIEW) or actor.can(Perm.APPROVE)):
        raise PermissionDenied(f"当前用户 {actor.username}({actor.role_label})无权设置困难职工认定参数,"
                               "须由审核人或审批人设置")


def set_params(session: Session, actor, values: Mapping[str, Any]) -> HardshipParams:
    """Create or change the parameters of ``values['unit_id']`` (the county) for ``values['year']``."""
    _require(actor)
    values = dict(values)
    values.setdefault("unit_id", scope.actor_unit_id(session, actor))
    cleaned = records.clean_or_raise(session, PARAMS, values)
    county = session.get(Unit, cleaned["unit_id"])
    if county is None or county.kind != "county":
        raise ValidationFailed({"unit_id": "认定参数按县(区)总工会设置"}, PARAMS.labels)
    if (actor.role != "system" and scope.actor_unit_id(session, actor) != county.id):
        raise PermissionDenied(f"只有{county.name}的人员可以设置该县的认定参数")
    if cleaned.get("min_age") is not None and cleaned.get("max_age") is not None \
            and cleaned["min_age"] > cleaned["max_age"]:
        raise ValidationFailed({"max_age": "最高年龄不能小于最低年龄"}, PARAMS.labels)
    floor = publicity_floor(session)
    if cleaned.get("publicity_days") is not None and cleaned["publicity_days"] < floor:
        raise ValidationFailed({"publicity_days": f"不能少于系统管理员设定的下限 {floor} 个工作日"},
                               PARAMS.labels)
    row = scope.params_row(session, county.id, cleaned["year"])
    if row is None:
        row = HardshipParams()
        session.add(row)
    records.apply(row, cleaned)
    session.flush()
    return row


def list_params(session: Session, actor, county_id: str | None = None) -> list[HardshipParams]:
    actor.require(Perm.READ, "查看认定参数")
    q = select(HardshipParams).where(HardshipParams.deleted.is_(False))
    if county_id:
        q = q.where(HardshipParams.unit_id == county_id)
    return list(session.scalars(q.order_by(HardshipParams.year.desc())))
