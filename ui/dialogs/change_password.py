"""Change one's own password (forced after an administrator set it, or when it is too old)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout


class ChangePasswordDialog(QDialog):
    def __init__(self, db, actor, *, old_password: str | None = None, reason: str = "",
                 forced: bool = False, parent=None):
        super().__init__(parent)
        self.db, self.actor, self.forced = db, actor, forced
        self._known_old = old_password
        self.setWindowTitle("修改密码")
        self.old = QLineEdit()
        self.old.setEchoMode(QLineEdit.EchoMode.Password)
        self.new = QLineEdit()
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.new2 = QLineEdit()
        self.new2.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow("用户", QLabel(f"{actor.display_name or actor.username}({actor.username})"))
        if old_password is None:
            form.addRow("原密码", self.old)
        form.addRow("新密码", self.new)
        form.addRow("确认新密码", self.new2)
        policy = QLabel("至少 8 位,包含大写字母、小写字母、数字、符号中的至少三类,且不含用户名。")
        policy.setObjectName("muted")
        policy.setWordWrap(True)
        ok = QPushButton("修改密码")
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        cancel = QPushButton("退出程序" if forced else "取消")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        if reason:
            why = QLabel(reason)
            why.setWordWrap(True)
            layout.addWidget(why)
        layout.addLayout(form)
        layout.addWidget(policy)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(440)
        (self.new if old_password is not None else self.old).setFocus()

    def accept(self) -> None:
        from app.security.users import change_password
        from ui.errors import show_error, user_message

        if self.new.text() != self.new2.text():
            self.message.setText("两次输入的新密码不一致")
            return
        old = self._known_old if self._known_old is not None else self.old.text()
        try:
            with self.db.session(self.actor) as s:
                change_password(s, self.actor, self.actor.username, self.new.text(), old)
        except Exception as exc:  # noqa: BLE001
            message, bug = user_message(exc)
            self.message.setText(message)
            if bug:
                show_error(self, exc)
            return
        super().accept()
