"""Values kept in Qt item data, never None.

PySide6 6.12.0 releases Python's ``None`` once too often whenever a QVariant that holds nothing
comes back to Python (``combo.currentData()`` of an item added with ``None``, ``item.data(role)``
of an unset role): a long session then crashes the interpreter. So the "no value" entries of
combos store ``EMPTY`` instead, and code reads them through ``combo_value``; item roles are only
read where they are always set. (pyproject also excludes 6.12.0.)
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox

EMPTY = ""  # the data of a combo's 全部 / 请选择 entry


def combo_value(combo: QComboBox, index: int | None = None) -> Any:
    value = combo.itemData(combo.currentIndex() if index is None else index)
    return None if value == EMPTY else value
