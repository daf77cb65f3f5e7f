"""A unit picked from the app's tree of unions (``UnitTree``), for the 只含该单位 option of the
print and export dialogs: the root (the whole installation) means 不限; a chosen unit is given as
its id, which ``find_unit`` takes and which two unions of one name cannot confuse."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTreeWidgetItem, QVBoxLayout, QWidget

from ui.widgets.unit_tree import ID_ROLE, UnitTree

ANY = "不限"


class UnitPicker(QWidget):
    changed = Signal()

    def __init__(self, ctx, value: str = "", parent: QWidget | None = None):
        """``value``: the unit the list shows (its name, id or region code), chosen once the tree
        is there."""
        super().__init__(parent)
        self.wanted = value.strip()
        self.chosen_id: str | None = None
        self.chosen_name = ""
        self.shown = QLabel(ANY)
        self.shown.setObjectName("muted")
        self.tree = UnitTree(ctx, include_grassroots=True, parent=self)
        self.tree.setMinimumHeight(180)
        self.tree.unit_chosen.connect(self._chosen)
        self.tree.loaded.connect(self._select_wanted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.shown)
        layout.addWidget(self.tree, 1)
        self.setFocusProxy(self.tree.tree)

    @property
    def is_loaded(self) -> bool:
        return self.tree.is_loaded

    def value(self) -> str:
        """The chosen unit's id; "" for the root (不限) or before anything is chosen — unless the
        tree has not loaded yet, when the unit asked for is kept as it was given."""
        if not self.tree.is_loaded:
            return self.wanted
        return self.chosen_id or ""

    def text(self) -> str:
        return self.chosen_name or ANY

    def choose(self, unit_id: str | None) -> None:
        self.tree.select(unit_id)

    def _select_wanted(self) -> None:
        item = self._find(self.wanted) if self.wanted else None
        if item is None and self.tree.tree.topLevelItemCount():
            item = self.tree.tree.topLevelItem(0)
        if item is not None:
            self.tree.tree.setCurrentItem(item)
            self.tree.tree.scrollToItem(item)
            self._chosen(item.data(0, ID_ROLE), item.text(0), "")

    def _find(self, text: str) -> QTreeWidgetItem | None:
        from app.services.units import find_unit

        target = text
        try:  # a name or region code as the list gives it: its id, asked once
            with self.tree.ctx.read() as s:
                target = find_unit(s, text).id
        except Exception:  # noqa: BLE001 - an unknown or ambiguous name leaves the root chosen
            pass
        todo = [self.tree.tree.topLevelItem(i) for i in range(self.tree.tree.topLevelItemCount())]
        while todo:
            item = todo.pop()
            if item.data(0, ID_ROLE) == target:
                return item
            todo.extend(item.child(i) for i in range(item.childCount()))
        return None

    def _chosen(self, unit_id, name: str, _kind: str) -> None:
        root = unit_id is None or unit_id == self.tree.root_id
        self.chosen_id = None if root else unit_id
        self.chosen_name = "" if root else name
        self.shown.setText(f"已选:{name}" if not root else f"{ANY}(全部单位)")
        self.changed.emit()
