"""从会员带入: find a member by what the clerk has at hand (姓名, 身份证号, 手机号后几位, 拼音首字母)
and pick one; the numbers in the results stay masked (``app.services.member_prefill``). The new
record's form then takes what the member register knows (``RecordFormDialog.fill_from_member``);
the member list starts such a record from the chosen member (``member_start_menu``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget

from app.errors import AppError
from app.services import member_prefill
from ui.errors import show_error

HEADERS = ("姓名", "身份证号", "手机号码", "所属基层工会", "会籍状态")
SEARCH_DELAY_MS = 250


class MemberPickerDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None, title: str = "从会员带入"):
        super().__init__(parent)
        self.ctx = ctx
        self.member_id: str | None = None
        self.choices: list[member_prefill.MemberChoice] = []
        self.setWindowTitle(title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(member_prefill.SEARCH_HINT)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("查找会员")
        find = QPushButton("查询")
        find.setAutoDefault(False)
        find.clicked.connect(self.find)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.find)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.find)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.accept())
        self.table.itemSelectionChanged.connect(self._selected)
        self.hint = QLabel("输入后自动查找;身份证号和手机号码按规定隐去中间几位。")
        self.hint.setObjectName("muted")
        self.ok_button = QPushButton("带入")
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        self.ok_button.clicked.connect(self.accept)
        cancel = QPushButton("取消")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(find)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(760, 420)
        self.search.setFocus()

    def find(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        try:
            with self.ctx.read() as s:
                self.choices = member_prefill.find_members(s, self.ctx.actor, text) if text else []
        except AppError as exc:
            show_error(self, exc)
            return
        self.table.setRowCount(len(self.choices))
        for r, c in enumerate(self.choices):
            for col, value in enumerate((c.name, c.id_number, c.phone, c.union_name, c.status)):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        self.hint.setText(f"找到 {len(self.choices)} 名会员" + (",请选择一名" if self.choices else "")
                          if text else "输入后自动查找;身份证号和手机号码按规定隐去中间几位。")
        if len(self.choices) == 1:
            self.table.selectRow(0)
        self._selected()

    def _selected(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        self.member_id = self.choices[min(rows)].id if rows and min(rows) < len(self.choices) else None
        self.ok_button.setEnabled(self.member_id is not None)

    def accept(self) -> None:
        if self.member_id is None:
            return
        super().accept()


def form_for(ctx, register_key: str, parent=None):
    """A new record's form of a register (its area's own form where it has one)."""
    from ui.widgets.binding import RecordBinding
    from ui.widgets.record_form import RecordFormDialog

    if register_key == "hardship_archive":
        from ui.pages.hardship.archive_form import ArchiveFormDialog

        return ArchiveFormDialog(ctx, None, parent)
    if register_key == "rights_ticket":
        from ui.pages.rights.tickets import TicketFormDialog

        return TicketFormDialog(ctx, None, parent)
    return RecordFormDialog(ctx, RecordBinding.of(register_key, f"member.{register_key}"), None, parent)


def start_from_member(ctx, register_key: str, member_id: str, parent=None):
    """The new record's form, filled in from the member (None when the core refused)."""
    form = form_for(ctx, register_key, parent)
    if not form.fill_from_member(member_id):
        form.deleteLater()
        return None
    return form


def member_start_menu(page) -> QToolButton | None:
    """从会员新建 ▾ on the member list: a new archive (法律援助申请, 咨询 …) for the chosen member."""
    targets = member_prefill.person_registers(page.ctx.actor)
    if not targets:
        return None
    button = QToolButton()
    button.setText("从会员新建")
    button.setToolTip("为选中的会员新建困难职工档案等记录,带入会员信息")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    page.member_start_actions = {}
    for key, name in targets:
        action = QAction("从会员新建档案" if key == "hardship_archive" else f"从会员新建{name}", menu)
        action.triggered.connect(lambda _c=False, key=key: _start(page, key))
        menu.addAction(action)
        page.member_start_actions[key] = action
    button.setMenu(menu)
    page.toolbar.addWidget(button)
    return button


def _start(page, register_key: str) -> None:
    member_id = page.current_id()
    if member_id is None:
        page.hint.setText("请先选中一名会员")
        return
    form = start_from_member(page.ctx, register_key, member_id, page)
    if form is not None:
        page._exec(form)
