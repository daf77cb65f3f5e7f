"""Choose one record of any type from its lazy, searchable list (references in forms, reference
filters). Works the same for 800 unions and for a million members."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout

from app.fields.registry import spec as spec_by_key
from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage


class RecordPickerDialog(QDialog):
    def __init__(self, ctx, spec_key: str, *, filters: dict[str, Any] | None = None,
                 title: str = "", parent=None, allow_clear: bool = False):
        super().__init__(parent)
        spec = spec_by_key(spec_key)
        self.setWindowTitle(title or f"选择{spec.title}")
        self.chosen_id: str | None = None
        self.chosen_label = ""
        fixed = {k: tuple(v) if isinstance(v, (list, tuple)) else v for k, v in (filters or {}).items()}
        binding = RecordBinding(spec, key=f"picker.{spec_key}", search_placeholder="输入名称查找")
        self.list = ListPage(ctx, binding, self, pick_mode=True, fixed_filters=fixed)
        self.list.picked.connect(self._picked)
        choose = QPushButton("选择")
        choose.setAutoDefault(False)  # Enter in the search box searches; Enter in the list picks
        choose.clicked.connect(self.list.open_current)
        cancel = QPushButton("取消")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        if allow_clear:
            clear = QPushButton("不限")
            clear.setAutoDefault(False)
            clear.setToolTip("清除这个条件")
            clear.clicked.connect(lambda: self._picked("", ""))
            buttons.addWidget(clear)
        buttons.addStretch(1)
        buttons.addWidget(choose)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(760, 520)
        self.list.search.setFocus()

    def _picked(self, record_id: str, label: str) -> None:
        self.chosen_id = record_id or None
        self.chosen_label = label
        self.accept()
