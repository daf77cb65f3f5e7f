"""基层组织建设: the tree of unions and the member register, each a tree beside a lazy list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.services import units
from ui.theme import icon
from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage
from ui.widgets.unit_tree import UnitTree

UNIT_BINDING = RecordBinding.of("unit", "organisation.unit")
MEMBER_BINDING = RecordBinding.of("member", "organisation.member")


class _TreeAndList(QWidget):
    """A unit tree on the left narrowing a record list on the right."""

    def __init__(self, ctx, binding: RecordBinding, scope_key: str, *, grassroots: bool,
                 subtree: bool):
        super().__init__()
        self.ctx, self.scope_key, self.subtree = ctx, scope_key, subtree
        self.list = ListPage(ctx, binding)  # first: its first page is fetched while the tree fills
        self.tree = UnitTree(ctx, include_grassroots=grassroots)
        self.tree.setMinimumWidth(200)
        self.list.record_saved.connect(lambda _id: self._saved(binding.spec.key))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.list)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1000])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(splitter)
        self.tree.unit_chosen.connect(self._scope)

    def _scope(self, unit_id: str | None, name: str, kind: str) -> None:
        if unit_id is None:
            self.list.set_scope({}, "")
            self.list.new_values = {} if self.subtree else {self.scope_key: self.tree.root_id}
            return
        if self.subtree:
            self.list.set_scope({}, name, options={"union": name}, unit=unit_id)
        else:
            self.list.set_scope({self.scope_key: unit_id}, name, options={"union": name})
        # a new record goes under the chosen unit (members only under a grassroots union)
        fits = not self.subtree or kind in units.MEMBER_UNIT_KINDS
        self.list.new_values = {self.scope_key: unit_id} if fits else {}

    def _saved(self, key: str) -> None:
        if key == "unit":
            self.tree.reload()


class OrganisationPage(QTabWidget):
    """Tabs 会员 | 单位; the 单位 tab is built when first opened (the page opens faster)."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.members = _TreeAndList(ctx, MEMBER_BINDING, "union_id", grassroots=True, subtree=True)
        self._units: _TreeAndList | None = None
        self.addTab(self.members, icon("member"), "会员")
        self.addTab(QWidget(), icon("unit"), "单位")
        self.currentChanged.connect(lambda i: self.units if i == 1 else None)
        ctx.data_changed.connect(self._data_changed)

    @property
    def units(self) -> _TreeAndList:
        if self._units is None:
            self._units = _TreeAndList(self.ctx, UNIT_BINDING, "parent_id", grassroots=False,
                                       subtree=False)
            current = self.currentIndex()
            self.blockSignals(True)
            self.removeTab(1)
            self.insertTab(1, self._units, icon("unit"), "单位")
            self.setCurrentIndex(current)
            self.blockSignals(False)
        return self._units

    def _data_changed(self, key: str) -> None:
        if key == "unit":
            if self._units is not None:
                self._units.tree.reload()
            self.members.tree.reload()

    def open_target(self, tab: str, filters: dict[str, Any]) -> None:
        part = self.units if tab == "unit" else self.members
        self.setCurrentWidget(part)
        part.tree.select(part.tree.root_id)
        part.list.apply_filters(filters)

    def smoke_dialogs(self) -> list:
        out = []
        for part in (self.members, self.units):
            self.setCurrentWidget(part)
            out += part.list.smoke_dialogs()
        return out
