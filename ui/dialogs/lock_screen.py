"""The lock screen: covers the window until the same user's password is entered (checked like
a login: audited, and counting towards the lock-out). 退出程序 is the way out for anyone else."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app import APP_TITLE
from ui.theme import icon


class LockScreen(QWidget):
    unlocked = Signal()
    quit_requested = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.ctx = ctx
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowTitle(f"{APP_TITLE} — 已锁定")
        self._cover = parent
        panel = QFrame()
        panel.setObjectName("lockPanel")
        panel.setFixedWidth(380)
        mark = QLabel()
        mark.setPixmap(icon("lock", "#2f6db3").pixmap(40, 40))
        mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("屏幕已锁定")
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        actor = ctx.actor
        who = QLabel(f"{actor.display_name or actor.username}({actor.role_label})")
        who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("输入密码解锁")
        self.password.returnPressed.connect(self.try_unlock)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        unlock = QPushButton("解锁")
        unlock.setObjectName("primary")
        unlock.clicked.connect(self.try_unlock)
        leave = QPushButton("退出程序")
        leave.clicked.connect(self.quit_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(leave)
        buttons.addStretch(1)
        buttons.addWidget(unlock)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(10)
        for w in (mark, title, who, self.password, self.message):
            inner.addWidget(w)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel)
        row.addStretch(1)
        layout.addLayout(row)
        note = QLabel("无操作超时或手动锁定后,需要输入密码才能继续使用。")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(note)
        layout.addStretch(1)

    def lock(self) -> None:
        screen = (self._cover.screen() if self._cover is not None else None) or self.screen()
        self.setGeometry(screen.geometry())
        self.password.clear()
        self.message.clear()
        self.show()
        self.raise_()
        self.activateWindow()
        self.password.setFocus()

    def try_unlock(self) -> None:
        from app.security.users import authenticate
        from ui.errors import user_message

        try:
            authenticate(self.ctx.db, self.ctx.actor.username, self.password.text())
        except Exception as exc:  # noqa: BLE001 — wrong password, lock-out: said in Chinese
            # only the password is asked here: "用户名或密码错误" would send the user looking at a name
            self.message.setText(user_message(exc)[0].replace("用户名或密码错误", "密码错误"))
            self.password.clear()
            return
        self.hide()
        self.unlocked.emit()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            return  # Esc never unlocks
        super().keyPressEvent(event)
