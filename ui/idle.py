"""The idle lock: no keyboard or mouse for ``idle_lock_minutes`` (a setting) locks the screen
(等保 L2). An application-wide event filter notes activity; a timer checks now and then."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                      QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.Shortcut})
CHECK_EVERY_MS = 15_000


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: Callable[[], int], clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._minutes, self._clock = minutes, clock
        self.last_activity = clock()
        self.paused = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)
        self.timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.last_activity = self._clock()
        return False

    def check(self) -> None:
        if self.paused:
            return
        if self._clock() - self.last_activity >= self._minutes() * 60:
            self.paused = True
            self.idle.emit()

    def resume(self) -> None:
        self.last_activity = self._clock()
        self.paused = False
