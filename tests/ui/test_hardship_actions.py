"""The archive form's own actions, driven through its widgets as the office uses them: the 附件
tab (add a scan, list, open, delete; the size, type and duplicate refusals), 改定困难类别 (with
and without a reason, refused during 公示), and the reviewer's 年审 / 脱困 / 注销 buttons on an
archived household (who sees them, what each asks for, what lands in the database and the audit
log, and each refusal in Chinese). Every form is opened from the 档案 list."""

from __future__ import annotations

import hashlib
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy import select

from app.clock import today
from app.models import AttachmentBlob, AuditEntry, HardshipArchive, HardshipAttachment, HardshipReview
from app.services import attachments as blobs
from app.services.hardship import archives, workflow
from tests.app.hardship.helpers import drive, make_archive
from tests.ui.hardship_support import wait_list

CLICK = Qt.MouseButton.LeftButton


# -- helpers -----------------------------------------------------------------------------------------
@pytest.fixture
def opened(monkeypatch):
    """Archive forms the list opens (Enter / double-click / 修改) are shown, not run modally: the
    test then works in them as the user would."""
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    forms: list = []

    def show(self):
        forms.append(self)
        self.show()
        return 0

    monkeypatch.setattr(ArchiveFormDialog, "exec", show)
    return forms


def _open_from_list(qtbot, ctx, archive_id, opened):
    """The 档案 list as this user sees it; the archive's row chosen and opened with Enter."""
    from ui.pages.hardship.lists import ArchiveListPage

    page = ArchiveListPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_list(qtbot, page)
    assert page.select_record(archive_id)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened, "the list opened no form"
    form = opened[-1]
    assert form.record_id == archive_id
    return form


def _archive(county, archive_id) -> HardshipArchive:
    with county.db.read_session() as s:
        archive = s.get(HardshipArchive, archive_id)
        s.expunge(archive)
        return archive


def _steps(county, archive_id) -> list[HardshipReview]:
    with county.db.read_session() as s:
        rows = list(s.scalars(select(HardshipReview).where(HardshipReview.archive_id == archive_id)
                              .order_by(HardshipReview.step_no)))
        s.expunge_all()
        return rows


def _audited(county, table: str, object_id: str, action: str, username: str) -> list[AuditEntry]:
    with county.db.read_session() as s:
        rows = list(s.scalars(select(AuditEntry).where(
            AuditEntry.object_type == table, AuditEntry.object_id == object_id,
            AuditEntry.action == action, AuditEntry.username == username)))
        s.expunge_all()
        return rows


def _table_texts(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def _png(path, colour="red", size=(24, 16)):
    """A real (small) PNG, as a phone photo of a document would be."""
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


# -- 附件 ----------------------------------------------------------------------------------------------
@pytest.fixture
def chosen_file(monkeypatch):
    """The file the user picks in 选择扫描件 (``chosen_file.path``)."""
    from ui.dialogs.files import Files

    class Chosen:
        path = None
        asked: list = []

    def pick(cls, parent, title, file_filter):
        Chosen.asked.append((title, file_filter))
        return Chosen.path

    monkeypatch.setattr(Files, "open_path", classmethod(pick))
    return Chosen


@pytest.fixture
def viewer(monkeypatch):
    """What the system viewer is asked to open (nothing is launched)."""
    from PySide6.QtGui import QDesktopServices

    urls: list = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url) or True))
    yield urls
    for url in urls:
        shutil.rmtree(Path(url.toLocalFile()).parent, ignore_errors=True)  # the copy's own folder


def _attachments_tab(form):
    form.tabs.setCurrentWidget(form.attachments)  # loads the tab, as clicking 附件 does
    assert form.tabs.tabText(form.tabs.currentIndex()) == "附件"
    return form.attachments


def test_attachment_added_listed_opened_and_removed(qtbot, county, ctx_of, opened, chosen_file,
                                                     viewer, answer_dialogs, answer, tmp_path):
    archive_id = make_archive(county, "a")
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    tab = _attachments_tab(form)
    assert tab.table.rowCount() == 0
    assert tab.add_button.isVisible() and tab.remove_button.isVisible()

    scan = _png(tmp_path / "身份证正反面.png")
    data = scan.read_bytes()
    chosen_file.path = scan
    answer_dialogs.update({"kind": "家庭成员身份证"})  # the name is offered: the file's name
    qtbot.mouseClick(tab.add_button, CLICK)
    dialog = answer_dialogs.shown[-1]
    assert dialog.windowTitle() == "添加附件" and dialog.ok_button.text() == "添加"
    assert [f.key for f in dialog.fields] == ["kind", "name"]
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    assert "*.png" in chosen_file.asked[-1][1] and "*.pdf" in chosen_file.asked[-1][1]

    assert _table_texts(tab.table) == [["家庭成员身份证", "身份证正反面", "image/png", f"{len(data):,}"]]
    with county.db.read_session() as s:
        row = s.scalars(select(HardshipAttachment).where(HardshipAttachment.archive_id == archive_id)).one()
        attachment_id = row.id
        assert (row.kind, row.name, row.mime, row.size, row.deleted) == (
            "02", "身份证正反面", "image/png", len(data), False)
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert s.get(AttachmentBlob, row.sha256).data == data  # the bytes, in the database
    assert _audited(county, "hardship_attachments", attachment_id, "create", "clerk")

    # the archive itself is still edited and saved in the same form; the scan stays with it
    form.cells["address"].editor.set_stored("示例县城关镇幸福路8号")
    qtbot.mouseClick(form.save_button, CLICK)
    assert form.result() == QDialog.DialogCode.Accepted, form.message.text()
    assert _archive(county, archive_id).address == "示例县城关镇幸福路8号"

    # opened again from the list: the scan is listed; 打开 hands a copy to the system viewer
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    tab = _attachments_tab(form)
    assert tab.table.rowCount() == 1
    qtbot.mouseClick(tab.open_button, CLICK)  # nothing chosen yet: nothing opened
    assert viewer == []
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.open_button, CLICK)
    assert len(viewer) == 1
    copy = viewer[0].toLocalFile()
    assert copy.endswith("身份证正反面.png")
    with open(copy, "rb") as fh:
        assert fh.read() == data
    from app import viewing

    assert Path(copy).is_relative_to(viewing.folder(county.db.path))  # cleared at exit and start

    # 删除 asks first; 取消 keeps it
    asked = answer(confirm=False)
    qtbot.mouseClick(tab.remove_button, CLICK)
    assert asked == ["confirm"] and tab.table.rowCount() == 1
    answer(confirm=True)
    qtbot.mouseClick(tab.remove_button, CLICK)
    assert tab.table.rowCount() == 0
    with county.db.read_session() as s:
        row = s.get(HardshipAttachment, attachment_id)
        assert row.deleted  # tombstoned (it may have left in a bundle), never erased
        assert s.get(AttachmentBlob, row.sha256) is not None
    assert _audited(county, "hardship_attachments", attachment_id, "delete", "clerk")


def test_attachment_with_a_slash_in_its_name_opens(qtbot, county, ctx_of, opened, chosen_file,
                                                    viewer, answer_dialogs, tmp_path):
    archive_id = make_archive(county, "a")
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    tab = _attachments_tab(form)
    chosen_file.path = _png(tmp_path / "scan.png")
    answer_dialogs.update({"kind": "病历和大额药费发票", "name": "住院发票 1/2: 县医院"})
    qtbot.mouseClick(tab.add_button, CLICK)
    assert answer_dialogs.shown[-1].result() == QDialog.DialogCode.Accepted
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.open_button, CLICK)
    assert len(viewer) == 1
    copy = viewer[0].toLocalFile()
    name = Path(copy).name
    assert name.endswith(".png") and name.startswith("住院发票 1")
    assert not any(c in name for c in '\\:*?"<>|')  # a name Windows can write
    with open(copy, "rb") as fh:
        assert fh.read() == chosen_file.path.read_bytes()


def test_attachment_refusals_too_large_wrong_type_and_twice(qtbot, county, ctx_of, opened,
                                                             chosen_file, answer_dialogs, errors_shown,
                                                             tmp_path):
    archive_id = make_archive(county, "a")
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    tab = _attachments_tab(form)
    answer_dialogs.update({"kind": "收入证明"})

    # over the core's limit: refused at once, before the clerk types anything, with the real limit
    big = tmp_path / "收入证明.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (blobs.MAX_BYTES - 7))
    assert big.stat().st_size == blobs.MAX_BYTES + 1
    chosen_file.path = big
    qtbot.mouseClick(tab.add_button, CLICK)
    assert answer_dialogs.shown == []  # no dialog asked for a type and name
    assert errors_shown and f"{blobs.MAX_BYTES // 2**20} MB" in errors_shown[-1]

    # a Word file renamed .pdf: recognised by its bytes, refused in Chinese, the dialog stays open
    fake = tmp_path / "收入证明.pdf"
    fake.write_bytes(b"PK\x03\x04word/document.xml" + b"x" * 100)
    chosen_file.path = fake
    qtbot.mouseClick(tab.add_button, CLICK)
    dialog = answer_dialogs.shown[-1]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "只接受 JPG、PNG 图片或 PDF" in dialog.message.text()
    assert "只接受 JPG、PNG 图片或 PDF" in errors_shown[-1]

    # an empty file
    empty = tmp_path / "空.png"
    empty.write_bytes(b"")
    chosen_file.path = empty
    qtbot.mouseClick(tab.add_button, CLICK)
    assert "空文件" in answer_dialogs.shown[-1].message.text()

    # a real PDF is taken; the same bytes a second time are refused beside the name
    pdf = tmp_path / "收入证明2026.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    chosen_file.path = pdf
    qtbot.mouseClick(tab.add_button, CLICK)
    assert answer_dialogs.shown[-1].result() == QDialog.DialogCode.Accepted
    assert tab.table.rowCount() == 1
    qtbot.mouseClick(tab.add_button, CLICK)
    dialog = answer_dialogs.shown[-1]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors["name"].text() == "该文件已经上传过" and not dialog.errors["name"].isHidden()
    assert tab.table.rowCount() == 1
    with county.db.read_session() as s:
        rows = list(s.scalars(select(HardshipAttachment).where(HardshipAttachment.archive_id == archive_id)))
        assert [(r.name, r.mime) for r in rows] == [("收入证明2026", "application/pdf")]


def test_attachments_read_only_for_a_reviewer(qtbot, county, ctx_of, opened, chosen_file, viewer,
                                              answer_dialogs, tmp_path):
    archive_id = make_archive(county, "a")
    clerk_form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    chosen_file.path = _png(tmp_path / "户口本.png", "blue")
    answer_dialogs.update({"kind": "户口本"})
    qtbot.mouseClick(_attachments_tab(clerk_form).add_button, CLICK)

    form = _open_from_list(qtbot, ctx_of("reviewer"), archive_id, opened)
    tab = _attachments_tab(form)
    assert tab.table.rowCount() == 1
    assert tab.add_button.isHidden() and tab.remove_button.isHidden()  # 审核人 has no 经办 right
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.open_button, CLICK)  # but reads the scans
    assert len(viewer) == 1 and viewer[0].toLocalFile().endswith("户口本.png")


# -- 改定困难类别 ------------------------------------------------------------------------------------
def test_override_category_with_a_reason(qtbot, county, ctx_of, opened, answer_dialogs):
    archive_id = make_archive(county, "a")  # proposed 深度困难 (1)
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    assert form.override_button.isEnabled() and form.override_button.toolTip() == ""
    assert form.cells["proposed_category"].editor.raw() == "1"

    answer_dialogs.update({"category": "相对困难职工家庭", "category_reason": "经入户调查,配偶另有稳定收入"})
    qtbot.mouseClick(form.override_button, CLICK)
    dialog = answer_dialogs.shown[-1]
    assert dialog.windowTitle() == "改定困难类别" and dialog.ok_button.text() == "改定"
    assert any("系统认定:深度困难职工家庭" in label.text() for label in dialog.findChildren(QLabel))
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()

    archive = _archive(county, archive_id)
    assert (archive.category, archive.proposed_category, archive.category_overridden,
            archive.category_reason) == ("2", "1", True, "经入户调查,配偶另有稳定收入")
    step = _steps(county, archive_id)[-1]
    assert (step.action, step.actor_username, step.opinion) == ("category", "clerk",
                                                                "经入户调查,配偶另有稳定收入")
    assert _audited(county, "hardship_reviews", step.id, "create", "clerk")
    assert _audited(county, "hardship_archives", archive_id, "update", "clerk")
    # the form shows it at once: the grade, and the note with the reason
    assert form.cells["category"].editor.raw() == "2"
    assert "相对困难职工家庭" in form.override_note.text()
    assert "配偶另有稳定收入" in form.override_note.text()

    # choosing the system's grade again restores it; no reason needed
    answer_dialogs.clear()
    answer_dialogs.update({"category": "深度困难职工家庭", "category_reason": ""})
    qtbot.mouseClick(form.override_button, CLICK)
    assert answer_dialogs.shown[-1].result() == QDialog.DialogCode.Accepted
    archive = _archive(county, archive_id)
    assert (archive.category, archive.category_overridden, archive.category_reason) == ("1", False, None)
    assert form.override_note.text() == ""


def test_an_empty_category_means_no_grade_as_the_dialog_says(qtbot, county, ctx_of, opened,
                                                              answer_dialogs):
    archive_id = make_archive(county, "a")
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    answer_dialogs.update({"category": "", "category_reason": "经核实另有经营收入,不予认定"})
    qtbot.mouseClick(form.override_button, CLICK)
    dialog = answer_dialogs.shown[-1]
    helps = [label.text() for label in dialog.findChildren(QLabel) if label.objectName() == "fieldHelp"]
    assert any("空着表示不予认定" in text for text in helps), helps
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    archive = _archive(county, archive_id)
    assert (archive.category, archive.proposed_category, archive.category_overridden) == (None, "1", True)
    assert "不予认定" in form.override_note.text()


def test_override_without_a_reason_is_refused_beside_the_field(qtbot, county, ctx_of, opened,
                                                                answer_dialogs):
    archive_id = make_archive(county, "a")
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    before = len(_steps(county, archive_id))
    answer_dialogs.update({"category": "相对困难职工家庭", "category_reason": "  "})
    qtbot.mouseClick(form.override_button, CLICK)
    dialog = answer_dialogs.shown[-1]
    assert dialog.result() != QDialog.DialogCode.Accepted  # stays open for the reason
    error = dialog.errors["category_reason"]
    assert not error.isHidden() and "须写明理由" in error.text()
    assert dialog.errors["category"].isHidden()
    archive = _archive(county, archive_id)
    assert (archive.category, archive.category_overridden) == ("1", False)
    assert len(_steps(county, archive_id)) == before


def test_override_refused_while_publicized(qtbot, county, ctx_of, opened, answer_dialogs,
                                           errors_shown):
    archive_id = make_archive(county, "a")
    drive(county, archive_id, "center")  # 待公示: the clerk may still set the grade
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    assert form.override_button.isEnabled()

    # meanwhile a colleague starts the 公示: the open form's 改定 is refused by the core
    with county.session("clerk2") as s:
        workflow.act(s, county.actors["clerk2"], archive_id, "publicize",
                     {"publicity_start": today().isoformat()})
    answer_dialogs.update({"category": "相对困难职工家庭", "category_reason": "收入情况有变化"})
    qtbot.mouseClick(form.override_button, CLICK)
    dialog = answer_dialogs.shown[-1]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "公示期间不能改定困难类别" in dialog.message.text()
    assert "公示期间不能改定困难类别" in errors_shown[-1]
    assert _archive(county, archive_id).category == "1"

    # opened now, the button is off and says why
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    assert form.status == "publicizing"
    assert not form.override_button.isEnabled()
    assert "公示期间不能改定困难类别" in form.override_button.toolTip()


# -- 年审 / 脱困 / 注销 ---------------------------------------------------------------------------------
CLOSING = ("annual", "exit", "cancel")


def test_annual_exit_cancel_offered_only_to_the_county_reviewer_on_an_archived_household(
        qtbot, county, ctx_of, opened):
    archive_id = make_archive(county, "a")
    form = _open_from_list(qtbot, ctx_of("reviewer"), archive_id, opened)  # a draft: none
    assert not set(CLOSING) & set(form.strip.buttons)
    drive(county, archive_id)
    for who in ("clerk", "approver", "t_reviewer", "admin"):  # wrong role, or a township's 审核人
        form = _open_from_list(qtbot, ctx_of(who), archive_id, opened)
        assert not set(CLOSING) & set(form.strip.buttons), who
    form = _open_from_list(qtbot, ctx_of("reviewer"), archive_id, opened)
    assert list(form.strip.buttons) == list(CLOSING)
    assert [b.text() for b in form.strip.buttons.values()] == ["年审", "脱困", "注销"]
    assert all(b.isEnabled() and b.isVisible() for b in form.strip.buttons.values())


def _press(qtbot, form, key, answers, inputs):
    answers.clear()
    answers.update(inputs)
    qtbot.mouseClick(form.strip.buttons[key], CLICK)
    return answers.shown[-1]


def test_annual_review_adopts_this_years_grade(qtbot, county, ctx_of, opened, answer_dialogs):
    archive_id = make_archive(county, "a")
    drive(county, archive_id)
    with county.session("clerk") as s:  # the head's pay rose: the household is now 相对困难
        archives.update_archive(s, county.actors["clerk"], archive_id, {"monthly_income_fen": "2500"})
    archive = _archive(county, archive_id)
    assert (archive.category, archive.proposed_category) == ("1", "2")  # kept until 年审

    form = _open_from_list(qtbot, ctx_of("reviewer"), archive_id, opened)
    dialog = _press(qtbot, form, "annual", answer_dialogs, {"opinion": "家庭收入增加,按当年标准调整"})
    assert dialog.windowTitle() == "年审" and dialog.ok_button.text() == "年审通过"
    assert [f.key for f in dialog.fields] == ["opinion", "acted_on"]
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()

    archive = _archive(county, archive_id)
    assert (archive.status, archive.category, archive.last_recheck_on) == ("archived", "2", today())
    step = _steps(county, archive_id)[-1]
    assert (step.action, step.actor_username, step.opinion, step.acted_on) == (
        "annual", "reviewer", "家庭收入增加,按当年标准调整", today())
    assert _audited(county, "hardship_reviews", step.id, "create", "reviewer")
    assert form.status == "archived" and list(form.strip.buttons) == list(CLOSING)
    assert form.cells["category"].editor.raw() == "2"
    assert "家庭收入增加,按当年标准调整" in sum(_table_texts(form.reviews.table), [])


def test_annual_review_refused_when_no_longer_poor(qtbot, county, ctx_of, opened, answer_dialogs,
                                                   errors_shown):
    archive_id = make_archive(county, "a")
    drive(county, archive_id)
    with county.session("clerk") as s:
        archives.update_archive(s, county.actors["clerk"], archive_id, {"monthly_income_fen": "9000"})
    steps = len(_steps(county, archive_id))
    form = _open_from_list(qtbot, ctx_of("reviewer"), archive_id, opened)
    dialog = _press(qtbot, form, "annual", answer_dialogs, {"opinion": "年审"})
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "已不符合建档条件" in dialog.message.text() and "请办理脱困或注销" in errors_shown[-1]
    archive = _archive(county, archive_id)
    assert (archive.status, archive.category) == ("archived", "1")
    assert len(_steps(county, archive_id)) == steps


def test_exit_asks_reason_and_note_and_closes_the_archive(qtbot, county, ctx_of, opened,
                                                          answer_dialogs):
    archive_id = make_archive(county, "a")
    drive(county, archive_id)
    form = _open_from_list(qtbot, ctx_of("reviewer"), archive_id, opened)

    dialog = _press(qtbot, form, "exit", answer_dialogs, {})  # nothing filled in
    assert dialog.windowTitle() == "脱困" and dialog.ok_button.text() == "脱困"
    assert [f.key for f in dialog.fields] == ["close_reason", "opinion", "acted_on"]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors["close_reason"].text() == "必填" and dialog.errors["opinion"].text() == "必填"
    combo = dialog.editors["close_reason"].combo
    offered = [combo.itemText(i) for i in range(1, combo.count())]
    assert offered == ["家庭收入提高", "实现就业", "纳入社会保障兜底", "其他原因脱困"]  # no 注销 reasons

    dialog = _press(qtbot, form, "exit", answer_dialogs, {"close_reason": "死亡", "opinion": "户主病故"})
    assert dialog.result() != QDialog.DialogCode.Accepted  # not offered; refused if given anyway
    assert dialog.errors["close_reason"].text() == "请选择脱困类的原因"
    assert _archive(county, archive_id).status == "archived"

    dialog = _press(qtbot, form, "exit", answer_dialogs,
                    {"close_reason": "实现就业", "opinion": "户主在县开发区就业,月收入4000元"})
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    archive = _archive(county, archive_id)
    assert (archive.status, archive.close_reason, archive.closed_on, archive.close_note) == (
        "exited", "12", today(), "户主在县开发区就业,月收入4000元")
    assert archive.archive_no  # the history stays
    step = _steps(county, archive_id)[-1]
    assert (step.action, step.from_status, step.to_status, step.actor_username) == (
        "exit", "archived", "exited", "reviewer")
    assert _audited(county, "hardship_reviews", step.id, "create", "reviewer")
    assert _audited(county, "hardship_archives", archive_id, "update", "reviewer")
    # the form follows: closed, nothing more to do, nothing editable
    assert form.status == "exited" and form.strip.buttons == {}
    assert form.strip.state.text() == "已脱困"
    assert not form.editable and form.save_button.isHidden()
    assert not form.override_button.isEnabled()


def test_cancel_asks_its_reason_and_date_and_refuses_a_future_date(qtbot, county, ctx_of, opened,
                                                                   answer_dialogs):
    archive_id = make_archive(county, "a")
    drive(county, archive_id, days_ago=10)  # approved on paper ten days ago
    form = _open_from_list(qtbot, ctx_of("reviewer"), archive_id, opened)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    dialog = _press(qtbot, form, "cancel", answer_dialogs,
                    {"close_reason": "迁出本地", "opinion": "全家迁往外省", "acted_on": tomorrow})
    assert dialog.windowTitle() == "注销" and dialog.ok_button.text() == "注销"
    combo = dialog.editors["close_reason"].combo
    assert "迁出本地" in [combo.itemText(i) for i in range(combo.count())]
    assert "实现就业" not in [combo.itemText(i) for i in range(combo.count())]
    assert [f.key for f in dialog.fields] == ["close_reason", "opinion", "acted_on"]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors["acted_on"].text() == "日期不能晚于今天"
    dialog = _press(qtbot, form, "cancel", answer_dialogs,
                    {"close_reason": "家庭收入提高", "opinion": "全家迁往外省"})
    assert dialog.errors["close_reason"].text() == "请选择注销类的原因"
    assert _archive(county, archive_id).status == "archived"

    paper_date = (today() - timedelta(days=3)).isoformat()  # signed on paper three days ago
    dialog = _press(qtbot, form, "cancel", answer_dialogs,
                    {"close_reason": "迁出本地", "opinion": "全家迁往外省", "acted_on": paper_date})
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    archive = _archive(county, archive_id)
    assert (archive.status, archive.close_reason, archive.closed_on.isoformat(), archive.close_note) == (
        "cancelled", "22", paper_date, "全家迁往外省")
    step = _steps(county, archive_id)[-1]
    assert (step.action, step.to_status, step.acted_on.isoformat(), step.opinion) == (
        "cancel", "cancelled", paper_date, "全家迁往外省")
    assert _audited(county, "hardship_reviews", step.id, "create", "reviewer")
    assert form.status == "cancelled" and form.strip.buttons == {}
    assert form.strip.state.text() == "已注销"


def test_a_stale_button_is_refused_in_chinese(qtbot, county, ctx_of, opened, answer_dialogs,
                                              errors_shown):
    archive_id = make_archive(county, "a")
    drive(county, archive_id)
    form = _open_from_list(qtbot, ctx_of("reviewer"), archive_id, opened)
    with county.session("reviewer2") as s:  # a colleague closes it while the form is open
        workflow.act(s, county.actors["reviewer2"], archive_id, "exit",
                     {"close_reason": "12", "opinion": "已就业"})
    steps = len(_steps(county, archive_id))
    dialog = _press(qtbot, form, "annual", answer_dialogs, {"opinion": "情况无变化"})
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "档案当前已脱困,不能年审" in dialog.message.text()
    assert "档案当前已脱困,不能年审" in errors_shown[-1]
    assert _archive(county, archive_id).status == "exited"
    assert len(_steps(county, archive_id)) == steps
    # the form catches up: closed, no stale buttons left
    assert form.status == "exited" and form.strip.buttons == {}


def test_an_attachment_with_no_viewer_says_so_and_leaves_no_copy(qtbot, county, ctx_of, opened,
                                                                  monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices

    from app import viewing
    from ui.widgets import files_tab

    archive_id = make_archive(county, "a")
    scan = _png(tmp_path / "病历.png")
    with county.session("clerk") as s:
        from app.services.hardship import attachments as archive_files

        archive_files.add_attachment(s, county.actors["clerk"], archive_id, "03", "病历", scan.read_bytes())
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))  # no viewer
    said: list[str] = []
    monkeypatch.setattr(files_tab, "show_message", lambda parent, text, *a, **k: said.append(text))
    form = _open_from_list(qtbot, ctx_of("clerk"), archive_id, opened)
    tab = _attachments_tab(form)
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.open_button, CLICK)
    assert said and "没有可以打开图片的程序" in said[0]
    assert not [p for p in viewing.folder(county.db.path).rglob("*") if p.is_file()]
