"""Issue 13 point 8, paper back to its record: a form's QR payload typed or scanned into a search
box finds the record and says when the paper is stale — "此表打印后,记录于2026年12月3日 被 张三
修改" — with what changed since the print."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.models import Member, User
from app.printing.paper_check import check_paper, is_paper_payload
from app.printing.registry import PrintRequest
from app.printing.service import build_docs, print_form
from app.services import records
from app.validation import format_cn_date


def _member(db) -> tuple[str, str]:
    """(id, name) of a member in good standing."""
    with db.read_session() as s:
        return s.execute(select(Member.id, Member.name).where(Member.deleted.is_(False), Member.status == "1")
                         .order_by(Member.id).limit(1)).one()


def _printed(db, clerk, tmp_path, member_id) -> str:
    print_form(db, clerk, "member_form", PrintRequest(ids=[member_id]), tmp_path / "f.pdf")
    _, docs, _ = build_docs(db, clerk, "member_form", PrintRequest(ids=[member_id]))
    return docs[0].qr_payload


def test_a_fresh_paper_opens_its_record_and_says_it_agrees(db, clerk, tmp_path):
    member_id, name = _member(db)
    payload = _printed(db, clerk, tmp_path, member_id)
    assert is_paper_payload(payload) and is_paper_payload(payload.lower())
    assert not is_paper_payload(name) and check_paper(db, clerk, "张三") is None
    found = check_paper(db, clerk, payload)
    assert (found.match.record_id, found.stale) == (member_id, False)
    assert "纸质表与记录一致" in found.message and name in found.message


def test_a_stale_paper_says_when_who_and_what_changed(db, clerk, tmp_path):
    member_id, _ = _member(db)
    payload = _printed(db, clerk, tmp_path, member_id)
    with db.session(clerk) as s:
        records.update(s, clerk, "member", member_id, {"post": "车间主任"})
    with db.session(clerk) as s:
        records.update(s, clerk, "member", member_id, {"post": "副厂长"})
        who = s.scalar(select(User.display_name).where(User.username == clerk.username)) or clerk.username
    found = check_paper(db, clerk, payload)
    assert found.stale and found.match.record_id == member_id
    assert f"此表打印后,记录于{format_cn_date(date.today())} 被 {who} 修改" in found.message
    [change] = found.changes
    assert change.label == "岗位" and change.after == "副厂长" and change.before != "副厂长"
    assert f"岗位 “{change.before}” → “副厂长”" in found.message
