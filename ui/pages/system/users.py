"""Users (administrator): the accounts list, new account, edit, reset password, unlock."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.fields.users import USER
from app.security import users
from ui.dialogs.ask import Ask
from ui.errors import show_error
from ui.theme import icon
from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage

USER_BINDING = RecordBinding(USER, key="system.users", load=users.load_user,
                             tag_columns=("active",), search_placeholder="用户名 / 姓名")


class UsersList(ListPage):
    """The generic list; its record actions open the account dialog instead of a spec form."""

    def make_form(self, record_id):
        from ui.dialogs.user_dialog import UserDialog

        return UserDialog(self.ctx, record_id, parent=self)

    def _update_actions(self) -> None:
        super()._update_actions()
        self.new_action.setEnabled(True)
        self.edit_action.setText("修改")


class UsersTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.list = UsersList(ctx, USER_BINDING, title="用户")
        self.list.void_action.setVisible(False)
        reset = QAction(icon("key"), "重置密码", self)
        reset.triggered.connect(self.reset_password)
        unlock = QAction(icon("lock"), "解锁", self)
        unlock.triggered.connect(self.unlock)
        self.list.add_action(reset)
        self.list.add_action(unlock)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.list)

    def _username(self) -> str | None:
        row = self.list.model.row_at(self.list.view.currentIndex().row())
        return row.values[0] if row else None

    def reset_password(self) -> None:
        from app.security.passwords import generate_password

        name = self._username()
        if not name or not Ask.confirm(self, "重置密码", f"为用户 {name} 生成新的临时密码?"
                                       "对方须在下次登录时修改。", "重置密码"):
            return
        from ui.pages.exchange.common import unlock_to_grant

        with self.ctx.read() as s:
            role = users.load_user(s, self.ctx.actor, self.list.current_id()).role
        unlock_to_grant(self, self.ctx, name, role)
        password = generate_password()
        try:
            with self.ctx.write() as s:
                notice = users.change_password(s, self.ctx.actor, name, password)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        from ui.dialogs.user_dialog import show_new_password

        show_new_password(self, name, password)
        if notice:
            Ask.info(self, "数据交换权限", notice)
        self.list.model.refresh_record(self.list.current_id())

    def unlock(self) -> None:
        name = self._username()
        if not name:
            return
        try:
            with self.ctx.write() as s:
                users.unlock_user(s, self.ctx.actor, name)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.ctx.status_message.emit(f"已解锁用户 {name}")
        self.list.model.refresh_record(self.list.current_id())

    def smoke_dialogs(self) -> list:
        return self.list.smoke_dialogs()
