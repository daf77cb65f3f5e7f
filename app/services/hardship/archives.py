"""困难职工档案: entry and correction of a household's archive with its family table and rigid
expenses, derived figures, the eligibility proposal, and a written-reason override of the grade.

An archive is edited while it is a draft or returned (退回), and while archived (between 年审s);
never in the middle of the review chain. Derived on every save: sex and birth date from the ID
number, pinyin keys, the area band, household size, annual income, rigid expenses, and the
proposal with its working (``eligibility``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError, ValidationFailed
from app.fields.hardship import ARCHIVE, EXPENSE, FAMILY_MEMBER, HEAD_RELATIONS, STATUS_CHOICES
from app.kit.register import Register
from app.models import HardshipArchive, HardshipExpense, HardshipFamilyMember, Member, Unit
from app.pinyin import name_keys
from app.security.roles import Perm
from app.services import records
from app.services.hardship import eligibility as elig
from app.services.hardship import scope
from app.services.hardship.identity import check_unique_people
from app.validation import age_on, parse_id_number

EDITABLE = ("draft", "returned", "archived")
DRAFTS = ("draft", "returned")  # not yet submitted (again): kept with only what is known
ACTIVE_MEMBER_STATUSES = ("1", "3")
OTHER_CAUSE = "10"  # 致困原因 其他: its explanation (cause_other_text) is required and printed
STATUS_LABELS = dict(STATUS_CHOICES)


# -- reading --------------------------------------------------------------------------------------
def get_archive(session: Session, actor, archive_id: str) -> HardshipArchive:
    actor.require(Perm.READ, "查看困难职工档案")
    return records.get_live(session, ARCHIVE, archive_id)


def find_archive(session: Session, actor, key: str) -> HardshipArchive:
    """By record id or archive number (the CLI and printing accept either)."""
    actor.require(Perm.READ, "查看困难职工档案")
    rows = list(session.scalars(select(HardshipArchive).where(
        HardshipArchive.deleted.is_(False),
        (HardshipArchive.id == key) | (HardshipArchive.archive_no == key)).limit(2)))
    if not rows:
        raise AppError(f"找不到编号或记录号为 {key} 的困难职工档案")
    if len(rows) > 1:  # two PCs numbered alike between exchanges (app.sync.conflicts, "number")
        raise AppError(f"档案编号 {key} 同时用在 {rows[0].name}、{rows[1].name} 两份档案上,"
                       "请先在“数据交换 › 冲突处理”中重新编号,或改用记录号")
    return rows[0]


def family_members(session: Session, archive_id: str) -> list[HardshipFamilyMember]:
    return list(session.scalars(select(HardshipFamilyMember).where(
        HardshipFamilyMember.archive_id == archive_id, HardshipFamilyMember.deleted.is_(False))
        .order_by(HardshipFamilyMember.sort_order)))


def expenses(session: Session, archive_id: str) -> list[HardshipExpense]:
    return list(session.scalars(select(HardshipExpense).where(
        HardshipExpense.archive_id == archive_id, HardshipExpense.deleted.is_(False))
        .order_by(HardshipExpense.item)))


# -- writing --------------------------------------------------------------------------------------
def create_archive(session: Session, actor, values: Mapping[str, Any], *,
                   members: Sequence[Mapping[str, Any]] = (),
                   expense_items: Sequence[Mapping[str, Any]] = ()) -> HardshipArchive:
    actor.require(Perm.WRITE, "建立困难职工档案")
    values = _with_employer(session, dict(values))
    cleaned = records.clean_or_raise(session, ARCHIVE, values, draft=True)  # a new archive is a 草稿
    member_rows, expense_rows = _clean_children(session, members, expense_items)
    archive = HardshipArchive(status="draft", entered_by=actor.username,
                              prepared_by=cleaned.get("prepared_by") or actor.display_name)
    _save(session, actor, archive, cleaned, member_rows, expense_rows, new=True)
    return archive


def update_archive(session: Session, actor, archive_id: str, values: Mapping[str, Any], *,
                   members: Sequence[Mapping[str, Any]] | None = None,
                   expense_items: Sequence[Mapping[str, Any]] | None = None) -> HardshipArchive:
    """Change some fields (``partial``); ``members`` / ``expense_items``, when given, replace the
    tables (rows carrying an ``id`` update that row, the others are added, missing ones removed)."""
    actor.require(Perm.WRITE, "修改困难职工档案")
    archive = records.get_live(session, ARCHIVE, archive_id)
    if archive.status not in EDITABLE:
        raise AppError(f"档案“{archive.name}”{STATUS_LABELS[archive.status]},审核期间不能修改;"
                       "如需修改,请由当前环节退回")
    cleaned = records.clean_or_raise(session, ARCHIVE, dict(values), partial=True,
                                     draft=archive.status in DRAFTS)
    member_rows = expense_rows = None
    if members is not None or expense_items is not None:
        member_rows, expense_rows = _clean_children(session, members or (), expense_items or ())
        if members is None:
            member_rows = None
        if expense_items is None:
            expense_rows = None
    _save(session, actor, archive, cleaned, member_rows, expense_rows, new=False)
    return archive


def void_archive(session: Session, actor, archive_id: str) -> None:
    """作废 an archive entered by mistake: only before it was ever submitted."""
    actor.require(Perm.WRITE, "作废困难职工档案")
    archive = records.get_live(session, ARCHIVE, archive_id)
    scope.require_in_chain(session, actor, archive.union_id, "作废该档案")
    if archive.status != "draft":
        raise AppError("只有从未提交的草稿可以作废;已进入审核的档案请办理退回、脱困或注销")
    for row in family_members(session, archive.id) + expenses(session, archive.id):
        row.deleted = True
    archive.deleted = True
    session.flush()


def _split(values: Mapping[str, Any]):
    """A form's values: the head's fields, and its sub-tables (家庭成员, 刚性支出) if present."""
    values = dict(values)
    return values, values.pop("members", None), values.pop("expenses", None)


def _create(session: Session, actor, values: Mapping[str, Any]) -> HardshipArchive:
    head, members, expense_items = _split(values)
    return create_archive(session, actor, head, members=members or (), expense_items=expense_items or ())


def _update(session: Session, actor, archive_id: str, values: Mapping[str, Any]) -> HardshipArchive:
    head, members, expense_items = _split(values)
    return update_archive(session, actor, archive_id, head, members=members,
                          expense_items=expense_items)


def _derive_live(values: dict) -> None:
    """Sex and birth date from the ID number, as the form shows them while typing."""
    if values.get("id_number"):
        info = parse_id_number(values["id_number"])
        values["gender"], values["birth_date"] = info.gender, info.birth_date


def _sample(session: Session, rng, values: dict) -> dict:
    """A household applying from a grassroots union: one main cause, no minor ones, the county's
    region for the hukou, no disability, not yet a 解困脱困 target."""
    union = session.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False))
                           .order_by(Unit.id).offset(rng.randint(0, 30)).limit(1))
    return {**values, "union_id": union or values.get("union_id"), "hukou_region": "341122",
            "main_cause": str(rng.randint(1, 9)), "minor_causes": None, "cause_other_text": None,
            "disability_category": None, "disability_grade": None, "relief_target": None,
            "relief_target_on": None}


# The archive's life is the review chain (app.services.hardship.workflow): its own create,
# update and void, with the family table and rigid expenses as sub-tables of the form.
REGISTER = Register(ARCHIVE, create=_create, update=_update, void=void_archive, derive=_derive_live,
                    importable=False, sample=_sample, search_hint="姓名 / 身份证号 / 拼音首字母 / 档案编号",
                    named_by=("archive_no", "id_number"),
                    from_member={"name": "name", "id_number": "id_number", "phone": "phone",
                                 "union_id": "union_id", "employer": "@employer",
                                 "ethnicity": "ethnicity", "political_status": "political_status",
                                 "hukou_type": "hukou_type", "is_migrant_worker": "is_migrant_worker"})


def employer_of(session: Session, union_id: str | None) -> str | None:
    """The 工作单位 an archive of this grassroots union defaults to (the form fills it in)."""
    union = session.get(Unit, union_id) if union_id else None
    return (union.enterprise_name or union.name) if union is not None else None


def _with_employer(session: Session, values: dict) -> dict:
    if not values.get("employer") and values.get("union_id"):
        values["employer"] = employer_of(session, values["union_id"])
    return values


def _clean_children(session, members, expense_items):
    book = records.codebook(session)
    errors, labels = {}, {}
    member_rows, expense_rows = [], []
    for i, raw in enumerate(members):
        cleaned, errs = FAMILY_MEMBER.clean(raw, book)
        if cleaned.get("relation") in HEAD_RELATIONS:
            errs.setdefault("relation", "户主本人不列入家庭成员表")
        for k, msg in errs.items():
            errors[f"members[{i}].{k}"] = msg
            labels[f"members[{i}].{k}"] = f"家庭成员第 {i + 1} 行{FAMILY_MEMBER.field(k).label}"
        if cleaned.get("id_number"):
            info = parse_id_number(cleaned["id_number"])
            cleaned["gender"], cleaned["birth_date"] = info.gender, info.birth_date
        member_rows.append((raw.get("id"), cleaned))
    for i, raw in enumerate(expense_items):
        cleaned, errs = EXPENSE.clean(raw, book)
        for k, msg in errs.items():
            errors[f"expenses[{i}].{k}"] = msg
            labels[f"expenses[{i}].{k}"] = f"刚性支出第 {i + 1} 行{EXPENSE.field(k).label}"
        expense_rows.append((raw.get("id"), cleaned))
    if errors:
        raise ValidationFailed(errors, labels)
    return member_rows, expense_rows


def _check_fields(archive: HardshipArchive) -> None:
    errors = {}
    minor = [c for c in (archive.minor_causes or "").split(",") if c]
    if len(minor) > 3:
        errors["minor_causes"] = "次要致困原因最多选三项"
    if archive.main_cause and archive.main_cause in minor:
        errors["minor_causes"] = "次要致困原因不能与主要致困原因相同"
    if OTHER_CAUSE in [archive.main_cause, *minor] and not archive.cause_other_text:
        errors["cause_other_text"] = "选了“其他”致困原因,请写明具体原因"
    if archive.disability_grade and not archive.disability_category:
        errors["disability_category"] = "填了残疾等级,请选择残疾类别"
    if archive.relief_target_on and not archive.relief_target:
        errors["relief_target"] = "填了确定时间,请勾选“是否为解困脱困对象”"
    if errors:
        raise ValidationFailed(errors, ARCHIVE.labels)


def _area_band(area: Decimal) -> str:
    return "1" if area <= 20 else "2" if area <= 50 else "3" if area <= 70 else "4"


def _save(session, actor, archive, cleaned, member_rows, expense_rows, *, new: bool) -> None:
    union_id = cleaned.get("union_id", archive.union_id)
    chain = scope.require_in_chain(session, actor, union_id, "建立或修改该工会的困难职工档案")
    if chain[0].kind not in ("grassroots", "federation"):
        raise ValidationFailed({"union_id": f"困难职工档案应属于基层工会,“{chain[0].name}”不是基层工会"},
                               ARCHIVE.labels)
    records.apply(archive, cleaned)
    if "id_number" in cleaned:
        info = parse_id_number(archive.id_number)
        archive.gender, archive.birth_date = info.gender, info.birth_date
        archive.member_id = session.scalar(select(Member.id).where(
            Member.id_number == archive.id_number, Member.deleted.is_(False),
            Member.status.in_(ACTIVE_MEMBER_STATUSES)).limit(1))
    if "name" in cleaned:
        archive.name_pinyin, archive.name_initials = name_keys(archive.name)
    if archive.housing_area is not None:
        archive.housing_area_band = _area_band(archive.housing_area)
    _check_fields(archive)
    with session.no_autoflush:  # check before anything is written
        current = [] if new else family_members(session, archive.id)
        member_ids = ([c["id_number"] for _, c in member_rows] if member_rows is not None
                      else [m.id_number for m in current])
        check_unique_people(session, archive.id_number, member_ids, None if new else archive.id)
    if new:
        session.add(archive)
    else:
        archive.last_edited_by = actor.username
    session.flush()
    if member_rows is not None:
        _replace(session, HardshipFamilyMember, current, member_rows, archive.id, ordered=True)
    if expense_rows is not None:
        _replace(session, HardshipExpense, expenses(session, archive.id), expense_rows, archive.id)
    session.flush()
    recompute(session, archive)
    session.flush()


def _replace(session, model, current, rows, archive_id, *, ordered=False) -> None:
    by_id = {r.id: r for r in current}
    keep = set()
    for i, (row_id, cleaned) in enumerate(rows):
        obj = by_id.get(row_id) if row_id else None
        if obj is None:
            obj = model(archive_id=archive_id)
            session.add(obj)
        else:
            keep.add(obj.id)
        records.apply(obj, cleaned)
        if ordered:
            obj.sort_order = i
    for obj in current:
        if obj.id not in keep:
            obj.deleted = True


# -- eligibility ------------------------------------------------------------------------------------
def code_labels(session) -> dict[str, dict[str, str]]:
    book = records.codebook(session)
    return {t: {e.code: e.label for e in book.items(t, active_only=False)}
            for t in ("rigid_expense", "hardship_exclusion")}


def household_of(archive: HardshipArchive, members, expense_rows, on: date) -> elig.Household:
    return elig.Household(
        head_monthly_fen=archive.monthly_income_fen or 0,
        members_monthly_fen=[m.monthly_income_fen or 0 for m in members],
        other_annual_fen=archive.other_annual_income_fen or 0,
        expenses=[(e.item, e.amount_fen) for e in expense_rows],
        accident_event=bool(archive.accident_event),
        accident_costs_fen=archive.accident_costs_fen or 0,
        exclusions=[c for c in (archive.exclusions or "").split(",") if c],
        head_age=age_on(archive.birth_date, on) if archive.birth_date else None,
    )


def recompute(session: Session, archive: HardshipArchive, on: date | None = None, *,
              adopt: bool | None = None) -> elig.Assessment | None:
    """Refresh the derived figures and the proposal (with the parameters of the county and year of
    ``on``: the application date, else today). The grade follows the proposal (``adopt``) until the
    archive is approved; after that only 年审 changes it. A written override is always kept."""
    on = on or archive.applied_on or today()
    members, rows = family_members(session, archive.id), expenses(session, archive.id)
    county = scope.county_of(scope.unit_chain(session, archive.union_id))
    return apply_figures(archive, members, rows, county, scope.params_row(session, county.id, on.year),
                         code_labels(session), on, adopt=adopt)


def apply_figures(archive: HardshipArchive, members, rows, county: Unit, row, labels, on: date, *,
                  adopt: bool | None = None) -> elig.Assessment | None:
    """``recompute`` on given members, expense rows and parameters (``row``: the county's
    parameters of ``on``'s year, or None): what a batch import computes without a query each."""
    if adopt is None:
        adopt = archive.status not in ("archived", "exited", "cancelled")
    adopt = adopt and not archive.category_overridden
    household = household_of(archive, members, rows, on)
    archive.household_size = household.size
    archive.family_annual_income_fen = household.annual_income_fen
    archive.rigid_expense_fen = expense_total(e.amount_fen for e in rows)
    if row is None:
        _, archive.per_capita_fen = elig.per_capita(household.annual_income_fen, household.size)
        archive.proposed_category = archive.params_id = None
        archive.eligibility_text = (f"尚未设置{county.name}{on.year}年的认定参数(低保标准等),"
                                    "无法认定困难类别")
        if adopt:
            archive.category = None
        return None
    result = elig.assess(household, scope.as_params(row, county.name), labels)
    archive.per_capita_fen = result.per_capita_fen
    archive.proposed_category = result.category
    archive.params_id = row.id
    archive.eligibility_text = result.text
    if adopt:
        archive.category = result.category
    return result


def expense_total(amounts) -> int:
    """刚性支出合计: every item's 年度金额 (fen), as the archive stores it; the working deducts only
    the items the year's parameters allow."""
    return sum(a or 0 for a in amounts)


def typed_figures(session: Session, values: Mapping[str, Any], members: Sequence[Mapping[str, Any]],
                  expense_items: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """The derived figures that need no parameters, for a form being filled in (what saving will
    store): 家庭人口, 刚性支出合计, and 家庭年度总收入 once 本人月平均收入 is typed. Values not
    valid yet count as empty."""
    book = records.codebook(session)
    head, _ = ARCHIVE.clean(values, book, partial=True)
    rows = [FAMILY_MEMBER.clean(m, book, partial=True)[0] for m in members]
    items = [EXPENSE.clean(e, book, partial=True)[0] for e in expense_items]
    out = {"household_size": 1 + len(members),
           "rigid_expense_fen": expense_total(e.get("amount_fen") for e in items)}
    if head.get("monthly_income_fen") is not None:
        out["family_annual_income_fen"] = elig.Household(
            head["monthly_income_fen"], [r.get("monthly_income_fen") or 0 for r in rows],
            head.get("other_annual_income_fen") or 0).annual_income_fen
    return out


def preview(session: Session, actor, values: Mapping[str, Any], members: Sequence[Mapping[str, Any]],
            expense_items: Sequence[Mapping[str, Any]], union_id: str, on: date | None = None
            ) -> elig.Assessment | str:
    """The live proposal for a form being filled in (nothing is saved); a message string when the
    figures or the parameters are not there yet."""
    actor.require(Perm.READ, "计算困难类别")
    book = records.codebook(session)
    head, _ = ARCHIVE.clean(values, book, partial=True)
    rows = [FAMILY_MEMBER.clean(m, book, partial=True)[0] for m in members]
    items = [EXPENSE.clean(e, book, partial=True)[0] for e in expense_items]
    on = on or head.get("applied_on") or today()
    if head.get("monthly_income_fen") is None:
        return "填写本人月平均收入后自动计算"
    county = scope.county_of(scope.unit_chain(session, union_id))
    row = scope.params_row(session, county.id, on.year)
    if row is None:
        return f"尚未设置{county.name}{on.year}年的认定参数,无法计算"
    birth = parse_id_number(head["id_number"]).birth_date if head.get("id_number") else None
    household = elig.Household(
        head["monthly_income_fen"], [r.get("monthly_income_fen") or 0 for r in rows],
        head.get("other_annual_income_fen") or 0,
        [(e["item"], e["amount_fen"]) for e in items if e.get("item") and e.get("amount_fen")],
        bool(head.get("accident_event")), head.get("accident_costs_fen") or 0,
        [c for c in (head.get("exclusions") or "").split(",") if c],
        age_on(birth, on) if birth else None)
    return elig.assess(household, scope.as_params(row, county.name), code_labels(session))
