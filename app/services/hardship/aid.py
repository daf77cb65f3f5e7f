"""金秋助学: applications for the children of workers in difficulty (F4).

- The archive is the parent's (建档职工), not the student's: the parent must be the head or a member
  of an active archive, or the application is "非建档" with a stated cause of hardship.
- One application per student per year.
- The grant is the year's standard for the level (高校: 研究生/本科/专科; 高中: 高中/中职) and for
  archived or non-archived families, from the county's parameters; a reviewer may grant less,
  never more. Other aid received, or an exclusion (军事院校, 免费师范, 定向生), refuses the grant.
- Decided by a 审核人 other than whoever entered it (four-eyes); paid by a 经办人 as one ledger
  entry (kind 金秋助学) linked to the application.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError, PermissionDenied, ValidationFailed
from app.fields.hardship_relief import STUDY_AID
from app.kit.register import Item, Register
from app.models import HardshipArchive, ReliefEntry, StudyAid
from app.pinyin import name_keys
from app.security.roles import Perm
from app.services import records
from app.services.hardship import ledger, scope
from app.services.hardship.archives import family_members
from app.validation import fen_to_yuan, format_yuan, parse_amount, parse_id_number, yuan_to_fen

UNIVERSITY_LEVELS = ("1", "2", "3")


def _archive_people(session, archive: HardshipArchive) -> dict[str, str]:
    people = {archive.id_number: archive.name}
    people.update({m.id_number: m.name for m in family_members(session, archive.id)})
    return people


def standard_fen(session: Session, aid) -> int:
    """The year's grant for the application's level and family (an application, or its values)."""
    get = aid.get if isinstance(aid, dict) else lambda k: getattr(aid, k)
    county = scope.county_of(scope.unit_chain(session, get("union_id") or session.info["root_unit_id"]))
    params = scope.require_params(session, county, get("year"))
    univ = get("level") in UNIVERSITY_LEVELS
    if get("archive_id"):
        return params.study_univ_archived_fen if univ else params.study_high_archived_fen
    return params.study_univ_other_fen if univ else params.study_high_other_fen


def derive(cleaned: dict[str, Any]) -> None:
    """What an application derives from what is typed: the student's gender from the ID number,
    the pinyin the list sorts names by. The form shows the first live; saving stores both."""
    if cleaned.get("student_id_number"):
        cleaned["student_gender"] = parse_id_number(cleaned["student_id_number"]).gender
    if cleaned.get("student_name"):
        cleaned["student_name_pinyin"] = name_keys(cleaned["student_name"])[0]


def fill_parent(session: Session, values: dict) -> dict:
    """家长姓名, 家长身份证号, 所属工会 and 家长工作单位 from the chosen archive (its head, the
    建档职工): what the form fills in once the archive is chosen, and what saving assumes. A
    parent who is another member of the household is typed over them."""
    if values.get("archive_id"):
        archive = session.get(HardshipArchive, values["archive_id"])
        if archive is None or archive.deleted:
            raise AppError("找不到该困难职工档案(可能已作废)")
        values.setdefault("parent_name", archive.name)
        values.setdefault("parent_id_number", archive.id_number)
        values.setdefault("union_id", archive.union_id)
        if archive.employer:
            values.setdefault("parent_unit", archive.employer)
    return values


def _prepare(session: Session, values: dict, record) -> None:
    """What saving derives beyond the typed values: the date applied, the union and employer
    from the parent's archive, and the year's standard grant for the level."""
    values["applied_on"] = values.get("applied_on") or today()
    archive = session.get(HardshipArchive, values["archive_id"]) if values.get("archive_id") else None
    if archive is not None and not archive.deleted:
        values["union_id"] = archive.union_id
        values["parent_unit"] = values.get("parent_unit") or archive.employer
    if values.get("year") and values.get("level"):
        values["standard_fen"] = standard_fen(session, values)


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    """The parent's archive (an active archive holding the parent), or a stated cause of hardship;
    the student is not the parent; one application per student and year."""
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        v, errors = it.values, {}
        if v.get("archive_id"):
            archive = session.get(HardshipArchive, v["archive_id"])
            if archive is None or archive.deleted or archive.status != "archived":
                errors["archive_id"] = "所选困难职工档案不是有效的已建档档案"
            elif v.get("parent_id_number") not in _archive_people(session, archive):
                errors["parent_id_number"] = f"家长不是“{archive.name}”档案的户主或家庭成员(助学按家长建档)"
        elif not v.get("hardship_cause"):
            errors["hardship_cause"] = "非建档家庭须写明致困原因"
        if v.get("student_id_number") and v.get("student_id_number") == v.get("parent_id_number"):
            errors["student_id_number"] = "学生与家长的身份证号相同"
        dup = session.scalar(select(StudyAid.id).where(
            StudyAid.student_id_number == v.get("student_id_number"), StudyAid.year == v.get("year"),
            StudyAid.deleted.is_(False), StudyAid.status != "rejected",
            StudyAid.id != (it.record.id if it.record is not None else "")))
        if dup or any(o.values.get("student_id_number") == v.get("student_id_number")
                      and o.values.get("year") == v.get("year") for o in items[:i]):
            errors["student_id_number"] = f"该学生 {v.get('year')} 年已有金秋助学申请"
        if errors:
            out[i] = errors
    return out


def _locked(aid: StudyAid) -> str | None:
    return None if aid.status == "applied" else "申请已审核,不能再修改"


def _sample(session: Session, rng, values: dict) -> dict:
    """An application from an archived household (its head as the parent) or, when there is none,
    a non-archived family with its cause; no other aid, no exclusion; this year."""
    from datetime import date as _date

    from app.kit.samples import id_number

    archive = session.scalar(select(HardshipArchive).where(
        HardshipArchive.status == "archived", HardshipArchive.deleted.is_(False))
        .order_by(HardshipArchive.id).offset(rng.randint(0, 20)).limit(1)) or session.scalar(
        select(HardshipArchive).where(HardshipArchive.status == "archived",
                                      HardshipArchive.deleted.is_(False)).limit(1))
    out = {**values, "year": today().year, "other_aid": False, "exclusions": None,
           "student_id_number": id_number(rng, _date(rng.randint(2005, 2008), rng.randint(1, 12), 15))}
    if archive is not None:
        out.update(archive_id=archive.id, parent_name=archive.name, parent_id_number=archive.id_number,
                   union_id=archive.union_id, hardship_cause=None)
    else:
        out.update(archive_id=None, hardship_cause="家庭成员患重病,收入微薄")
    return out


REGISTER = Register(STUDY_AID, initial={"status": "applied"}, fill=fill_parent, derive=derive,
                    prepare=_prepare, rule=_rule, locked=_locked, sample=_sample,
                    search_hint="学生 / 家长姓名 / 身份证号",
                    paper_columns=("student_name", "student_gender", "student_id_number", "school",
                                   "level", "parent_name", "parent_id_number", "status",
                                   "requested_fen", "granted_fen"))


def may_decide(actor) -> bool:
    """Whether the user may review applications (the 审核 button; ``decide`` requires it)."""
    return actor.can(Perm.REVIEW)


def decide(session: Session, actor, aid_id: str, *, approve: bool, opinion: str,
           amount: Any = None, on: date | None = None, over_request_reason: str = "") -> StudyAid:
    """县总工会审核: approve or refuse. The grant is ``amount`` (元) or, left empty, the year's
    standard — never more than the standard, and never more than was requested unless
    ``over_request_reason`` says why (an empty 批准金额 once granted 5,000 where 4,000 was asked)."""
    actor.require(Perm.REVIEW, "审核金秋助学申请")
    aid = records.get_live(session, STUDY_AID, aid_id)
    if aid.status != "applied":
        raise AppError("该申请已经审核过")
    if actor.username in {aid.created_by, aid.updated_by}:
        raise PermissionDenied("四眼原则:您录入或修改了该申请,不能再审核,请由其他审核人办理")
    if aid.union_id:
        chain = scope.unit_chain(session, aid.union_id)
        if actor.role != "system" and scope.actor_unit_id(session, actor) != scope.county_of(chain).id:
            raise PermissionDenied(f"金秋助学须由{scope.county_of(chain).name}审核")
    if not (opinion or "").strip():
        raise ValidationFailed({"county_opinion": "请填写审核意见"}, STUDY_AID.labels)
    if approve:
        if aid.other_aid:
            raise AppError(f"该学生已获其他资助({aid.other_aid_text or '未注明'}),按规定不再资助")
        if aid.exclusions:
            book = records.codebook(session)
            names = "、".join(book.label("study_exclusion", c) for c in aid.exclusions.split(","))
            raise AppError(f"该学生属于排除情形({names}),不能批准")
        aid.standard_fen = standard_fen(session, aid)
        asked = aid.requested_fen
        if amount in (None, ""):  # the standard, but no more than was asked
            granted = aid.standard_fen if not asked else min(aid.standard_fen, asked)
        else:
            granted = yuan_to_fen(parse_amount(amount))
        if granted > aid.standard_fen:
            raise AppError(f"批准金额不能高于当年标准 {format_yuan(aid.standard_fen)} 元")
        if granted <= 0:
            raise AppError("当年助学标准为 0,请先在认定参数中设置金秋助学标准")
        if asked and granted > asked:
            if not (over_request_reason or "").strip():
                raise ValidationFailed({"amount": f"批准金额 {format_yuan(granted)} 元高于申请金额 "
                                        f"{format_yuan(asked)} 元;确需多批的,请写明理由"},
                                       {"amount": "批准金额"})
            opinion = f"{opinion.strip()}(批准金额高于申请金额 {format_yuan(asked)} 元,理由:"\
                      f"{over_request_reason.strip()})"
        aid.granted_fen = granted
    aid.status = "approved" if approve else "rejected"
    aid.county_opinion = opinion.strip()
    aid.decided_on, aid.decided_by = on or today(), actor.username
    session.flush()
    return aid


def pay(session: Session, actor, aid_id: str, *, paid_on: date, fund_source: str,
        batch: str | None = None, confirm: bool = False) -> ReliefEntry:
    actor.require(Perm.WRITE, "发放金秋助学金")
    aid = records.get_live(session, STUDY_AID, aid_id)
    if aid.status != "approved":
        raise AppError("只有已批准的申请可以发放" if aid.status != "paid" else "该助学金已经发放")
    entry = ledger.record_relief(session, actor, {
        "paid_on": paid_on, "kind": "education", "recipient_kind": "worker",
        "archive_id": aid.archive_id, "recipient_name": aid.parent_name,
        "recipient_id_number": aid.parent_id_number, "unit_id": aid.union_id, "aid_id": aid.id,
        "cash_fen": fen_to_yuan(aid.granted_fen), "fund_source": fund_source, "batch": batch,
        "signed_by": aid.account_name or aid.student_name,
        "note": f"金秋助学:学生 {aid.student_name},{aid.school}",
    }, confirm=confirm)[0]
    aid.status = "paid"
    session.flush()
    return entry
