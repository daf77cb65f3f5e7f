"""The member register (会员) on the area kit: its derived fields and its one rule (a grassroots
union; one active membership per ID number), and looking members up by the keys people type."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.fields.members import MEMBER
from app.kit.options import standard_options
from app.kit.register import Item, Register
from app.models import Member, Unit
from app.pinyin import name_keys
from app.security.roles import Perm
from app.services.filters import FilterOption
from app.services.units import holds_members
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


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    """The member rules for one save or a whole batch, with a few queries instead of one per
    record: the union is a grassroots union; one live member record per ID number in the county,
    whatever its 会籍 state (a 转出 member who comes back is the same record, changed — not a
    second one); a 会员证号 names one live member. Neither may repeat within the batch."""
    errors: dict[int, dict[str, str]] = {}
    union_ids = {it.values.get("union_id") for it in items if it.touches("union_id")} - {None}
    unions = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(union_ids)))} \
        if union_ids else {}
    for i, it in enumerate(items):
        if not it.touches("union_id"):
            continue
        union = unions.get(it.values.get("union_id"))
        if union is None or union.deleted:
            errors.setdefault(i, {})["union_id"] = "所属工会不存在或已作废"
        elif not holds_members(union.kind):
            errors.setdefault(i, {})["union_id"] = f"会员应登记在基层工会下,“{union.name}”不是基层工会"
    own = {it.record.id for it in items if it.record is not None}
    for key, message in (("id_number", duplicate_message), ("card_no", card_message)):
        checked = [(i, it) for i, it in enumerate(items) if it.values.get(key) and it.touches(key)]
        holders = _live_holders(session, key, [it.values[key] for _, it in checked], own)
        first_seen: dict[str, int] = {}
        for i, it in checked:
            value = it.values[key]
            if value in holders:
                errors.setdefault(i, {})[key] = message(value, *holders[value])
            elif value in first_seen:
                errors.setdefault(i, {})[key] = (f"与{items[first_seen[value]].where}的"
                                                 f"{MEMBER.field(key).label}重复")
            else:
                first_seen[value] = i
    return errors


def _live_holders(session: Session, key: str, values: list[str], own: set[str]
                  ) -> dict[str, tuple[str, str, str, str]]:
    """{value: (union name, member name, 会籍 state code and label)} of live members other than
    ``own`` holding one of ``values`` in the column ``key``."""
    from app.services.records import codebook

    column = getattr(Member, key)
    label = codebook(session).label if values else None
    found: dict[str, tuple[str, str, str, str]] = {}
    for k in range(0, len(values), 500):
        q = (select(column, Unit.name, Member.name, Member.status).join(Unit, Unit.id == Member.union_id)
             .where(column.in_(values[k:k + 500]), Member.deleted.is_(False), Member.id.notin_(own)))
        found.update({v: (union, name, status, label("member_status", status))
                      for v, union, name, status in session.execute(q)})
    return found


def duplicate_message(id_number: str, union_name: str, other_name: str, status: str = "1",
                      status_label: str = "") -> str:
    if status in ACTIVE_STATUSES:
        return (f"身份证号 {mask_id_number(id_number)} 已是{union_name}的会员({other_name}),"
                "一人只能在一个工会保留会籍,请先办理转出")
    return (f"身份证号 {mask_id_number(id_number)} 已有会员记录({union_name},{other_name},"
            f"会籍状态:{status_label or status}),一人只有一条会员记录:"
            "转入、恢复会籍请在原记录上登记会籍变动")


def card_message(card_no: str, union_name: str, other_name: str, *_) -> str:
    return f"会员证号 {card_no} 已属于{union_name}的会员({other_name}),会员证号在本县不能重复"


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


STATUS_OPTION = FilterOption("status", "--status", "会籍状态,如 正常、保留会籍(代码或名称)",
                             metavar="状态", label="会籍状态", field="status")
MEMBER_FILTERS = standard_options(MEMBER, STATUS_OPTION)


def roster_select(session: Session, query, columns=None):
    """SELECT of the members a query chooses (with their union's name as ``union_name``), in
    union then name order: the roster and the notices list them so."""
    from app.services import listing

    cols = columns if columns is not None else (Member,)
    return (select(*cols, Unit.name.label("union_name")).join(Unit, Unit.id == Member.union_id)
            .where(*listing.conditions(session, MEMBER, query))
            .order_by(Unit.sort_order, Unit.name, Member.name_pinyin, Member.id))


def _written(session: Session, actor, ids: list[str]) -> None:
    from app.services.organisation.membership import members_written

    members_written(session, actor, ids)


REGISTER = Register(MEMBER, rule=_rule, derive=derive, written=_written, tag_columns=("status",),
                    lookup=lookup_ids,
                    lookup_hint="会员编号、会员证号或身份证号",
                    search_hint="姓名 / 身份证号 / 手机号 / 拼音首字母(如 zs)",
                    excel_key="members", named_by=("id_number", "card_no"), options=(STATUS_OPTION,))
