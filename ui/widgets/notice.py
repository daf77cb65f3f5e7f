"""A coloured box with an icon and wrapped text: amber (info), red (error), green (ok)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy

from ui.theme import COLORS, icon


class Notice(QFrame):
    """An amber (info), red (error) or green (ok) box with an icon and wrapped text."""

    KINDS = {"info": ("#fff8e6", "#f0d48a", COLORS["warn"], "info"),
             "error": ("#fdecec", "#f1b5b5", COLORS["error"], "warn"),
             "ok": ("#eaf5eb", "#b7dcb9", COLORS["ok"], "check")}

    def __init__(self, text: str = "", kind: str = "info", parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 10, 12, 10)
        self.mark = QLabel()
        row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.label, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.kind = ""
        self.set(text, kind)

    def set(self, text: str, kind: str | None = None) -> None:
        if kind and kind != self.kind:
            self.kind = kind
            bg, border, fg, icon_name = self.KINDS[kind]
            self.setStyleSheet(f"Notice {{ background: {bg}; border: 1px solid {border}; "
                               "border-radius: 6px; } QLabel { background: transparent; }")
            self.mark.setPixmap(icon(icon_name, fg).pixmap(20, 20))
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()


def notice(text: str, kind: str = "info") -> Notice:
    return Notice(text, kind)
