"""困难职工帮扶 on the home page's 待办: what waits for this user (reviews, 公示 to close, 年审 due,
plan reviews due, 助学 to decide), each opening its record. The area's home cards are declared
figures (``app.services.hardship.figures``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.clock import today
from app.security.roles import Perm
from app.services.dashboard import Target, Todo
from app.services.hardship.figures import IN_REVIEW

TODO_LIMIT = 12
SPECS = {"hardship_archives": "hardship_archive", "hardship_plans": "hardship_plan",
         "hardship_study_aid": "hardship_study_aid"}  # table -> the register's tab


def todos(session: Session, actor) -> list[Todo]:
    from app.services.hardship.reminders import reminders

    if not actor.can(Perm.READ):
        return []
    items = reminders(session, actor, limit=200)
    out = []
    for r in items[:TODO_LIMIT]:
        urgent = r.due_on is not None and r.due_on < today()
        level = "urgent" if urgent else ("warn" if r.kind in ("review", "publicity") else "info")
        out.append(Todo(r.title, level, Target("hardship", SPECS.get(r.object_type, "hardship_archive"),
                                               {"open": r.object_id})))
    if len(items) > TODO_LIMIT:
        out.append(Todo(f"困难职工帮扶另有 {len(items) - TODO_LIMIT} 项待办,见“困难职工帮扶”各页",
                        "info", Target("hardship", "hardship_archive", {"status": IN_REVIEW})))
    return out
