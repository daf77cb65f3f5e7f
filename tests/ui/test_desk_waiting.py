"""Issue 12, point 5: who acts next — a record in a chain says, in its form and on its list's
status tag, whose step it is (role and unit) and since when; a step that waits says why."""

from sqlalchemy import func, select

from app.models import HardshipArchive, HardshipReview


def _archive_in(db, status):
    with db.read_session() as s:
        archive = s.scalars(select(HardshipArchive).where(HardshipArchive.status == status,
                                                          HardshipArchive.deleted.is_(False))).first()
        acted = s.scalar(select(func.max(HardshipReview.acted_on)).where(
            HardshipReview.archive_id == archive.id, HardshipReview.to_status == status))
        return archive.id, acted


def test_the_form_and_the_list_say_whose_step_it_is_and_since_when(qtbot, db, clerk_ctx, answer):
    from app.validation import format_cn_date
    from ui.pages.hardship.archive_form import ArchiveFormDialog
    from ui.pages.hardship.bindings import ARCHIVE_BINDING
    from ui.widgets.list_page import ListPage

    answer(unsaved="discard")
    record_id, acted = _archive_in(db, "township_ok")
    expected = f"待 {clerk_ctx.unit_name} 审核人 帮扶中心审核(自 {format_cn_date(acted)})"
    form = ArchiveFormDialog(clerk_ctx, record_id)
    qtbot.addWidget(form)
    assert form.strip.next_label.text() == expected and not form.strip.next_label.isHidden()

    page = ListPage(clerk_ctx, ARCHIVE_BINDING)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    page.search.setText(form.cells["name"].editor.raw())
    page.search.commit()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.row_of(record_id) >= 0, timeout=10_000)
    status = [c.key for c in page.model.columns].index("status")
    tip = page.view.cell_tooltip(page.model.index(page.model.row_of(record_id), status))
    assert tip.splitlines() == ["乡镇复审通过", expected] or tip.endswith(expected)


def test_an_archive_at_rest_waits_on_nobody(qtbot, db, clerk_ctx, answer):
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    answer(unsaved="discard")
    record_id, _acted = _archive_in(db, "archived")
    form = ArchiveFormDialog(clerk_ctx, record_id)
    qtbot.addWidget(form)
    assert form.strip.next_label.text() == "" and form.strip.next_label.isHidden()


def test_a_step_that_must_wait_says_why_on_its_button_and_under_the_strip(qtbot, db, actors,
                                                                           clerk_ctx, answer):
    from datetime import timedelta

    from app.clock import today
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    answer(unsaved="discard")
    record_id, _acted = _archive_in(db, "publicizing")
    with db.session(actors["admin"]) as s:  # the 公示 runs a few days more
        s.get(HardshipArchive, record_id).publicity_end = today() + timedelta(days=3)
    form = ArchiveFormDialog(clerk_ctx, record_id)
    qtbot.addWidget(form)
    button = form.strip.buttons["end_publicity"]
    assert not button.isEnabled() and "公示期至" in button.toolTip()
    assert button.toolTip() in form.strip.next_label.text()
    assert form.strip.next_label.text().startswith(f"待 {clerk_ctx.unit_name} ")


def test_a_ticket_says_whose_step_it_is_in_its_form_and_its_list(qtbot, db, actors, clerk_ctx,
                                                                  answer_dialogs):
    from PySide6.QtCore import Qt

    from app.clock import today
    from app.services import records
    from app.validation import format_cn_date
    from ui.pages.rights.tickets import BINDING, TicketFormDialog
    from ui.widgets.list_page import ListPage

    with db.session(actors["clerk"]) as s:
        ticket_id = records.create(s, actors["clerk"], "rights_ticket", {
            "received_on": today().isoformat(), "channel": "visit", "person_name": "王秀兰",
            "category": "3", "sub_item": "301", "content": "单位拖欠工资", "visitors": "1"}).id
    since = f"(自 {format_cn_date(today())})"
    form = TicketFormDialog(clerk_ctx, ticket_id)
    qtbot.addWidget(form)
    assert form.strip.next_label.text() == f"待 {clerk_ctx.unit_name} 经办人 受理{since}"
    qtbot.mouseClick(form.strip.buttons["accept"], Qt.MouseButton.LeftButton)
    assert form.status == "accepted"
    assert form.strip.next_label.text() == f"待 {clerk_ctx.unit_name} 经办人 办结{since}"

    page = ListPage(clerk_ctx, BINDING)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.row_of(ticket_id) >= 0, timeout=10_000)
    status = [c.key for c in page.model.columns].index("status")
    tip = page.view.cell_tooltip(page.model.index(page.model.row_of(ticket_id), status))
    assert tip.endswith(f"待 {clerk_ctx.unit_name} 经办人 办结{since}")


def test_the_home_page_lists_the_tickets_waiting_on_this_role(qtbot, db, actors):
    from PySide6.QtWidgets import QPushButton

    from app.clock import today
    from app.models.rights_tickets import RightsTicket
    from app.services import records
    from tests.ui.conftest import make_ctx
    from ui.pages.home import HomePage
    from ui.workers import wait_for_jobs

    with db.session(actors["admin"]) as s:  # only this ticket is open, so no cap hides it
        for t in s.query(RightsTicket):
            t.deleted = True
    with db.session(actors["clerk"]) as s:
        ticket = records.create(s, actors["clerk"], "rights_ticket", {
            "received_on": today().isoformat(), "channel": "visit", "person_name": "王秀兰",
            "category": "3", "sub_item": "301", "content": "单位拖欠工资", "visitors": "1"})
        number = ticket.ticket_no

    def todo_texts(role):
        page = HomePage(make_ctx(db, actors[role]))
        qtbot.addWidget(page)
        assert wait_for_jobs(20_000)  # the figures and the 待办 read in the background
        qtbot.waitUntil(lambda: page.todo_box.count() > 0, timeout=20_000)
        return [w.text() for w in page.todo_panel.findChildren(QPushButton)]

    expected = f"工单待受理:{number} 王秀兰(自 {today().isoformat()})"
    assert expected in todo_texts("clerk")  # 受理 is a 经办人's step
    assert not any("工单待受理" in t for t in todo_texts("reviewer"))  # not a 审核人's
