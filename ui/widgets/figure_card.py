"""A key figure as a card: the number large, its unit, the label under it; a card that counts
records opens them when clicked (home page, an area's statistics)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout


class FigureCard(QFrame):
    clicked = Signal()

    def __init__(self, figure: Any, text: str, *, opens: bool, parent=None):
        """``figure`` (kept as ``.figure``) gives ``label``, ``unit`` and ``note``; ``text`` is the
        number as shown; ``opens``: a click shows the records behind it."""
        super().__init__(parent)
        self.figure, self.opens = figure, opens
        self.setObjectName("card")
        self.setCursor(Qt.CursorShape.PointingHandCursor if opens else Qt.CursorShape.ArrowCursor)
        self.setToolTip((figure.note + "\n" if figure.note else "") + ("点击查看明细" if opens else ""))
        value = QLabel(text)
        value.setObjectName("figureValue")
        unit = QLabel(figure.unit)
        unit.setObjectName("figureUnit")
        label = QLabel(figure.label)
        label.setObjectName("figureLabel")
        label.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(value)
        top.addWidget(unit, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(label)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.opens:
            self.clicked.emit()
        super().mouseReleaseEvent(event)
