"""The idle lock: no keyboard or mouse for ``idle_lock_minutes`` (a setting) locks the screen
(等保 L2). A timer checks now and then.

Activity is seen on the *windows* (each QWindow gets input before Qt hands it to a widget), not
through an application-wide event filter: that would run Python for every event of every widget —
thousands while a page is built — and slowed page opening several times over.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                      QEvent.Type.Wheel, QEvent.Type.TouchBegin})
CHECK_EVERY_MS = 15_000


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: Callable[[], int], clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._minutes, self._clock = minutes, clock
        self.last_activity = clock()
        self.paused = False
        self._windows: list[QWindow] = []
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        app = QGuiApplication.instance()
        for window in app.topLevelWindows():
            self.watch(window)
        app.focusWindowChanged.connect(self.watch)  # dialogs open new windows
        self.timer.start()

    def stop(self) -> None:
        QGuiApplication.instance().focusWindowChanged.disconnect(self.watch)
        for window in self._windows:
            window.removeEventFilter(self)
        self._windows.clear()
        self.timer.stop()

    def watch(self, window: QWindow | None) -> None:
        if window is not None and window not in self._windows:
            window.installEventFilter(self)
            window.destroyed.connect(lambda _o=None, w=window: self._forget(w))
            self._windows.append(window)
        self.last_activity = self._clock()  # a window came to the front: the user is there

    def _forget(self, window) -> None:
        if window in self._windows:
            self._windows.remove(window)

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
