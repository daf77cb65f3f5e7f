"""会籍 over time — "一次入会、动态接转": each change of a member's membership is an event (入会,
转出, 转入, 保留会籍, 恢复会籍, 退会, 开除会籍, 去世), and the member's current union, status and
入会日期 are derived from the events in order (``fold``). The member row keeps the derived values
only so that lists of a million members stay fast; ``written`` refreshes them whenever events
change, on every path (the form, the CLI, an Excel import, a transfer taken in from a bundle).

A member is never in two unions at once: the union changes only by 转出 (the member leaves every
union) and then 转入; and a person's ID number is active in at most one member record.

Ordinals 1 and 2 are kept for a member's opening events — 入会, and the state a member had when it
was registered with one (a roster's 保留会籍, a member carried over by the upgrade); the events
recorded later are numbered from 3.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.clock import today
from app.fields.organisation import EVENT_KINDS, MEMBERSHIP_EVENT
from app.kit.register import Item, Register
from app.models import Member, Unit
from app.models.organisation import MembershipEvent
from app.services.units import holds_members

KIND_LABELS = dict(EVENT_KINDS)
ACTIVE = ("1", "3")  # 正常, 保留会籍: still a member
# the status after each kind, and the statuses it may follow (None: the member's first event)
STATUS_AFTER = {"join": "1", "transfer_in": "1", "transfer_out": "2", "retain": "3", "resume": "1",
                "leave": "4", "expel": "5", "death": "6"}
FOLLOWS: dict[str, tuple[str | None, ...]] = {
    "join": (None, "4"), "transfer_in": (None, "2"), "transfer_out": ("1", "3"), "retain": ("1",),
    "resume": ("3",), "leave": ("1", "3"), "expel": ("1", "3"), "death": ("1", "2", "3")}
STATUS_LABELS = {"1": "正常", "2": "已转出", "3": "保留会籍", "4": "已退会", "5": "已开除会籍", "6": "已去世"}
ENTERS = ("join", "transfer_in")  # kinds that put the member in a (new) union
# the event that carries a registered status over (a member registered as 保留会籍 …)
CARRIED = {"2": "transfer_out", "3": "retain", "4": "leave", "5": "expel", "6": "death"}
OPENING = (1, 2)
# what a carried-over state says of itself: its date, reason and destination are not known
CARRIED_NOTE = "登记时的会籍状态(变动日期不详)"
CARRIED_REASON, CARRIED_PLACE = "9", "去向不详"
FIRST_ORDINAL = 3


@dataclass(frozen=True)
class State:
    union_id: str
    status: str
    joined_on: date | None


def refusal(status: str | None, kind: str) -> str | None:
    """Why an event of ``kind`` cannot follow a member in ``status`` (None: it may)."""
    if status in FOLLOWS[kind]:
        return None
    if status is None:
        return "会员的第一条会籍记录应为入会或转入"
    now = STATUS_LABELS.get(status, status)
    if kind == "transfer_in":
        return f"会员当前{now},须先办理转出才能转入其他工会(一人不能同时在两个工会)"
    if kind == "join":
        return f"会员当前{now},不能再办理入会" + ("(开除会籍者不能重新入会)" if status == "5" else "")
    return f"会员当前{now},不能办理{KIND_LABELS[kind]}"


def step(state: State | None, kind: str, union_id: str, on: date | None) -> State:
    """The state after one event (checked with ``refusal`` first)."""
    joined = state.joined_on if state else None
    if kind == "join" and on is not None:
        joined = on
    return State(union_id if kind in ENTERS or state is None else state.union_id,
                 STATUS_AFTER[kind], joined)


def fold(events: Iterable, joined_on: date | None = None) -> State | None:
    """The state after ``events`` in order (``joined_on``: a transferred-in member's first date)."""
    state = None
    for ev in events:
        state = step(state, ev.kind, ev.union_id, ev.event_date)
        if state.joined_on is None and joined_on is not None:
            state = State(state.union_id, state.status, joined_on)
    return state


def events_of(session: Session, member_id: str) -> list[MembershipEvent]:
    E = MembershipEvent
    return list(session.scalars(select(E).where(E.member_id == member_id, E.deleted.is_(False))
                                .order_by(E.ordinal, E.event_date, E.created_at)))


# -- the register's hooks ------------------------------------------------------------------------
def _members(session: Session, ids: Iterable[str]) -> dict[str, Member]:
    ids = list(set(ids) - {None})
    out = {}
    for k in range(0, len(ids), 500):
        out.update({m.id: m for m in session.scalars(select(Member).where(Member.id.in_(ids[k:k + 500])))})
    return out


def _prepare(session: Session, values: dict, record) -> None:
    """A new event happens in the member's current union (unless it enters one), and takes the
    member's next ordinal (a batch of several events of one member counts on in the session)."""
    member = session.get(Member, values.get("member_id") or "")
    if record is not None or member is None:
        return
    kind = values.get("kind")
    if kind == "transfer_in" and not values.get("union_id"):
        pending = _pending_out(session, member.id)
        values["union_id"] = pending.to_union_id if pending is not None and pending.kind == "transfer_out" \
            else None
    elif kind not in ENTERS:
        values["union_id"] = member.union_id
    counters = session.info.setdefault("membership_ordinals", {})
    if member.id not in counters:
        counters[member.id] = max(session.scalar(select(func.max(MembershipEvent.ordinal)).where(
            MembershipEvent.member_id == member.id)) or 0, OPENING[-1])
    counters[member.id] += 1
    values["ordinal"] = counters[member.id]


def _pending_out(session: Session, member_id: str) -> MembershipEvent | None:
    E = MembershipEvent
    return session.scalar(select(E).where(E.member_id == member_id, E.deleted.is_(False))
                          .order_by(E.ordinal.desc()).limit(1))


def _neighbour_dates(session: Session, record) -> tuple[date | None, date | None]:
    E = MembershipEvent
    base = (E.member_id == record.member_id, E.deleted.is_(False), E.id != record.id)
    before = session.scalar(select(func.max(E.event_date)).where(*base, E.ordinal < record.ordinal))
    after = session.scalar(select(func.min(E.event_date)).where(*base, E.ordinal > record.ordinal))
    return before, after


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    """The 会籍 rules for one event or a batch: each event may follow the member's state (the
    events before it in the batch included), dates keep their order and are not in the future,
    a union entered is a grassroots union, a 转出 says where to, 保留会籍 says why, and a person
    becomes active in one member record only."""
    errors: dict[int, dict[str, str]] = {}
    members = _members(session, (it.values.get("member_id") for it in items))
    states = {m.id: State(m.union_id, m.status, m.joined_on) for m in members.values()}
    last: dict[str, date | None] = {}
    unions = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(
        {v for it in items for v in (it.values.get("union_id"), it.values.get("to_union_id")) if v})))}
    own_code = _own_county_code(session)
    for i, it in enumerate(items):
        v, e = it.values, {}
        member = members.get(v.get("member_id"))
        on = v.get("event_date")
        if member is None or member.deleted:
            errors[i] = {"member_id": "找不到该会员(可能已作废)"}
            continue
        if on is not None and on > today():
            e["event_date"] = "日期不能晚于今天"
        if not it.is_new:
            before, after = _neighbour_dates(session, it.record)
            if on is None and it.record.event_date is not None:
                e["event_date"] = "已登记的日期不能清空"
            elif on is not None and before and on < before:
                e["event_date"] = f"不能早于前一条会籍记录的日期 {before.isoformat()}"
            elif on is not None and after and on > after:
                e["event_date"] = f"不能晚于后一条会籍记录的日期 {after.isoformat()}"
            if e:
                errors[i] = e
            continue
        kind, state = v.get("kind"), states[member.id]
        if member.id not in last:
            last[member.id] = session.scalar(select(func.max(MembershipEvent.event_date)).where(
                MembershipEvent.member_id == member.id, MembershipEvent.deleted.is_(False)))
        if on is None:
            e["event_date"] = "必填"
        elif last[member.id] and on < last[member.id]:
            e.setdefault("event_date", f"不能早于该会员上一条会籍记录的日期 {last[member.id].isoformat()}")
        if why := refusal(state.status, kind):
            e["kind"] = why
        e.update(_kind_errors(v, kind, state, unions, own_code))
        if e:
            errors[i] = e
            continue
        states[member.id] = step(state, kind, v.get("union_id"), on)
        last[member.id] = on
    _one_active_record(session, items, members, errors)
    return errors


def _kind_errors(v: Mapping, kind: str, state: State, unions: dict, own_code: str) -> dict[str, str]:
    e = {}
    if kind in ENTERS:
        union = unions.get(v.get("union_id"))
        if union is None or union.deleted:
            e["union_id"] = "请选择加入的基层工会" if not v.get("union_id") else "基层工会不存在或已作废"
        elif not holds_members(union.kind):
            e["union_id"] = f"会员应加入基层工会,“{union.name}”不是基层工会"
    if kind == "transfer_out":
        target = unions.get(v.get("to_union_id"))
        county = v.get("to_county_code")
        if not (v.get("to_union_id") or county or v.get("to_place")):
            e["to_union_id"] = "请填写转往的基层工会(本县)或转往县(区)和单位"
        elif target is not None and (target.deleted or not holds_members(target.kind)):
            e["to_union_id"] = "转往的应是本县的基层工会"
        elif target is not None and target.id == state.union_id:
            e["to_union_id"] = "转往的工会与会员当前所在工会相同"
        if county and (len(county) != 6 or not county.isdigit()):
            e["to_county_code"] = "应为 6 位县级区划代码"
        elif county and county == own_code:
            e["to_county_code"] = "本县内转接请选择转往的基层工会"
        elif county and target is not None:
            e["to_county_code"] = "转往外县时不选本县的基层工会"
    if kind == "retain" and not v.get("reason"):
        e["reason"] = "请选择保留会籍的原因(退休、下岗、失业等)"
    if kind == "expel" and not (v.get("doc_no") or v.get("notes")):
        e["doc_no"] = "开除会籍须填写处分文号或在备注中写明理由"
    return e


def _one_active_record(session: Session, items: list[Item], members: dict, errors: dict) -> None:
    """An event that makes a member active (入会, 转入, 恢复会籍) is refused while the same person
    is active in another member record."""
    wake = [(i, members[it.values["member_id"]]) for i, it in enumerate(items)
            if i not in errors and it.is_new and it.values.get("kind") in ("join", "transfer_in", "resume")]
    if not wake:
        return
    numbers = {m.id_number for _, m in wake}
    taken = {}
    for n, mid, name, union in session.execute(
            select(Member.id_number, Member.id, Member.name, Unit.name).join(Unit, Unit.id == Member.union_id)
            .where(Member.id_number.in_(numbers), Member.deleted.is_(False), Member.status.in_(ACTIVE))):
        taken.setdefault(n, []).append((mid, name, union))
    for i, m in wake:
        other = next((t for t in taken.get(m.id_number, ()) if t[0] != m.id), None)
        if other is not None:
            from app.services.members import duplicate_message

            errors[i] = {"kind": duplicate_message(m.id_number, other[2], other[1])}


def _own_county_code(session: Session) -> str:
    root = session.get(Unit, session.info.get("root_unit_id") or "")
    return (root.code or "")[:6] if root is not None else ""


def _before_void(session: Session, event: MembershipEvent) -> None:
    """Only the member's latest event is undone (作废), never an opening one."""
    from app.errors import AppError

    if event.ordinal in OPENING:
        raise AppError("入会(或登记时的会籍状态)记录不能作废;登记有误请作废该会员记录后重新登记")
    latest = session.scalar(select(func.max(MembershipEvent.ordinal)).where(
        MembershipEvent.member_id == event.member_id, MembershipEvent.deleted.is_(False)))
    if event.ordinal != latest:
        raise AppError("只能作废会员最近的一条会籍记录(先作废其后的记录)")


def refresh(session: Session, actor, member_ids: Iterable[str]) -> None:
    """The members' derived union, status and 入会日期 from their live events (opening events
    made first for a member that has none: one that came from an older program)."""
    members = _members(session, member_ids)
    ensure_opening(session, actor, members.values())
    for m in members.values():
        state = fold(events_of(session, m.id), m.joined_on)
        if state is None:
            continue
        for key in ("union_id", "status", "joined_on"):
            if getattr(m, key) != getattr(state, key):
                setattr(m, key, getattr(state, key))
    session.flush()


def _events_written(session: Session, actor, ids: list[str]) -> None:
    rows = session.execute(select(MembershipEvent.member_id).where(MembershipEvent.id.in_(ids)))
    refresh(session, actor, {r[0] for r in rows})


# -- opening events ------------------------------------------------------------------------------
def opening_rows(member, override: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The events a member starts with: 入会 in its union on its 入会日期 (or ``override``: a 转入
    taken from another county), and the state it was registered with when not 正常."""
    first = {"member_id": member.id, "ordinal": OPENING[0], "kind": "join", "union_id": member.union_id,
             "event_date": member.joined_on, **(override or {})}
    rows = [first]
    if member.status in CARRIED:
        kind = CARRIED[member.status]
        rows.append({"member_id": member.id, "ordinal": OPENING[1], "kind": kind,
                     "union_id": member.union_id, "event_date": None, "reason": CARRIED_REASON,
                     "to_place": CARRIED_PLACE if kind == "transfer_out" else None,
                     "notes": CARRIED_NOTE})
    return rows


def opening_event_id(member_id: str, ordinal: int) -> str:
    """The id of a member's opening event, the same on every PC that makes it (the migration
    that carried members over does it in SQL alike): the member's UUID with version 8, and for
    the second event the variant character moved from 8–b to c–f."""
    out = member_id[:14] + "8" + member_id[15:]
    if ordinal == OPENING[1]:
        out = out[:19] + {"8": "c", "9": "d", "a": "e"}.get(out[19:20], "f") + out[20:]
    return out


OVERRIDE = "membership_opening"  # session.info: id number -> the opening event a new member takes


def ensure_opening(session: Session, actor, members: Iterable) -> int:
    """Write the opening events of the members that have no events yet, in bulk."""
    from app.db.bulk import Stamper
    from app.db.tracking import reserve_change_seqs

    members = list(members)
    ids = [m.id for m in members]
    have = set()
    for k in range(0, len(ids), 500):
        have |= set(session.scalars(select(MembershipEvent.member_id).where(
            MembershipEvent.member_id.in_(ids[k:k + 500])).distinct()))
    overrides = session.info.get(OVERRIDE, {})
    rows = [r for m in members if m.id not in have and not m.deleted
            for r in opening_rows(m, overrides.get(m.id_number))]
    if not rows:
        return 0
    stamper = Stamper(first_seq=reserve_change_seqs(session, len(rows)), username=actor.username,
                      device_id=session.info.get("device_id") or "",
                      owner_unit_id=session.info.get("root_unit_id"))
    keys = [c.name for c in MembershipEvent.__table__.c]
    out = []
    for r in rows:
        row = {k: None for k in keys} | r
        row["id"] = opening_event_id(r["member_id"], r["ordinal"])
        out.append(stamper.stamp(row))
    session.execute(insert(MembershipEvent.__table__), out)
    return len(out)


def open_all(session: Session, actor, device_id: str) -> int:
    """The opening events of every member that has none, in two INSERT … SELECT with the ids of
    ``opening_event_id`` (the demo's million members: seconds; into an empty table the indexes
    are built afterwards, and the event ids ascend with the member ids, so the primary key is
    appended to). Returns the events written."""
    from app.clock import utcnow
    from app.db.tracking import reserve_change_seqs
    from app.demo.generator import drop_indexes

    raw = session.connection().connection.driver_connection
    fresh = raw.execute("SELECT 1 FROM membership_events LIMIT 1").fetchone() is None
    # an empty table needs no look-up per member (and has no index for one while it is loaded)
    lacking = "" if fresh else " AND NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.member_id = members.id)"
    statuses = f"status IN ({', '.join(repr(c) for c in CARRIED)})"
    joins, carried = raw.execute(f"SELECT count(*), sum({statuses}) FROM members "
                                 f"WHERE deleted = 0{lacking}").fetchone()
    if not joins:
        return 0
    carried = carried or 0
    seq0 = reserve_change_seqs(session, joins + carried)
    rebuild = drop_indexes(raw, "membership_events")
    seq = "(?4 + ROW_NUMBER() OVER (ORDER BY rowid))"
    stamps = f"?1, ?2, ?2, ?3, ?3, 1, {seq}, '{{\"' || ?5 || '\":' || {seq} || '}}', 0"
    cols = ("id, member_id, ordinal, kind, event_date, union_id, notes, owner_unit_id, created_at, "
            "updated_at, created_by, updated_by, revision, change_seq, vv, deleted")
    params = (session.info.get("root_unit_id"), utcnow().strftime("%Y-%m-%d %H:%M:%S.%f"), actor.username)
    raw.execute(f"INSERT INTO membership_events ({cols}) SELECT {_opening_id_sql(1)}, id, 1, 'join', "
                f"joined_on, union_id, NULL, {stamps} FROM members WHERE deleted = 0{lacking} "
                f"ORDER BY rowid", (*params, seq0 - 1, device_id))
    if carried:
        # the members just opened: those whose only event is that 入会
        only = "" if fresh else (" AND NOT EXISTS (SELECT 1 FROM membership_events e "
                                 "WHERE e.member_id = members.id AND e.ordinal > 1)")
        cases = " ".join(f"WHEN '{status}' THEN '{kind}'" for status, kind in CARRIED.items())
        raw.execute(f"INSERT INTO membership_events ({cols}, reason, to_place) SELECT {_opening_id_sql(2)}, "
                    f"id, 2, CASE status {cases} END, NULL, union_id, '{CARRIED_NOTE}', {stamps}, "
                    f"'{CARRIED_REASON}', CASE status WHEN '2' THEN '{CARRIED_PLACE}' END "
                    f"FROM members WHERE deleted = 0 AND {statuses}{only} ORDER BY rowid",
                    (*params, seq0 + joins - 1, device_id))
    rebuild()
    return joins + carried


def _opening_id_sql(ordinal: int, col: str = "id") -> str:
    """``opening_event_id`` in SQL."""
    versioned = f"substr({col}, 1, 14) || '8' || substr({col}, 16"
    if ordinal == OPENING[0]:
        return versioned + ")"
    return (f"{versioned}, 4) || CASE substr({col}, 20, 1) WHEN '8' THEN 'c' WHEN '9' THEN 'd' "
            f"WHEN 'a' THEN 'e' ELSE 'f' END || substr({col}, 21)")


def members_written(session: Session, actor, ids: list[str]) -> None:
    """The member register's ``written`` hook: new members get their opening events."""
    ensure_opening(session, actor, _members(session, ids).values())


def _sample(session: Session, rng, values: dict) -> dict:
    """An event a live member may take now: 保留会籍 on retirement, 转出 to another union of the
    county, or 退会 — for an active member, dated after its last event."""
    from datetime import timedelta

    member = session.scalar(select(Member).where(Member.deleted.is_(False), Member.status == "1")
                            .order_by(Member.id).offset(rng.randint(0, 50)).limit(1))
    if member is None:
        return values
    last = session.scalar(select(func.max(MembershipEvent.event_date)).where(
        MembershipEvent.member_id == member.id, MembershipEvent.deleted.is_(False))) or member.joined_on
    on = min(today(), max(last or today(), today() - timedelta(days=rng.randint(0, 300))))
    kind = rng.choice(("retain", "retain", "transfer_out", "leave"))
    out = {"member_id": member.id, "kind": kind, "event_date": on.isoformat(), "union_id": member.union_id,
           "to_union_id": None, "to_county_code": None, "to_place": None, "reason": None,
           "notes": values.get("notes"), "doc_no": values.get("doc_no")}
    if kind == "retain":
        out["reason"] = rng.choice(("1", "1", "2", "3"))
    elif kind == "transfer_out":
        out["to_union_id"] = session.scalar(select(Unit.id).where(
            Unit.kind == "grassroots", Unit.deleted.is_(False), Unit.id != member.union_id)
            .order_by(Unit.id).offset(rng.randint(0, 20)).limit(1))
    return out


# Excel exports the events; they are not imported from a sheet: an event is valid only at its
# place in the member's history, which a sheet of events cannot be checked against as a whole
REGISTER = Register(MEMBERSHIP_EVENT, rule=_rule, prepare=_prepare, written=_events_written,
                    before_void=_before_void, sample=_sample, excel_key="membership_events",
                    importable=False,
                    tag_columns=("kind",), search_hint="依据编号",
                    lookup_hint="会籍记录编号")
