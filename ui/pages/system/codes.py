"""代码表: the code tables (民族, 政治面貌, 会籍状态, …). Everyone may read them; the administrator
adds, renames, reorders and deactivates items (nothing is deleted: old records keep their codes)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSplitter, QVBoxLayout, QWidget

from app.fields.code_items import CODE_ITEM
from app.services import codes
from ui.dialogs.ask import Ask
from ui.errors import show_error
from ui.theme import icon
from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage

CODE_BINDING = RecordBinding(CODE_ITEM, key="system.codes", columns=("code", "label", "sort_order", "active"),
                             tag_columns=("active",), search_placeholder="代码 / 名称")


class CodeItemsList(ListPage):
    """Items of one table; Enter renames (the record actions are the code-table service's)."""

    def open_current(self) -> None:
        if self.binding.can_write(self.ctx.actor):
            self.parent_tab.rename()

    def new_record(self) -> None:
        if self.binding.can_write(self.ctx.actor):
            self.parent_tab.add_item()

    def make_form(self, record_id):
        from ui.dialogs.code_item_dialog import CodeItemDialog

        return CodeItemDialog(self.parent_tab.table_key or "", parent=self)

    def _update_actions(self) -> None:
        super()._update_actions()
        can = self.binding.can_write(self.ctx.actor)
        self.new_action.setEnabled(can)
        self.edit_action.setEnabled(can and self.current_id() is not None)
        self.edit_action.setText("改名")


class CodeTablesTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.table_key: str | None = None
        self.tables = QListWidget()
        self.tables.currentItemChanged.connect(self._table_chosen)
        self.list = CodeItemsList(ctx, CODE_BINDING, title="代码项", fixed_filters={"table_key": "-"},
                                  remember=False)
        self.list.parent_tab = self
        self.list.void_action.setVisible(False)
        self.actions_ = []
        for text, name, slot in (("上移", "up", lambda: self.move(-1)), ("下移", "down", lambda: self.move(1)),
                                 ("停用/启用", "void", self.toggle)):
            action = QAction(icon(name), text, self)
            action.triggered.connect(slot)
            action.setEnabled(CODE_BINDING.can_write(ctx.actor))
            self.list.add_action(action)
            self.actions_.append(action)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tables)
        splitter.addWidget(self.list)
        splitter.setSizes([240, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(splitter)
        self.load_tables()

    def load_tables(self) -> None:
        with self.ctx.read() as s:
            rows = codes.list_tables(s)
        current = self.table_key
        self.tables.clear()
        for key, name, count in rows:
            item = QListWidgetItem(f"{name}({count})")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(key)
            self.tables.addItem(item)
            if key == current:
                self.tables.setCurrentItem(item)
        if self.tables.currentItem() is None and self.tables.count():
            self.tables.setCurrentRow(0)

    def _table_chosen(self, item, _previous) -> None:
        if item is None:
            return
        self.table_key = item.data(Qt.ItemDataRole.UserRole)
        self.list.fixed_filters = {"table_key": self.table_key}
        self.list.set_scope({}, item.text())

    def _current(self) -> tuple[str, str] | None:
        row = self.list.model.row_at(self.list.view.currentIndex().row())
        return (row.values[0], row.values[1]) if row else None

    def _run(self, fn, message: str) -> bool:
        try:
            with self.ctx.write() as s:
                fn(s)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return False
        self.ctx.notify_saved("code_item", message)
        return True

    def add_item(self) -> None:
        dialog = self.list.make_form(None)
        if not dialog.exec():
            return
        code, label = dialog.values()
        if self._run(lambda s: codes.add_item(s, self.ctx.actor, self.table_key, code, label),
                     f"已新增代码 {code} {label}"):
            self.load_tables()
            self.list.reload()

    def rename(self) -> None:
        current = self._current()
        if current is None:
            return
        code, label = current
        new = Ask.text(self, "改名", f"代码 {code} 的新名称:", label)
        if new is None or new.strip() == label:
            return
        if self._run(lambda s: codes.update_item(s, self.ctx.actor, self.table_key, code, label=new),
                     f"已将 {label} 改名为 {new.strip()}"):
            self.list.model.refresh_record(self.list.current_id())

    def toggle(self) -> None:
        row = self.list.model.row_at(self.list.view.currentIndex().row())
        if row is None:
            return
        code, label, active = row.values[0], row.values[1], row.values[3]
        verb = "停用" if active else "启用"
        if active and not Ask.confirm(self, "停用代码", f"停用“{label}”?已使用它的记录不受影响,"
                                      "新记录不再能选择它。", "停用"):
            return
        if self._run(lambda s: codes.update_item(s, self.ctx.actor, self.table_key, code,
                                                 active=not active), f"已{verb}“{label}”"):
            self.list.model.refresh_record(row.id)

    def move(self, step: int) -> None:
        """Swap places with the neighbour (the list is ordered by 排序号)."""
        m, i = self.list.model, self.list.view.currentIndex().row()
        j = i + step
        if not (0 <= i < len(m.rows) and 0 <= j < len(m.rows)):
            return
        a, b = m.rows[i], m.rows[j]
        order_a, order_b = a.values[2], b.values[2]
        if order_a == order_b:
            order_b = order_a + step

        def swap(s):
            codes.update_item(s, self.ctx.actor, self.table_key, a.values[0], sort_order=order_b)
            codes.update_item(s, self.ctx.actor, self.table_key, b.values[0], sort_order=order_a)

        if self._run(swap, f"已调整“{a.values[1]}”的顺序"):
            self.list._select_after_load = a.id
            self.list.model.reload()

    def smoke_dialogs(self) -> list:
        if not CODE_BINDING.can_write(self.ctx.actor):
            return []
        return [("新增代码项", lambda: self.list.make_form(None))]
