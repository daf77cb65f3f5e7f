"""困难职工帮扶: tabs 档案 | 救助发放 | 走访慰问 | 金秋助学 | 帮扶计划 | 统计, each built when first
shown. Home-page figures and 待办 open a tab with filters, or one record (``{"open": id}``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.theme import icon

# the tab each register's records are listed in (home figures and 待办 name the register)
TAB_OF = {"hardship_archive": "archives", "relief_entry": "relief", "hardship_campaign": "visits",
          "hardship_visit": "visits", "hardship_study_aid": "aid", "hardship_plan": "plans"}
TABS = (("archives", "档案", "document"), ("relief", "救助发放", "heart_hand"),
        ("visits", "走访慰问", "users"), ("aid", "金秋助学", "award"), ("plans", "帮扶计划", "calendar"),
        ("stats", "统计", "chart"))


def _build(key: str, ctx) -> QWidget:
    from ui.pages.hardship import help_tabs, lists, relief, stats_tab

    return {"archives": lambda: lists.ArchiveListPage(ctx),
            "relief": lambda: relief.ReliefListPage(ctx),
            "visits": lambda: help_tabs.VisitsTab(ctx),
            "aid": lambda: help_tabs.AidListPage(ctx),
            "plans": lambda: help_tabs.PlanListPage(ctx),
            "stats": lambda: stats_tab.StatsTab(ctx)}[key]()


class HardshipPage(QTabWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.built: dict[str, QWidget] = {}
        self.holders: dict[str, QWidget] = {}
        for key, title, icon_name in TABS:
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(16, 12, 16, 12)
            self.holders[key] = holder
            self.addTab(holder, icon(icon_name), title)
        self.currentChanged.connect(lambda i: self.tab(TABS[i][0]))
        self.tab("archives")

    def tab(self, key: str) -> QWidget:
        """The tab's content, built on first use."""
        if key not in self.built:
            widget = _build(key, self.ctx)
            self.holders[key].layout().addWidget(widget)
            self.built[key] = widget
        return self.built[key]

    def show_tab(self, key: str) -> QWidget:
        self.setCurrentWidget(self.holders[key])
        return self.tab(key)

    def open_target(self, tab: str, filters: dict[str, Any]) -> None:
        key = TAB_OF.get(tab, tab if tab in self.holders else "archives")
        page = self.show_tab(key)
        filters = dict(filters)
        record_id = filters.pop("open", None)
        if hasattr(page, "apply_filters") and (filters or not record_id):
            page.apply_filters(filters)
        if record_id and hasattr(page, "make_form"):
            page.make_form(record_id).exec()
            page.reload()

    def smoke_dialogs(self) -> list:
        out = []
        for key, _title, _icon in TABS:
            page = self.show_tab(key)
            lists = [page] if hasattr(page, "smoke_dialogs") else []
            if hasattr(page, "campaigns"):
                lists = [page.campaigns, page.visits]
            for lst in lists:
                out += lst.smoke_dialogs()
            if key == "archives" and page.model.rows:
                first = page.model.rows[0].id
                self._smoke_form = page.make_form(first)  # kept: its action dialogs belong to it
                out += self._smoke_form.smoke_dialogs()
            if key == "stats":
                from ui.pages.hardship.stats_tab import RecordsDialog
                from ui.workers import wait_for_jobs

                wait_for_jobs(30_000)
                if page.result is not None:
                    figure = next(iter(page.result.figures), None)
                    if figure is not None:
                        out.append((f"统计明细:{figure.label}", lambda f=figure: RecordsDialog(self.ctx, f, page)))
        self.setCurrentIndex(0)
        return out
