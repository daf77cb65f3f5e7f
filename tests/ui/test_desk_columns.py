"""Issue 12, point 8: widths and order — masked numbers are never cut, long union names and status
tags read whole in a tooltip when their column is narrow, and each user's column widths and order
are remembered."""


from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip


def _page(qtbot, ctx):
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.list_page import ListPage

    page = ListPage(ctx, MEMBER_BINDING)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=10_000)
    return page


def _col(page, key):
    return [c.key for c in page.model.columns].index(key)


def test_a_masked_id_number_is_never_cut(qtbot, clerk_ctx):
    page = _page(qtbot, clerk_ctx)
    view, c = page.view, _col(page, "id_number")
    metrics = QFontMetrics(view.font())
    texts = [page.model.index(r, c).data() for r in range(min(30, page.model.rowCount()))]
    assert texts and all("*" in t and len(t) == 18 for t in texts)  # masked for a clerk
    widest = max(metrics.horizontalAdvance(t) for t in texts)
    assert widest + 10 <= view.columnWidth(c)
    assert all(view.cell_tooltip(page.model.index(r, c)) == "" for r in range(len(texts)))
    font = view.font()  # 大字体 switched on while the list is open
    font.setPointSizeF(font.pointSizeF() * 1.6)
    view.setFont(font)
    metrics = QFontMetrics(view.font())
    assert max(metrics.horizontalAdvance(t) for t in texts) + 10 <= view.columnWidth(c)


def test_a_long_union_name_or_status_in_a_narrow_column_reads_whole_in_its_tooltip(qtbot, clerk_ctx):
    page = _page(qtbot, clerk_ctx)
    view = page.view
    union, status = _col(page, "union_id"), _col(page, "status")
    index = page.model.index(0, union)
    name = index.data()
    assert name and view.cell_tooltip(index) == ""  # fits: no tooltip
    view.setColumnWidth(union, 40)
    view.setColumnWidth(status, 30)
    assert view.cell_tooltip(index) == name
    tag = page.model.index(0, status)
    assert view.cell_tooltip(tag) == tag.data()
    rect = view.visualRect(index)
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(), view.viewport().mapToGlobal(rect.center()))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.text() == name
    QToolTip.hideText()


def test_column_widths_and_order_are_remembered_per_user(qtbot, clerk_ctx, admin_ctx):
    first = _page(qtbot, clerk_ctx)
    header = first.view.horizontalHeader()
    phone = _col(first, "phone")
    default_width = header.sectionSize(phone)
    header.resizeSection(phone, default_width + 90)
    header.moveSection(header.visualIndex(phone), 0)  # 手机号码 first
    first.close()
    again = _page(qtbot, clerk_ctx)
    h = again.view.horizontalHeader()
    assert h.logicalIndex(0) == phone and h.sectionSize(phone) == default_width + 90
    other = _page(qtbot, admin_ctx)  # another user on the same PC keeps the declared layout
    h = other.view.horizontalHeader()
    assert h.logicalIndex(0) == 0 and h.sectionSize(phone) == default_width
