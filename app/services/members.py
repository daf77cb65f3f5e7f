"""The member register: entry and correction of members, with derived fields and duplicate checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import AppError, NotFound, ValidationFailed
from app.fields.members import MEMBER
from app.models import Member, Unit
from app.pinyin import name_keys
from app.security.roles import Perm
from app.services import records
from app.services.units import MEMBER_UNIT_KINDS
from app.validation import mask_id_number, parse_id_number

# 会籍 states in which a person still counts as a member (1 正常, 3 保留会籍).
ACTIVE_STATUSES = ("1", "3")


def derive(cleaned: dict[str, Any]) -> None:
    """Gender and birth date come from the ID number; pinyin keys from the name."""
    if cleaned.get("id_number"):
        info = parse_id_number(cleaned["id_number"])
        cleaned["gender"], cleaned["birth_date"] = info.gender, info.birth_date
    if cleaned.get("name"):
        cleaned["name_pinyin"], cleaned["name_initials"] = name_keys(cleaned["name"])


def _check(session: Session, cleaned: dict[str, Any], member: Member | None) -> None:
    errors: dict[str, str] = {}
    union_id = cleaned.get("union_id", member.union_id if member else None)
    if "union_id" in cleaned:
        union = session.get(Unit, union_id)
        if union is None or union.deleted:
            errors["union_id"] = "所属工会不存在或已作废"
        elif union.kind not in MEMBER_UNIT_KINDS:
            errors["union_id"] = f"会员应登记在基层工会下,“{union.name}”不是基层工会"
    id_number = cleaned.get("id_number", member.id_number if member else None)
    status = cleaned.get("status", member.status if member else "1")
    if id_number and status in ACTIVE_STATUSES and ("id_number" in cleaned or "status" in cleaned):
        q = select(Member, Unit.name).join(Unit, Unit.id == Member.union_id).where(
            Member.id_number == id_number, Member.deleted.is_(False),
            Member.status.in_(ACTIVE_STATUSES))
        if member is not None:
            q = q.where(Member.id != member.id)
        if (dup := session.execute(q.limit(1)).first()) is not None:
            other, union_name = dup
            errors["id_number"] = duplicate_message(id_number, union_name, other.name)
    if errors:
        raise ValidationFailed(errors, MEMBER.labels)


def duplicate_message(id_number: str, union_name: str, other_name: str) -> str:
    return (f"身份证号 {mask_id_number(id_number)} 已是{union_name}的会员({other_name}),"
            "一人只能在一个工会保留会籍,请先办理转出")


def create_member(session: Session, actor, values: Mapping[str, Any]) -> Member:
    actor.require(Perm.WRITE, "登记会员")
    cleaned = records.clean_or_raise(session, MEMBER, values)
    _check(session, cleaned, None)
    derive(cleaned)
    member = Member()
    records.apply(member, cleaned)
    session.add(member)
    session.flush()
    return member


def update_member(session: Session, actor, member_id: str, values: Mapping[str, Any]) -> Member:
    actor.require(Perm.WRITE, "修改会员信息")
    member = records.get_live(session, MEMBER, member_id)
    cleaned = records.clean_or_raise(session, MEMBER, values, partial=True)
    _check(session, cleaned, member)
    derive(cleaned)
    records.apply(member, cleaned)
    session.flush()
    return member


def void_member(session: Session, actor, member_id: str) -> None:
    """作废 a wrongly entered record (a member who leaves changes 会籍状态 instead)."""
    actor.require(Perm.WRITE, "作废会员记录")
    member = records.get_live(session, MEMBER, member_id)
    member.deleted = True
    session.flush()


def lookup_ids(session: Session, text: str) -> list[str]:
    """Live members whose id, 会员证号 or 身份证号 is ``text`` (at most 5): the keys every
    command that names one member accepts (``print --id``, ``member show``, ``member set``)."""
    from app.validation.idcard import normalize_id_number

    text = text.strip()
    conds = [Member.id == text, Member.card_no == text]
    try:
        conds.append(Member.id_number == normalize_id_number(text))
    except ValueError:
        pass
    return list(session.scalars(select(Member.id).where(Member.deleted.is_(False), or_(*conds))
                                .limit(5)))


def resolve_member_id(session: Session, text: str) -> str:
    """The one live member named by ``text`` (id, 会员证号 or 身份证号)."""
    found = lookup_ids(session, text)
    if not found:
        raise NotFound(f"找不到会员“{text.strip()}”(可写会员编号、会员证号或身份证号)")
    if len(found) > 1:
        raise AppError(f"“{text.strip()}”对应 {len(found)} 名会员,请改用会员编号(member search 可查)")
    return found[0]


def get_member(session: Session, actor, member_id: str) -> Member:
    actor.require(Perm.READ, "查看会员")
    return records.get_live(session, MEMBER, member_id)


def search_members(session: Session, actor, text: str, *, limit: int = 50) -> list[tuple[Member, str]]:
    """Members matching a name, ID number, phone, full pinyin or pinyin initials (the same search
    as the lists: ``app.services.listing``)."""
    from app.services.listing import search_condition

    actor.require(Perm.READ, "查找会员")
    cond = search_condition(session, MEMBER, text)
    if cond is None:
        return []
    q = (select(Member, Unit.name).join(Unit, Unit.id == Member.union_id)
         .where(Member.deleted.is_(False), cond).order_by(Member.name_pinyin).limit(limit))
    return [(m, name) for m, name in session.execute(q)]


# -- many at once (Excel import) -----------------------------------------------------------------
def batch_position(i: int, row_numbers: Sequence[int] | None) -> str:
    """How a message names the ``i``-th row of a batch: the sheet row Excel shows when the batch
    came from a file (the number the import report uses), else its place in the batch."""
    if row_numbers is not None:
        return f"本文件第 {row_numbers[i]} 行"
    return f"本批第 {i + 1} 条记录"


def check_new_members(session: Session, rows: list[dict[str, Any]], *,
                      row_numbers: Sequence[int] | None = None) -> dict[int, dict[str, str]]:
    """The rules of ``create_member`` for a batch of cleaned rows, with a few queries instead of
    one per row: errors by row index. An active ID number may appear once: not already active in
    the database, and not twice in the batch. ``row_numbers`` (the sheet rows of an Excel import)
    name the earlier row of a duplicate as the report does."""
    errors: dict[int, dict[str, str]] = {}
    union_ids = {r["union_id"] for r in rows if r.get("union_id")}
    unions = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(union_ids)))} \
        if union_ids else {}
    active = [r["id_number"] for r in rows if r.get("status", "1") in ACTIVE_STATUSES]
    existing: dict[str, tuple[str, str]] = {}
    for i in range(0, len(active), 500):
        q = (select(Member.id_number, Member.name, Unit.name).join(Unit, Unit.id == Member.union_id)
             .where(Member.id_number.in_(active[i:i + 500]), Member.deleted.is_(False),
                    Member.status.in_(ACTIVE_STATUSES)))
        existing.update({n: (name, union) for n, name, union in session.execute(q)})
    first_seen: dict[str, int] = {}
    for i, r in enumerate(rows):
        row_errors: dict[str, str] = {}
        union = unions.get(r.get("union_id"))
        if union is None or union.deleted:
            row_errors["union_id"] = "所属工会不存在或已作废"
        elif union.kind not in MEMBER_UNIT_KINDS:
            row_errors["union_id"] = f"会员应登记在基层工会下,“{union.name}”不是基层工会"
        number = r.get("id_number")
        if number and r.get("status", "1") in ACTIVE_STATUSES:
            if number in existing:
                name, union_name = existing[number]
                row_errors["id_number"] = duplicate_message(number, union_name, name)
            elif number in first_seen:
                where = batch_position(first_seen[number], row_numbers)
                row_errors["id_number"] = f"与{where}的身份证号重复"
            else:
                first_seen[number] = i
        if row_errors:
            errors[i] = row_errors
    return errors


def add_members(session: Session, actor, rows: list[dict[str, Any]], *, source: str) -> int:
    """Register many members in the caller's transaction: checked again (the database may have
    changed since the rows were checked), inserted in bulk, audited as one entry."""
    from sqlalchemy import insert

    from app.db.base import new_id
    from app.db.bulk import Stamper
    from app.db.tracking import reserve_change_seqs
    from app.security import audit

    actor.require(Perm.WRITE, "批量登记会员")
    if errors := check_new_members(session, rows):
        first = min(errors)
        raise ValidationFailed(errors[first], MEMBER.labels)
    stamper = Stamper(first_seq=reserve_change_seqs(session, len(rows)),
                      device_id=session.info.get("device_id") or "", username=actor.username,
                      owner_unit_id=session.info.get("root_unit_id"))
    columns = [f.key for f in MEMBER.fields]
    out = []
    for r in rows:
        row = {k: r.get(k) for k in columns}
        for f in MEMBER.editable_fields:  # defaults the ORM would otherwise fill in
            if row[f.key] is None and f.default is not None:
                row[f.key] = f.default
        derive(row)
        row["id"] = new_id()
        out.append(stamper.stamp(row))
    if out:
        session.execute(insert(Member), out)
    audit.append(session, action="import", actor=actor, object_type="members",
                 summary=f"批量登记会员 {len(out):,} 名(来源:{source})",
                 detail={"count": len(out), "source": source, "first_change_seq": stamper.seq - len(out)})
    return len(out)
