"""Long work off the UI thread: the one mechanism every job uses (demo data, imports, exports,
printing, bundles, and the lists' page fetches).

``run_in_background(parent, fn, on_done, on_error, title)`` runs ``fn(progress)`` on the Qt thread
pool. ``progress`` is an ``app.progress.Progress``: the core job reports through it and checks it,
and the dialog's 取消 button calls ``Progress.cancel()``. Results and errors come back on the UI
thread through one long-lived QObject's queued signals — separate from the QRunnable (a runnable
that is also a QObject has crashed other PySide apps), and never a per-job QObject, whose
destruction could land on a worker thread. ``fn`` must not touch widgets and opens its own
database session.

With a ``title`` a progress dialog appears once the job has run for a moment; without one the job
is quiet (list pages, counts), and the caller shows its own busy state.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.progress import Cancelled, Progress

log = logging.getLogger(__name__)
SHOW_DIALOG_AFTER_MS = 300


class _Dispatcher(QObject):
    """One long-lived object on the UI thread that every job reports to. A worker leaves its
    outcome in ``outcomes`` and emits only the job's number (queued to the UI thread, where the
    slots run). No Python object crosses threads inside a signal and no per-job QObject exists,
    so nothing Qt-owned is ever released on a worker thread."""

    progressed = Signal(int)  # job id: its Progress holds done / total / message
    finished = Signal(int)  # job id: its outcome is in ``outcomes``

    def __init__(self):
        super().__init__()
        self.jobs: dict[int, Job] = {}
        self.outcomes: dict[int, tuple] = {}  # job id -> (ok, result or exception, traceback)
        self.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)

    @Slot(int)
    def _progressed(self, job_id: int) -> None:
        job = self.jobs.get(job_id)
        if job is not None and job.dialog is not None:
            p = job.progress
            job.dialog.update_progress(p.done, p.total, p.message)

    @Slot(int)
    def _finished(self, job_id: int) -> None:
        job = self.jobs.pop(job_id, None)
        ok, outcome, tb = self.outcomes.pop(job_id)
        if job is not None:
            job.deliver(ok, outcome, tb)


_dispatcher: _Dispatcher | None = None


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:  # made by the first run_in_background, on the UI thread
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Runnable(QRunnable):
    """Holds only the job's number: the work and its progress stay with the Job (UI thread)."""

    def __init__(self, job_id: int):
        super().__init__()
        self._job_id = job_id

    def run(self) -> None:  # on a pool thread
        dispatcher = _get_dispatcher()
        job_id = self._job_id
        fn, progress = dispatcher.jobs[job_id].work
        try:
            outcome = (True, fn(progress), "")
        except BaseException as exc:  # noqa: BLE001 — every failure goes back to the UI thread
            outcome = (False, exc, traceback.format_exc())
        del fn, progress  # released here, before the UI thread may drop the job
        dispatcher.outcomes[job_id] = outcome
        del outcome
        dispatcher.finished.emit(job_id)


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

    _next_id = 0

    def __init__(self, parent, fn, on_done, on_error):
        Job._next_id += 1
        self.id = Job._next_id
        self.progress = Progress(self._report)
        self.work = (fn, self.progress)
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.traceback = ""
        self.dialog: ProgressDialog | None = None
        self._parent, self._on_done, self._on_error = parent, on_done, on_error

    def _report(self, done: int, total: int, message: str) -> None:  # on the worker thread
        _get_dispatcher().progressed.emit(self.id)

    def cancel(self) -> None:
        self.progress.cancel()

    def deliver(self, ok: bool, outcome, tb: str) -> None:  # on the UI thread
        self.finished = True
        self.work = None
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        parent = self._parent
        if ok:
            self.result = outcome
            if self._on_done is not None and _alive(parent):
                self._on_done(outcome)
            return
        self.error, self.traceback = outcome, tb
        if not isinstance(outcome, Cancelled):
            log.info("background job failed: %s", tb)
        if self._on_error is not None:
            if _alive(parent):
                self._on_error(outcome, tb)
        elif not isinstance(outcome, Cancelled):
            from ui.errors import show_error

            shown_on = parent if isinstance(parent, QWidget) and _alive(parent) else None
            show_error(shown_on, outcome, tb)


def running_jobs() -> int:
    return len(_get_dispatcher().jobs)


def run_in_background(parent: QObject | None, fn: Callable[[Progress], Any],
                      on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException, str], None] | None = None,
                      title: str | None = None, *, cancellable: bool = True) -> Job:
    """Run ``fn(progress)`` on the thread pool; ``on_done(result)`` or ``on_error(exc, tb)`` runs
    on the UI thread afterwards — unless ``parent`` (a widget, or any QObject that owns the job,
    such as a table model) has been deleted by then. Without ``on_error`` a plain-Chinese error
    dialog is shown (a cancelled job shows nothing). Call it on the UI thread."""
    dispatcher = _get_dispatcher()
    job = Job(parent, fn, on_done, on_error)
    dispatcher.jobs[job.id] = job
    if title:
        owner = parent if isinstance(parent, QWidget) else None
        job.dialog = ProgressDialog(owner, title, job.progress, cancellable)
        timer = QTimer(job.dialog)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: None if job.finished or job.dialog is None else job.dialog.show())
        timer.start(SHOW_DIALOG_AFTER_MS)
    QThreadPool.globalInstance().start(_Runnable(job.id))
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

    jobs = _get_dispatcher().jobs
    clock = QElapsedTimer()
    clock.start()
    while jobs and clock.elapsed() < timeout_ms:
        QThreadPool.globalInstance().waitForDone(20)
        QApplication.processEvents()
    QApplication.processEvents()
    return not jobs


def run_and_wait(fn: Callable[[Progress], Any], title: str, *, parent: QWidget | None = None,
                 cancellable: bool = True) -> Job:
    """For steps that have no event loop of their own to return to (closing the program,
    restoring between two sessions): run ``fn`` with a progress dialog and keep processing
    events until it is done. The caller reads ``job.result`` / ``job.error``."""
    job = run_in_background(parent, fn, lambda _r: None, lambda _e, _tb: None, title=title,
                            cancellable=cancellable)
    while not job.finished:
        wait_for_jobs(100)
    return job
