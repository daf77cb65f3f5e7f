"""基层组织建设: the area's own tabs on the kit's area page (``app.areas``). 会员 and 会籍变动 are a
tree of unions beside the register's lazy list (a member opens in its form with the 会籍 history);
基层组织 is the union's page (``unions``); 建会 runs the chain (``founding``); 文号 numbers
documents on the PC that owns the series (``documents``); the rest are the registers' lists,
grouped. The kit adds 统计."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.services import units
from ui.pages.hardship.lists import FormListPage
from ui.theme import icon
from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage
from ui.widgets.unit_tree import UnitTree

UNIT_BINDING = RecordBinding.of("unit", "organisation.unit")
MEMBER_BINDING = RecordBinding.of("member", "organisation.member")
EVENT_BINDING = RecordBinding.of("membership_event", "organisation.membership_event")


class TreeAndList(QWidget):
    """A unit tree on the left narrowing a record list on the right: to the chosen unit's whole
    subtree (``subtree``), or to the units directly under it."""

    def __init__(self, ctx, binding: RecordBinding, *, grassroots: bool, subtree: bool, parent=None,
                 list_page: ListPage | None = None):
        super().__init__(parent)
        self.ctx, self.subtree = ctx, subtree
        self.scope_key = binding.spec.unit_key  # member: union_id; unit: parent_id
        # first: its first page is fetched while the tree fills
        self.list = list_page if list_page is not None else ListPage(ctx, binding)
        self.tree = UnitTree(ctx, include_grassroots=grassroots)
        self.tree.setMinimumWidth(200)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.list)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1000])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
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
            self.list.set_scope({}, name, options={"union": unit_id}, unit=unit_id)
        else:
            self.list.set_scope({self.scope_key: unit_id}, name, options={"union": unit_id})
        # a new record goes under the chosen unit (members only where members are registered)
        fits = not self.subtree or units.holds_members(kind)
        self.list.new_values = {self.scope_key: unit_id} if fits else {}

    def apply_filters(self, filters: dict[str, Any]) -> None:
        """A home figure's records: the whole tree, then exactly its filters."""
        self.tree.select(self.tree.root_id)
        self.list.apply_filters(filters)

    def smoke_dialogs(self) -> list:
        return self.list.smoke_dialogs()


class MemberList(FormListPage):
    """会员: members open in their form with the 会籍 history; a county takes in the members the
    city forwarded (跨县转入), the city forwards transfers between counties; 从会员新建 ▾ starts a
    困难职工档案 (法律援助申请 …) for the chosen member, filled in from the register."""

    def __init__(self, ctx, **kw):
        from ui.pages.organisation.member_form import MemberForm
        from ui.pages.organisation.transfers import transfer_action
        from ui.widgets.member_picker import member_start_menu

        super().__init__(ctx, MEMBER_BINDING, MemberForm, **kw)
        self.transfer_action: QAction | None = transfer_action(self)
        self.member_start_actions: dict[str, QAction] = {}
        self.member_start_button = member_start_menu(self)  # 从会员新建档案 …

    def smoke_dialogs(self) -> list:
        out = super().smoke_dialogs()
        if self.model.rows:
            self._smoke_form = self.make_form(self.model.rows[0].id)
            out += self._smoke_form.smoke_dialogs()
        return out


class MembersTab(TreeAndList):
    """会员: choosing a township lists the members of all its unions."""

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, MEMBER_BINDING, grassroots=True, subtree=True, parent=parent,
                         list_page=MemberList(ctx))


class UnitsTab(TreeAndList):
    """单位: the unions directly under the chosen one; a new union goes under it."""

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, UNIT_BINDING, grassroots=False, subtree=False, parent=parent)


class EventsTab(TreeAndList):
    """会籍变动: the 会籍 events of the chosen union and the unions below it."""

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, EVENT_BINDING, grassroots=True, subtree=True, parent=parent)
        self.list.new_action.setVisible(False)  # an event is recorded on its member's form


def _list(ctx, register_key: str) -> ListPage:
    return ListPage(ctx, RecordBinding.of(register_key, f"organisation.{register_key}"))


class ElectionsTab(ListPage):
    """换届选举: every election, with 最近一届 (each union's current term) as a filter."""

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, RecordBinding.of("election", "organisation.election"), parent)
        self.filters.add_choice("latest", "最近一届", [(True, "是")])


def HomesTab(ctx, parent=None) -> ListPage:  # noqa: N802 - a tab factory, named like the others
    return _list(ctx, "home_award")


class GroupTab(QTabWidget):
    """Several registers of one theme, a list each (职工书屋: rooms, donations, loans)."""

    keys: tuple[str, ...] = ()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.lists = {}
        for key in self.keys:
            page = _list(ctx, key)
            self.lists[key] = page
            self.addTab(page, icon("document"), page.spec.title)

    def smoke_dialogs(self) -> list:
        return [d for page in self.lists.values() for d in page.smoke_dialogs()]


class ReadingTab(GroupTab):
    keys = ("reading_room", "book_donation", "book_loan")


class TrainingTab(GroupTab):
    keys = ("training_session", "trainee")
