"""A record's history: every audit entry about it, oldest first, with the fields changed."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.fields.spec import RecordSpec, display_value
from app.security.audit_labels import action_label


class HistoryTable(QWidget):
    def __init__(self, ctx, spec: RecordSpec, record_id: str, parent=None):
        super().__init__(parent)
        self.ctx, self.spec, self.record_id = ctx, spec, record_id
        self.loaded = False
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["时间", "用户", "操作", "内容"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        note = QLabel("记录的每次新增、修改、作废和敏感信息查看都写入审计日志,不能删除。")
        note.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)

    def load(self) -> None:
        if self.loaded:
            return
        from app.services.audit_view import record_history

        with self.ctx.read() as s:
            rows = record_history(s, self.ctx.actor, self.record_id)
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            cells = (e.local_time, e.username, action_label(e.action),
                     self.describe(e))
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.loaded = True

    def describe(self, e) -> str:
        before, after = e.detail.get("before", {}), e.detail.get("after", {})
        if not before:
            return e.summary
        parts = [f"{self._label(k)}:{self._value(k, before.get(k))} → {self._value(k, v)}"
                 for k, v in after.items()]
        return e.summary + ("\n" + ";".join(parts) if parts else "")

    def _label(self, key: str) -> str:
        return self.spec.field(key).label if self.spec.has(key) else key

    def _value(self, key: str, value) -> str:
        if value is None or value == "":
            return "(空)"
        if self.spec.has(key):
            return display_value(self.spec.field(key), value, self.ctx.codes) or str(value)
        return str(value)
