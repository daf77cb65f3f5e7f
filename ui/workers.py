"""Long work off the UI thread: the one mechanism every job uses (demo data, imports, exports,
printing, bundles, and the lists' page fetches).

``run_in_background(parent, fn, on_done, on_error, title)`` runs ``fn(progress)`` on the Qt thread
pool. ``progress`` is an ``app.progress.Progress``: the core job reports through it and checks it,
and the dialog's 取消 button calls ``Progress.cancel()``. Results and errors come back on the UI
thread through a *separate* QObject's signals (a QRunnable that is also a QObject has crashed
other PySide apps). ``fn`` must not touch widgets and opens its own database session.

With a ``title`` a progress dialog appears once the job has run for a moment; without one the job
is quiet (list pages, counts), and the caller shows its own busy state.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from app.progress import Cancelled, Progress

log = logging.getLogger(__name__)
SHOW_DIALOG_AFTER_MS = 300


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)


class _Relay(QObject):
    """The receiving end, living on the UI thread: a QObject with real slots, so Qt queues the
    worker's signals to this thread (plain Python callables as receivers were not reliable)."""

    def __init__(self, on_success, on_failure):
        super().__init__()
        self._on_success, self._on_failure = on_success, on_failure

    @Slot(object)
    def succeeded(self, result) -> None:
        self._on_success(result)

    @Slot(object, str)
    def failed(self, exc, tb: str) -> None:
        self._on_failure(exc, tb)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress, signals: _Signals):
        super().__init__()
        self._fn, self._progress, self._signals = fn, progress, signals

    def run(self) -> None:  # on a pool thread
        try:
            result = self._fn(self._progress)
        except BaseException as exc:  # noqa: BLE001 — every failure goes back to the UI thread
            self._signals.failed.emit(exc, traceback.format_exc())
        else:
            self._signals.succeeded.emit(result)


class ProgressDialog(QDialog):
    """What the job is doing, a bar, and 取消 (wired to ``Progress.cancel``)."""

    def __init__(self, parent: QWidget | None, title: str, progress: Progress, cancellable: bool):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal if parent else
                               Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(420)
        self._progress = progress
        self.message = QLabel(title + "……")
        self.message.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(cancellable)
        self.cancel_button.clicked.connect(self._cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)

    def update_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if message and not self._progress.cancelled:
            self.message.setText(message)

    def _cancel(self) -> None:
        self._progress.cancel()
        self.cancel_button.setEnabled(False)
        self.message.setText("正在取消,请稍候……")

    def reject(self) -> None:  # Esc or the window's close button mean 取消, never "hide and go on"
        if self.cancel_button.isEnabled():
            self._cancel()

    def closeEvent(self, event) -> None:
        event.ignore()
        self.reject()


class Job:
    """A running background job: ``cancel()``, ``finished``, ``result``, ``error``."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.dialog: ProgressDialog | None = None
        self._keep: tuple = ()  # the signal objects, alive until the result is delivered

    def cancel(self) -> None:
        self.progress.cancel()


_running: set[Job] = set()


def running_jobs() -> int:
    return len(_running)


def run_in_background(parent: QObject | None, fn: Callable[[Progress], Any],
                      on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException, str], None] | None = None,
                      title: str | None = None, *, cancellable: bool = True) -> Job:
    """Run ``fn(progress)`` on the thread pool; ``on_done(result)`` or ``on_error(exc, tb)`` runs
    on the UI thread afterwards — unless ``parent`` (a widget, or any QObject that owns the job,
    such as a table model) has been deleted by then. Without ``on_error`` a plain-Chinese error
    dialog is shown (a cancelled job shows nothing)."""
    signals = _Signals()
    progress = Progress(lambda done, total, message: signals.progressed.emit(done, total, message))
    job = Job(progress)
    _running.add(job)
    if title:
        owner = parent if isinstance(parent, QWidget) else None
        job.dialog = ProgressDialog(owner, title, progress, cancellable)
        signals.progressed.connect(job.dialog.update_progress)
        timer = QTimer(job.dialog)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: None if job.finished else job.dialog.show())
        timer.start(SHOW_DIALOG_AFTER_MS)

    def finish() -> None:
        job.finished = True
        _running.discard(job)
        if job.dialog is not None:
            job.dialog.hide()
            job.dialog.deleteLater()
            job.dialog = None
        job._keep = ()

    def succeeded(result) -> None:
        job.result = result
        finish()
        if on_done is not None and _alive(parent):
            on_done(result)

    def failed(exc: BaseException, tb: str) -> None:
        job.error = exc
        finish()
        if not isinstance(exc, Cancelled):
            log.info("background job failed: %s", tb)
        if on_error is not None:
            if _alive(parent):
                on_error(exc, tb)
        elif not isinstance(exc, Cancelled):
            from ui.errors import show_error

            shown_on = parent if isinstance(parent, QWidget) and _alive(parent) else None
            show_error(shown_on, exc, tb)

    relay = _Relay(succeeded, failed)
    signals.succeeded.connect(relay.succeeded, Qt.ConnectionType.QueuedConnection)
    signals.failed.connect(relay.failed, Qt.ConnectionType.QueuedConnection)
    job._keep = (signals, relay)
    QThreadPool.globalInstance().start(_Runnable(fn, progress, signals))
    return job


def _alive(owner: QObject | None) -> bool:
    if owner is None:
        return True
    from shiboken6 import isValid

    return isValid(owner)


def wait_for_jobs(timeout_ms: int = 30_000) -> bool:
    """Process events until every job has delivered its result (tests and the smoke test)."""
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtWidgets import QApplication

    clock = QElapsedTimer()
    clock.start()
    while _running and clock.elapsed() < timeout_ms:
        QThreadPool.globalInstance().waitForDone(20)
        QApplication.processEvents()
    QApplication.processEvents()
    return not _running
