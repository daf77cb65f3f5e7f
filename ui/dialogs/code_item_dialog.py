"""A new code-table item: its code and its name."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit


class CodeItemDialog(QDialog):
    def __init__(self, table_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新增代码项")
        self.code = QLineEdit()
        self.code.setMaxLength(20)
        self.code.setPlaceholderText("如 07")
        self.label = QLineEdit()
        self.label.setMaxLength(100)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        buttons = QDialogButtonBox()
        ok = buttons.addButton("新增", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("代码表", QLabel(table_name))
        form.addRow("代码", self.code)
        form.addRow("名称", self.label)
        form.addRow(self.error)
        form.addRow(buttons)

    def values(self) -> tuple[str, str]:
        return self.code.text().strip(), self.label.text().strip()

    def accept(self) -> None:
        code, label = self.values()
        if not code or not label:
            self.error.setText("代码和名称都必须填写")
            return
        super().accept()
