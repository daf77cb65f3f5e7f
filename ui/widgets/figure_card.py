"""A key figure as a card: the number large, its unit, the label under it; a card that counts
records opens them when clicked (home page, an area's statistics)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget


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


class FigureGrid(QWidget):
    """Cards in rows of ``columns`` (equal widths): the home page's groups, an area's statistics."""

    def __init__(self, columns: int = 4, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.cards: list[FigureCard] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)

    def set_figures(self, figures: Iterable[Any], text: Callable[[Any], str],
                    opened: Callable[[Any], None] | None = None) -> list[FigureCard]:
        """Replace the cards: one per figure showing ``text(figure)``; with ``opened`` a click
        on a card that ``opens`` calls ``opened(figure)``."""
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for i, f in enumerate(figures):
            opens = opened is not None and getattr(f, "target", True) is not None
            card = FigureCard(f, text(f), opens=opens)
            if opens:
                card.clicked.connect(lambda f=f: opened(f))
            self.grid.addWidget(card, i // self.columns, i % self.columns)
            self.cards.append(card)
        return self.cards
