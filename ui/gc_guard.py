"""Python's cyclic garbage collector on the UI thread only.

The collector runs on whichever thread happens to allocate when a generation's threshold is
crossed. If that is a pool thread (a background job building thousands of ORM objects) and the
garbage holds a Qt wrapper — a closed dialog caught in a reference cycle — the C++ object is
destroyed on the wrong thread and the process dies with a segmentation fault. So automatic
collection is switched off and the same thresholds are checked by a timer on the UI thread (the
recipe Anki and other PyQt applications use)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_EVERY_MS = 500


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_EVERY_MS):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):  # the oldest generation due, which also collects the younger
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return


_collector: MainThreadCollector | None = None


def install(app: QObject) -> MainThreadCollector:
    """Once per process, on the UI thread, after the QApplication exists."""
    global _collector
    if _collector is None:
        _collector = MainThreadCollector(app)
    return _collector
