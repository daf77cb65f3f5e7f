"""权益保障与法律援助 page: its tabs from the declaration, a ticket taken along its chain from the
strip on its form (only the steps the user may take) with its timers shown, the roster's month
calendar, and the handovers to answer."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.areas import area
from app.clock import today
from tests.ui.conftest import make_ctx


def _new_ticket(db, actor, **values) -> str:
    from app.services import records

    with db.session(actor) as s:
        return records.create(s, actor, "rights_ticket", {
            "received_on": today().isoformat(), "channel": "visit", "person_name": "王秀兰",
            "category": "3", "sub_item": "301", "content": "单位拖欠工资", "visitors": "6",
            **values}).id


def test_the_area_page_has_its_own_tabs_then_the_kit_s(qtbot, clerk_ctx):
    from ui.kit.area_page import AreaPage

    page = AreaPage(clerk_ctx, area("rights"))
    qtbot.addWidget(page)
    assert [page.tabText(i) for i in range(page.count())] == [
        "来访和12351工单", "值班排班", "普法活动", "法律援助案件", "法律咨询", "劳动安全监督检查",
        "合作律所", "值班律师", "统计", "转办件"]
    tickets = page.tab("tickets")
    qtbot.waitUntil(lambda: not tickets.model.loading and bool(tickets.model.total), timeout=15_000)
    assert page.list_of("rights_duty") is not None  # the roster tab holds the duty list


def test_a_ticket_goes_along_its_chain_from_the_strip(qtbot, db, actors, clerk_ctx, answer_dialogs):
    from ui.pages.rights.tickets import TicketFormDialog

    ticket_id = _new_ticket(db, actors["clerk"])
    form = TicketFormDialog(clerk_ctx, ticket_id)
    qtbot.addWidget(form)
    assert list(form.strip.buttons) == ["accept", "answer"]  # 不予受理 is a 审核人's
    assert form.cells["collective"].editor.raw() is True  # six visitors
    timer_texts = [label.text() for label in form.timer_panel.labels]
    assert any(t.startswith("受理告知期限") and "剩" in t for t in timer_texts), timer_texts
    assert any(t.startswith("办理期限") and "受理后计算" in t for t in timer_texts)

    qtbot.mouseClick(form.strip.buttons["accept"], Qt.MouseButton.LeftButton)
    assert answer_dialogs.shown[-1].result() == QDialog.DialogCode.Accepted
    assert form.status == "accepted" and set(form.strip.buttons) == {"handover", "result"}
    assert form.steps.rowCount() == 1
    assert any(label.text().startswith("办理期限") and "剩" in label.text()
               for label in form.timer_panel.labels)

    reviewer = TicketFormDialog(make_ctx(db, actors["reviewer"]), ticket_id)
    qtbot.addWidget(reviewer)
    assert list(reviewer.strip.buttons) == ["extend"] and not reviewer.editable


def test_the_roster_is_a_month_calendar(qtbot, db, clerk_ctx, monkeypatch):
    from sqlalchemy import func, select

    from app.models.rights import DutySlot
    from ui.pages.rights.roster import RosterTab

    with db.read_session() as s:
        day = s.scalar(select(func.max(DutySlot.duty_on)).where(DutySlot.duty_on <= today()))
    tab = RosterTab(clerk_ctx)
    qtbot.addWidget(tab)
    tab.show_month(day.year, day.month)
    assert tab.title.text() == f"{day.year}年{day.month}月值班安排"
    cell = next(tab.grid.item(r, c) for (r, c), d in tab.days.items() if d == day)
    assert cell.text().startswith(f"{day.day}日") and "上午" in cell.text() and "下午" in cell.text()
    row, col = next(k for k, d in tab.days.items() if d == day)
    from ui.widgets.record_form import RecordFormDialog

    monkeypatch.setattr(RecordFormDialog, "exec", lambda self: 0)
    opened = tab.open_day(row, col)  # the day's first slot
    assert opened.record_id is not None and opened.cells["duty_on"].editor.raw() == day
    assert tab.list.scope["duty_on"].low == date(day.year, day.month, 1)


def test_the_handovers_tab_answers_what_another_office_sent(qtbot, clerk_ctx):
    from ui.pages.rights.handovers import HandoversTab

    tab = HandoversTab(clerk_ctx)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: not tab.model.loading and tab.model.total is not None, timeout=15_000)
    assert tab.model.total > 0  # the demo's paper handovers to townships
    tab.show_incoming()
    qtbot.waitUntil(lambda: not tab.model.loading and tab.model.total is not None, timeout=15_000)
    assert tab.model.total == 0  # nothing came from another office in the demo
    assert not tab.reply_action.isEnabled()


def test_an_event_keeps_its_photos(qtbot, db, clerk_ctx, tmp_path):
    from sqlalchemy import select

    from app.models import Attachment
    from app.models.rights import RightsEvent
    from ui.pages.rights.events import EventFormDialog

    with db.read_session() as s:
        event_id = s.scalar(select(RightsEvent.id).where(RightsEvent.deleted.is_(False)).limit(1))
    photo = tmp_path / "讲座现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    form = EventFormDialog(clerk_ctx, event_id)
    qtbot.addWidget(form)
    assert form.tabs.tabText(1) == "照片"
    assert form.files.add_file(photo) and form.files.table.rowCount() == 1
    with db.read_session() as s:
        row = s.scalar(select(Attachment).where(Attachment.record_id == event_id))
        assert (row.record_table, row.file_name, row.mime) == ("rights_events", "讲座现场.png", "image/png")
