"""The tree of unions (本级总工会 → 乡镇/街道/系统工会 → 基层工会), with a quick filter; choosing a
node narrows the list beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.services.units import KIND_LABELS, MEMBER_UNIT_KINDS
from ui.theme import icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


class UnitTree(QWidget):
    """Filled in the background (the list beside it gets its first page meanwhile); a unit chosen
    before that is selected once the tree is there."""

    unit_chosen = Signal(object, str, str)  # (unit id or None for the root, its name, its kind)
    loaded = Signal()

    def __init__(self, ctx, *, include_grassroots: bool, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.include_grassroots = include_grassroots
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("筛选单位")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.currentItemChanged.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        self.root_id: str | None = None
        self.is_loaded = False
        self._pending: tuple[str | None] | None = None  # a select() that came before the rows
        self.reload()

    def reload(self) -> None:
        from ui.workers import run_in_background

        ctx, grassroots = self.ctx, self.include_grassroots

        def work(_progress):
            from app.services.listing import unit_tree

            with ctx.read() as s:
                return unit_tree(s, include_grassroots=grassroots)

        run_in_background(self, work, self._fill)

    def _fill(self, rows) -> None:
        current = self._pending[0] if self._pending is not None else self.current_id()
        self._pending = None
        self.tree.blockSignals(True)
        self.tree.clear()
        stack: list[QTreeWidgetItem] = []
        unit_icon, member_icon = icon("unit"), icon("member")
        for uid, name, kind, depth in rows:
            item = QTreeWidgetItem([name])
            item.setData(0, ID_ROLE, uid)
            item.setData(0, KIND_ROLE, kind)
            item.setToolTip(0, f"{name}({KIND_LABELS.get(kind, kind)})")
            item.setIcon(0, member_icon if kind in MEMBER_UNIT_KINDS else unit_icon)
            del stack[depth:]
            if stack:
                stack[-1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
                self.root_id = uid
            stack.append(item)
        for i in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(i).setExpanded(True)
        self.tree.blockSignals(False)
        self.is_loaded = True
        self.select(current)
        self.loaded.emit()

    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, ID_ROLE) if item else None

    def select(self, unit_id: str | None) -> None:
        if not self.is_loaded:
            self._pending = (unit_id,)
            return
        items = [self.tree.topLevelItem(0)] if self.tree.topLevelItemCount() else []
        while items:
            item = items.pop()
            if item.data(0, ID_ROLE) == unit_id:
                self.tree.setCurrentItem(item)
                return
            items.extend(item.child(i) for i in range(item.childCount()))

    def _chosen(self, item: QTreeWidgetItem | None, _previous) -> None:
        if item is None:
            return
        uid = item.data(0, ID_ROLE)
        self.unit_chosen.emit(None if uid == self.root_id else uid, item.text(0),
                              item.data(0, KIND_ROLE))

    def _filter(self, text: str) -> None:
        text = text.strip()

        def visit(item: QTreeWidgetItem) -> bool:
            shown = any([visit(item.child(i)) for i in range(item.childCount())])
            shown = shown or not text or text in item.text(0)
            item.setHidden(not shown)
            if text and shown:
                item.setExpanded(True)
            return shown

        for i in range(self.tree.topLevelItemCount()):
            visit(self.tree.topLevelItem(i))
