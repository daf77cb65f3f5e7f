"""Issue 12, point 10: 帮助 → 使用手册 opens the Chinese manual shipped in resources/manual,
organised by tasks with the screenshot scripts' pictures beside it; F1 in a record's form opens
the section for that form."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QTextDocument

TASKS = ["新增会员", "从会员建立困难职工档案", "审核流程:经办人、审核人、审批人", "救助发放",
         "导出 Excel 与重新导入", "打印", "与市总工会交换数据包"]


def _top_line(manual) -> str:
    return manual.browser.cursorForPosition(QPoint(8, 8)).block().text()


def test_the_manual_is_shipped_with_its_pictures_and_every_section_a_form_names():
    from ui.dialogs.manual import SECTIONS, manual_path

    html = manual_path().read_text(encoding="utf-8")
    headings = re.findall(r"<h2>\d+\. (.+?)</h2>", html)
    assert headings[:len(TASKS)] == TASKS
    anchors = set(re.findall(r'<a name="(\w+)">', html))
    assert set(SECTIONS.values()) <= anchors
    pictures = re.findall(r'<img src="([^"]+)"', html)
    assert len(pictures) >= 7
    assert [p for p in pictures if not (manual_path().parent / p).is_file()] == []


def test_f1_on_a_form_opens_the_manual_at_that_forms_section(qtbot, clerk_ctx):
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.list_page import ListPage

    page = ListPage(clerk_ctx, MEMBER_BINDING)
    qtbot.addWidget(page)
    form = page.make_form(None)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.keyClick(form.cells["name"].editor.line, Qt.Key.Key_F1)  # typing a name, F1
    manual = form.last_manual
    assert manual.isVisible() and manual.windowTitle() == "使用手册"
    assert manual.section == "member"
    assert _top_line(manual) == "1. 新增会员"
    picture = manual.browser.document().resource(QTextDocument.ResourceType.ImageResource.value,
                                                 QUrl("images/desk-member-form-errors.png"))
    assert picture is not None and not picture.isNull()  # loaded, not a broken-image icon
    manual.show_section("archive")
    assert _top_line(manual) == "2. 从会员建立困难职工档案"
    manual.close()


def test_help_menu_opens_the_manual_at_its_contents(qtbot, clerk_ctx):
    from ui.main_window import MainWindow

    window = MainWindow(clerk_ctx)
    qtbot.addWidget(window)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    assert [a.text() for a in help_menu.actions() if a.text()][:1] == ["使用手册"]
    window.manual_action.trigger()
    manual = window.last_manual
    assert manual.isVisible() and manual.section == "top"
    assert "工会工作台 使用手册" in manual.browser.toPlainText()
    manual.close()
