"""Errors on screen: what happened and what to do, in plain Chinese; the traceback only behind
[详细信息] and in the log file. Also the excepthook for bugs that reach the event loop."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import AppError, storage_error_message

log = logging.getLogger(__name__)

# The smoke test and the tests replace these to turn a shown bug (or any message box: nobody is
# there to close it) into a failure.
on_unexpected: Callable[[BaseException, str], None] | None = None
on_message: Callable[[str, str], None] | None = None  # (title, message)


class Declined(Exception):
    """The user answered 取消 to a question an action asked on its way (a warning to confirm):
    nothing was done and nothing went wrong, so the dialog stays open without an error — only
    ``note``, a neutral line for the status bar ("已取消,未登记这笔发放")."""

    def __init__(self, note: str = ""):
        super().__init__(note)
        self.note = note


def user_message(exc: BaseException) -> tuple[str, bool]:
    """(the text for the user, whether it is a bug)."""
    if isinstance(exc, AppError):
        return exc.message, False
    if (friendly := storage_error_message(exc)) is not None:
        return friendly, False
    return ("程序遇到了一个意外错误,刚才的操作没有完成。数据没有损坏,可以重试;"
            "如果反复出现,请把[详细信息]中的内容发给技术支持。"), True


class ErrorDialog(QDialog):
    def __init__(self, parent: QWidget | None, message: str, details: str = "",
                 title: str = "出错了"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.text = text = QLabel(message)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(180)
        self.details.hide()
        self.details_button = QPushButton("详细信息")
        self.details_button.setCheckable(True)
        self.details_button.setVisible(bool(details))
        self.details_button.toggled.connect(self.details.setVisible)
        copy = QPushButton("复制")
        copy.setVisible(bool(details))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(message + "\n\n" + details))
        ok = QPushButton("确定")
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.details_button)
        buttons.addWidget(copy)
        buttons.addStretch(1)
        buttons.addWidget(ok)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(text)
        layout.addWidget(self.details)
        layout.addLayout(buttons)


def show_error(parent: QWidget | None, exc: BaseException, tb: str = "") -> None:
    message, bug = user_message(exc)
    if bug:
        tb = tb or "".join(traceback.format_exception(exc))
        log.error("unexpected error:\n%s", tb)
        if on_unexpected is not None:
            on_unexpected(exc, tb)
            return
    # a rule of the office's work that refused the action is not a fault of the program
    show_message(parent, message, tb if bug else "", "出错了" if bug else "无法办理")


def show_message(parent: QWidget | None, message: str, details: str = "", title: str = "出错了") -> None:
    if on_message is not None:
        on_message(title, message)
        return
    ErrorDialog(parent, message, details, title).exec()


def install_excepthook() -> None:
    """Bugs that escape a slot are logged and shown with a 详细信息 button, never a crash."""

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        show_error(None, exc, "".join(traceback.format_exception(exc_type, exc, tb)))

    sys.excepthook = hook
