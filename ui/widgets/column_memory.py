"""Column widths and order of a list, remembered per user.

Kept where a list's search and filters are kept (``ui.theme.settings()``, the per-PC preferences,
``lists/<list>/…``), under the logged-in user's name, so two clerks sharing a PC each find their
own layout. Stored by field key, not as Qt's header state, so a column added in a later version
simply appears at its declared place."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QHeaderView, QTableView

from ui.theme import settings

MIN_WIDTH = 24


class ColumnMemory:
    def __init__(self, view: QTableView, keys: list[str], list_key: str, username: str, *,
                 enabled: bool = True):
        self.view, self.keys, self.enabled = view, list(keys), enabled
        self.settings_key = f"lists/{list_key}/columns/{username or '-'}"
        self._restoring = False
        self.user_sized: set[int] = set()  # columns whose width the user set (dragged, or kept)
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.sectionResized.connect(self._resized)
        header.sectionMoved.connect(lambda *_: self.save())

    @property
    def header(self) -> QHeaderView:
        return self.view.horizontalHeader()

    def layout(self) -> dict:
        """{"order": [keys left to right], "widths": {key: px}} as shown now."""
        h = self.header
        order = [self.keys[h.logicalIndex(v)] for v in range(h.count()) if h.logicalIndex(v) < len(self.keys)]
        widths = {key: h.sectionSize(i) for i, key in enumerate(self.keys)}
        return {"order": order, "widths": widths}

    def _resized(self, index: int, *_sizes) -> None:
        if not self._restoring:
            self.user_sized.add(index)
        self.save()

    def save(self) -> None:
        if self.enabled and not self._restoring:
            settings().setValue(self.settings_key, json.dumps(self.layout(), ensure_ascii=False))

    def restore(self) -> None:
        if not self.enabled:
            return
        raw = settings().value(self.settings_key, "")
        try:
            saved = json.loads(str(raw)) if raw else None
        except ValueError:
            saved = None
        if not isinstance(saved, dict):
            return
        h = self.header
        self._restoring = True
        try:
            for key, width in (saved.get("widths") or {}).items():
                if key in self.keys and isinstance(width, int):
                    h.resizeSection(self.keys.index(key), max(MIN_WIDTH, width))
                    self.user_sized.add(self.keys.index(key))
            order = [k for k in saved.get("order") or [] if k in self.keys]
            for target, key in enumerate(order):
                current = h.visualIndex(self.keys.index(key))
                if current != target:
                    h.moveSection(current, target)
        finally:
            self._restoring = False
