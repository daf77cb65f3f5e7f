"""职工书屋: a union's reading room, the batches of books given to it (赠送图书: titles, copies,
码洋, acceptance) and, where the union keeps them, its loans. A donation and a loan belong to
the room's union (filled in from the room)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError
from app.fields.organisation import BOOK_DONATION, BOOK_LOAN, READING_ROOM
from app.kit.register import Item, Register
from app.models import Member, Unit
from app.models.organisation import BookDonation, BookLoan, ReadingRoom


def _room(session: Session, room_id) -> ReadingRoom:
    room = session.get(ReadingRoom, room_id) if room_id else None
    if room is None or room.deleted:
        raise AppError("找不到该职工书屋(可能已作废)")
    return room


def fill_borrower(session: Session, values: dict) -> dict:
    """A loan's borrower is the member chosen (unless typed)."""
    if values.get("member_id") and not values.get("borrower"):
        member = session.get(Member, values["member_id"])
        values["borrower"] = member.name if member is not None else None
    return values


def room_union(session: Session, values: dict, record) -> None:
    """A donation or loan belongs to its room's union."""
    if values.get("room_id"):
        values["union_id"] = _room(session, values["room_id"]).union_id


def _room_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        union = session.get(Unit, it.values.get("union_id") or "")
        if union is None or union.deleted:
            out[i] = {"union_id": "所属工会不存在或已作废"}
    return out


def _room_in_use(session: Session, room: ReadingRoom) -> None:
    for model, what in ((BookDonation, "赠书"), (BookLoan, "借阅")):
        if session.scalar(select(model.id).where(model.room_id == room.id, model.deleted.is_(False)).limit(1)):
            raise AppError(f"“{room.name}”已有{what}记录,不能作废")


def _donation_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        v = it.values
        if (v.get("titles") or 0) > (v.get("copies") or 0):
            out.setdefault(i, {})["titles"] = "品种数不能多于册数"
        if v.get("accepted_on") and not v.get("accepted_by"):
            out.setdefault(i, {})["accepted_by"] = "已验收的须填写验收人"
    return out


def _loan_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        room = session.get(ReadingRoom, it.values.get("room_id") or "")
        if room is not None and not room.keeps_loans:
            out[i] = {"room_id": f"“{room.name}”未设为登记借阅,请先在书屋信息中勾选“登记借阅”"}
    return out


def _room_sample(session: Session, rng, values: dict) -> dict:
    union = session.scalar(select(Unit).where(Unit.kind == "grassroots", Unit.deleted.is_(False))
                           .order_by(Unit.id).offset(rng.randint(0, 40)).limit(1))
    if union is None:
        return values
    return {**values, "union_id": union.id, "name": f"{union.enterprise_name or union.name}职工书屋",
            "keeps_loans": True, "books_held": str(rng.randint(500, 5000))}


def _room_of(session: Session, rng) -> str | None:
    return session.scalar(select(ReadingRoom.id).where(ReadingRoom.deleted.is_(False))
                          .order_by(ReadingRoom.id).limit(1).offset(rng.randint(0, 3)))


def _donation_sample(session: Session, rng, values: dict) -> dict:
    copies = rng.randint(100, 1200)
    return {**values, "room_id": _room_of(session, rng) or values.get("room_id"),
            "donor": rng.choice(("县总工会", "市总工会", "省总工会", "新华书店")),
            "titles": str(rng.randint(20, copies)), "copies": str(copies),
            "list_price_fen": str(copies * rng.randint(25, 45)), "accepted_by": values.get("accepted_by"),
            "accepted_on": values.get("accepted_on")}


def _loan_sample(session: Session, rng, values: dict) -> dict:
    room = session.scalar(select(ReadingRoom).where(ReadingRoom.deleted.is_(False),
                                                    ReadingRoom.keeps_loans.is_(True)).limit(1))
    member = session.scalar(select(Member).where(Member.deleted.is_(False), Member.union_id == room.union_id)
                            .limit(1)) if room is not None else None
    return {**values, "room_id": room.id if room is not None else values.get("room_id"),
            "member_id": member.id if member is not None else None,
            "borrower": member.name if member is not None else values.get("borrower")}


ROOMS = Register(READING_ROOM, rule=_room_rule, before_void=_room_in_use, sample=_room_sample,
                 excel_key="reading_rooms", tag_columns=(), search_hint="书屋名称")
DONATIONS = Register(BOOK_DONATION, prepare=room_union, rule=_donation_rule, sample=_donation_sample,
                     excel_key="book_donations", tag_columns=(), search_hint="批次 / 赠送单位")
LOANS = Register(BOOK_LOAN, fill=fill_borrower, prepare=room_union, rule=_loan_rule, sample=_loan_sample, excel_key="book_loans",
                 tag_columns=(), search_hint="借阅人 / 书名")
