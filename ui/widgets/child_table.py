"""An editable sub-table for a one-to-many part of a record (``ChildSpec``), e.g. the family
members of a hardship archive: one row per child record, columns from the child's RecordSpec,
checked row by row with ``RecordSpec.clean``; errors mark the cell in red with the reason."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.fields.spec import ChildSpec, Field, Kind, RecordSpec, display_value, offered_choices
from app.validation import format_yuan
from ui.theme import icon

ERROR_BRUSH = QBrush(QColor(198, 40, 40, 40))


def _cell_text(f: Field, value: Any, codes) -> str:
    """How a stored value reads in a cell (and, typed back, what ``spec.clean`` accepts)."""
    if value is None:
        return ""
    if f.kind == Kind.MONEY and isinstance(value, int):
        return format_yuan(value)
    if f.kind == Kind.DATE and isinstance(value, date):
        return value.isoformat()
    if f.kind == Kind.BOOL:
        return "是" if value else "否"
    if f.kind in (Kind.CODE, Kind.CODES):
        return display_value(f, value, codes)
    return str(value)


class _ChoiceDelegate(QStyledItemDelegate):
    """A code-table (or yes/no) column edited with a combo box of its labels. The cell holds the
    label; the table maps it back to the code (nothing but text is kept in the items)."""

    def __init__(self, labels: list[str], parent=None):
        super().__init__(parent)
        self.labels = labels

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems([""] + self.labels)
        return combo

    def setEditorData(self, editor: QComboBox, index) -> None:
        editor.setCurrentIndex(max(editor.findText(index.model().data(index) or ""), 0))

    def setModelData(self, editor: QComboBox, model, index) -> None:
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class ChildTableEditor(QWidget):
    changed = Signal()

    def __init__(self, ctx, child: ChildSpec, spec: RecordSpec, parent=None):
        super().__init__(parent)
        self.ctx, self.child, self.spec = ctx, child, spec
        self.fields = [f for f in spec.editable_fields if f.key != child.parent_key]
        self.table = QTableWidget(0, len(self.fields))
        self.table.setHorizontalHeaderLabels(
            [("* " if f.required else "") + f.label for f in self.fields])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setMinimumHeight(150)
        self._by_label: dict[str, dict[str, Any]] = {}
        for col, f in enumerate(self.fields):
            self.table.setColumnWidth(col, max(72, f.width * 9))
            choices = self._choices(f)
            if choices:
                self._by_label[f.key] = {label: value for value, label in choices}
                self.table.setItemDelegateForColumn(
                    col, _ChoiceDelegate([label for _v, label in choices], self.table))
        self.table.itemChanged.connect(self._item_changed)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.add_button = QPushButton(icon("add"), "添加一行")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(icon("void"), "删除所选行")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        self._initial: list[dict] = []
        self.errors: dict[tuple[int, str], str] = {}  # the cells marked wrong now
        self._ids: list[str | None] = []  # the stored id of each table row (None: a new row)

    def _choices(self, f: Field) -> list[tuple[Any, str]]:
        if f.kind == Kind.BOOL:
            return [(True, "是"), (False, "否")]
        return offered_choices(f, self.ctx.codes) if f.kind == Kind.CODE else []

    # -- rows ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_headers_fitted", False):  # after the stylesheet set the header font
            self._headers_fitted = True
            header = self.table.horizontalHeader()
            for col in range(self.table.columnCount()):  # a label is never cut ("与户主关")
                if header.sectionSizeHint(col) > self.table.columnWidth(col):
                    self.table.setColumnWidth(col, header.sectionSizeHint(col))

    def add_row(self) -> None:
        if self.child.max_rows is not None and self.table.rowCount() >= self.child.max_rows:
            self.message.setText(f"{self.child.title}最多 {self.child.max_rows} 行")
            return
        self._append({f.key: f.default for f in self.fields if f.default is not None})
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)
            del self._ids[r]
        if rows:
            self.changed.emit()

    def _append(self, values: dict[str, Any]) -> None:
        self.table.blockSignals(True)
        r = self.table.rowCount()
        self.table.insertRow(r)
        self._ids.append(values.get("id"))
        for col, f in enumerate(self.fields):
            item = QTableWidgetItem(_cell_text(f, values.get(f.key), self.ctx.codes))
            if f.kind in (Kind.INT, Kind.YEAR, Kind.MONEY, Kind.DECIMAL):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, col, item)
        self.table.blockSignals(False)

    def _item_changed(self, _item: QTableWidgetItem) -> None:
        self.changed.emit()

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        self._ids = []
        for values in rows:
            self._append(values)
        self._initial = self.rows()

    def _raw(self, f: Field, item: QTableWidgetItem | None) -> Any:
        """The raw value of a cell for ``spec.clean``: its text, or the code of a label."""
        text = item.text().strip() if item is not None else ""
        if not text:
            return None
        labels = self._by_label.get(f.key)
        return labels.get(text, text) if labels is not None else text

    def rows(self) -> list[dict[str, Any]]:
        """Raw values per row (blank rows dropped); a stored row keeps its ``id`` for updates."""
        return [row for _r, row in self._filled_rows()]

    def _filled_rows(self) -> list[tuple[int, dict[str, Any]]]:
        """The rows holding something: a new row showing only the spec's defaults is blank."""
        defaults = {f.key: _cell_text(f, f.default, self.ctx.codes) for f in self.fields}
        out = []
        for r in range(self.table.rowCount()):
            stored = self._ids[r] if r < len(self._ids) else None
            items = [(f, self.table.item(r, col)) for col, f in enumerate(self.fields)]
            texts = {f.key: item.text().strip() if item is not None else "" for f, item in items}
            if not stored and all(t in ("", defaults[k]) for k, t in texts.items()):
                continue
            row = {f.key: self._raw(f, item) for f, item in items}
            if stored:
                row["id"] = stored
            out.append((r, row))
        return out

    @property
    def dirty(self) -> bool:
        return self.rows() != self._initial

    # -- checks --------------------------------------------------------------------------------
    def validate(self) -> dict[tuple[int, str], str]:
        """Check every row with the child spec; mark bad cells and list the reasons below."""
        errors: dict[tuple[int, str], str] = {}
        for r, row in self._filled_rows():
            _cleaned, row_errors = self.spec.clean(row, self.ctx.codes)
            for key, msg in row_errors.items():
                if key != self.child.parent_key:
                    errors[(r, key)] = msg
        self.show_errors(errors)
        return errors

    def show_row_errors(self, errors: dict[tuple[int, str], str]) -> None:
        """A service's errors, by the index of the row in ``rows()`` (blank rows are not sent)."""
        filled = [r for r, _row in self._filled_rows()]
        self.show_errors({(filled[i], key): m for (i, key), m in errors.items() if i < len(filled)})

    def show_errors(self, errors: dict[tuple[int, str], str]) -> None:
        self.errors = dict(errors)
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            for col, f in enumerate(self.fields):
                item = self.table.item(r, col)
                if item is None:
                    continue
                msg = errors.get((r, f.key))
                item.setBackground(ERROR_BRUSH if msg else QBrush())
                item.setToolTip(msg or "")
        self.table.blockSignals(False)
        labels = {f.key: f.label for f in self.fields}
        self.message.setText(";".join(f"第 {r + 1} 行 {labels.get(k, k)}:{m}"
                                      for (r, k), m in sorted(errors.items())))
