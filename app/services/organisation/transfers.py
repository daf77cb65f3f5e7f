"""会员组织关系接转: within the county (转出 and 转入 in one step), and across counties through the
city, by bundle:

1. County A records the 转出 with the receiving county's code (``membership.REGISTER``); its next
   bundle to the city carries the member and the event.
2. The city forwards it (``forward``): a ``MembershipTransfer`` it owns, carrying the person and
   the history — the receiving county has none of A's records. Bundles take it down to the two
   counties named on it, and to no other (``__recipients__``, ``app.sync.export``).
3. County B takes the member in (``accept``): a new member record of B's grassroots union whose
   opening event is the 转入 naming the transfer; B's next bundle carries it to the city.
4. The city closes the transfer (``forward`` again): 已转入, the union's name and the date, sent
   down to A and B; the two member records of the person (A's 已转出, B's 正常) are one person
   in two counties by design, so the possible-duplicate queued at the city for them is closed.
"""

from __future__ import annotations

from datetime import date

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError, NotFound
from app.models import Member, SyncConflict, Unit
from app.models.organisation import MembershipEvent, MembershipTransfer
from app.security.roles import Perm
from app.services import records
from app.services.organisation import membership


def transfer_within(session: Session, actor, member_id: str, to_union_id: str, on: date | str,
                    *, doc_no: str | None = None, notes: str | None = None) -> tuple:
    """转出 from the member's union and 转入 into another of the county's unions, one transaction."""
    out = records.create(session, actor, membership.REGISTER, {
        "member_id": member_id, "kind": "transfer_out", "event_date": on, "to_union_id": to_union_id,
        "doc_no": doc_no, "notes": notes})
    into = records.create(session, actor, membership.REGISTER, {
        "member_id": member_id, "kind": "transfer_in", "event_date": on, "union_id": to_union_id,
        "doc_no": doc_no})
    return out, into


def _history(session: Session, member_id: str) -> list:
    from app.services.listing import ref_labels

    events = membership.events_of(session, member_id)
    names = ref_labels(session, "unit", {e.union_id for e in events})
    return [[e.event_date.isoformat() if e.event_date else None, e.kind, names.get(e.union_id, "")]
            for e in events]


def _root(session: Session) -> Unit:
    return session.get(Unit, session.info.get("root_unit_id"))


def forwards(session: Session) -> bool:
    """Whether this installation forwards transfers (the city) rather than taking them in."""
    root = _root(session)
    return root is not None and root.kind == "city"


def forward(session: Session, actor) -> tuple[int, int]:
    """At the city: forward every cross-county 转出 not yet forwarded, and close the transfers
    whose 转入 has arrived. Returns (forwarded, closed)."""
    actor.require(Perm.WRITE, "转递跨县会员转接")
    if not forwards(session):
        raise AppError("跨县会员转接由市总工会转递,本单位不是市总工会")
    E, T = MembershipEvent, MembershipTransfer
    forwarded = 0
    for ev, member, union in pending_forward(session):
        county = session.get(Unit, ev.owner_unit_id) if ev.owner_unit_id else None
        session.add(T(source_event_id=ev.id, source_member_id=member.id,
                      from_county_code=(county.code if county else "")[:6],
                      from_county_name=county.name if county else "", from_union_name=union.name,
                      to_county_code=ev.to_county_code, to_place=ev.to_place,
                      transferred_on=ev.event_date, letter_no=ev.doc_no, name=member.name,
                      id_number=member.id_number, phone=member.phone, ethnicity=member.ethnicity,
                      political_status=member.political_status, education=member.education,
                      joined_on=member.joined_on, card_no=member.card_no,
                      history=orjson.dumps(_history(session, member.id)).decode(),
                      status="forwarded", forwarded_on=today()))
        forwarded += 1
    session.flush()
    closed = 0
    for t, ev, member, union in session.execute(
            select(T, E, Member, Unit).join(E, E.transfer_id == T.id).join(Member, Member.id == E.member_id)
            .join(Unit, Unit.id == E.union_id)
            .where(T.status == "forwarded", E.kind == "transfer_in", E.deleted.is_(False))).all():
        t.status, t.received_on, t.received_union_name = "received", ev.event_date, union.name
        _same_person(session, actor, t.source_member_id, member.id)
        closed += 1
    session.flush()
    return forwarded, closed


def pending_forward(session: Session) -> list[tuple]:
    """(event, member, union) of the cross-county 转出 the city has not forwarded yet."""
    E, T = MembershipEvent, MembershipTransfer
    return session.execute(select(E, Member, Unit).join(Member, Member.id == E.member_id)
                           .join(Unit, Unit.id == E.union_id)
                           .where(E.kind == "transfer_out", E.to_county_code.is_not(None),
                                  E.deleted.is_(False), E.id.not_in(select(T.source_event_id)))
                           .order_by(E.event_date)).all()


def _same_person(session: Session, actor, one: str, other: str) -> None:
    """Close the possible-duplicate the city queued for the two records of a transferred member."""
    from app.sync.conflicts import resolve_duplicate

    for cid in session.scalars(select(SyncConflict.id).where(
            SyncConflict.kind == "duplicate", SyncConflict.status == "open",
            SyncConflict.table_name == "members",
            ((SyncConflict.row_id == one) & (SyncConflict.other_row_id == other))
            | ((SyncConflict.row_id == other) & (SyncConflict.other_row_id == one)))):
        resolve_duplicate(session, actor, cid, "keep_both")


def incoming(session: Session, actor) -> list[MembershipTransfer]:
    """Transfers the city forwarded to this county that no member record has taken in yet."""
    actor.require(Perm.READ, "查看跨县转入")
    root = _root(session)
    T = MembershipTransfer
    taken = select(MembershipEvent.transfer_id).where(MembershipEvent.transfer_id.is_not(None),
                                                       MembershipEvent.deleted.is_(False))
    return list(session.scalars(select(T).where(
        T.to_county_code == (root.code or "")[:6], T.status == "forwarded", T.deleted.is_(False),
        T.id.not_in(taken)).order_by(T.forwarded_on, T.name)))


def accept(session: Session, actor, transfer_id: str, union_id: str, on: date | str | None = None) -> Member:
    """Take a forwarded member into one of this county's grassroots unions: a new member record
    (the member rules: a grassroots union, one active record per person) whose opening event is
    the 转入 naming the transfer, with the 入会日期 the member had."""
    t = session.get(MembershipTransfer, transfer_id)
    if t is None or t.deleted:
        raise NotFound("找不到该转接单")
    if t not in incoming(session, actor):
        raise AppError(f"{t.name}的转接单不是转入本县的待办转接(可能已转入)")
    from app.fields.organisation import MEMBERSHIP_EVENT
    from app.fields.spec import clean_value

    when = clean_value(MEMBERSHIP_EVENT.field("event_date"), on) or today()
    if t.transferred_on and when < t.transferred_on:
        raise AppError(f"转入日期不能早于转出日期 {t.transferred_on.isoformat()}")
    session.info.setdefault(membership.OVERRIDE, {})[t.id_number] = {
        "kind": "transfer_in", "event_date": when, "transfer_id": t.id, "doc_no": t.letter_no,
        "union_id": union_id, "notes": f"由{t.from_county_name}{t.from_union_name}转入"}
    try:
        return records.create(session, actor, "member", {
            "name": t.name, "id_number": t.id_number, "phone": t.phone, "ethnicity": t.ethnicity,
            "political_status": t.political_status, "education": t.education, "union_id": union_id,
            "joined_on": t.joined_on, "card_no": t.card_no})
    finally:
        session.info[membership.OVERRIDE].pop(t.id_number, None)


def history(session: Session, actor, member_id: str) -> list[dict]:
    """The member's 会籍 history as the form shows it: the record's own events and, before a
    cross-county 转入, the history the transfer carried; a 转出 to another county says whether it
    has arrived."""
    from app.services.listing import ref_labels

    actor.require(Perm.READ, "查看会籍记录")
    events = membership.events_of(session, member_id)
    names = ref_labels(session, "unit", {u for e in events for u in (e.union_id, e.to_union_id) if u})
    out = []
    for e in events:
        if e.transfer_id:
            t = session.get(MembershipTransfer, e.transfer_id)
            for on, kind, union in orjson.loads(t.history) if t is not None else []:
                out.append({"date": on, "kind": membership.KIND_LABELS.get(kind, kind), "union": union,
                            "note": f"{t.from_county_name}的记录", "own": False, "id": None, "ordinal": 0})
        note = _note(session, e, names)
        out.append({"date": e.event_date.isoformat() if e.event_date else "不详",
                    "kind": membership.KIND_LABELS[e.kind], "union": names.get(e.union_id, ""),
                    "note": note, "own": True, "id": e.id, "ordinal": e.ordinal})
    return out


def _note(session: Session, e: MembershipEvent, names: dict) -> str:
    parts = []
    if e.kind == "transfer_out":
        if e.to_union_id:
            parts.append(f"转往{names.get(e.to_union_id, '')}")
        if e.to_county_code or e.to_place:
            parts.append(f"转往{e.to_county_code or ''}{e.to_place or ''}")
            t = session.scalar(select(MembershipTransfer).where(MembershipTransfer.source_event_id == e.id))
            if t is not None:
                parts.append(f"已转入{t.received_union_name}({t.received_on.isoformat()})"
                             if t.status == "received" else "市总工会已转递,待对方转入")
    if e.reason:
        parts.append(records.codebook(session).label("membership_reason", e.reason))
    parts += [p for p in (e.doc_no, e.notes) if p]
    return ";".join(parts)
