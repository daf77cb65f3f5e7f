"""Issue 12, point 7: Chinese everywhere — Qt's own dialogs, the audit log's operations, and the
Excel import report (long reasons whole, the problems saved as a list of rows to fix)."""

import re
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QTreeView
from sqlalchemy import select

from app.models import Unit

ROOT = Path(__file__).resolve().parents[2]


def test_qt_file_dialog_and_buttons_speak_chinese(qtbot, qapp):
    from ui.qt_chinese import install_qt_chinese

    installed = install_qt_chinese(qapp)
    try:
        dialog = QFileDialog(None, "选择文件")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = [w.text() for w in dialog.findChildren(QLabel) if w.text()]
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
        assert not [t for t in labels if re.search("[A-Za-z]{3,}", t.replace("&", ""))]
        model = dialog.findChild(QTreeView).model()
        assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
            "名称", "大小", "类型", "修改日期"]
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert sorted(b.text() for b in box.buttons()) == sorted(["保存", "取消"])
    finally:
        for translator in installed:
            QApplication.removeTranslator(translator)


def test_every_audited_operation_has_a_chinese_name():
    from app.security.audit_labels import ACTION_LABELS

    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit\.append\((.{0,200}?)\)", text, re.S):
            for action in re.findall(r'action=("[a-z_]+"(?: if [^,]+ else "[a-z_]+")?)', call[1]):
                used |= set(re.findall(r'"([a-z_]+)"', action))  # both sides of a conditional
    assert {"keys_create", "bundle_import", "login"} <= used
    assert sorted(used - set(ACTION_LABELS)) == []


def test_the_audit_page_shows_operations_in_chinese(qtbot, db, actors, admin_ctx):
    from app.security import audit
    from ui.pages.system.audit import AuditLogTab

    with db.session(actors["admin"]) as s:
        audit.append(s, action="keys_create", object_type="sync_keys", summary="生成本单位的交换密钥")
    tab = AuditLogTab(admin_ctx)
    qtbot.addWidget(tab)
    shown = [tab.table.item(r, 4).text() for r in range(tab.table.rowCount())]
    assert shown[0] == "生成交换密钥"
    assert not [t for t in shown if t.isascii()]


def _members_file(db, clerk, tmp_path):
    from app.excel.template import write_template

    path = write_template(db, clerk, "members", tmp_path / "t.xlsx")
    with db.read_session() as s:
        union = s.scalar(select(Unit.name).where(Unit.kind == "grassroots").order_by(Unit.name).limit(1))
    rows = [{"姓名": "张三", "身份证号": "11010519491231002X", "所属基层工会": union},
            {"姓名": "李四", "身份证号": "110105194912310021", "所属基层工会": union},
            {"姓名": "王五", "身份证号": "110105195001010012", "所属基层工会": "一个不存在的基层工会名称"}]
    wb = load_workbook(path)
    ws = wb["会员"]
    headers = [c.value.lstrip("*") for c in ws[2]]
    for r, values in enumerate(rows, 3):
        for label, value in values.items():
            ws.cell(r, headers.index(label) + 1, value)
    wb.save(path)
    return path


def test_the_import_report_reads_whole_and_saves_the_rows_to_fix(qtbot, db, actors, clerk_ctx,
                                                                  tmp_path, monkeypatch):
    from ui.dialogs.excel_import import ImportWizard
    from ui.dialogs.files import Files

    source = _members_file(db, actors["clerk"], tmp_path)
    wizard = ImportWizard(clerk_ctx, "members")
    qtbot.addWidget(wizard)
    wizard.resize(820, 560)
    wizard.show()
    wizard.check(source)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=20_000)
    table = wizard.table
    reasons = [table.item(r, 2) for r in range(table.rowCount())]
    assert len(reasons) == 2 and all(item.toolTip() == item.text() for item in reasons)
    assert table.wordWrap()
    long_row = max(range(table.rowCount()), key=lambda r: len(reasons[r].text()))
    needed = table.fontMetrics().boundingRect(0, 0, table.columnWidth(2), 10_000,
                                              int(Qt.TextFlag.TextWordWrap), reasons[long_row].text())
    assert table.rowHeight(long_row) >= needed.height()  # the whole reason, not cut
    assert wizard.problems_button.isEnabled()

    out = tmp_path / "需修改的行.xlsx"
    monkeypatch.setattr(Files, "save_path", classmethod(lambda cls, *a, **k: out))
    wizard.save_problems()
    qtbot.waitUntil(out.exists, timeout=20_000)
    from ui.workers import wait_for_jobs

    assert wait_for_jobs(20_000)
    book = load_workbook(out)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert book.worksheets[0].title == "会员" and rows[0][-1] == "问题"
    header = [str(label).lstrip("*") for label in rows[0]]
    names = {row[header.index("姓名")]: row[-1] for row in rows[1:]}
    assert set(names) == {"李四", "王五"}
    assert "校验位" in names["李四"] and "所属基层工会" in names["王五"]
    every = list(book["全部问题"].iter_rows(values_only=True))
    assert every[0] == ("表", "行号", "列", "原因") and len(every) == 3
