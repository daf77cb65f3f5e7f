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
from app.fields.hardship_relief import HELP_PLAN, PLAN_NOTE
from app.models import HardshipArchive, HelpPlan, HelpPlanNote
from app.security.roles import Perm
from app.services import records
from app.services.hardship import scope

PLANNABLE = ("center_ok", "publicizing", "publicized", "archived")


def create_plan(session: Session, actor, values: Mapping[str, Any]) -> HelpPlan:
    actor.require(Perm.WRITE, "制定帮扶计划")
    cleaned = records.clean_or_raise(session, HELP_PLAN, values)
    archive = session.get(HardshipArchive, cleaned["archive_id"])
    if archive is None or archive.deleted or archive.status not in PLANNABLE:
        raise ValidationFailed({"archive_id": "帮扶计划须针对审核通过或已建档的困难职工家庭"},
                               HELP_PLAN.labels)
    scope.require_in_chain(session, actor, archive.union_id, "为该户制定帮扶计划")
    _check_dates(cleaned)
    plan = HelpPlan(status="active")
    records.apply(plan, cleaned)
    session.add(plan)
    session.flush()
    return plan


def _check_dates(cleaned: dict) -> None:
    if cleaned.get("next_review_on") and cleaned.get("target_on") and \
            cleaned["next_review_on"] > cleaned["target_on"]:
        raise ValidationFailed({"next_review_on": "回访日期不应晚于完成时限"}, HELP_PLAN.labels)


def update_plan(session: Session, actor, plan_id: str, values: Mapping[str, Any]) -> HelpPlan:
    actor.require(Perm.WRITE, "修改帮扶计划")
    plan = records.get_live(session, HELP_PLAN, plan_id)
    if plan.status != "active":
        raise AppError("帮扶计划已结束,不能再修改")
    cleaned = records.clean_or_raise(session, HELP_PLAN, values, partial=True)
    cleaned.pop("archive_id", None)
    _check_dates({"target_on": plan.target_on, "next_review_on": plan.next_review_on} | cleaned)
    records.apply(plan, cleaned)
    session.flush()
    return plan


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
