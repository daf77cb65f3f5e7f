"""The records behind a figure: the generic lazy list held to the figure's ``ListQuery`` (its
filters, period and unit as fixed filters), so the count it shows is the figure's and a million
records cost what a page costs. The list's search and filters narrow further; 导出Excel and 打印
work on what it shows; a double-click opens the record's form — the area's own form where its page
has one (``open_record``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage

# (register key, record id, parent) -> the record's form dialog
FormOpener = Callable[[str, str, QWidget], QDialog]


def generic_form(ctx) -> FormOpener:
    """The kit's form of a register (the area page gives its own tabs' forms instead)."""
    def make(register_key: str, record_id: str, parent: QWidget) -> QDialog:
        from ui.widgets.record_form import RecordFormDialog

        binding = RecordBinding.of(register_key, f"figure.{register_key}")
        return RecordFormDialog(ctx, binding, record_id, parent=parent)

    return make


class FigureRecordsList(ListPage):
    """A list of what a figure counted: no 新增 or 作废 here (the records are the figure's)."""

    def __init__(self, ctx, figure, open_record: FormOpener, parent=None):
        self.open_record = open_record
        key = figure.query.spec_key  # a figure counts a register's records
        fixed = figure.query.as_filters()
        super().__init__(ctx, RecordBinding.of(key, f"figure.{key}"), parent, title=figure.label,
                         remember=False, fixed_filters=fixed)
        self.filters.hold(set(fixed) | ({self.spec.unit_key} if "unit" in fixed else set()))
        self.new_action.setVisible(False)
        self.void_action.setVisible(False)
        if self.file_actions is not None and self.file_actions.import_action is not None:
            self.file_actions.import_action.setVisible(False)  # 导出 and 打印 stay

    def _update_actions(self) -> None:
        super()._update_actions()
        self.new_action.setEnabled(False)
        self.void_action.setEnabled(False)

    def make_form(self, record_id: str | None):
        return self.open_record(self.spec.key, record_id, self)


class FigureRecordsDialog(QDialog):
    def __init__(self, ctx, figure, open_record: FormOpener | None = None, *, context: str = "",
                 parent=None):
        super().__init__(parent)
        self.figure = figure
        self.setWindowTitle(f"{figure.label}:{figure.text} {figure.unit}")
        self.list = FigureRecordsList(ctx, figure, open_record or generic_form(ctx), self)
        about = QLabel(" · ".join(t for t in (context, figure.note) if t))
        about.setObjectName("muted")
        about.setWordWrap(True)
        about.setVisible(bool(about.text()))
        close = QPushButton("关闭")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(about)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.resize(1100, 620)
