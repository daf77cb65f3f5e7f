"""工会干部培训 and the 职工讲堂: sessions (班次, dates, 课时) and their trainees, picked from the
members — a trainee's name and union come from the member chosen, the date from the session, so
that the trainees of a period (人次) are counted by the session's date."""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.errors import AppError
from app.fields.organisation import TRAINEE, TRAINING
from app.kit.register import Item, Register
from app.models import Member
from app.models.organisation import Trainee, TrainingSession


def fill_trainee(session: Session, values: dict) -> dict:
    if values.get("member_id"):
        member = session.get(Member, values["member_id"])
        if member is None or member.deleted:
            raise AppError("找不到该会员(可能已作废)")
        values.setdefault("name", member.name)
        values.setdefault("union_id", member.union_id)
        values.setdefault("post", member.post)
    if values.get("session_id"):
        s = session.get(TrainingSession, values["session_id"])
        if s is None or s.deleted:
            raise AppError("找不到该培训班(可能已作废)")
        values.setdefault("hours", s.hours)
    return values


def _prepare(session: Session, values: dict, record) -> None:
    if values.get("session_id"):  # the form's read-only date follows the session
        s = session.get(TrainingSession, values["session_id"])
        if s is not None:
            values["held_on"] = s.starts_on


def _trainee_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    seen: set[tuple] = set()
    for i, it in enumerate(items):
        v = it.values
        s = session.get(TrainingSession, v.get("session_id") or "")
        if s is not None and v.get("hours") and v["hours"] > s.hours:
            out.setdefault(i, {})["hours"] = f"学时不能多于该班课时({s.hours})"
        key = (v.get("session_id"), v.get("member_id") or v.get("name"))
        if it.touches("session_id", "member_id", "name"):
            clash = session.scalar(select(Trainee.id).where(
                Trainee.session_id == key[0], Trainee.deleted.is_(False),
                (Trainee.member_id == v["member_id"]) if v.get("member_id") else (Trainee.name == v.get("name")),
                Trainee.id != (it.record.id if it.record is not None else "")).limit(1))
            if clash or key in seen:
                out.setdefault(i, {})["name"] = "该学员已在本班名单中"
        seen.add(key)
    return out


def _session_in_use(session: Session, s: TrainingSession) -> None:
    if session.scalar(select(Trainee.id).where(Trainee.session_id == s.id, Trainee.deleted.is_(False)).limit(1)):
        raise AppError(f"“{s.title}”已有学员,不能作废")


def _session_sample(session: Session, rng, values: dict) -> dict:
    root = session.info.get("root_unit_id")
    kind = values.get("kind") or "1"
    title = rng.choice(("工会主席培训班", "基层工会干部业务培训班", "工会财务人员培训班")) if kind != "2" else \
        rng.choice(("职工讲堂:劳动合同法解读", "职工讲堂:职业健康与安全", "职工讲堂:家庭教育"))
    return {**values, "union_id": root or values.get("union_id"), "title": title,
            "hours": str(rng.choice((2, 4, 8, 16, 24)))}


def _trainee_sample(session: Session, rng, values: dict) -> dict:
    s = session.scalar(select(TrainingSession).where(TrainingSession.deleted.is_(False))
                       .order_by(TrainingSession.id).offset(rng.randint(0, 3)).limit(1))
    # a member among the first few thousand live ones who is neither on the session's list nor
    # picked for it earlier in this transaction (records generated together are checked together)
    picked = session.info.setdefault("organisation.trainee_samples", set())
    free = [Member.deleted.is_(False), Member.status == "1"]
    if s is not None:
        free.append(~exists().where(Trainee.session_id == s.id, Trainee.member_id == Member.id,
                                    Trainee.deleted.is_(False)))
    pool = session.scalar(select(func.count()).select_from(select(Member.id).where(*free).limit(5000).subquery()))
    member = None
    for _ in range(20):
        member = session.scalar(select(Member).where(*free).order_by(Member.id)
                                .offset(rng.randrange(pool) if pool else 0).limit(1))
        if member is None or (s.id if s is not None else None, member.id) not in picked:
            break
    if member is not None:
        picked.add((s.id if s is not None else None, member.id))
    out = {**values, "session_id": s.id if s is not None else values.get("session_id"),
           "member_id": member.id if member is not None else None,
           "hours": str(s.hours) if s is not None else None}
    if member is not None:
        out.update(name=member.name, union_id=member.union_id)
    return out


SESSIONS = Register(TRAINING, before_void=_session_in_use, sample=_session_sample,
                    excel_key="training_sessions", tag_columns=(), search_hint="班次名称")
TRAINEES = Register(TRAINEE, fill=fill_trainee, prepare=_prepare, rule=_trainee_rule, sample=_trainee_sample,
                    excel_key="trainees", tag_columns=(), search_hint="学员姓名")
