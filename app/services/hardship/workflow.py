"""The review chain of an archive, enforced by role AND unit (Anhui practice, seed section (六)):

    草稿 → 申请 → 基层工会初审 (入户调查) → 乡镇/系统工会复审 → 县帮扶中心审核 (民政核对)
         → 公示 (N working days) → 县总工会党组审批 → 已建档 (archive number)
    退回 at any step with a reason; 年审 keeps an archive active; 脱困 / 注销 close it.

Who may act (``RULES``):
- 提交申请: a 经办人 (WRITE) of the archive's grassroots union or of a union above it.
- 基层工会初审 / 乡镇复审: a 经办人 of the union at that level or above it (grassroots unions and
  townships hand in paper, so the county's 经办人 usually keys their opinion in). When the user's
  unit is not the level's own unit, the paper signer's name (``signer_name``) is required.
- 帮扶中心审核, 年审, 脱困, 注销: a 审核人 (REVIEW) of the county the archive belongs to.
- 公示 (start, objections, end): a 经办人 or 审核人 of the county.
- 党组审批: a 审批人 (APPROVE) of the county.
- 退回: whoever may take the forward step at the current status.
Four-eyes (``app.kit.chain.barred``): whoever created the archive, changed it at any time or took
the step before may not do its 帮扶中心审核 or 党组审批; whoever submitted it or did the
帮扶中心审核 may not approve it either.
公示: never shorter than the year's parameter, which is never below the administrator's floor
(``app.services.hardship.settings``).
Every step writes an immutable ``hardship_reviews`` row: who, when, which level's opinion, signer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError, PermissionDenied, ValidationFailed
from app.fields.hardship import ACTION_CHOICES, ARCHIVE, STEP_FIELDS
from app.kit import chain
from app.kit.chain import ActionInfo, Step  # noqa: F401 - the page names ActionInfo
from app.models import HardshipArchive, HardshipReview, Unit
from app.security.roles import Perm
from app.services import calendar, form_numbers, records
from app.services.form_numbers import APPLICATION_KIND, ARCHIVE_KIND
from app.services.hardship import scope
from app.services.hardship.archives import STATUS_LABELS, family_members, recompute
from app.services.hardship.eligibility import CATEGORY_LABELS
from app.services.hardship.identity import check_unique_people
from app.services.hardship.settings import publicity_floor

# The strip shown on top of the form: (label, statuses that sit at or past this point).
STRIP = ("草稿", "申请", "基层初审", "乡镇复审", "帮扶中心审核", "公示", "党组审批", "已建档")
_STRIP_POS = {"draft": 0, "returned": 0, "applied": 1, "grassroots_ok": 2, "township_ok": 3,
              "center_ok": 4, "publicizing": 5, "publicized": 6, "archived": 7, "exited": 7,
              "cancelled": 7}


RULES: dict[str, Step] = {s.key: s for s in (
    Step("submit", "提交申请", ("draft", "returned"), "applied", (Perm.WRITE,), "chain"),
    Step("grassroots", "基层工会初审", ("applied",), "grassroots_ok", (Perm.WRITE,), "grassroots"),
    Step("township", "乡镇/系统工会复审", ("grassroots_ok",), "township_ok", (Perm.WRITE,), "middle"),
    Step("center", "帮扶中心审核", ("township_ok",), "center_ok", (Perm.REVIEW,), "county", exact=True,
         four_eyes=True),
    Step("publicize", "开始公示", ("center_ok",), "publicizing", (Perm.WRITE, Perm.REVIEW), "county",
         exact=True),
    Step("objection", "登记异议", ("publicizing",), None, (Perm.WRITE, Perm.REVIEW), "county", exact=True),
    Step("end_publicity", "公示结束", ("publicizing",), "publicized", (Perm.WRITE, Perm.REVIEW),
         "county", exact=True),
    Step("approve", "党组审批", ("publicized",), "archived", (Perm.APPROVE,), "county", exact=True,
         four_eyes=True),
    Step("annual", "年审", ("archived",), None, (Perm.REVIEW,), "county", exact=True),
    Step("exit", "脱困", ("archived",), "exited", (Perm.REVIEW,), "county", exact=True),
    Step("cancel", "注销", ("archived",), "cancelled", (Perm.REVIEW,), "county", exact=True),
)}
FORWARD = {"applied": "grassroots", "grassroots_ok": "township", "township_ok": "center",
           "center_ok": "publicize", "publicizing": "end_publicity", "publicized": "approve"}
RETURN_LABEL = "退回"


# the strip step each chain step takes the record to (the pending mark: ``strip_marks``)
STRIP_STEPS = {"submit": 1, "grassroots": 2, "township": 3, "center": 4, "publicize": 5,
               "end_publicity": 5, "approve": 6}


def strip_position(status: str) -> int:
    return _STRIP_POS[status]


def strip_marks(status: str) -> tuple[int, int | None]:
    """(the last strip step done, the step the archive waits for): the one ``waiting_text`` names."""
    from app.kit.waiting import strip_marks as marks

    return marks(CHAIN, status, _STRIP_POS[status], STRIP_STEPS)


def _level_unit(units: list[Unit], level: str) -> Unit:
    if level in ("chain", "grassroots"):
        return units[0]
    if level == "middle":
        return scope.middle_of(units)
    return scope.county_of(units)


def _barred(session: Session, archive: HardshipArchive, step: Step) -> set[str]:
    """Four-eyes: whoever entered, edited or submitted the archive; for 党组审批 also whoever did
    the 帮扶中心审核."""
    barred = {u for u in (archive.created_by, archive.entered_by, archive.applied_by,
                          archive.last_edited_by) if u}
    if step.key == "approve" and (reviewer := chain.last_actor(session, CHAIN, archive.id, "center")):
        barred.add(reviewer)
    return barred


def refusal(session: Session, actor, archive: HardshipArchive, key: str) -> str | None:
    """Why ``actor`` may not take action ``key`` on ``archive`` now (None: they may)."""
    return chain.refusal(session, actor, CHAIN, archive, key)


def _not_yet(archive: HardshipArchive, key: str) -> str | None:
    if key == "end_publicity" and archive.publicity_end and today() <= archive.publicity_end:
        return f"公示期至 {archive.publicity_end.isoformat()} 止,期满后才能结束公示"
    return None


def available_actions(session: Session, actor, archive_id: str) -> list[ActionInfo]:
    """The actions this user may take on this archive now: the UI shows exactly these buttons."""
    archive = records.get_live(session, ARCHIVE, archive_id)
    return chain.available_actions(session, actor, CHAIN, archive, _not_yet)


def waiting_text(session: Session, actor, archive_id: str) -> str | None:
    """“待 示例县总工会 审核人 帮扶中心审核(自 2026年12月1日)”, or None when the archive rests."""
    from app.kit.waiting import waiting_on

    actor.require(Perm.READ, "查看困难职工档案")
    archive = records.get_live(session, ARCHIVE, archive_id)
    found = waiting_on(session, CHAIN, archive)
    return found.text() if found else None


def may_edit(session: Session, actor, archive: HardshipArchive) -> bool:
    from app.services.hardship.archives import EDITABLE
    from app.services.ownership import owned_here

    if not actor.can(Perm.WRITE) or archive.status not in EDITABLE or archive.deleted \
            or not owned_here(session, archive.owner_unit_id):  # another unit's: a request only
        return False
    mine = scope.actor_unit_id(session, actor)
    return actor.role == "system" or mine in {u.id for u in scope.unit_chain(session, archive.union_id)}


def act(session: Session, actor, archive_id: str, key: str,
        values: Mapping[str, Any] | None = None) -> HardshipArchive:
    """Take workflow action ``key`` (``RULES`` or "return") with the inputs of ``STEP_FIELDS[key]``."""
    return chain.act(session, actor, CHAIN, archive_id, key, values)


def log(session, actor, archive, action, before, after, acted_on, opinion, level_unit_id, signer,
        data=None) -> HardshipReview:
    return chain.log(session, actor, CHAIN, archive, action, before, after, acted_on, opinion,
                     level_unit_id, signer, data)


# -- what each step does --------------------------------------------------------------------------
def _people_unique(session, archive) -> None:
    check_unique_people(session, archive.id_number,
                        [m.id_number for m in family_members(session, archive.id)], archive.id)


def _require_grade(archive, what: str) -> None:
    if archive.category is None:
        raise AppError(f"按认定标准该户{archive.eligibility_text.splitlines()[-1] if archive.eligibility_text else '无法认定'},"
                       f"不能{what};如确需办理,请写明理由改定困难类别")


def _submit(session, actor, archive, vals, units):
    if missing := ARCHIVE.missing(archive):  # a 草稿 kept what was known; 提交 needs it all
        names = "、".join(ARCHIVE.labels[k] for k in missing)
        raise ValidationFailed({"archive": f"提交前请补全:{names}"}, {"archive": "档案"})
    archive.applied_on = archive.applied_on or vals["acted_on"]
    archive.applied_by = actor.username
    _people_unique(session, archive)
    recompute(session, archive, archive.applied_on)
    _require_grade(archive, "提交")
    form_numbers.issue(session, APPLICATION_KIND, archive.id, vals["acted_on"].year, form="aid_application",
                       code=scope.county_of(units).code or "000000")  # the 申请表's 编号
    return {"proposed_category": archive.proposed_category, "category": archive.category}


def _grassroots(session, actor, archive, vals, units):
    if not vals["authorization_signed"]:
        raise ValidationFailed({"authorization_signed": "授权委托书未签署,不能通过初审(可退回)"},
                               {"authorization_signed": "家庭经济状况核对授权委托书"})
    if vals["investigator_1"] == vals["investigator_2"]:
        raise ValidationFailed({"investigator_2": "入户调查须由两人进行"}, {"investigator_2": "入户调查人二"})
    for k in ("investigator_1", "investigator_2", "investigated_on", "investigation_findings",
              "authorization_signed"):
        setattr(archive, k, vals[k])
    return {k: vals[k] for k in ("investigator_1", "investigator_2", "investigation_findings",
                                 "authorization_signed")} | {"investigated_on": vals["investigated_on"].isoformat()}


def _center(session, actor, archive, vals, units):
    if vals["civil_check_result"] == "mismatch":
        raise AppError("民政核对结果与申报不符,不能通过审核,请退回并说明")
    for k in ("civil_check_batch", "civil_check_sent_on", "civil_check_result", "civil_check_result_on"):
        setattr(archive, k, vals[k])
    archive.reviewer_name = actor.display_name or actor.username
    _people_unique(session, archive)
    recompute(session, archive, archive.applied_on)
    _require_grade(archive, "通过审核")
    return {"civil_check_result": vals["civil_check_result"], "category": archive.category,
            "civil_check_result_on": vals["civil_check_result_on"].isoformat()}


def _publicize(session, actor, archive, vals, units):
    year = vals["publicity_start"].year
    row = scope.params_row(session, scope.county_of(units).id, year)
    least = max(row.publicity_days if row is not None else 0, publicity_floor(session))
    days = vals.get("publicity_days") or least
    if days < least:
        raise ValidationFailed({"publicity_days": f"公示期不能少于 {least} 个工作日({year}年认定参数"
                                                  "及系统管理员设定的下限)"},
                               {"publicity_days": "公示工作日数"})
    window = calendar.working_day_window(session, vals["publicity_start"], days)
    archive.publicity_start, archive.publicity_days = vals["publicity_start"], days
    archive.publicity_end, archive.publicity_note = window.end, window.note
    archive.publicity_place = vals.get("publicity_place")
    archive.publicity_result = None
    return {"start": window.start.isoformat(), "end": window.end.isoformat(), "days": days,
            "exact": window.exact, "note": window.note}


def _objection(session, actor, archive, vals, units):
    return {"objection": True}


def _end_publicity(session, actor, archive, vals, units):
    if vals["acted_on"] <= archive.publicity_end:
        raise AppError(f"公示期至 {archive.publicity_end.isoformat()} 止,期满后才能结束公示")
    archive.publicity_result = vals["publicity_result"]
    return {"result": vals["publicity_result"]}


def next_archive_no(session: Session, county: Unit, year: int, archive_id: str | None = None) -> str:
    """The 档案编号 in the office format of every printed form (341122-困档-2026-0012): the number
    the archive's 档案表 already has (printed before approval), else the next of the county's 困档
    series (``app.services.form_numbers``: never reused)."""
    code = county.code or "000000"
    if archive_id is not None and (printed := form_numbers.given(session, ARCHIVE_KIND, archive_id)):
        return printed
    return form_numbers.format_number(code, ARCHIVE_KIND, year,
                                      form_numbers.highest(session, code, ARCHIVE_KIND, year) + 1)


def _approve(session, actor, archive, vals, units):
    _people_unique(session, archive)
    _require_grade(archive, "审批建档")
    archive.archive_no = next_archive_no(session, scope.county_of(units), vals["acted_on"].year, archive.id)
    archive.archived_on = archive.last_recheck_on = vals["acted_on"]
    return {"archive_no": archive.archive_no, "category": archive.category}


def _return(session, actor, archive, vals, units):
    return {"returned_from": archive.status}


def _annual(session, actor, archive, vals, units):
    result = recompute(session, archive, vals["acted_on"], adopt=True)
    if archive.category is None:
        raise AppError(f"按{vals['acted_on'].year}年标准该户已不符合建档条件"
                       f"({result.label if result else '缺少当年参数'}),请办理脱困或注销,"
                       "或写明理由改定困难类别后再年审")
    archive.last_recheck_on = vals["acted_on"]
    return {"category": archive.category, "per_capita_fen": archive.per_capita_fen}


def _close(kind: str):
    prefix = "1" if kind == "exit" else "2"

    def effect(session, actor, archive, vals, units):
        if not vals["close_reason"].startswith(prefix):
            label = "脱困" if kind == "exit" else "注销"
            raise ValidationFailed({"close_reason": f"请选择{label}类的原因"}, {"close_reason": "原因"})
        archive.closed_on, archive.close_reason = vals["acted_on"], vals["close_reason"]
        archive.close_note = vals["opinion"]
        return {"close_reason": vals["close_reason"]}
    return effect


# dates a step's inputs must keep in order: (earlier key, later key, message on the later one)
DATE_ORDER = {
    "grassroots": (("investigated_on", "acted_on", "初审日期不能早于入户调查日期"),),
    "center": (("civil_check_sent_on", "civil_check_result_on", "结果日期不能早于送达日期"),
               ("civil_check_result_on", "acted_on", "审核日期不能早于民政核对结果日期")),
}

CHAIN = chain.Chain(
    spec=ARCHIVE, steps=tuple(replace(s, fields=STEP_FIELDS[s.key]) for s in RULES.values()),
    status_labels=STATUS_LABELS, step_model=HardshipReview, record_key="archive_id",
    level_unit=_level_unit, forward=FORWARD, return_fields=STEP_FIELDS["return"],
    return_label=RETURN_LABEL,
    effects={"submit": _submit, "grassroots": _grassroots, "center": _center,
             "publicize": _publicize, "objection": _objection, "end_publicity": _end_publicity,
             "approve": _approve, "return": _return, "annual": _annual, "exit": _close("exit"),
             "cancel": _close("cancel")},
    barred=_barred, signer_levels=("grassroots", "middle"), date_order=DATE_ORDER,
    past_dates=("investigated_on", "civil_check_sent_on", "civil_check_result_on"),  # 公示 may be ahead
    step_dates={"publicize": ("publicity_start",)},  # the 公示's printed date
    not_in_order=("category", "renumber"),  # logged on the day they are done, not paper steps
    action_labels=dict(ACTION_CHOICES))
RULES = {s.key: s for s in CHAIN.steps}


# -- grade override and history ---------------------------------------------------------------------
def override_refusal(session: Session, actor, archive: HardshipArchive) -> str | None:
    """Why this user may not set the grade by hand now (None: they may). Allowed to whoever may
    edit the archive, or take its current forward step (or 年审) — but never while it is publicized:
    what the public was shown may not change under it (退回 first, then publicize again)."""
    if archive.status == "publicizing":
        return "公示期间不能改定困难类别(公示的内容不得变更);如确需改定,请先退回"
    step = FORWARD.get(archive.status) or ("annual" if archive.status == "archived" else None)
    allowed = (archive.status in ("draft", "returned") and may_edit(session, actor, archive)) or (
        step is not None and refusal(session, actor, archive, step) is None)
    return None if allowed else f"档案当前{STATUS_LABELS[archive.status]},您无权改定其困难类别"


def override_category(session: Session, actor, archive_id: str, category: str | None,
                      reason: str) -> HardshipArchive:
    """Set the grade against the proposal, with a written reason (stored, audited)."""
    archive = records.get_live(session, ARCHIVE, archive_id)
    if (why := override_refusal(session, actor, archive)) is not None:
        raise PermissionDenied(why)
    if category is not None and category not in CATEGORY_LABELS:
        raise ValidationFailed({"category": "困难类别不正确"}, ARCHIVE.labels)
    reason = (reason or "").strip()
    overridden = category != archive.proposed_category
    if overridden and len(reason) < 4:
        raise ValidationFailed({"category_reason": "改定系统认定的困难类别,须写明理由(至少 4 个字)"},
                               ARCHIVE.labels)
    before = archive.category
    archive.category, archive.category_overridden = category, overridden
    archive.category_reason = reason if overridden else None
    units = scope.unit_chain(session, archive.union_id)
    log(session, actor, archive, "category", archive.status, archive.status, today(),
        reason or "恢复系统认定类别", scope.county_of(units).id, None,
        {"before": before, "after": category, "proposed": archive.proposed_category})
    session.flush()
    return archive


def renumber(session: Session, actor, archive_id: str, reason: str) -> tuple[str, str]:
    """Give an archive the next free number of its county and approval year — when two PCs of one
    county numbered different archives alike between exchanges. Returns (old, new); logged as a
    step of the archive (the change itself is audited on flush). Forms printed with the old number
    are void."""
    actor.require(Perm.WRITE, "重新编号")
    archive = records.get_live(session, ARCHIVE, archive_id)
    if not archive.archive_no:
        raise AppError("该档案尚未建档编号,无需重新编号")
    county = scope.county_of(scope.unit_chain(session, archive.union_id))
    year = archive.archived_on.year if archive.archived_on else today().year
    old = archive.archive_no
    form_numbers.void(session, ARCHIVE_KIND, archive.id)  # a 档案表 printed before approval
    new = next_archive_no(session, county, year)
    archive.archive_no = new
    log(session, actor, archive, "renumber", archive.status, archive.status, today(), reason,
        county.id, None, {"before": old, "after": new})
    session.flush()
    return old, new


def history(session: Session, actor, archive_id: str) -> list[HardshipReview]:
    return chain.history(session, actor, CHAIN, archive_id)
