"""An account: new (username, name, role, unit, initial password) or edit (name, role, unit,
enabled). A generated password is shown once, to be passed on in person."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox

from app.fields.users import USER
from app.security import users
from app.security.roles import ROLES
from ui.dialogs.ask import Ask
from ui.errors import show_error
from ui.widgets.form_builder import RefEditor


class UserDialog(QDialog):
    def __init__(self, ctx, user_id: str | None = None, parent=None):
        super().__init__(parent)
        self.ctx, self.user_id = ctx, user_id
        self.saved_id: str | None = None
        self.setWindowTitle("新增用户" if user_id is None else "修改用户")
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(50)
        self.role = QComboBox()
        for key, (label, _perms) in ROLES.items():
            self.role.addItem(label, key)
        self.unit = RefEditor(ctx, USER.field("unit_id"))
        self.active = QCheckBox("启用")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("留空则自动生成临时密码")
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.setVerticalSpacing(8)
        form.addRow("用户名", self.username)
        form.addRow("姓名", self.display_name)
        form.addRow("角色", self.role)
        form.addRow("所属单位", self.unit)
        if user_id is None:
            form.addRow("初始密码", self.password)
            form.addRow(QLabel("由管理员设定的密码,本人须在首次登录时修改。"))
            self.unit.set_stored(ctx.db.root_unit_id)
            self.role.setCurrentIndex(self.role.findData("clerk"))
        else:
            form.addRow("", self.active)
            with ctx.read() as s:
                user = users.load_user(s, ctx.actor, user_id)
                self._username = user.username
                self.username.setText(user.username)
                self.username.setReadOnly(True)
                self.display_name.setText(user.display_name)
                self.role.setCurrentIndex(max(0, self.role.findData(user.role)))
                self.active.setChecked(user.active)
                unit_id = user.unit_id
            self.unit.set_stored(unit_id)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setMinimumWidth(460)

    def accept(self) -> None:
        actor = self.ctx.actor
        try:
            if self.user_id is None:
                with self.ctx.read() as s:  # a mistake is named before any password question
                    users.check_new_account(s, self.username.text(), self.role.currentData(),
                                            self.password.text() or None)
                from ui.pages.exchange.common import unlock_to_grant

                unlock_to_grant(self, self.ctx, self.username.text().strip(), self.role.currentData())
            with self.ctx.write() as s:
                if self.user_id is None:
                    new = users.create_user(s, actor, self.username.text(), self.role.currentData(),
                                            password=self.password.text() or None,
                                            display_name=self.display_name.text().strip(),
                                            unit_id=self.unit.raw())
                    self.saved_id = new.user.id
                else:
                    users.update_user(s, actor, self._username, role=self.role.currentData(),
                                      active=self.active.isChecked(),
                                      display_name=self.display_name.text().strip(),
                                      unit_id=self.unit.raw())
                    self.saved_id = self.user_id
                    new = None
        except Exception as exc:  # noqa: BLE001
            from ui.errors import user_message

            message, bug = user_message(exc)
            if bug:
                show_error(self, exc)
            self.error.setText(message)
            return
        if new is not None and new.generated:
            show_new_password(self, new.user.username, new.password)
        if new is not None and new.key_notice:
            Ask.info(self, "数据交换权限", new.key_notice)
        self.ctx.notify_saved("user", "已保存用户")
        super().accept()


def show_new_password(parent, username: str, password: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, "临时密码",
                      f"用户 {username} 的临时密码是:\n\n{password}\n\n"
                      "请当面转告本人;首次登录时须修改。此密码不会再次显示。", parent=parent)
    copy = box.addButton("复制密码", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    if box.clickedButton() is copy:
        QGuiApplication.clipboard().setText(password)
