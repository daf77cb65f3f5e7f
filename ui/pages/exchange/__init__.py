"""数据交换: bundles on USB sticks between office PCs, counties and the city, without the CLI.

Tabs: 导出数据包 and 导入数据包 (the wizards), 冲突处理, 收发记录, 信任的单位 (key cards and
fingerprints), 本单位密钥. Everything calls ``app.sync.service``; every long step runs in
``run_in_background``. Roles without the SYNC permission see the same tabs read-only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from app.security.abilities import may_exchange
from ui.theme import icon


class ExchangePage(QTabWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        from ui.pages.exchange.conflicts_tab import ConflictsTab
        from ui.pages.exchange.export_wizard import ExportWizard
        from ui.pages.exchange.history_tab import HistoryTab
        from ui.pages.exchange.import_wizard import ImportWizard
        from ui.pages.exchange.keys_tab import KeysTab
        from ui.pages.exchange.peers_tab import PeersTab

        self.ctx = ctx
        self.export = ExportWizard(ctx)
        self.import_ = ImportWizard(ctx)
        self.conflicts = ConflictsTab(ctx)
        self.history = HistoryTab(ctx)
        self.peers = PeersTab(ctx)
        self.keys = KeysTab(ctx)
        self.tabs_by_key = {}
        for key, widget, icon_name, title in (
                ("export", self.export, "export", "导出数据包"),
                ("import", self.import_, "import", "导入数据包"),
                ("conflicts", self.conflicts, "warn", "冲突处理"),
                ("history", self.history, "history", "收发记录"),
                ("peers", self.peers, "users", "信任的单位"),
                ("keys", self.keys, "key", "本单位密钥")):
            self.tabs_by_key[key] = widget
            self.addTab(widget, icon(icon_name), title)
        self.export.exported.connect(lambda _r: self._refresh(self.history, self.peers))
        self.import_.imported.connect(self._imported)
        self.import_.conflicts_requested.connect(lambda: self.open_target("conflicts", {}))
        self.peers.changed.connect(lambda: self._refresh(self.export, self.history, self.keys))
        self.keys.changed.connect(lambda: self._refresh(self.peers))
        self.conflicts.changed.connect(self._conflicts_changed)
        self.conflicts.loaded.connect(self._title_conflicts)
        self._title_conflicts()
        if not self.export.targets:  # nothing to exchange with yet: start where set-up starts
            self.setCurrentWidget(self.peers if may_exchange(ctx.actor) else self.keys)

    def _refresh(self, *tabs) -> None:
        for tab in tabs:
            if tab is self.export:
                if may_exchange(self.ctx.actor) and self.export.step == 0:
                    self.export.reload_targets()
            else:
                tab.refresh()

    def _imported(self, report) -> None:
        from app.fields.registry import spec_for_table

        self._refresh(self.history, self.peers, self.conflicts)
        for t in report.tables:
            spec = spec_for_table(t.table)
            if spec is not None and (t.new or t.updated or t.conflicts):
                self.ctx.data_changed.emit(spec.key)

    def _conflicts_changed(self) -> None:
        from app.fields.registry import spec_for_table

        self._refresh(self.history)
        for table in {v.table for v in self.conflicts.views}:
            spec = spec_for_table(table)
            if spec is not None:
                self.ctx.data_changed.emit(spec.key)

    def _title_conflicts(self) -> None:
        from app.sync import service

        n = service.status(self.ctx.db, self.ctx.actor).open_conflicts
        self.setTabText(self.indexOf(self.conflicts), f"冲突处理({n})" if n else "冲突处理")

    # -- the main window's hooks ---------------------------------------------------------------
    def activated(self) -> None:
        self._refresh(self.export, self.peers, self.history, self.conflicts, self.keys)

    def open_target(self, tab: str, filters: dict) -> None:
        if tab in self.tabs_by_key:
            self.setCurrentWidget(self.tabs_by_key[tab])

    def can_close(self) -> bool:
        return self.import_.can_close()

    def smoke_dialogs(self) -> list:
        """Each tab, each wizard step and each dialog, built on whatever this database holds."""
        from ui.pages.exchange import smoke

        return smoke.dialogs(self)
