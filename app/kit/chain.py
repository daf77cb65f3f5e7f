"""Review chains: a record's states, the steps that move it (each by role AND unit), dated steps
with opinions, 退回 — declared once (``Chain``) and run by one engine. 困难职工 archives (草稿 → 申请 →
… → 已建档), rights tickets (登记 → 受理 → 转办 → 办结 → 回访 → 归档) and 建会 are chains.

Who may take a step: a user holding one of its permissions, whose unit is the level's unit (an
``exact`` step: the county itself) or at or above it in the record's union's chain; four-eyes on
a step so declared: nobody who created the record, changed it at any time (its audit entries, not
only its last editor) or took the step before may take it, nor whoever the chain's own rule bars;
退回 by whoever may take the forward step. A paper opinion keyed in by a unit above the level's names its signer. Every step
writes an immutable row of the chain's step table: who, when, which level's opinion, signer, and
what the step did (``data``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import today
from app.db.engine import dumps_compact
from app.errors import AppError, PermissionDenied, ValidationFailed
from app.fields.spec import Field, RecordSpec, clean_value
from app.security.roles import Perm
from app.validation import format_cn_date

PERM_ROLES = {Perm.WRITE: "经办人", Perm.REVIEW: "审核人", Perm.APPROVE: "审批人"}


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    from_statuses: tuple[str, ...]
    to_status: str | None  # None: the record stays where it is (an objection, a 年审)
    perms: tuple[Perm, ...]  # any of
    level: str = "chain"  # whose step it is: a level the chain's ``level_unit`` knows
    exact: bool = False  # only the level's own unit (not a unit above it)
    four_eyes: bool = False
    fields: tuple[Field, ...] = ()  # the step's inputs (opinion, date …)


@dataclass(frozen=True)
class ActionInfo:
    key: str
    label: str
    fields: tuple[Field, ...]
    signer_required: bool
    not_yet: str | None = None  # the user may take it, but not today (a 公示 window still runs)


Effect = Callable[[Session, Any, Any, dict, list], dict | None]


@dataclass(frozen=True)
class Chain:
    spec: RecordSpec  # the record the chain moves
    steps: tuple[Step, ...]
    status_labels: Mapping[str, str]
    step_model: type  # the step rows: record_key, step_no, action, from/to_status, acted_on, …
    record_key: str  # the step table's column naming the record ("archive_id")
    level_unit: Callable[[list, str], Any]  # (the union's chain of units, level) -> acting unit
    forward: Mapping[str, str] = field(default_factory=dict)  # status -> step 退回 undoes
    # where 退回 leaves a record: one status (an archive goes back to "returned"), or one per
    # status it is taken from (a ticket goes back to "accepted", to be handled again)
    return_status: str | Mapping[str, str] = "returned"
    return_fields: tuple[Field, ...] = ()
    return_label: str = "退回"
    effects: Mapping[str, Effect] = field(default_factory=dict)  # what a step does beyond moving
    barred: Callable[[Session, Any, Step], set[str]] | None = None  # four-eyes: usernames barred
    signer_levels: tuple[str, ...] = ()  # levels whose paper opinion names its signer when keyed in
    date_order: Mapping[str, tuple[tuple[str, str, str], ...]] = field(default_factory=dict)
    past_dates: tuple[str, ...] = ()  # step inputs that may not be after today
    # a step's paper dates beside ``acted_on`` that, like it, may not precede the step before
    # (the 公示开始 printed on the 申请审批表 after the 帮扶中心审核)
    step_dates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # (the record's own date the chain starts from, its label): the first step is not dated before
    # it (a ticket's 登记日期)
    start: tuple[str, str] | None = None
    not_in_order: tuple[str, ...] = ()  # steps logged on their day, not paper steps in sequence
    action_labels: Mapping[str, str] = field(default_factory=dict)  # history: action -> 中文

    def step(self, key: str) -> Step:
        for s in self.steps:
            if s.key == key:
                return s
        raise AppError(f"没有名为 {key} 的环节")

    def fields_of(self, key: str) -> tuple[Field, ...]:
        return self.return_fields if key == "return" else self.step(key).fields

    def label_of(self, status: str) -> str:
        return self.status_labels.get(status, status)

    def returned_to(self, status: str) -> str:
        """The status 退回 leaves a record in that it takes from ``status``."""
        if isinstance(self.return_status, str):
            return self.return_status
        return self.return_status[status]


# -- who may act -----------------------------------------------------------------------------------
def units_of(session: Session, chain: Chain, record) -> list:
    from app.services.units import unit_chain

    return unit_chain(session, getattr(record, chain.spec.unit_key))


def refusal(session: Session, actor, chain: Chain, record, key: str) -> str | None:
    """Why ``actor`` may not take step ``key`` (or "return") on ``record`` now (None: they may)."""
    what = chain.spec.title
    if key == "return":
        forward = chain.forward.get(record.status)
        if forward is None:
            return f"{what}{chain.label_of(record.status)},没有可退回的环节"
        return _refusal(session, actor, chain, record, chain.step(forward), four_eyes=False)
    return _refusal(session, actor, chain, record, chain.step(key), four_eyes=True)


def _refusal(session, actor, chain: Chain, record, step: Step, *, four_eyes: bool) -> str | None:
    from app.security.roles import role_label
    from app.services.ownership import owned_here, owner_name
    from app.services.units import actor_unit_id

    what = chain.spec.title
    if getattr(record, "deleted", False):
        return f"{what}已作废"
    if not owned_here(session, record.owner_unit_id):  # a county's record at the city
        return f"{what}属于{owner_name(session, record.owner_unit_id)},由该单位办理"
    if record.status not in step.from_statuses:
        return f"{what}当前{chain.label_of(record.status)},不能{step.label}"
    if not any(actor.can(p) for p in step.perms):
        roles = "或".join(PERM_ROLES[p] for p in step.perms)
        return f"{step.label}须由{roles}办理,当前用户是{role_label(actor.role)}"
    if actor.role == "system":
        return None
    units = units_of(session, chain, record)
    mine = actor_unit_id(session, actor)
    ids = [u.id for u in units]
    level_unit = chain.level_unit(units, step.level)
    if step.exact and mine != level_unit.id:
        return f"{step.label}须由{level_unit.name}办理,您不属于该单位"
    if not step.exact and mine not in ids[ids.index(level_unit.id):]:
        if level_unit.id == ids[0]:
            return f"您所在的单位不是“{units[0].name}”或其上级工会,不能{step.label}"
        return f"{step.label}须由{level_unit.name}或其上级办理"
    if four_eyes and step.four_eyes and actor.username in barred(session, chain, record, step):
        return f"四眼原则:您录入、修改、提交或审核过该{what},不能再办理{step.label},请由其他人员办理"
    return None


def barred(session: Session, chain: Chain, record, step: Step) -> set[str]:
    """Who may not take the four-eyes ``step``: the record's creator, everyone who ever changed one
    of its fields (the audit log's create and update entries; a step that only moved the record is
    not an edit), the actor of the step before, and whoever the chain's own rule names."""
    import json

    from app.models import AuditEntry

    editable = {f.key for f in chain.spec.editable_fields}
    people = {getattr(record, "created_by", None)}
    for username, action, detail in session.execute(select(
            AuditEntry.username, AuditEntry.action, AuditEntry.detail).where(
            AuditEntry.object_type == chain.spec.model.__table__.name,
            AuditEntry.object_id == record.id, AuditEntry.action.in_(("create", "update")))):
        changed = json.loads(detail or "{}").get("after", {})
        if action == "create" or editable & set(changed):  # a step that only moved it is no edit
            people.add(username)
    M = chain.step_model
    people.add(session.scalar(select(M.actor_username).where(
        getattr(M, chain.record_key) == record.id, M.action.not_in(chain.not_in_order))
        .order_by(M.step_no.desc()).limit(1)))
    if chain.barred is not None:
        people |= chain.barred(session, record, step)
    return {p for p in people if p}


def signer_required(session: Session, actor, chain: Chain, record, step: Step) -> bool:
    from app.services.units import actor_unit_id

    if step.level not in chain.signer_levels or actor.role == "system":
        return False
    units = units_of(session, chain, record)
    return actor_unit_id(session, actor) != chain.level_unit(units, step.level).id


def available_actions(session: Session, actor, chain: Chain, record,
                      not_yet: Callable[[Any, str], str | None] = lambda r, k: None) -> list[ActionInfo]:
    """The steps this user may take on this record now: the UI shows exactly these buttons."""
    out = []
    for key in (*(s.key for s in chain.steps), "return"):
        if refusal(session, actor, chain, record, key) is None:
            step = chain.step(chain.forward[record.status]) if key == "return" else chain.step(key)
            out.append(ActionInfo(key, chain.return_label if key == "return" else step.label,
                                  chain.fields_of(key), signer_required(session, actor, chain, record, step),
                                  not_yet(record, key)))
    return out


# -- acting -----------------------------------------------------------------------------------------
def clean_step(session: Session, chain: Chain, key: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A step's inputs checked; ``acted_on`` defaults to today and may not be in the future."""
    from app.services.records import codebook

    fields = chain.fields_of(key)
    book = codebook(session)
    cleaned, errors = {}, {}
    for f in fields:
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
        raise ValidationFailed(errors, {f.key: f.label for f in fields})
    acted = cleaned.get("acted_on") or today()
    if acted > today():
        raise ValidationFailed({"acted_on": "日期不能晚于今天"}, {"acted_on": "日期"})
    cleaned["acted_on"] = acted
    return cleaned


def _check_dates(session, chain: Chain, record, key: str, vals: dict) -> None:
    """No date in the future, the step's own dates in order, and none of the step's dates
    (``acted_on`` and its ``step_dates``) before the date of the step it follows, or the first
    step's before the record's ``start`` (paper dates are entered as such, so printed forms read in
    order): “公示开始日期不能早于帮扶中心审核日期 2026年12月6日”."""
    labels = {f.key: f.label for f in chain.fields_of(key)}
    errors = {k: "日期不能晚于今天" for k in chain.past_dates if vals.get(k) and vals[k] > today()}
    for earlier, later, message in chain.date_order.get(key, ()):
        if vals.get(earlier) and vals.get(later) and vals[later] < vals[earlier]:
            errors.setdefault(later, message)
    M = chain.step_model
    last = session.execute(select(M.action, M.acted_on).where(
        getattr(M, chain.record_key) == record.id, M.action.not_in(chain.not_in_order))
        .order_by(M.step_no.desc()).limit(1)).first()
    if last is not None:
        floor, before = last.acted_on, f"{chain.action_labels.get(last.action, last.action)}日期"
    elif chain.start is not None:
        floor, before = getattr(record, chain.start[0]), chain.start[1]
    else:
        floor = None
    if floor is not None:
        this = chain.return_label if key == "return" else chain.step(key).label
        for k in ("acted_on", *chain.step_dates.get(key, ())):
            if vals.get(k) and vals[k] < floor:
                what = f"{this}日期" if k == "acted_on" else labels.get(k, k)
                errors.setdefault(k, f"{what}不能早于{before} {format_cn_date(floor)}")
    if errors:
        raise ValidationFailed(errors, labels)


def act(session: Session, actor, chain: Chain, record_id: str, key: str,
        values: Mapping[str, Any] | None = None):
    """Take step ``key`` (or "return") with its inputs; the record moves and the step is logged."""
    from app.services.records import get_live

    if key != "return":
        chain.step(key)
    record = get_live(session, chain.spec, record_id)
    if reason := refusal(session, actor, chain, record, key):
        raise PermissionDenied(reason)
    step = chain.step(chain.forward[record.status]) if key == "return" else chain.step(key)
    vals = clean_step(session, chain, key, values or {})
    units = units_of(session, chain, record)
    signer = vals.get("signer_name")
    if signer_required(session, actor, chain, record, step) and not signer:
        raise ValidationFailed({"signer_name": f"代{chain.level_unit(units, step.level).name}录入意见时,"
                                               "须填写纸质意见上的签字人"}, {"signer_name": "签字人"})
    _check_dates(session, chain, record, key, vals)
    before = record.status
    effect = chain.effects.get(key)
    data = effect(session, actor, record, vals, units) if effect is not None else None
    if key == "return":
        record.status = chain.returned_to(before)
    elif step.to_status is not None:
        record.status = step.to_status
    log(session, actor, chain, record, key, before, record.status, vals["acted_on"], vals.get("opinion"),
        chain.level_unit(units, step.level).id, signer, data)
    session.flush()
    return record


def log(session, actor, chain: Chain, record, action, before, after, acted_on, opinion,
        level_unit_id, signer, data=None):
    """A step row (also for what is logged outside the sequence: a 改定, a 重新编号)."""
    from app.services.units import actor_unit_id

    M = chain.step_model
    step_no = (session.scalar(select(func.max(M.step_no)).where(
        getattr(M, chain.record_key) == record.id)) or 0) + 1
    row = M(**{chain.record_key: record.id}, step_no=step_no, action=action, from_status=before,
            to_status=after, acted_on=acted_on, opinion=opinion, level_unit_id=level_unit_id,
            actor_username=actor.username, actor_name=actor.display_name or actor.username,
            actor_role=actor.role, actor_unit_id=actor_unit_id(session, actor), signer_name=signer,
            data=dumps_compact(data or {}))
    session.add(row)
    return row


def history(session: Session, actor, chain: Chain, record_id: str) -> list:
    actor.require(Perm.READ, "查看审核记录")
    M = chain.step_model
    return list(session.scalars(select(M).where(getattr(M, chain.record_key) == record_id)
                                .order_by(M.step_no)))


def last_actor(session: Session, chain: Chain, record_id: str, action: str) -> str | None:
    M = chain.step_model
    return session.scalar(select(M.actor_username).where(
        getattr(M, chain.record_key) == record_id, M.action == action)
        .order_by(M.step_no.desc()).limit(1))
