"""A read-only table of a few records (an archive's reviews, a household's ledger, the records
behind a statistic): columns from a ``RecordSpec``, texts as the lists show them (labels, 元 with
two decimals, masked numbers, names of referenced records)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.fields.masking import mask
from app.fields.spec import Kind, Mask, RecordSpec
from app.services import listing

_NUMERIC = (Kind.INT, Kind.YEAR, Kind.MONEY, Kind.DECIMAL)


class ObjectTable(QTableWidget):
    open_requested = Signal(str)  # the record id of a double-clicked row

    def __init__(self, ctx, spec: RecordSpec, columns: Sequence[str] | None = None, parent=None,
                 *, texts: dict[str, Callable[[Any], str]] | None = None):
        super().__init__(parent)
        self.ctx, self.spec = ctx, spec
        self.texts = texts or {}  # a column shown another way (a role code as its name)
        self.fields = [spec.field(k) for k in columns] if columns else list(spec.list_fields)
        self.ids: list[str] = []
        self.setColumnCount(len(self.fields))
        self.setHorizontalHeaderLabels([f.label for f in self.fields])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for i, f in enumerate(self.fields):
            self.setColumnWidth(i, max(f.width, len(f.label) * 2 + 2) * 8)
        self.cellDoubleClicked.connect(lambda r, _c: self.open_requested.emit(self.ids[r])
                                       if 0 <= r < len(self.ids) else None)

    def set_objects(self, session, objects) -> None:
        """Fill from ORM objects (call inside the read session that loaded them)."""
        objects = list(objects)
        refs = {f.key: listing.ref_labels(session, f.ref, {getattr(o, f.key) for o in objects
                                                           if getattr(o, f.key, None)})
                for f in self.fields if f.kind == Kind.REF and f.ref}
        self.ids = [o.id for o in objects]
        self.setRowCount(len(objects))
        codes = self.ctx.codes
        for r, obj in enumerate(objects):
            for c, f in enumerate(self.fields):
                value = getattr(obj, f.key, None)
                if f.key in self.texts:
                    text = self.texts[f.key](value) if value is not None else ""
                elif f.kind == Kind.REF:
                    text = refs.get(f.key, {}).get(value, "") if value else ""
                else:
                    if f.mask not in (Mask.NONE, Mask.NAME) and value:
                        value = mask(f.mask, value)
                    text = listing.cell_text(f, value, codes)
                item = QTableWidgetItem(text.replace("\n", " "))
                item.setToolTip(text if len(text) > 20 else "")
                if f.kind in _NUMERIC:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)

    def fit_columns(self, widest: int = 320) -> None:
        """Columns as wide as their texts, none wider than ``widest`` pixels."""
        self.resizeColumnsToContents()
        for c in range(self.columnCount()):
            self.setColumnWidth(c, min(self.columnWidth(c), widest))

    def current_id(self) -> str | None:
        row = self.currentRow()
        return self.ids[row] if 0 <= row < len(self.ids) else None
