"""The login dialog. It appears before the database has finished opening (the core loads in the
background meanwhile), so the window is usable at once; checking the password also runs in the
background. Wrong passwords and the lock-out are explained in Chinese by ``authenticate``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from app import APP_TITLE, __version__
from ui.theme import icon


class LoginDialog(QDialog):
    def __init__(self, opener, unit_name: str = "", username: str = "", parent=None, *,
                 notice: str = ""):
        super().__init__(parent)
        self.opener = opener  # ui.startup.DatabaseOpener
        self.actor = None
        self.password_used = ""
        self.setWindowTitle(f"登录 — {APP_TITLE}")
        self.setWindowIcon(icon("app"))
        mark = QFrame()
        mark.setObjectName("brandMark")
        mark.setFixedSize(6, 40)
        title = QLabel(APP_TITLE)
        title.setObjectName("pageTitle")
        self.unit = QLabel(unit_name or "")
        self.unit.setObjectName("pageSubtitle")
        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(mark)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(title)
        titles.addWidget(self.unit)
        head.addLayout(titles, 1)
        self.username = QLineEdit(username)
        self.username.setPlaceholderText("用户名")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("密码")
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.notice = QLabel(notice)  # start-up warnings (low disk space)
        self.notice.setObjectName("warning")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        self.login_button = QPushButton("登录")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.accept)
        cancel = QPushButton("退出")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        hint = QLabel(f"忘记密码请联系本单位系统管理员重置。 版本 {__version__}")
        hint.setObjectName("muted")
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(440)
        (self.password if username else self.username).setFocus()

    def accept(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.message.setText("请输入用户名和密码")
            return
        self._busy(True, "正在登录……")
        self.opener.when_ready(lambda db: self._check(db, username, password), self._failed)

    def _check(self, db, username: str, password: str) -> None:
        from ui.workers import run_in_background

        def work(_progress):
            from app.security.users import authenticate
            from app.sync.keyslots import try_unlock

            actor = authenticate(db, username, password)
            if try_unlock(db, actor, password):  # the exchange key opens with the same password
                from app.sync.anchors import anchor_daily

                anchor_daily(db, actor)  # the day's signed audit checkpoint (never raises)
            return actor

        def done(actor) -> None:
            self._busy(False, "")
            self.actor = actor
            self.password_used = password
            super(LoginDialog, self).accept()

        run_in_background(self, work, done, lambda exc, tb: self._failed(exc))

    def _failed(self, exc: BaseException) -> None:
        from ui.errors import show_error, user_message

        message, bug = user_message(exc)
        self._busy(False, message)
        if bug:
            show_error(self, exc)
        self.password.clear()
        self.password.setFocus()

    def _busy(self, on: bool, message: str) -> None:
        self.message.setText(message)
        self.login_button.setEnabled(not on)
        self.username.setEnabled(not on)
        self.password.setEnabled(not on)
        if on:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
