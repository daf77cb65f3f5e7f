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
Four-eyes: whoever entered, edited or submitted an archive may not do its 帮扶中心审核 or 党组审批,
and the 审核人 who did the 帮扶中心审核 may not also approve it.
Every step writes an immutable ``hardship_reviews`` row: who, when, which level's opinion, signer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import today
from app.db.engine import dumps_compact
from app.errors import AppError, PermissionDenied, ValidationFailed
from app.fields.hardship import ACTION_CHOICES, ARCHIVE, STEP_FIELDS
from app.fields.spec import Field, clean_value
from app.models import HardshipArchive, HardshipReview, Unit
from app.security.roles import Perm
from app.services import calendar, records
from app.services.hardship import scope
from app.services.hardship.archives import STATUS_LABELS, family_members, recompute
from app.services.hardship.identity import check_unique_people
from app.services.hardship.eligibility import CATEGORY_LABELS

# The strip shown on top of the form: (label, statuses that sit at or past this point).
STRIP = ("草稿", "申请", "基层初审", "乡镇复审", "帮扶中心审核", "公示", "党组审批", "已建档")
_STRIP_POS = {"draft": 0, "returned": 0, "applied": 1, "grassroots_ok": 2, "township_ok": 3,
              "center_ok": 4, "publicizing": 5, "publicized": 6, "archived": 7, "exited": 7,
              "cancelled": 7}


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    from_statuses: tuple[str, ...]
    to_status: str | None  # None: stays
    perms: tuple[Perm, ...]  # any of
    level: str  # chain | grassroots | middle | county
    four_eyes: bool = False


RULES: dict[str, Rule] = {r.key: r for r in (
    Rule("submit", "提交申请", ("draft", "returned"), "applied", (Perm.WRITE,), "chain"),
    Rule("grassroots", "基层工会初审", ("applied",), "grassroots_ok", (Perm.WRITE,), "grassroots"),
    Rule("township", "乡镇/系统工会复审", ("grassroots_ok",), "township_ok", (Perm.WRITE,), "middle"),
    Rule("center", "帮扶中心审核", ("township_ok",), "center_ok", (Perm.REVIEW,), "county",
         four_eyes=True),
    Rule("publicize", "开始公示", ("center_ok",), "publicizing", (Perm.WRITE, Perm.REVIEW), "county"),
    Rule("objection", "登记异议", ("publicizing",), None, (Perm.WRITE, Perm.REVIEW), "county"),
    Rule("end_publicity", "公示结束", ("publicizing",), "publicized", (Perm.WRITE, Perm.REVIEW),
         "county"),
    Rule("approve", "党组审批", ("publicized",), "archived", (Perm.APPROVE,), "county", four_eyes=True),
    Rule("annual", "年审", ("archived",), None, (Perm.REVIEW,), "county"),
    Rule("exit", "脱困", ("archived",), "exited", (Perm.REVIEW,), "county"),
    Rule("cancel", "注销", ("archived",), "cancelled", (Perm.REVIEW,), "county"),
)}
FORWARD = {"applied": "grassroots", "grassroots_ok": "township", "township_ok": "center",
           "center_ok": "publicize", "publicizing": "end_publicity", "publicized": "approve"}
RETURN_LABEL = "退回"


@dataclass(frozen=True)
class ActionInfo:
    key: str
    label: str
    fields: tuple[Field, ...]
    signer_required: bool
    not_yet: str | None = None  # the user may take it, but not today (the 公示 window still runs)


def strip_position(status: str) -> int:
    return _STRIP_POS[status]


# -- who may act -----------------------------------------------------------------------------------
def _level_unit(chain: list[Unit], level: str) -> Unit:
    if level == "grassroots":
        return chain[0]
    if level == "middle":
        return scope.middle_of(chain)
    return scope.county_of(chain)


def _entered_by(archive: HardshipArchive) -> set[str]:
    return {u for u in (archive.created_by, archive.entered_by, archive.applied_by,
                        archive.last_edited_by) if u}


def _last_actor(session: Session, archive_id: str, action: str) -> str | None:
    return session.scalar(select(HardshipReview.actor_username).where(
        HardshipReview.archive_id == archive_id, HardshipReview.action == action)
        .order_by(HardshipReview.step_no.desc()).limit(1))


def refusal(session: Session, actor, archive: HardshipArchive, key: str) -> str | None:
    """Why ``actor`` may not take action ``key`` on ``archive`` now (None: they may)."""
    if key == "return":
        forward = FORWARD.get(archive.status)
        if forward is None:
            return f"档案{STATUS_LABELS[archive.status]},没有可退回的环节"
        return _refusal(session, actor, archive, RULES[forward], four_eyes=False)
    return _refusal(session, actor, archive, RULES[key], four_eyes=True)


def _refusal(session, actor, archive, rule: Rule, *, four_eyes: bool) -> str | None:
    if archive.deleted:
        return "档案已作废"
    if archive.status not in rule.from_statuses:
        return f"档案当前{STATUS_LABELS[archive.status]},不能{rule.label}"
    if not any(actor.can(p) for p in rule.perms):
        from app.security.roles import role_label

        roles = "或".join({Perm.WRITE: "经办人", Perm.REVIEW: "审核人", Perm.APPROVE: "审批人"}[p]
                          for p in rule.perms)
        return f"{rule.label}须由{roles}办理,当前用户是{role_label(actor.role)}"
    if actor.role == "system":
        return None
    chain = scope.unit_chain(session, archive.union_id)
    mine = scope.actor_unit_id(session, actor)
    ids = [u.id for u in chain]
    level_unit = _level_unit(chain, rule.level)
    if rule.level == "county" and mine != level_unit.id:
        return f"{rule.label}须由{level_unit.name}办理,您不属于该单位"
    if rule.level in ("chain", "grassroots") and mine not in ids:
        return f"您所在的单位不是“{chain[0].name}”或其上级工会,不能{rule.label}"
    if rule.level == "middle" and mine not in ids[ids.index(level_unit.id):]:
        return f"{rule.label}须由{level_unit.name}或其上级办理"
    if four_eyes and rule.four_eyes:
        barred = _entered_by(archive)
        if rule.key == "approve" and (reviewer := _last_actor(session, archive.id, "center")):
            barred.add(reviewer)
        if actor.username in barred:
            return (f"四眼原则:您录入、修改、提交或审核过该档案,不能再办理{rule.label},"
                    "请由其他人员办理")
    return None


def _signer_required(session, actor, archive, rule: Rule) -> bool:
    if rule.level not in ("grassroots", "middle") or actor.role == "system":
        return False
    chain = scope.unit_chain(session, archive.union_id)
    return scope.actor_unit_id(session, actor) != _level_unit(chain, rule.level).id


def available_actions(session: Session, actor, archive_id: str) -> list[ActionInfo]:
    """The actions this user may take on this archive now: the UI shows exactly these buttons."""
    archive = records.get_live(session, ARCHIVE, archive_id)
    out = []
    for key in (*RULES, "return"):
        if refusal(session, actor, archive, key) is None:
            rule = RULES[FORWARD[archive.status]] if key == "return" else RULES[key]
            not_yet = None
            if key == "end_publicity" and archive.publicity_end and today() <= archive.publicity_end:
                not_yet = f"公示期至 {archive.publicity_end.isoformat()} 止,期满后才能结束公示"
            out.append(ActionInfo(key, RETURN_LABEL if key == "return" else rule.label,
                                  STEP_FIELDS[key], _signer_required(session, actor, archive, rule),
                                  not_yet))
    return out


def may_edit(session: Session, actor, archive: HardshipArchive) -> bool:
    from app.services.hardship.archives import EDITABLE

    if not actor.can(Perm.WRITE) or archive.status not in EDITABLE or archive.deleted:
        return False
    mine = scope.actor_unit_id(session, actor)
    return actor.role == "system" or mine in {u.id for u in scope.unit_chain(session, archive.union_id)}


# -- acting -----------------------------------------------------------------------------------------
def _clean_step(session, key: str, values: Mapping[str, Any]) -> dict[str, Any]:
    book = records.codebook(session)
    cleaned, errors = {}, {}
    for f in STEP_FIELDS[key]:
        try:
            value = clean_value(f, values.get(f.key), book)
        except ValueError as exc:
            errors[f.key] = str(exc)
            continue
        if value is None:
            value = f.default
        if value is None and f.required:
            errors[f.key] = "必填"
        cleaned[f.key] = value
    if errors:
        raise ValidationFailed(errors, {f.key: f.label for f in STEP_FIELDS[key]})
    acted = cleaned.get("acted_on") or today()
    if acted > today():
        raise ValidationFailed({"acted_on": "日期不能晚于今天"}, {"acted_on": "日期"})
    cleaned["acted_on"] = acted
    return cleaned


# dates a step's inputs must keep in order: (earlier key, later key, message on the later one)
DATE_ORDER = {
    "grassroots": (("investigated_on", "acted_on", "初审日期不能早于入户调查日期"),),
    "center": (("civil_check_sent_on", "civil_check_result_on", "结果日期不能早于送达日期"),
               ("civil_check_result_on", "acted_on", "审核日期不能早于民政核对结果日期")),
}
PAST_DATES = ("investigated_on", "civil_check_sent_on", "civil_check_result_on")  # 公示 may be ahead
NOT_IN_CHAIN = ("category", "renumber")  # logged on the day they are done, not paper steps


def _check_dates(session, archive, key: str, vals: dict) -> None:
    """No date in the future, the step's own dates in order, and the step not dated before the
    step it follows (a paper date is entered as such, so the printed forms read in order)."""
    labels = {f.key: f.label for f in STEP_FIELDS[key]}
    errors = {k: "日期不能晚于今天" for k in PAST_DATES if vals.get(k) and vals[k] > today()}
    for earlier, later, message in DATE_ORDER.get(key, ()):
        if vals.get(earlier) and vals.get(later) and vals[later] < vals[earlier]:
            errors.setdefault(later, message)
    last = session.execute(select(HardshipReview.action, HardshipReview.acted_on).where(
        HardshipReview.archive_id == archive.id, HardshipReview.action.not_in(NOT_IN_CHAIN))
        .order_by(HardshipReview.step_no.desc()).limit(1)).first()
    if last is not None and vals["acted_on"] < last.acted_on:
        step = dict(ACTION_CHOICES).get(last.action, last.action)
        errors.setdefault("acted_on", f"日期不能早于上一环节“{step}”的日期 {last.acted_on.isoformat()}")
    if errors:
        raise ValidationFailed(errors, labels)


def act(session: Session, actor, archive_id: str, key: str,
        values: Mapping[str, Any] | None = None) -> HardshipArchive:
    """Take workflow action ``key`` (``RULES`` or "return") with the inputs of ``STEP_FIELDS[key]``."""
    if key != "return" and key not in RULES:
        raise AppError(f"没有名为 {key} 的审核环节")
    archive = records.get_live(session, ARCHIVE, archive_id)
    if reason := refusal(session, actor, archive, key):
        raise PermissionDenied(reason)
    rule = RULES[FORWARD[archive.status]] if key == "return" else RULES[key]
    vals = _clean_step(session, key, values or {})
    chain = scope.unit_chain(session, archive.union_id)
    signer = vals.get("signer_name")
    if _signer_required(session, actor, archive, rule) and not signer:
        raise ValidationFailed({"signer_name": f"代{_level_unit(chain, rule.level).name}录入意见时,"
                                               "须填写纸质意见上的签字人"}, {"signer_name": "签字人"})
    _check_dates(session, archive, key, vals)
    before = archive.status
    data = _STEP_EFFECTS[key](session, actor, archive, vals, chain)
    after = archive.status if key in ("objection", "annual") else (
        "returned" if key == "return" else rule.to_status)
    archive.status = after
    log(session, actor, archive, key, before, after, vals["acted_on"], vals.get("opinion"),
        _level_unit(chain, rule.level).id, signer, data)
    session.flush()
    return archive


def log(session, actor, archive, action, before, after, acted_on, opinion, level_unit_id, signer,
        data=None) -> HardshipReview:
    step = (session.scalar(select(func.max(HardshipReview.step_no)).where(
        HardshipReview.archive_id == archive.id)) or 0) + 1
    row = HardshipReview(archive_id=archive.id, step_no=step, action=action, from_status=before,
                         to_status=after, acted_on=acted_on, opinion=opinion,
                         level_unit_id=level_unit_id, actor_username=actor.username,
                         actor_name=actor.display_name or actor.username, actor_role=actor.role,
                         actor_unit_id=scope.actor_unit_id(session, actor), signer_name=signer,
                         data=dumps_compact(data or {}))
    session.add(row)
    return row


# -- what each step does --------------------------------------------------------------------------
def _people_unique(session, archive) -> None:
    check_unique_people(session, archive.id_number,
                        [m.id_number for m in family_members(session, archive.id)], archive.id)


def _require_grade(archive, what: str) -> None:
    if archive.category is None:
        raise AppError(f"按认定标准该户{archive.eligibility_text.splitlines()[-1] if archive.eligibility_text else '无法认定'},"
                       f"不能{what};如确需办理,请写明理由改定困难类别")


def _submit(session, actor, archive, vals, chain):
    archive.applied_on = archive.applied_on or vals["acted_on"]
    archive.applied_by = actor.username
    _people_unique(session, archive)
    recompute(session, archive, archive.applied_on)
    _require_grade(archive, "提交")
    return {"proposed_category": archive.proposed_category, "category": archive.category}


def _grassroots(session, actor, archive, vals, chain):
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


def _township(session, actor, archive, vals, chain):
    return {}


def _center(session, actor, archive, vals, chain):
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


def _publicize(session, actor, archive, vals, chain):
    days = vals.get("publicity_days")
    if days is None:
        year = vals["publicity_start"].year
        row = scope.params_row(session, scope.county_of(chain).id, year)
        days = row.publicity_days if row is not None else 5
    window = calendar.working_day_window(session, vals["publicity_start"], days)
    archive.publicity_start, archive.publicity_days = vals["publicity_start"], days
    archive.publicity_end, archive.publicity_note = window.end, window.note
    archive.publicity_place = vals.get("publicity_place")
    archive.publicity_result = None
    return {"start": window.start.isoformat(), "end": window.end.isoformat(), "days": days,
            "exact": window.exact, "note": window.note}


def _objection(session, actor, archive, vals, chain):
    return {"objection": True}


def _end_publicity(session, actor, archive, vals, chain):
    if vals["acted_on"] <= archive.publicity_end:
        raise AppError(f"公示期至 {archive.publicity_end.isoformat()} 止,期满后才能结束公示")
    archive.publicity_result = vals["publicity_result"]
    return {"result": vals["publicity_result"]}


def next_archive_no(session: Session, county: Unit, year: int) -> str:
    """County code + year + a 5-digit serial, the next free one (in the approving transaction)."""
    prefix = f"{county.code or '000000'}{year}"
    last = session.scalar(select(func.max(HardshipArchive.archive_no)).where(
        HardshipArchive.archive_no.like(prefix + "%")))
    serial = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


def _approve(session, actor, archive, vals, chain):
    _people_unique(session, archive)
    _require_grade(archive, "审批建档")
    archive.archive_no = next_archive_no(session, scope.county_of(chain), vals["acted_on"].year)
    archive.archived_on = archive.last_recheck_on = vals["acted_on"]
    return {"archive_no": archive.archive_no, "category": archive.category}


def _return(session, actor, archive, vals, chain):
    return {"returned_from": archive.status}


def _annual(session, actor, archive, vals, chain):
    result = recompute(session, archive, vals["acted_on"], adopt=True)
    if archive.category is None:
        raise AppError(f"按{vals['acted_on'].year}年标准该户已不符合建档条件"
                       f"({result.label if result else '缺少当年参数'}),请办理脱困或注销,"
                       "或写明理由改定困难类别后再年审")
    archive.last_recheck_on = vals["acted_on"]
    return {"category": archive.category, "per_capita_fen": archive.per_capita_fen}


def _close(kind: str):
    prefix = "1" if kind == "exit" else "2"

    def effect(session, actor, archive, vals, chain):
        if not vals["close_reason"].startswith(prefix):
            label = "脱困" if kind == "exit" else "注销"
            raise ValidationFailed({"close_reason": f"请选择{label}类的原因"}, {"close_reason": "原因"})
        archive.closed_on, archive.close_reason = vals["acted_on"], vals["close_reason"]
        archive.close_note = vals["opinion"]
        return {"close_reason": vals["close_reason"]}
    return effect


_STEP_EFFECTS = {"submit": _submit, "grassroots": _grassroots, "township": _township,
                 "center": _center, "publicize": _publicize, "objection": _objection,
                 "end_publicity": _end_publicity, "approve": _approve, "return": _return,
                 "annual": _annual, "exit": _close("exit"), "cancel": _close("cancel")}


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
    chain = scope.unit_chain(session, archive.union_id)
    log(session, actor, archive, "category", archive.status, archive.status, today(),
        reason or "恢复系统认定类别", scope.county_of(chain).id, None,
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
    chain = scope.unit_chain(session, archive.union_id)
    county = scope.county_of(chain)
    year = archive.archived_on.year if archive.archived_on else today().year
    old, new = archive.archive_no, next_archive_no(session, county, year)
    archive.archive_no = new
    log(session, actor, archive, "renumber", archive.status, archive.status, today(), reason,
        county.id, None, {"before": old, "after": new})
    session.flush()
    return old, new


def history(session: Session, actor, archive_id: str) -> list[HardshipReview]:
    actor.require(Perm.READ, "查看审核记录")
    return list(session.scalars(select(HardshipReview).where(HardshipReview.archive_id == archive_id)
                                .order_by(HardshipReview.step_no)))
