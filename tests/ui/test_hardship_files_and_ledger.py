"""The 困难职工帮扶 page's money and files: a payout into the ledger and its reversal (never an
edit), a payout refused without an archive, F1 printed for the selected archive (pdftotext),
the archives exported to .xlsx (openpyxl), and the 统计 tab equal to the core's statistics."""

from __future__ import annotations

import subprocess
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy import func, select

from app.clock import today
from app.models import ReliefEntry
from tests.app.hardship.helpers import HEAD, drive, id_number, make_archive
from tests.ui.hardship_support import wait_list


def _relief_form(page, raw: dict):
    form = page.make_form(None)
    cleaned, errors = form.spec.clean(raw, form.ctx.codes, partial=True)
    assert not errors, errors
    for key, value in cleaned.items():
        form.cells[key].editor.set_stored(value)
    return form


def test_relief_paid_then_reversed_never_edited(qtbot, county, ctx_of, answer_dialogs, errors_shown):
    from ui.pages.hardship.relief import ReliefFormDialog, ReliefListPage

    archive_id = make_archive(county, "a")
    drive(county, archive_id)  # 已建档
    ctx = ctx_of("clerk")
    page = ReliefListPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_list(qtbot, page)
    paid = {"paid_on": today().isoformat(), "kind": "living", "recipient_kind": "worker",
            "archive_id": archive_id, "cash_fen": "800.00", "fund_source": "county"}
    form = _relief_form(page, paid)
    form.cells["archive_id"].editor.changed.emit()  # as the picker does
    assert form.cells["recipient_name"].editor.raw() == "张三"  # the archive's head
    assert form.cells["recipient_id_number"].editor.raw() == HEAD
    assert form.windowTitle() == "新增发放" and form.cells["paid_by"].editor.raw()
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted and form.saved_id
    entry_id = form.saved_id
    page.reload()
    wait_list(qtbot, page)
    assert page.model.total == 1

    stored = ReliefFormDialog(ctx, entry_id, page)  # a stored payout opens read-only
    assert not stored.editable and stored.save_button.isHidden()

    assert page.select_record(entry_id)
    answer_dialogs.update({"reason": "金额登记错误"})
    assert page.reverse_current()
    with county.db.read_session() as s:
        rows = s.scalars(select(ReliefEntry).order_by(ReliefEntry.created_at)).all()
        assert [r.cash_fen for r in rows] == [80000, -80000]
        assert rows[1].reverses_id == entry_id and rows[1].reason == "金额登记错误"
        assert rows[1].paid_on == rows[0].paid_on
    page.reload()
    wait_list(qtbot, page)
    assert page.model.total == 2

    assert page.select_record(entry_id)
    assert not page.reverse_current()  # a second reversal is refused, in Chinese
    assert "已经冲正" in answer_dialogs.shown[-1].message.text()


def _line_texts(widget) -> list[str]:
    """Every text a line edit of the form holds, shown or not."""
    from PySide6.QtWidgets import QLineEdit

    return [w.text() for w in widget.findChildren(QLineEdit)]


def test_a_payout_shows_the_archives_id_number_masked_until_revealed(qtbot, county, ctx_of):
    from app.models import AuditEntry
    from app.validation import mask_id_number
    from ui.pages.hardship.relief import ReliefListPage

    archive_id = make_archive(county, "a")
    drive(county, archive_id)
    other_no = id_number("341122", date(1980, 2, 2), 45)
    other = make_archive(county, "b", name="王五", id_no=other_no, members=[], expenses=[])
    ctx = ctx_of("clerk")
    page = ReliefListPage(ctx)
    qtbot.addWidget(page)
    wait_list(qtbot, page)
    form = _relief_form(page, {"paid_on": today().isoformat(), "kind": "living",
                               "recipient_kind": "worker", "archive_id": other,
                               "cash_fen": "500", "fund_source": "county"})
    form.cells["archive_id"].editor.changed.emit()  # as the picker does
    cell = form.cells["recipient_id_number"]
    assert cell.editor.raw() == other_no and other_no not in _line_texts(form)
    form.cells["archive_id"].editor.set_stored(archive_id)  # another archive chosen:
    form.cells["archive_id"].editor.changed.emit()  # what the form filled follows it
    assert form.cells["recipient_name"].editor.raw() == "张三"
    assert cell.editor.raw() == HEAD  # the number that will be saved …
    assert HEAD not in _line_texts(form)  # … is in no widget in clear,
    assert mask_id_number(HEAD) in _line_texts(form)  # only masked
    assert not cell.editor.show_button.isHidden() and not cell.editor.refill_button.isHidden()
    with county.db.read_session() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")).first() is None

    cell.editor.show_button.click()  # 显示: the full number, logged against the archive
    assert cell.editor.is_open and cell.editor.inner.raw() == HEAD
    with county.db.read_session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")).one()
        assert entry.object_id == archive_id and entry.username == "clerk"
        assert "张三" in entry.summary and "身份证号" in entry.summary and HEAD not in entry.summary
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted, form.message.text()
    with county.db.read_session() as s:
        assert s.get(ReliefEntry, form.saved_id).recipient_id_number == HEAD


def test_a_payout_without_an_archive_takes_a_typed_id_number(qtbot, county, ctx_of):
    from ui.pages.hardship.relief import ReliefListPage

    page = ReliefListPage(ctx_of("clerk"))
    qtbot.addWidget(page)
    wait_list(qtbot, page)
    form = _relief_form(page, {"paid_on": today().isoformat(), "kind": "accident",
                               "recipient_kind": "worker", "recipient_name": "路人甲",
                               "cash_fen": "2000", "fund_source": "county",
                               "reason": "车祸致残,先救助后建档"})
    form.show()
    typed = id_number("341122", date(1990, 1, 1), 23)
    editor = form.cells["recipient_id_number"].editor
    assert editor.is_open and editor.show_button.isHidden()  # nothing filled: typed in directly
    qtbot.keyClicks(editor.inner.line, typed)
    assert typed in _line_texts(form)  # the user's own typing shows as typed
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted, form.message.text()
    with county.db.read_session() as s:
        assert s.get(ReliefEntry, form.saved_id).recipient_id_number == typed


def test_declining_the_yearly_cap_warning_goes_back_to_the_form_quietly(qtbot, county, ctx_of,
                                                                       answer, errors_shown):
    from ui.pages.hardship.relief import ReliefListPage

    archive_id = make_archive(county, "a")
    drive(county, archive_id)
    ctx = ctx_of("clerk")
    page = ReliefListPage(ctx)
    qtbot.addWidget(page)
    wait_list(qtbot, page)
    form = _relief_form(page, {"paid_on": today().isoformat(), "kind": "living",
                               "recipient_kind": "worker", "archive_id": archive_id,
                               "cash_fen": "50000", "fund_source": "county"})  # cap: 20,000.00
    form.cells["archive_id"].editor.changed.emit()
    notes: list[str] = []
    ctx.status_message.connect(notes.append)
    asked = answer(confirm=False)  # 取消 in “请确认 … 超过年度上限”
    form.accept()
    assert asked == ["confirm"]
    assert form.result() != QDialog.DialogCode.Accepted  # still open, as the clerk left it
    assert errors_shown == [] and form.message.text() == ""  # no 无法办理, no red line
    assert notes == ["已取消,未登记这笔发放"]  # a neutral line in the status bar
    assert form.cells["cash_fen"].editor.raw() == "50,000.00"
    with county.db.read_session() as s:
        assert s.scalars(select(ReliefEntry)).first() is None

    answer(confirm=True)  # saving again asks again; 仍然登记 saves it
    form.accept()
    assert asked == ["confirm", "confirm"] and form.result() == QDialog.DialogCode.Accepted
    with county.db.read_session() as s:
        assert s.scalars(select(ReliefEntry.cash_fen)).all() == [5_000_000]


def test_relief_without_an_archive_is_refused(qtbot, county, ctx_of, errors_shown):
    from ui.pages.hardship.relief import ReliefListPage

    draft = make_archive(county, "a")  # never approved: 先建档,后帮扶
    page = ReliefListPage(ctx_of("clerk"))
    qtbot.addWidget(page)
    wait_list(qtbot, page)
    form = _relief_form(page, {"paid_on": today().isoformat(), "kind": "living",
                               "recipient_kind": "worker", "archive_id": draft,
                               "recipient_name": "张三", "cash_fen": "500", "fund_source": "county"})
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted
    assert "建档" in (form.message.text() + "".join(errors_shown))
    with county.db.read_session() as s:
        assert s.scalars(select(ReliefEntry)).first() is None


def _archive_list(qtbot, ctx):
    from ui.pages.hardship.lists import ArchiveListPage

    page = ArchiveListPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_list(qtbot, page)
    return page


def test_print_f1_for_the_selected_archive(qtbot, county, ctx_of, tmp_path, monkeypatch):
    from ui.dialogs.files import Files

    archive_id = make_archive(county, "a")
    page = _archive_list(qtbot, ctx_of("clerk"))
    assert page.select_record(archive_id)
    titles = [a.text() for a in page.file_actions.actions_for_test()]
    assert any(t.startswith("困难职工帮扶申请(审批)表(所选 1 条)") for t in titles)
    assert any(t.startswith("困难职工建档公示名单") for t in titles)
    f1 = next(a for a in page.file_actions.actions_for_test()
              if a.text().startswith("困难职工(家庭)档案表(所选 1 条)"))
    f1.trigger()
    preview = page.file_actions.last_preview
    qtbot.waitUntil(lambda: preview.result is not None, timeout=30_000)
    assert preview.page_count == 2  # F1 is two A4 pages
    out = tmp_path / "f1.pdf"
    monkeypatch.setattr(Files, "save_path", classmethod(lambda cls, *a, **k: out))
    preview.save_as()
    qtbot.waitUntil(lambda: getattr(preview, "saved_path", None) is not None, timeout=30_000)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    assert "困难职工(家庭)档案表" in text.replace(" ", "") and "张三" in text
    assert HEAD in text  # F1 is the office's own copy: in full for a role that may reveal
    preview.reject()


def test_export_archives_to_excel_reads_back(qtbot, county, ctx_of, tmp_path):
    from openpyxl import load_workbook

    make_archive(county, "a")
    make_archive(county, "b", name="王五", id_no=id_number("341122", date(1980, 3, 3), 35), members=[], expenses=[])
    page = _archive_list(qtbot, ctx_of("clerk"))
    assert [k.key for k in page.file_actions.kinds] == ["archives"]
    out = tmp_path / "archives.xlsx"
    page.file_actions.export_to("archives", {}, True, out)
    qtbot.waitUntil(lambda: hasattr(page.file_actions, "last_export"), timeout=30_000)
    assert page.file_actions.last_export.rows == 2
    ws = load_workbook(out, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert "困难职工档案" in str(rows[0][0])
    header = list(rows[1])
    name_col, id_col = header.index("姓名"), header.index("身份证号")
    body = [r for r in rows[2:] if r[name_col]]
    assert sorted(r[name_col] for r in body) == ["张三", "王五"]
    for r in body:
        assert isinstance(r[id_col], str) and "*" in r[id_col] and len(r[id_col]) == 18


def test_stats_tab_shows_the_core_figures(qtbot, county, ctx_of):
    from app.services.hardship import ledger, stats
    from ui.kit.stats_tab import StatsTab

    archive_id = make_archive(county, "a")
    drive(county, archive_id)
    with county.session("clerk") as s:
        ledger.record_relief(s, county.actors["clerk"], {
            "paid_on": today().isoformat(), "kind": "living", "recipient_kind": "worker",
            "archive_id": archive_id, "recipient_name": "张三", "cash_fen": "1234.56",
            "goods_kind": "rice", "goods_unit": "jin", "goods_qty": "50", "goods_value_fen": "150",
            "fund_source": "county"})
    ctx = ctx_of("clerk")
    tab = StatsTab(ctx, "hardship")
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    d0, d1 = date(today().year, 1, 1), date(today().year, 12, 31)
    tab.preset.setCurrentIndex(tab.preset.count() - 1)  # 自定义
    tab.date_from.setDate(QDate(d0.year, d0.month, d0.day))
    tab.date_to.setDate(QDate(d1.year, d1.month, d1.day))
    tab.result = None
    tab.refresh()
    qtbot.waitUntil(lambda: tab.result is not None, timeout=30_000)
    with county.db.read_session() as s:
        core = stats.hardship_stats(s, county.actors["clerk"], d0, d1, None)
    shown = [(c.findChild(QLabel, "figureLabel").text(), c.findChild(QLabel, "figureValue").text(),
              c.findChild(QLabel, "figureUnit").text()) for c in tab.cards]
    assert shown == [(f.label, f.text, f.unit) for f in core.figures]
    by_label = {label: value for label, value, _u in shown}
    assert by_label["发放困难职工慰问金(救助金)"] == core.figures[0].text
    assert float(by_label["发放困难职工慰问金(救助金)"]) > 0  # the payout counted
    assert by_label["新建档困难职工家庭"] == "1"


def test_a_statistics_card_opens_the_archives_it_counts(qtbot, county, ctx_of, monkeypatch):
    """On the area page, 新建档困难职工家庭 opens the archives it counted in the lazy list, and a
    double-click opens an archive in the archive form (not a generic one)."""
    from app.areas import area
    from ui.kit.area_page import AreaPage
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    archived = []
    for seq, union in enumerate(("a", "b", "c")):
        archive_id = make_archive(county, union, members=[],
                                  id_no=id_number("341122", date(1970, 1, 1), 100 + seq))
        if union != "c":  # the third stays a draft: not counted
            drive(county, archive_id)
            archived.append(archive_id)
    page = AreaPage(ctx_of("clerk"), area("hardship"))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    stats = page.show_tab("stats")
    stats.set_period(date(today().year, 1, 1), date(today().year, 12, 31))
    stats.result = None
    stats.refresh()
    qtbot.waitUntil(lambda: stats.result is not None, timeout=30_000)
    card = next(c for c in stats.cards if c.figure.label == "新建档困难职工家庭")
    assert card.figure.value == 2
    records = stats.open_records(card.figure).list
    qtbot.waitUntil(lambda: records.model.total is not None and not records.model.loading, timeout=15_000)
    assert records.model.total == 2 and {r.id for r in records.model.rows} == set(archived)
    opened = []
    monkeypatch.setattr(ArchiveFormDialog, "exec", lambda self: opened.append(self) or 0)
    records.select_record(records.model.rows[0].id)
    records.open_current()
    assert len(opened) == 1 and opened[0].record_id == records.model.rows[0].id


def test_import_archives_through_the_wizard(qtbot, county, ctx_of, tmp_path):
    """An unmasked export of an archive (with its family sheet), the archive voided, the file
    imported back through the list's 导入Excel: checked row by row, then written when accepted."""
    from app.excel.export import export_kind
    from app.models import HardshipArchive, HardshipFamilyMember
    from app.services.hardship import archives

    archive_id = make_archive(county, "a")
    path = tmp_path / "archives.xlsx"
    export_kind(county.db, county.actors["clerk"], "archives", path, mask=False)
    with county.session("clerk") as s:
        archives.void_archive(s, county.actors["clerk"], archive_id)
    page = _archive_list(qtbot, ctx_of("clerk"))
    assert page.model.total == 0
    wizard = page.file_actions.import_excel("archives")
    wizard.check(path)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=30_000)
    assert len(wizard.report.valid) == 1 and not wizard.report.refused_rows, wizard.summary.text()
    assert wizard.import_button.text() == "导入 1 条" and wizard.import_button.isEnabled()
    wizard.confirm()
    qtbot.waitUntil(lambda: wizard.written == 1, timeout=30_000)
    with county.db.read_session() as s:
        live = s.scalars(select(HardshipArchive).where(HardshipArchive.deleted.is_(False))).one()
        assert (live.name, live.id_number) == ("张三", HEAD)
        assert s.scalar(select(func.count()).select_from(HardshipFamilyMember).where(
            HardshipFamilyMember.archive_id == live.id,
            HardshipFamilyMember.deleted.is_(False))) == 2
    wait_list(qtbot, page)
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=15_000)  # the list reloaded
