"""A small dialog that asks for the inputs of one action — the fields a service declares (a
workflow step's opinion, investigators, dates, signer; a reversal's reason; a grant's amount) —
with the same editors, red * and messages as the record forms. The caller's ``submit(raw)`` runs
the service; a ``ValidationFailed`` puts its messages beside the fields and keeps the dialog open.
The button names the action ("通过", "退回", "冲正"). A ``Declined`` from ``submit`` (the user said
取消 to a question it asked) keeps the dialog open without an error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.errors import AppError, ValidationFailed
from app.fields.spec import Field, clean_value
from ui.errors import Declined, show_error
from ui.widgets.error_line import ErrorLine
from ui.widgets.form_builder import make_editor, required_label


class FieldsDialog(QDialog):
    def __init__(self, ctx, title: str, fields: Sequence[Field], action: str,
                 submit: Callable[[dict[str, Any]], Any] | None = None, parent: QWidget | None = None,
                 *, note: str = "", initial: dict[str, Any] | None = None,
                 required: Sequence[str] = ()):
        super().__init__(parent)
        self.ctx, self.submit = ctx, submit
        self.fields = list(fields)
        self.required = set(required) | {f.key for f in self.fields if f.required}
        self.result_value = None
        self.setWindowTitle(title)
        self.editors, self.errors = {}, {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, f in enumerate(self.fields):
            editor = make_editor(ctx, f)
            if initial and f.key in initial:
                editor.set_stored(initial[f.key])
            elif f.default is not None:
                editor.set_stored(f.default)
            label = required_label(f)
            if f.key in self.required and not f.required:
                label.setText('<span style="color:#c62828">*</span>&nbsp;' + f.label)
            error = ErrorLine()  # its line kept: a reason moves nothing below
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(error)
            if f.help:
                help_ = QLabel(f.help)
                help_.setObjectName("fieldHelp")
                help_.setWordWrap(True)
                box.addWidget(help_)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addLayout(box, row, 1)
            self.editors[f.key], self.errors[f.key] = editor, error
            editor.changed.connect(lambda f=f: self._edited(f))
        layout = QVBoxLayout(self)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addLayout(grid)
        self.message = QLabel("")
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.setFocus()

    def raw(self) -> dict[str, Any]:
        return {k: e.raw() for k, e in self.editors.items()}

    def set_value(self, key: str, value) -> None:
        """Fill in a field (tests, and callers that know a value)."""
        self.editors[key].set_stored(value)

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
            self.editors[key].set_invalid(key in errors)
        other = [m for k, m in errors.items() if k not in self.errors]
        self.message.setText(";".join(other))

    def _edited(self, f: Field) -> None:
        """A field marked wrong is checked again as it is corrected; a message that came from the
        core (a rule across fields, today's date) goes once the field is changed, and the core
        checks again on the next press."""
        if self.errors[f.key].text():
            message = self._check_field(f)
            self.errors[f.key].setText(message or "")
            self.errors[f.key].setVisible(bool(message))
            self.editors[f.key].set_invalid(bool(message))

    def _check_field(self, f: Field) -> str | None:
        try:
            value = clean_value(f, self.editors[f.key].raw(), self.ctx.codes)
        except ValueError as exc:
            return str(exc)
        if f.key in self.required and value in (None, "", ()):
            return "必填"
        return None

    def _check(self) -> dict[str, str]:
        return {f.key: m for f in self.fields if (m := self._check_field(f))}

    def accept(self) -> None:
        errors = self._check()
        if errors:
            self.show_errors(errors)
            return
        if self.submit is not None:
            try:
                self.result_value = self.submit(self.raw())
            except ValidationFailed as exc:
                self.show_errors(exc.errors)
                return
            except Declined as declined:  # 取消 to a question the action asked: stay, quietly
                self.message.setText("")
                if declined.note:
                    self.ctx.status_message.emit(declined.note)
                return
            except AppError as exc:
                self.message.setText(exc.message)
                show_error(self, exc)
                return
            except Exception as exc:  # noqa: BLE001 — a bug: logged, shown with 详细信息
                show_error(self, exc)
                return
        super().accept()
