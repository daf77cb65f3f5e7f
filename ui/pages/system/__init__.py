"""系统管理: users (administrator), code tables, settings, the audit log (auditor), and backups
and restore (administrator)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget

from app.security import abilities
from ui.theme import icon


class SystemPage(QTabWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        from ui.pages.system.audit import AuditLogTab
        from ui.pages.system.backups import BackupsTab
        from ui.pages.system.codes import CodeTablesTab
        from ui.pages.system.settings import SettingsTab
        from ui.pages.system.users import UsersTab

        self.ctx = ctx
        self.tabs_by_key = {}
        actor = ctx.actor
        if abilities.may_manage_users(actor):
            self._add("users", UsersTab(ctx), "user", "用户")
        if abilities.may_read(actor):
            self._add("codes", CodeTablesTab(ctx), "code", "代码表")
        self._add("settings", SettingsTab(ctx), "settings", "系统设置")
        if abilities.may_read_audit(actor):
            self._add("audit", AuditLogTab(ctx), "audit", "审计日志")
        if abilities.may_backup(actor):
            self._add("backups", BackupsTab(ctx), "backup", "备份与恢复")
        if not self.tabs_by_key:
            self.addTab(QLabel("当前角色没有可用的系统管理功能。"), "系统管理")

    def _add(self, key: str, widget, icon_name: str, title: str) -> None:
        self.tabs_by_key[key] = widget
        self.addTab(widget, icon(icon_name), title)

    def open_target(self, tab: str, filters: dict) -> None:
        if tab in self.tabs_by_key:
            self.setCurrentWidget(self.tabs_by_key[tab])

    def smoke_dialogs(self) -> list:
        out = []
        for widget in self.tabs_by_key.values():
            self.setCurrentWidget(widget)
            if hasattr(widget, "smoke_dialogs"):
                out += widget.smoke_dialogs()
        return out
