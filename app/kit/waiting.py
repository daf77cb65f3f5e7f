"""Who acts next on a record in a review chain, and since when: "待 示例县总工会 审核人 帮扶中心审核
(自 2026年12月1日)". The form's strip and the list's status tag say it, so a clerk sees where a
record waits without opening the chain's rules.

The next step is the chain's forward step from the record's status (``Chain.forward``), or the
chain's first step for a record not yet submitted (草稿, 退回); a chain whose statuses branch (a
ticket 受理 may be handed over or finished) names the step each status waits for (``waits``); a
record at rest (已建档, 归档, 注销) waits on nobody. "Since" is the day of the step that brought it to its status, else the day
it was entered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.kit.chain import PERM_ROLES, Chain, Step, units_of
from app.validation import format_cn_date


@dataclass(frozen=True)
class Waiting:
    step: str  # 帮扶中心审核
    unit: str  # 示例县总工会
    roles: str  # 审核人
    since: date | None

    def text(self) -> str:
        out = f"待 {self.unit} {self.roles} {self.step}"
        return out + (f"(自 {format_cn_date(self.since)})" if self.since else "")


def next_step(chain: Chain, status: str, waits: Mapping[str, str] | None = None) -> Step | None:
    if waits is not None:
        return chain.step(waits[status]) if status in waits else None
    if status in chain.forward:
        return chain.step(chain.forward[status])
    first = chain.steps[0]
    return first if status in first.from_statuses else None


def strip_marks(chain: Chain, status: str, reached: int, strip_steps: Mapping[str, int],
                waits: Mapping[str, str] | None = None) -> tuple[int, int | None]:
    """How a chain's strip marks ``status``: (the last strip step done, the strip step the record
    waits for or None at rest). The pending step is the one ``waiting_on`` names, so the strip and
    the "待 … 审核" text never disagree; ``strip_steps``: step key -> its index on the strip."""
    step = next_step(chain, status, waits)
    return reached, (strip_steps[step.key] if step is not None else None)


def waiting_on(session: Session, chain: Chain, record,
               waits: Mapping[str, str] | None = None) -> Waiting | None:
    """Whose step ``record`` waits for, or None (at rest, voided); ``waits``: status -> the key
    of the step it waits for, for a chain whose forward steps do not say it."""
    if getattr(record, "deleted", False):
        return None
    step = next_step(chain, record.status, waits)
    if step is None:
        return None
    unit = chain.level_unit(units_of(session, chain, record), step.level)
    roles = "或".join(PERM_ROLES[p] for p in step.perms)
    return Waiting(step.label, unit.name, roles, _since(session, chain, record))


def _since(session: Session, chain: Chain, record) -> date | None:
    M = chain.step_model
    acted = session.scalar(select(M.acted_on).where(
        getattr(M, chain.record_key) == record.id, M.to_status == record.status)
        .order_by(M.step_no.desc()).limit(1))
    if acted is not None:
        return acted
    created = getattr(record, "created_at", None)
    if isinstance(created, datetime):
        from app.clock import to_local

        return to_local(created).date()
    return created if isinstance(created, date) else None
