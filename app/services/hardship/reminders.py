"""待办 for the home page: what this user may do now in 困难职工帮扶.

- review steps waiting for this user (role and unit, the same rules the buttons use), since when
  (``app.kit.waiting``: the day of the step that brought the archive to its status);
- 公示 windows that have ended and wait to be closed;
- 年审 falling due (a year after 建档 or the last 年审);
- help-plan reviews falling due (``next_review_on``);
- 金秋助学 applications to decide (审核人) or to pay (经办人).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import today
from app.kit.waiting import waiting_on
from app.models import HardshipArchive, HelpPlan, StudyAid
from app.security.roles import Perm
from app.services.hardship.workflow import CHAIN, FORWARD, RULES, refusal


@dataclass(frozen=True)
class Reminder:
    kind: str  # review | publicity | annual | plan | aid
    title: str
    due_on: date | None
    object_type: str
    object_id: str


def reminders(session: Session, actor, *, on: date | None = None, horizon_days: int = 7,
              limit: int = 200) -> list[Reminder]:
    actor.require(Perm.READ, "查看待办")
    on = on or today()
    soon = on + timedelta(days=horizon_days)
    out: list[Reminder] = []
    A = HardshipArchive
    own = session.info.get("root_unit_id")  # only what this unit can act on: its own records
    statuses = [s for s, key in FORWARD.items() if any(actor.can(p) for p in RULES[key].perms)]
    if statuses:
        for archive in session.scalars(select(A).where(A.deleted.is_(False), A.owner_unit_id == own, A.status.in_(statuses))
                                       .order_by(A.updated_at).limit(limit * 5)):
            if archive.status == "publicizing":
                if archive.publicity_end and archive.publicity_end < on and \
                        refusal(session, actor, archive, "end_publicity") is None:
                    out.append(Reminder("publicity", f"公示期已满,待结束公示:{archive.name}",
                                        archive.publicity_end, "hardship_archives", archive.id))
                continue
            key = FORWARD[archive.status]
            if refusal(session, actor, archive, key) is None:  # since when: as the form's strip says
                found = waiting_on(session, CHAIN, archive)
                since = found.since if found is not None and found.since else archive.updated_at.date()
                out.append(Reminder("review", f"待{RULES[key].label}:{archive.name}(自 {since.isoformat()})",
                                    since, "hardship_archives", archive.id))
    if actor.can(Perm.REVIEW) or actor.can(Perm.WRITE):
        last = func.coalesce(A.last_recheck_on, A.archived_on)
        for archive in session.scalars(select(A).where(
                A.deleted.is_(False), A.owner_unit_id == own, A.status == "archived",
                last <= soon - timedelta(days=365))
                .order_by(last).limit(limit)):
            due = (archive.last_recheck_on or archive.archived_on) + timedelta(days=365)
            out.append(Reminder("annual", f"年审{'已逾期' if due < on else '将到期'}:{archive.name}"
                                f"({archive.archive_no})", due, "hardship_archives", archive.id))
    if actor.can(Perm.WRITE):
        for plan, name in session.execute(select(HelpPlan, A.name).join(A, A.id == HelpPlan.archive_id)
                                          .where(HelpPlan.deleted.is_(False), HelpPlan.owner_unit_id == own,
                                                 HelpPlan.status == "active",
                                                 HelpPlan.next_review_on <= soon)
                                          .order_by(HelpPlan.next_review_on).limit(limit)):
            out.append(Reminder("plan", f"帮扶计划回访:{name}(责任人 {plan.cadre_name})",
                                plan.next_review_on, "hardship_plans", plan.id))
    aid_status = [s for s, p in (("applied", Perm.REVIEW), ("approved", Perm.WRITE)) if actor.can(p)]
    for aid in session.scalars(select(StudyAid).where(StudyAid.deleted.is_(False),
                                                      StudyAid.owner_unit_id == own,
                                                      StudyAid.status.in_(aid_status)).limit(limit)):
        if aid.status == "applied" and actor.username in {aid.created_by, aid.updated_by}:
            continue
        what = "待审核" if aid.status == "applied" else "待发放"
        out.append(Reminder("aid", f"金秋助学{what}:{aid.student_name}", aid.applied_on,
                            "hardship_study_aid", aid.id))
    out.sort(key=lambda r: (r.due_on or on, r.kind))
    return out[:limit]
