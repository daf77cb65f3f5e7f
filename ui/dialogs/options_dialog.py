"""The conditions of a list form or an Excel export (the ``FilterOption``s the form or kind declares,
the same the command line offers), filled in from the list the user is looking at and editable
before the job runs.

Each row is captioned with the option's own ``label`` (this form's meaning; the command line's help
may join several forms' meanings under one flag). An option that declares ``choices`` (慰问活动) is
a drop-down of them. ``check`` (the form's ``check_options``) is asked before the dialog closes, so
options that choose nothing are refused here, in the dialog's own words, with the dialog still open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.errors import AppError

ANY = "不限"


class OptionsDialog(QDialog):
    def __init__(self, title: str, options, values: dict, parent: QWidget | None = None, *,
                 action: str = "确定", note: str = "", mask_choice: bool = False,
                 choices: dict[str, list[tuple[str, str]]] | None = None,
                 check: Callable[[dict], None] | None = None):
        """``choices``: dest -> [(value, text)] for the options that declare them (read by the
        caller, which holds the database)."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.check = check
        self.edits: dict[str, QLineEdit | QComboBox | QCheckBox] = {}
        self.captions: dict[str, str] = {}
        choices = choices or {}
        form = QFormLayout()
        form.setLabelAlignment(form.labelAlignment())
        for o in options:
            value = str(values.get(o.dest, "") or "")
            if o.kind == "flag":  # a switch (公开副本): checked gives "是"
                edit = QCheckBox()
                edit.setChecked(value in ("是", "True", "1"))
            elif o.dest in choices:
                edit = _combo(choices[o.dest], value)
            else:
                edit = QLineEdit(value)
                edit.setPlaceholderText("如 2020-01-01" if o.kind == "date" else ANY)
            caption = o.label or o.dest
            edit.setToolTip(o.help)
            edit.setAccessibleName(caption)
            self.edits[o.dest] = edit
            self.captions[o.dest] = caption
            form.addRow(caption, edit)
        self.mask = QCheckBox("敏感信息脱敏(身份证号、手机号、银行卡号只显示部分)")
        self.mask.setVisible(mask_choice)
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
        layout.addWidget(self.mask)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict:
        out = {}
        for k, e in self.edits.items():
            if isinstance(e, QCheckBox):
                text = "是" if e.isChecked() else ""
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
