"""An editable sub-table for a one-to-many part of a record (``ChildSpec``), e.g. the family
members of a hardship archive: one row per child record, columns from the child's RecordSpec,
checked row by row with ``RecordSpec.clean``; errors mark the cell in red with the reason."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from app.fields.spec import ChildSpec, Field, Kind, RecordSpec, display_value
from app.validation import format_yuan
from ui.theme import icon

RAW_ROLE = Qt.ItemDataRole.UserRole + 10
ID_ROLE = Qt.ItemDataRole.UserRole + 11
ERROR_BRUSH = QBrush(QColor(198, 40, 40, 40))


def _stored_to_raw(f: Field, value: Any) -> tuple[str, Any]:
    """(cell text, raw value for spec.clean) of a stored value."""
    if value is None:
        return "", None
    if f.kind == Kind.MONEY and isinstance(value, int):
        text = format_yuan(value)
        return text, text
    if f.kind == Kind.DATE and isinstance(value, date):
        return value.isoformat(), value.isoformat()
    if f.kind == Kind.BOOL:
        return ("是" if value else "否"), bool(value)
    return str(value), value


class _CodeDelegate(QStyledItemDelegate):
    """A code-table (or yes/no) column edited with a combo box."""

    def __init__(self, choices: list[tuple[Any, str]], parent=None):
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItem("", None)
        for value, label in self.choices:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QComboBox, index) -> None:
        i = editor.findData(index.data(RAW_ROLE))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QComboBox, model, index) -> None:
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)
        model.setData(index, editor.currentData(), RAW_ROLE)


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
        for col, f in enumerate(self.fields):
            self.table.setColumnWidth(col, max(72, f.width * 9))
            choices = self._choices(f)
            if choices:
                self.table.setItemDelegateForColumn(col, _CodeDelegate(choices, self.table))
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
        self._filling = False

    def _choices(self, f: Field) -> list[tuple[Any, str]]:
        if f.kind == Kind.BOOL:
            return [(True, "是"), (False, "否")]
        if f.choices:
            return list(f.choices)
        if f.kind == Kind.CODE and f.code_table:
            return [(e.code, e.label) for e in self.ctx.codes.items(f.code_table)]
        return []

    # -- rows ----------------------------------------------------------------------------------
    def add_row(self) -> None:
        if self.child.max_rows is not None and self.table.rowCount() >= self.child.max_rows:
            self.message.setText(f"{self.child.title}最多 {self.child.max_rows} 行")
            return
        self._append({})
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)
        if rows:
            self.changed.emit()

    def _append(self, values: dict[str, Any]) -> None:
        self._filling = True
        r = self.table.rowCount()
        self.table.insertRow(r)
        for col, f in enumerate(self.fields):
            value = values.get(f.key)
            text, raw = _stored_to_raw(f, value)
            if f.kind in (Kind.CODE, Kind.CODES) and value is not None:
                text = display_value(f, value, self.ctx.codes)
            item = QTableWidgetItem(text)
            item.setData(RAW_ROLE, raw)
            if col == 0 and values.get("id"):
                item.setData(ID_ROLE, values["id"])
            if f.kind in (Kind.INT, Kind.MONEY, Kind.DECIMAL):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, col, item)
        self._filling = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        f = self.fields[item.column()]
        if not self._choices(f):  # typed cells: the text is the raw value
            self._filling = True
            item.setData(RAW_ROLE, item.text())
            self._filling = False
        self.changed.emit()

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        for values in rows:
            self._append(values)
        self._initial = self.rows()

    def rows(self) -> list[dict[str, Any]]:
        """Raw values per row (blank rows dropped); a stored row keeps its ``id`` for updates."""
        return [row for _r, row in self._filled_rows()]

    def _filled_rows(self) -> list[tuple[int, dict[str, Any]]]:
        out = []
        for r in range(self.table.rowCount()):
            row = {}
            for col, f in enumerate(self.fields):
                item = self.table.item(r, col)
                row[f.key] = item.data(RAW_ROLE) if item is not None else None
            if any(v not in (None, "") for v in row.values()):
                first = self.table.item(r, 0)
                if first is not None and first.data(ID_ROLE):
                    row["id"] = first.data(ID_ROLE)
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

    def show_errors(self, errors: dict[tuple[int, str], str]) -> None:
        self._filling = True
        for r in range(self.table.rowCount()):
            for col, f in enumerate(self.fields):
                item = self.table.item(r, col)
                if item is None:
                    continue
                msg = errors.get((r, f.key))
                item.setBackground(ERROR_BRUSH if msg else QBrush())
                item.setToolTip(msg or "")
        self._filling = False
        labels = {f.key: f.label for f in self.fields}
        self.message.setText(";".join(f"第 {r + 1} 行 {labels.get(k, k)}:{m}"
                                      for (r, k), m in sorted(errors.items())))
