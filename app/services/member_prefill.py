"""A record about a person started from a member: what the member register knows (姓名, 身份证号,
手机号码, 所属工会, 工作单位, 民族 …) fills the new record's form, so the clerk does not type it
again. A register declares the fields it takes (``Register.from_member``); gender and birth date
follow from the ID number as they do when it is typed.

The lookup (``find_members``) shows ID and phone numbers masked, as every list does. The values
for the form (``prefill``) carry them in full — the record must be saved with them — so handing
them over needs the REVEAL permission and is written to the audit log like any reveal, against
the member; without REVEAL they are left out and typed. The form shows them masked (its 显示 is
logged again, against the member, ``origins``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.errors import AppError
from app.fields.masking import mask_field
from app.fields.spec import Mask
from app.security import audit
from app.security.roles import Perm

EMPLOYER = "@employer"  # the member's union's enterprise (or the union's name)
SEARCH_HINT = "姓名 / 身份证号 / 手机号后几位 / 拼音首字母"


@dataclass(frozen=True)
class MemberChoice:
    """One member in the lookup, as a list shows it (numbers masked)."""

    id: str
    name: str
    id_number: str  # masked
    phone: str  # masked
    union_name: str
    status: str  # 会籍状态, in words


@dataclass(frozen=True)
class Prefill:
    values: dict[str, Any]  # the new record's field -> the member's value (in full)
    # a masked field -> (spec key, member id, member field): its 显示 in the form is logged there
    origins: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    withheld: tuple[str, ...] = ()  # labels of masked fields left out (no REVEAL): to be typed
    member_name: str = ""


def takes_from_member(register_key: str) -> Mapping[str, str]:
    """The register's declared mapping (empty: its records are not about a member)."""
    from app.kit.register import register

    try:
        return register(register_key).from_member
    except KeyError:
        return {}


def masked_targets(register_key: str) -> tuple[str, ...]:
    """The register's fields a member fills in that the form shows masked."""
    from app.kit.register import register

    mapping = takes_from_member(register_key)
    if not mapping:
        return ()
    spec = register(register_key).spec
    return tuple(k for k in mapping if _masked(spec.field(k)))


def person_registers(actor) -> list[tuple[str, str]]:
    """(register key, name) of every register whose records this user may start from a member."""
    from app.kit.register import all_registers

    return [(r.key, r.name) for r in all_registers()
            if r.from_member and actor.can(r.write) and r.creatable]


def find_members(session: Session, actor, text: str, *, limit: int = 30) -> list[MemberChoice]:
    """Members a typed name, ID number, phone tail or pinyin finds, numbers masked."""
    from app.fields.members import MEMBER
    from app.services.members import search_members
    from app.services.records import codebook

    book = codebook(session)
    id_f, phone_f, status_f = MEMBER.field("id_number"), MEMBER.field("phone"), MEMBER.field("status")
    from app.fields.spec import display_value

    return [MemberChoice(m.id, m.name, mask_field(id_f, m.id_number) or "", mask_field(phone_f, m.phone) or "",
                         union or "", display_value(status_f, m.status, book) or "")
            for m, union in search_members(session, actor, text, limit=limit)]


def prefill(session: Session, actor, register_key: str, member_id: str) -> Prefill:
    """The values a new record of ``register_key`` takes from member ``member_id`` (see the
    module notes). Call it in a write session: handing over a full ID or phone number is logged."""
    from app.fields.members import MEMBER
    from app.kit.register import register
    from app.models import Unit
    from app.services import records

    reg = register(register_key)
    if not reg.from_member:
        raise AppError(f"{reg.name}不能从会员带入")
    actor.require(reg.write, f"新增{reg.name}")
    actor.require(Perm.READ, "查看会员")
    member = records.get_live(session, MEMBER, member_id)
    values: dict[str, Any] = {}
    origins: dict[str, tuple[str, str, str]] = {}
    revealed: list[str] = []
    withheld: list[str] = []
    for key, source in reg.from_member.items():
        target = reg.spec.field(key)
        if source == EMPLOYER:
            union = session.get(Unit, member.union_id) if member.union_id else None
            value = (union.enterprise_name or union.name) if union is not None else None
        else:
            value = getattr(member, source)
        if value in (None, ""):
            continue
        if _masked(target) or (MEMBER.has(source) and _masked(MEMBER.field(source))):
            if not actor.can(Perm.REVEAL):
                withheld.append(target.label)
                continue
            revealed.append(target.label)
            origins[key] = (MEMBER.key, member.id, source)
        values[key] = value
    if revealed:
        audit.append(session, action="reveal", actor=actor, object_type=MEMBER.model.__table__.name,
                     object_id=member.id,
                     summary=f"从会员“{member.name}”带入完整的{'、'.join(revealed)}到新增{reg.name}",
                     detail={"register": reg.key, "fields": [k for k in origins]})
    return Prefill(values, origins, tuple(withheld), member.name)


def _masked(f) -> bool:
    return f.mask not in (Mask.NONE, Mask.NAME) and not f.readonly
