"""Issue 13 point 8 at the desk: a printed form's QR code typed or scanned into a list's search box
is not a search — it opens the record and says whether the paper is stale."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Member
from app.printing.registry import PrintRequest
from app.printing.service import build_docs
from app.services import records


def _payload(db, actor, member_id) -> str:
    _, docs, _ = build_docs(db, actor, "member_form", PrintRequest(ids=[member_id]))
    return docs[0].qr_payload


def test_a_scanned_paper_opens_its_record_and_says_it_is_stale(qtbot, db, clerk_ctx, monkeypatch):
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.list_page import ListPage

    page = ListPage(clerk_ctx, MEMBER_BINDING)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=10_000)
    with db.read_session() as s:
        member_id = s.scalar(select(Member.id).where(Member.deleted.is_(False)).order_by(Member.id).limit(1))
    payload = _payload(db, clerk_ctx.actor, member_id)
    with db.session(clerk_ctx.actor) as s:
        records.update(s, clerk_ctx.actor, "member", member_id, {"post": "扫描后改的岗位"})

    shown = []

    def fake_exec(dialog):
        shown.append(dialog)
        if hasattr(dialog, "buttons") and dialog.buttons():  # the message: press 打开记录
            dialog.buttons()[0].click()
        return False

    monkeypatch.setattr(page, "_exec", fake_exec)
    searches = []
    page.search.search_changed.connect(searches.append)
    page.search.setText(payload)  # as a USB scanner types it, then Enter
    page.search.commit()
    assert searches == [] and page.search.text() == ""  # not a search
    message, form = shown
    assert "此表打印后,记录于" in message.text() and "扫描后改的岗位" in message.text()
    assert form.record_id == member_id
