"""The conditions of a list form or an Excel export (the ``FilterOption``s the form or kind declares,
the same the command line offers), filled in from the list the user is looking at and editable
before the job runs."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)


class OptionsDialog(QDialog):
    def __init__(self, title: str, options, values: dict, parent: QWidget | None = None, *,
                 action: str = "确定", note: str = "", mask_choice: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setLabelAlignment(form.labelAlignment())
        for o in options:
            edit = QLineEdit(str(values.get(o.dest, "") or ""))
            edit.setPlaceholderText("如 2020-01-01" if o.kind == "date" else "不限")
            edit.setToolTip(o.help)
            edit.setAccessibleName(o.help)
            self.edits[o.dest] = edit
            form.addRow(_caption(o), edit)
        self.mask = QCheckBox("敏感信息脱敏(身份证号、手机号、银行卡号只显示部分)")
        self.mask.setVisible(mask_choice)
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
        buttons = QDialogButtonBox()
        ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict:
        return {k: e.text().strip() for k, e in self.edits.items() if e.text().strip()}


def _caption(option) -> str:
    """A short caption from the option's help ("会籍状态,如 正常…" → "会籍状态")."""
    text = option.help
    for stop in (",", ",", ":", "(", "("):
        text = text.split(stop)[0]
    return text[:12] or option.dest
