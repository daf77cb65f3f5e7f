"""A register's list whose records open in the area's own form, with the area's own actions
(hardship's 审核 and 发放, the rights tickets' form with its chain)."""

from __future__ import annotations

from PySide6.QtGui import QAction

from ui.theme import icon
from ui.widgets.list_page import ListPage


class FormListPage(ListPage):
    """A list whose records open in the area's own dialog class (``form(ctx, id, parent, initial)``)."""

    def __init__(self, ctx, binding, form, **kw):
        self.form_class = form
        super().__init__(ctx, binding, **kw)

    def make_form(self, record_id):
        return self.form_class(self.ctx, record_id, self,
                               None if record_id else dict(self.new_values))

    def add_button(self, text: str, icon_name: str, slot, *, enabled_with_row: bool = True,
                   allowed: bool | None = None) -> QAction | None:
        """An area action, offered when the core says this user may (``allowed``; by default
        whether they may change this list's records)."""
        if not (self.binding.can_write(self.ctx.actor) if allowed is None else allowed):
            return None
        action = QAction(icon(icon_name), text, self)
        action.triggered.connect(lambda _c=False: slot())
        self.add_action(action)
        if enabled_with_row:
            self.view.selectionModel().currentRowChanged.connect(
                lambda *_: action.setEnabled(self.current_id() is not None))
            self.model.page_loaded.connect(lambda: action.setEnabled(self.current_id() is not None))
            action.setEnabled(False)
        return action

    def run_dialog(self, dialog, message: str):
        """An action's dialog; when it went through, refresh and tell the other pages."""
        self.last_dialog = dialog
        if dialog.exec():
            self.ctx.notify_saved(self.spec.key, message)
            self.reload()
        return dialog
