"""Questions to the user, in one place so tests can answer them (monkeypatch ``Ask.<method>``).

Buttons name the action ("作废", "保存"), never a bare "OK".
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget


class Ask:
    @classmethod
    def confirm(cls, parent: QWidget | None, title: str, text: str, action: str,
                *, danger: bool = False) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question,
                          title, text, parent=parent)
        yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes if not danger else None)
        box.exec()
        return box.clickedButton() is yes

    @classmethod
    def unsaved(cls, parent: QWidget | None, what: str = "") -> str:
        """'save', 'discard' or 'cancel' for a form closed with unsaved changes."""
        box = QMessageBox(QMessageBox.Icon.Question, "未保存的修改",
                          f"{what or '本记录'}有尚未保存的修改。要保存吗?", parent=parent)
        save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("继续编辑", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    @classmethod
    def text(cls, parent: QWidget | None, title: str, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, text=value)
        return text if ok else None

    @classmethod
    def choice(cls, parent: QWidget | None, title: str, text: str, items: list[str],
               default: int = 0, action: str = "确定") -> int | None:
        """The index of the item chosen from a drop-down, or None when cancelled."""
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(text)
        dialog.setComboBoxItems(items)
        dialog.setComboBoxEditable(False)
        if 0 <= default < len(items):
            dialog.setTextValue(items[default])
        dialog.setOkButtonText(action)
        dialog.setCancelButtonText("取消")
        if not dialog.exec():
            return None
        chosen = dialog.textValue()
        return items.index(chosen) if chosen in items else None

    @classmethod
    def info(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)
