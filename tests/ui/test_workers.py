"""The one background mechanism: results on the UI thread, progress, 取消 stops the core job."""

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from app.progress import Cancelled
from ui import workers
from ui.errors import ErrorDialog


def test_result_and_progress_arrive_on_the_ui_thread(qtbot):
    seen = {}

    def work(progress):
        seen["worker"] = QThread.currentThread()
        for i in range(1, 4):
            progress.update(i, 3, f"第 {i} 步")
        return 42

    def done(result):
        seen["done"] = (result, QThread.currentThread())

    job = workers.run_in_background(None, work, done, title="测试任务")
    qtbot.waitUntil(lambda: job.finished)
    assert seen["done"] == (42, QApplication.instance().thread())
    assert seen["worker"] is not QApplication.instance().thread()
    assert job.result == 42 and job.dialog is None


def test_cancel_button_stops_the_job(qtbot):
    started, errors = threading.Event(), []

    def work(progress):
        started.set()
        while True:  # a core job checks its Progress between steps
            progress.update(1, 10, "处理中")
            threading.Event().wait(0.01)

    job = workers.run_in_background(None, work, lambda r: None,
                                    lambda exc, tb: errors.append(exc), title="可取消的任务")
    assert started.wait(10)
    qtbot.waitUntil(lambda: job.dialog is not None and job.dialog.isVisible())
    assert job.dialog.message.text() == "处理中"
    job.dialog.cancel_button.click()
    qtbot.waitUntil(lambda: job.finished)
    assert len(errors) == 1 and isinstance(errors[0], Cancelled)


def test_an_unexpected_error_is_shown_with_details(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda self: shown.append(self) or 0)

    def work(_progress):
        raise ZeroDivisionError("division by zero")

    job = workers.run_in_background(None, work, lambda r: None)
    qtbot.waitUntil(lambda: job.finished)
    assert len(shown) == 1
    dialog = shown[0]
    assert "意外错误" in dialog.text.text() and "ZeroDivision" not in dialog.text.text()
    assert dialog.details_button.text() == "详细信息" and dialog.details_button.isVisibleTo(dialog)
    assert "ZeroDivisionError" in dialog.details.toPlainText()
    assert dialog.details.isHidden()
    dialog.details_button.click()
    assert not dialog.details.isHidden()
