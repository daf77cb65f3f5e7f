"""A clerk's trial, the small things: an empty date box hints the format, not a date that reads
as filled in; a new payout's 发放日期 starts at today and its 冲正的原记录 is shown only on a
reversal; the ledger's greyed 作废 says why and what to do instead."""

from __future__ import annotations

from sqlalchemy import select

from app.clock import today
from app.models import ReliefEntry
from tests.app.hardship.helpers import drive, make_archive
from tests.ui.hardship_support import wait_list


def test_an_empty_date_box_hints_the_format_not_a_date(qtbot):
    from ui.widgets.date_field import DateLine

    line = DateLine("paid_on")
    qtbot.addWidget(line)
    hint = line.line.placeholderText()
    assert hint == "年-月-日" and not any(ch.isdigit() for ch in hint)


def test_a_new_payout_starts_today_and_only_a_reversal_names_its_original(
        qtbot, county, ctx_of, answer_dialogs):
    from ui.pages.hardship.relief import ReliefFormDialog, ReliefListPage

    archive_id = make_archive(county, "a")
    drive(county, archive_id)  # 已建档
    ctx = ctx_of("clerk")
    page = ReliefListPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_list(qtbot, page)
    tip = page.void_action.toolTip()
    assert not page.void_action.isEnabled() and "冲正" in tip and tip != "作废"

    form = page.make_form(None)
    qtbot.addWidget(form)
    assert form.cells["paid_on"].editor.raw() == today()
    assert not form.dirty  # a default, not an edit
    assert form.cells["reverses_id"].isHidden()

    form.cells["archive_id"].editor.set_stored(archive_id)
    form.cells["archive_id"].editor.changed.emit()
    for key, value in {"kind": "living", "recipient_kind": "worker", "fund_source": "county"}.items():
        form.cells[key].editor.set_stored(value)
    form.cells["cash_fen"].editor.line.setText("800.00")
    form.accept()
    assert form.saved_id, form.message.text()
    assert ReliefFormDialog(ctx, form.saved_id, page).cells["reverses_id"].isHidden()
    page.reload()
    wait_list(qtbot, page)
    assert page.select_record(form.saved_id)
    answer_dialogs.update({"reason": "金额登记错误"})
    assert page.reverse_current()
    with county.db.read_session() as s:
        reversal = s.scalar(select(ReliefEntry.id).where(ReliefEntry.reverses_id == form.saved_id))
    shown = ReliefFormDialog(ctx, reversal, page)
    qtbot.addWidget(shown)
    assert not shown.cells["reverses_id"].isHidden()
