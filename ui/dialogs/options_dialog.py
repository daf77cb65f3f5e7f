"""The conditions of a list form or an Excel export (the ``FilterOption``s the form or kind declares,
the same the command line offers), filled in from the list the user is looking at and editable
before the job runs.

Each row is captioned with the option's own ``label`` (this form's meaning; the command line's help
may join several forms' meanings under one flag). Options are picked, not typed: the unit
(``union``) from the tree of unions, a date on a date line with its calendar, and an option given
``choices`` — the campaigns it declares, a status's or code's values (read by the caller) — from a
drop-down. An export is masked unless a role that may reveal ticks 不脱敏 (``reveal_choice``). ``check`` (the form's ``check_options``) is asked before the dialog closes, so
options that choose nothing are refused here, in the dialog's own words, with the dialog still open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.errors import AppError
from ui.widgets.date_field import DateLine
from ui.widgets.unit_picker import UnitPicker

ANY = "不限"
REVEAL_TEXT = "不脱敏(导出完整的身份证号、手机号、银行卡号;此选择记入审计日志)"


class OptionsDialog(QDialog):
    def __init__(self, title: str, options, values: dict, parent: QWidget | None = None, *,
                 action: str = "确定", note: str = "", reveal_choice: bool = False,
                 choices: dict[str, list[tuple[str, str]]] | None = None,
                 check: Callable[[dict], None] | None = None, ctx=None):
        """``choices``: dest -> [(value, text)] for the options offered as a list (read by the
        caller, which holds the database); ``ctx``: the unit option is a tree picker (without it,
        typed); ``reveal_choice``: offer 不脱敏 (only to a role that may reveal)."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.check = check
        self.edits: dict[str, QLineEdit | QComboBox | QCheckBox | DateLine | UnitPicker] = {}
        self.captions: dict[str, str] = {}
        choices = choices or {}
        form = QFormLayout()
        form.setLabelAlignment(form.labelAlignment())
        for o in options:
            value = str(values.get(o.dest, "") or "")
            if o.kind == "flag":  # a switch (公开副本): checked gives "是"
                edit = QCheckBox()
                edit.setChecked(value in ("是", "True", "1"))
            elif o.dest == "union" and ctx is not None:
                edit = UnitPicker(ctx, value)
            elif o.dest in choices:
                edit = _combo(choices[o.dest], value)
            elif o.kind == "date":
                edit = DateLine("")
                edit.line.setText(value)
            else:
                edit = QLineEdit(value)
                edit.setPlaceholderText("如 2020-01-01" if o.kind == "date" else ANY)
            caption = o.label or o.dest
            edit.setToolTip(o.help)
            edit.setAccessibleName(caption)
            self.edits[o.dest] = edit
            self.captions[o.dest] = caption
            form.addRow(caption, edit)
        self.reveal = QCheckBox(REVEAL_TEXT)
        self.reveal.setVisible(reveal_choice)
        self.reveal.setEnabled(reveal_choice)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        if note:
            hint = QLabel(note)
            hint.setObjectName("muted")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        if not self.edits:
            layout.addWidget(QLabel("全部记录"))
        layout.addLayout(form)
        if reveal_choice:
            masked = QLabel("导出的敏感信息默认脱敏(只显示部分号码)。")
            masked.setObjectName("muted")
            layout.addWidget(masked)
        layout.addWidget(self.reveal)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def masked(self) -> bool:
        """True unless 不脱敏 was offered and ticked."""
        return not (self.reveal.isEnabled() and self.reveal.isChecked())

    def values(self) -> dict:
        out = {}
        for k, e in self.edits.items():
            if isinstance(e, QCheckBox):
                text = "是" if e.isChecked() else ""
            elif isinstance(e, (DateLine, UnitPicker)):
                text = e.text() if isinstance(e, DateLine) else e.value()
            else:
                text = (e.currentData() or "") if isinstance(e, QComboBox) else e.text()
            if text.strip():
                out[k] = text.strip()
        return out

    def accept(self) -> None:
        if self.check is not None:
            try:
                self.check(self.values())
            except AppError as exc:
                self.message.setText(exc.message)
                self.message.show()
                return
        super().accept()


def _combo(items: list[tuple[str, str]], value: str) -> QComboBox:
    """不限 then the choices; the value filled in from the list is selected (added when it is not
    among them, as the user's own choice is never dropped)."""
    box = QComboBox()
    box.addItem(ANY, "")
    for v, text in items:
        box.addItem(text, v)
    if value:
        index = next((i for i in range(box.count()) if value in (box.itemData(i), box.itemText(i))), -1)
        if index < 0:
            box.addItem(value, value)
            index = box.count() - 1
        box.setCurrentIndex(index)
    return box
