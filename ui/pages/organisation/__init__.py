"""基层组织建设: the area's own tabs on the kit's area page (``app.areas``): 会员 and 单位, each a
tree of unions beside the register's lazy list; the kit adds 统计."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.services import units
from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage
from ui.widgets.unit_tree import UnitTree

UNIT_BINDING = RecordBinding.of("unit", "organisation.unit")
MEMBER_BINDING = RecordBinding.of("member", "organisation.member")


class TreeAndList(QWidget):
    """A unit tree on the left narrowing a record list on the right: to the chosen unit's whole
    subtree (``subtree``), or to the units directly under it."""

    def __init__(self, ctx, binding: RecordBinding, *, grassroots: bool, subtree: bool, parent=None):
        super().__init__(parent)
        self.ctx, self.subtree = ctx, subtree
        self.scope_key = binding.spec.unit_key  # member: union_id; unit: parent_id
        self.list = ListPage(ctx, binding)  # first: its first page is fetched while the tree fills
        self.tree = UnitTree(ctx, include_grassroots=grassroots)
        self.tree.setMinimumWidth(200)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.list)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1000])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.tree.unit_chosen.connect(self._scope)
        ctx.data_changed.connect(lambda key: self.tree.reload() if key == "unit" else None)

    def _scope(self, unit_id: str | None, name: str, kind: str) -> None:
        if unit_id is None:
            self.list.set_scope({}, "")
            self.list.new_values = {} if self.subtree else {self.scope_key: self.tree.root_id}
            return
        if self.subtree:
            self.list.set_scope({}, name, options={"union": name}, unit=unit_id)
        else:
            self.list.set_scope({self.scope_key: unit_id}, name, options={"union": name})
        # a new record goes under the chosen unit (members only where members are registered)
        fits = not self.subtree or units.holds_members(kind)
        self.list.new_values = {self.scope_key: unit_id} if fits else {}

    def apply_filters(self, filters: dict[str, Any]) -> None:
        """A home figure's records: the whole tree, then exactly its filters."""
        self.tree.select(self.tree.root_id)
        self.list.apply_filters(filters)

    def smoke_dialogs(self) -> list:
        return self.list.smoke_dialogs()


class MembersTab(TreeAndList):
    """会员: choosing a township lists the members of all its unions."""

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, MEMBER_BINDING, grassroots=True, subtree=True, parent=parent)


class UnitsTab(TreeAndList):
    """单位: the unions directly under the chosen one; a new union goes under it."""

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, UNIT_BINDING, grassroots=False, subtree=False, parent=parent)
