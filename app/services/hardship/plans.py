"""帮扶计划 (一户一策, 一户一联系人): the household's responsible cadre, measures, time limit and
outcome, with dated progress notes. ``next_review_on`` drives the 待办 reminders."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError, ValidationFailed
from app.fields.hardship_relief import HELP_PLAN, PLAN_NOTE, PLANNABLE
from app.kit.register import Card, Item, Register
from app.models import HardshipArchive, HelpPlan, HelpPlanNote
from app.security.roles import Perm
from app.services import records


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    """A plan is for a household approved or archived and stays with it (that it is reviewed
    before its time limit is declared on ``target_on``)."""
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        v, errors = it.values, {}
        if it.record is not None and v.get("archive_id") != it.record.archive_id:
            errors["archive_id"] = "帮扶计划不能改为其他家庭的,请为该户另行制定"
        elif it.is_new:
            archive = session.get(HardshipArchive, v.get("archive_id")) if v.get("archive_id") else None
            if archive is None or archive.deleted or archive.status not in PLANNABLE:
                errors["archive_id"] = "帮扶计划须针对审核通过或已建档的困难职工家庭"
        if errors:
            out[i] = errors
    return out


def _union_of(session: Session, values) -> str | None:
    archive = session.get(HardshipArchive, values.get("archive_id")) if values.get("archive_id") else None
    return archive.union_id if archive is not None else None


def _locked(plan: HelpPlan) -> str | None:
    return None if plan.status == "active" else "帮扶计划已结束,不能再修改"


REGISTER = Register(HELP_PLAN, initial={"status": "active"}, rule=_rule, unit_of=_union_of,
                    locked=_locked, search_hint="帮扶责任人", excel_key="plans",
                    card=Card(("基层工会意见", "县困难职工帮扶中心意见"), title="一户一策帮扶计划表"))


def add_note(session: Session, actor, plan_id: str, values: Mapping[str, Any], *,
             next_review_on: date | None = None) -> HelpPlanNote:
    """A progress note; ``next_review_on`` moves the plan's next reminder."""
    actor.require(Perm.WRITE, "记录帮扶进展")
    plan = records.get_live(session, HELP_PLAN, plan_id)
    cleaned = records.clean_or_raise(session, PLAN_NOTE, values)
    if cleaned["noted_on"] > today():
        raise ValidationFailed({"noted_on": "日期不能晚于今天"}, PLAN_NOTE.labels)
    note = HelpPlanNote(plan_id=plan.id, author=actor.display_name or actor.username, **cleaned)
    session.add(note)
    if next_review_on is not None:
        if next_review_on <= cleaned["noted_on"]:
            raise ValidationFailed({"next_review_on": "下次回访日期应晚于本次记录日期"},
                                   HELP_PLAN.labels)
        plan.next_review_on = next_review_on
    session.flush()
    return note


def finish_plan(session: Session, actor, plan_id: str, *, outcome: str, done: bool = True,
                on: date | None = None) -> HelpPlan:
    actor.require(Perm.WRITE, "结束帮扶计划")
    plan = records.get_live(session, HELP_PLAN, plan_id)
    if plan.status != "active":
        raise AppError("帮扶计划已经结束")
    if len((outcome or "").strip()) < 2:
        raise ValidationFailed({"outcome": "请填写帮扶成效"}, HELP_PLAN.labels)
    plan.status, plan.outcome = ("done" if done else "stopped"), outcome.strip()
    plan.finished_on, plan.next_review_on = on or today(), None
    session.flush()
    return plan


def plans_of(session: Session, actor, archive_id: str) -> list[HelpPlan]:
    actor.require(Perm.READ, "查看帮扶计划")
    return list(session.scalars(select(HelpPlan).where(
        HelpPlan.archive_id == archive_id, HelpPlan.deleted.is_(False)).order_by(HelpPlan.created_at)))


def notes_of(session: Session, actor, plan_id: str) -> list[HelpPlanNote]:
    actor.require(Perm.READ, "查看帮扶进展")
    return list(session.scalars(select(HelpPlanNote).where(
        HelpPlanNote.plan_id == plan_id, HelpPlanNote.deleted.is_(False)).order_by(HelpPlanNote.noted_on)))
