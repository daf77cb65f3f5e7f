"""The kit's area page, from the area's declaration (``app.areas.Area``):

    [档案] [救助发放] … [统计] [own extra tabs]

- the area's own tabs that list registers (``Area.tabs``), in their declared order;
- one tab per other register: the generic ``ListPage`` and form from ``RecordBinding.of``;
- 统计, when the area has figures: ``ui.kit.stats_tab.StatsTab``;
- the area's own tabs that list no register.

Each tab is built when first shown. A home figure or 待办 (``open_target``) names a register: the
page shows the tab that lists it with exactly the target's filters, or opens one record
(``{"open": id}``). An own tab may offer ``apply_filters(filters)`` (a tree beside its list resets
first) and ``smoke_dialogs()``; otherwise the page uses the ``ListPage``s inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from app.areas import Area, load
from app.kit.register import registers_of
from ui.theme import icon
from ui.widgets.list_page import ListPage

STATS = "stats"


@dataclass(frozen=True)
class TabPlan:
    key: str
    title: str
    icon: str
    make: Callable[[], QWidget]
    registers: tuple[str, ...] = ()


class AreaPage(QTabWidget):
    def __init__(self, ctx, area: Area, parent=None):
        super().__init__(parent)
        self.ctx, self.area = ctx, area
        self.plans = self._plans()
        self.built: dict[str, QWidget] = {}
        self.holders: dict[str, QWidget] = {}
        for plan in self.plans:
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(16, 12, 16, 12)
            self.holders[plan.key] = holder
            self.addTab(holder, icon(plan.icon), plan.title)
        self.currentChanged.connect(lambda i: self.tab(self.plans[i].key) if i >= 0 else None)
        if self.plans:
            self.tab(self.plans[0].key)

    def _plans(self) -> list[TabPlan]:
        ctx, a = self.ctx, self.area
        own = [t for t in a.tabs if t.registers]
        listed = {key for t in own for key in t.registers}
        plans = [TabPlan(t.key, t.title, t.icon, _factory(t.page, ctx), t.registers) for t in own]
        for reg in registers_of(a):
            if reg.key not in listed:
                plans.append(TabPlan(reg.key, reg.name, "document",
                                     lambda k=reg.key: _register_list(ctx, a, k), (reg.key,)))
        if a.stats and a.figures:
            from ui.kit.stats_tab import StatsTab

            plans.append(TabPlan(STATS, "统计", "chart",
                                 lambda: StatsTab(ctx, a.key, self.make_form)))
        plans += [TabPlan(t.key, t.title, t.icon, _factory(t.page, ctx)) for t in a.tabs
                  if not t.registers]
        return plans

    # -- tabs ----------------------------------------------------------------------------------
    def tab(self, key: str) -> QWidget:
        """The tab's content, built on first use."""
        if key not in self.built:
            widget = next(p for p in self.plans if p.key == key).make()
            self.holders[key].layout().addWidget(widget)
            self.built[key] = widget
        return self.built[key]

    def show_tab(self, key: str) -> QWidget:
        self.setCurrentWidget(self.holders[key])
        return self.tab(key)

    def tab_of(self, name: str) -> str:
        """The tab a target names: the tab listing that register, or a tab's own key."""
        for plan in self.plans:
            if name in plan.registers:
                return plan.key
        return name if name in self.holders else self.plans[0].key

    def list_of(self, register_key: str) -> ListPage | None:
        """The list of a register's records on this page (building its tab)."""
        plan = next((p for p in self.plans if register_key in p.registers), None)
        if plan is None:
            return None
        return next((w for w in _lists(self.tab(plan.key)) if w.spec.key == register_key), None)

    def make_form(self, register_key: str, record_id: str, parent: QWidget) -> QDialog:
        """A record's form as its tab opens it (the area's own form where it has one)."""
        from ui.kit.drill_down import generic_form

        lst = self.list_of(register_key)
        if lst is None:
            return generic_form(self.ctx)(register_key, record_id, parent)
        form = lst.make_form(record_id)
        form.setParent(parent, form.windowFlags())  # on top of the dialog that asked for it
        return form

    # -- targets and the smoke test ------------------------------------------------------------
    def open_target(self, tab: str, filters: dict[str, Any]) -> None:
        key = self.tab_of(tab)
        widget = self.show_tab(key)
        filters = dict(filters)
        record_id = filters.pop("open", None)
        lst = self.list_of(tab)
        if lst is None:
            return
        if filters or not record_id:
            single = len(next(p for p in self.plans if p.key == key).registers) == 1
            apply = getattr(widget, "apply_filters", None) if single else None
            (apply or lst.apply_filters)(filters)
        if record_id:
            lst.make_form(record_id).exec()
            lst.reload()

    def smoke_dialogs(self) -> list:
        out = []
        for plan in self.plans:
            widget = self.show_tab(plan.key)
            if hasattr(widget, "smoke_dialogs"):
                out += widget.smoke_dialogs()
            else:
                for lst in _lists(widget):
                    out += lst.smoke_dialogs()
        self.setCurrentIndex(0)
        return out


def _factory(path: str, ctx) -> Callable[[], QWidget]:
    return lambda: load(path)(ctx)


def _register_list(ctx, area: Area, register_key: str) -> ListPage:
    from ui.widgets.binding import RecordBinding

    return ListPage(ctx, RecordBinding.of(register_key, f"{area.key}.{register_key}"))


def _lists(widget: QWidget) -> list[ListPage]:
    """The record lists a tab shows (itself, or those inside it), outermost first — not the lists
    of pickers its filters and forms opened."""
    found = [widget] if isinstance(widget, ListPage) else []
    return found + [w for w in widget.findChildren(ListPage) if not isinstance(w.window(), QDialog)]
