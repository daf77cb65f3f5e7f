"""The one search box of a list: name, ID number, phone, pinyin or initials (张三 by "zs") — or the
QR code of a printed form, typed or scanned (a USB scanner types like a keyboard): that is not a
search but a paper to find its record (``paper_scanned``)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLineEdit

from ui.theme import icon

DEBOUNCE_MS = 350


class SearchBox(QLineEdit):
    """Emits ``search_changed`` a moment after typing stops, at once on Enter; Esc clears. A form's
    QR payload emits ``paper_scanned`` instead, and the box is cleared for the next scan."""

    search_changed = Signal(str)
    paper_scanned = Signal(str)

    def __init__(self, placeholder: str = "姓名 / 身份证号 / 手机号 / 拼音首字母", parent=None):
        super().__init__(parent)
        self.setObjectName("search")
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        # the magnifier is painted here: a leading QAction sits too low with the stylesheet
        self._glass = icon("search").pixmap(16, 16)
        self.setTextMargins(20, 0, 0, 0)
        self.setMinimumWidth(300)
        self._last = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.commit)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self.commit)
        self.textChanged.connect(self._cleared)

    def commit(self) -> None:
        from app.printing.paper_check import is_paper_payload

        self._timer.stop()
        text = self.text().strip()
        if is_paper_payload(text):
            self.set_text_silently(self._last)
            self.paper_scanned.emit(text)
            return
        if text != self._last:
            self._last = text
            self.search_changed.emit(text)

    def set_text_silently(self, text: str) -> None:
        self._last = text.strip()
        self.setText(text)

    def _cleared(self, text: str) -> None:
        if not text:  # the clear button
            self.commit()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.drawPixmap(8, (self.height() - 16) // 2, self._glass)
        painter.end()

    def keyPressEvent(self, event) -> None:
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)
