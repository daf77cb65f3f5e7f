"""One editor widget per field ``Kind``, built from the field definition.

Every editor gives the form its *raw* value (what ``RecordSpec.clean`` checks: text, a code, an
id, a date) and takes a *stored* value (what the database holds: fen, a ``date``, a code). Rules
stay in the core: the form asks ``spec.clean`` about each field when the user leaves it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from app.fields.masking import mask
from app.fields.spec import Field, Kind, display_value, offered_choices
from app.security.abilities import may_reveal
from app.validation import format_yuan
from ui.qt_values import EMPTY, combo_value
from ui.widgets.date_field import DateLine
from ui.widgets.numeric import number_validator

EDITABLE_COMBO_FROM = 12  # longer code tables get type-to-filter


class FieldEditor(QWidget):
    """Base: ``raw()``, ``set_stored()``, ``changed`` on every edit, ``left`` on focus-out."""

    changed = Signal()
    left = Signal()

    def __init__(self, ctx, f: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.field = ctx, f
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self.input: QWidget | None = None

    def _set_input(self, widget: QWidget, container: QWidget | None = None) -> None:
        """``widget`` takes the typing (focus, the red frame); ``container`` (a line with its
        button) is what the layout shows, when there is one."""
        self.input = widget
        widget.setAccessibleName(self.field.label)
        widget.installEventFilter(self)
        self._layout.addWidget(container or widget, 1)
        self.setFocusProxy(widget)
        if self.field.help:
            widget.setToolTip(self.field.help)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.input and event.type() == QEvent.Type.FocusOut:
            self.left.emit()
        return False

    def raw(self) -> Any:
        raise NotImplementedError

    def set_stored(self, value: Any) -> None:
        raise NotImplementedError

    def set_editable(self, on: bool) -> None:
        if self.input is not None:
            self.input.setEnabled(on)
            read_only_look(self.input, not on)

    def set_invalid(self, on: bool) -> None:
        if self.input is not None:
            self.input.setProperty("invalid", on)
            self.input.style().unpolish(self.input)
            self.input.style().polish(self.input)

    @property
    def participates(self) -> bool:
        """Whether this editor's value is part of what is saved (a masked value not yet
        revealed or re-entered is not)."""
        return True


class TextEditor(FieldEditor):
    def __init__(self, ctx, f: Field, parent=None, *, align_right: bool = False):
        super().__init__(ctx, f, parent)
        self.line = QLineEdit()
        if f.max_len:
            self.line.setMaxLength(f.max_len)
        if align_right:
            self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line.textEdited.connect(lambda _t: self.changed.emit())
        self._set_input(self.line)

    def raw(self) -> Any:
        return self.line.text()

    def set_stored(self, value: Any) -> None:
        self.line.setText("" if value is None else str(value))

    def set_editable(self, on: bool) -> None:
        self.line.setReadOnly(not on)
        _typing_hint(self.line, on)
        read_only_look(self.line, not on)


def read_only_look(widget: QWidget, on: bool) -> None:
    """Every field that cannot be typed in looks the same — grey, whatever its kind (a line, a
    list, a text box, a reference): the stylesheet's ``[look="readonly"]``. A reference's line,
    read-only to the keyboard but chosen with 选择…, looks editable while it may be chosen."""
    look = "readonly" if on else "editable"
    if widget.property("look") == look:
        return
    widget.setProperty("look", look)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _typing_hint(line: QLineEdit, on: bool) -> None:
    """A placeholder tells how to type; a read-only field shows none ("多项用“、”分隔")."""
    if not on and line.placeholderText():
        line.setProperty("hint", line.placeholderText())
        line.setPlaceholderText("")
    elif on and line.property("hint"):
        line.setPlaceholderText(line.property("hint"))


class TextAreaEditor(FieldEditor):
    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent)
        self.box = QPlainTextEdit()
        self.box.setTabChangesFocus(True)
        self.box.setFixedHeight(self.box.fontMetrics().height() * 4 + 16)
        self.box.textChanged.connect(self.changed.emit)
        self._set_input(self.box)

    def raw(self) -> Any:
        return self.box.toPlainText()

    def set_stored(self, value: Any) -> None:
        self.box.setPlainText("" if value is None else str(value))

    def set_editable(self, on: bool) -> None:
        self.box.setReadOnly(not on)
        read_only_look(self.box, not on)


class MoneyEditor(TextEditor):
    """Yuan with two decimals (stored as fen); reformatted to 1,234.50 on leaving the field."""

    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent, align_right=True)
        self.line.setPlaceholderText("0.00")
        self.left.connect(self._reformat)

    def set_stored(self, value: Any) -> None:
        self.line.setText("" if value is None else format_yuan(int(value)))

    def _reformat(self) -> None:
        from app.validation import AmountError, parse_amount, yuan_to_fen

        text = self.line.text().strip()
        if not text:
            return
        try:
            self.line.setText(format_yuan(yuan_to_fen(parse_amount(text))))
        except AmountError:
            pass


class DateEditor(FieldEditor):
    """A date typed in any of the ways Excel import reads (2026-12-07, 2026.12.7, 20261207,
    2026年12月7日), shown as 2026-12-07 on leaving; its button / F4 opens a Chinese calendar."""

    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent)
        self.date_line = DateLine(f.key)
        self.date_line.edited.connect(self.changed.emit)
        self._set_input(self.date_line.line, self.date_line)
        self.left.connect(self.date_line.tidy)

    def raw(self) -> Any:
        text = self.date_line.text()
        if not text:
            return None
        return self.date_line.value() or text  # what is not a date: spec.clean says why

    def set_stored(self, value: Any) -> None:
        self.date_line.set_value(value if isinstance(value, date) else None)

    def set_editable(self, on: bool) -> None:
        self.date_line.set_read_only(not on)
        read_only_look(self.date_line.line, not on)


class BoolEditor(FieldEditor):
    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent)
        self.check = QCheckBox("是")
        self.check.toggled.connect(lambda _b: self.changed.emit())
        self._set_input(self.check)

    def raw(self) -> Any:
        return self.check.isChecked()

    def set_stored(self, value: Any) -> None:
        self.check.setChecked(bool(value))


class CodeEditor(FieldEditor):
    """A code-table item: active items only, plus the record's current item if it was deactivated
    since (shown “(停用)”, so old records still read correctly)."""

    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent)
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(8)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.addItem("请选择" if f.required else "", EMPTY)
        for code, label in self._choices():
            self.combo.addItem(label, code)
        if self.combo.count() > EDITABLE_COMBO_FROM:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.combo.completer()
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            self.combo.lineEdit().textEdited.connect(lambda _t: self.changed.emit())
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._set_input(self.combo)

    def _choices(self) -> list[tuple[str, str]]:
        return offered_choices(self.field, self.ctx.codes)

    def raw(self) -> Any:
        if self.combo.isEditable():
            text = self.combo.currentText().strip()
            i = self.combo.findText(text, Qt.MatchFlag.MatchExactly)
            if i < 0:
                return text or None  # spec.clean says “不在代码表中”
            return combo_value(self.combo, i)
        return combo_value(self.combo)

    def set_stored(self, value: Any) -> None:
        if value in (None, ""):
            self.combo.setCurrentIndex(0)
            return
        i = self.combo.findData(value)
        if i < 0:  # deactivated since: keep it visible for this record
            label = display_value(self.field, value, self.ctx.codes)
            self.combo.addItem(f"{label}(停用)", value)
            i = self.combo.count() - 1
        self.combo.setCurrentIndex(i)


class CodesEditor(TextEditor):
    """Several code-table items, typed as their names separated by “、”."""

    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent)
        self.line.setPlaceholderText("多项用“、”分隔")

    def set_stored(self, value: Any) -> None:
        self.line.setText(display_value(self.field, value, self.ctx.codes) if value else "")


class IdNumberEditor(TextEditor):
    """GB 11643 number checked as it is typed; the message shows at 15 or 18 characters."""

    checked = Signal(str)  # "" when valid, else the reason

    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent)
        self.line.setMaxLength(20)
        self.line.setPlaceholderText("18 位身份证号")
        self.line.textEdited.connect(self._live)

    def _live(self, text: str) -> None:
        from app.fields.spec import without_label
        from app.validation import IdNumberError, parse_id_number

        text = text.strip()
        if len(text) not in (15, 18):
            self.checked.emit("")
            return
        try:
            parse_id_number(text)
        except IdNumberError as exc:
            self.checked.emit(without_label(str(exc), "身份证号"))  # beside the field's label
        else:
            self.checked.emit("")


class RefEditor(FieldEditor):
    """A reference to another record: its name, and 选择… opening a searchable picker."""

    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent)
        self.value: str | None = None
        self.line = QLineEdit()
        self.line.setReadOnly(True)
        self.line.setPlaceholderText("点击“选择”或按 F4")
        self.button = QPushButton("选择…")
        self.button.clicked.connect(self.pick)
        self._set_input(self.line)
        self._layout.addWidget(self.button)
        read_only_look(self.line, False)  # chosen with 选择…: it looks like a field to fill

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_F4, Qt.Key.Key_Space):
            self.pick()
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.line and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_F4, Qt.Key.Key_Space):
            self.pick()
            return True
        return super().eventFilter(obj, event)

    def pick(self) -> None:
        from ui.dialogs.record_picker import RecordPickerDialog

        if self.line.isEnabled() is False or self.button.isHidden():
            return
        dialog = RecordPickerDialog(self.ctx, self.field.ref, filters=self.field.ref_filter,
                                    title=f"选择{self.field.label}", parent=self)
        if dialog.exec() and dialog.chosen_id:
            self.set_stored(dialog.chosen_id, dialog.chosen_label)
            self.changed.emit()
            self.left.emit()

    def raw(self) -> Any:
        return self.value

    def set_stored(self, value: Any, label: str | None = None) -> None:
        self.value = value or None
        if value and label is None:
            from app.services import listing

            with self.ctx.read() as s:
                label = listing.ref_labels(s, self.field.ref, [value]).get(value, "")
        self.line.setText(label or "")

    def set_editable(self, on: bool) -> None:
        self.button.setVisible(on)
        _typing_hint(self.line, on)
        read_only_look(self.line, not on)


class ReadonlyEditor(FieldEditor):
    """A derived value (birth date and gender from the ID number): shown, never typed."""

    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(ctx, f, parent)
        self.line = QLineEdit()
        self.line.setReadOnly(True)
        self.line.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check: QCheckBox | None = None
        if f.kind == Kind.BOOL:  # a yes/no shown as the box it is everywhere else, not “否”
            self.check = QCheckBox("是")
            self.check.setEnabled(False)
            self._set_input(self.check)
        else:
            self._set_input(self.line)
        read_only_look(self.input, True)
        self._value = None

    def raw(self) -> Any:
        return self._value

    def set_stored(self, value: Any) -> None:
        self._value = value
        if self.check is not None:
            self.check.setChecked(bool(value))
        self.line.setText(display_value(self.field, value, self.ctx.codes) if value is not None else "")

    def set_editable(self, on: bool) -> None:
        """Never typed in, whoever looks."""

    @property
    def participates(self) -> bool:
        return False


class MaskedEditor(FieldEditor):
    """A sensitive value (ID, phone, bank account) the user did not type here: shown masked. 显示
    reveals it (needs the permission, written to the audit log); 重新填写 replaces it without
    seeing it.

    - A stored record's value (``fresh=False``): until revealed or re-entered it is not part of
      what is saved.
    - A new record's value (``fresh=True``) filled in from another record (a payout's 身份证号
      from the chosen archive): masked the same way, and saved as it is. Empty, the field is
      simply typed in — a number typed here is the user's own and shows as typed."""

    def __init__(self, ctx, f: Field, inner: FieldEditor, reveal, parent=None, *,
                 fresh: bool = False):
        super().__init__(ctx, f, parent)
        self.inner = inner
        self._reveal = reveal
        self._fresh = fresh
        self._open = False
        self._editable = True
        self.masked = QLineEdit()
        self.masked.setReadOnly(True)
        self.show_button = QPushButton("显示")
        self.show_button.setToolTip("显示完整号码(将记入审计日志)")
        self.show_button.setEnabled(may_reveal(ctx.actor))
        self.show_button.clicked.connect(self.reveal)
        self.refill_button = QPushButton("重新填写")
        self.refill_button.setToolTip("清空后自己填写号码")
        self.refill_button.clicked.connect(self.refill)
        self._set_input(self.masked)
        self._layout.addWidget(inner, 1)
        self._layout.addWidget(self.show_button)
        self._layout.addWidget(self.refill_button)
        inner.changed.connect(self.changed.emit)
        inner.left.connect(self.left.emit)
        self._stored = None
        if fresh:
            self._open_inner(focus=False)
        else:
            self._close()

    def set_stored(self, value: Any) -> None:
        self._stored = None if value in (None, "") else value
        self.masked.setText(mask(self.field.mask, self._stored) or "")
        if self._fresh:
            if self._stored is None:  # nothing filled in: the user types the number
                self.inner.set_stored(None)
                self._open_inner(focus=False)
            else:
                self._close()
        elif self._open:  # revealed before (a stored record shown again after an action)
            self.inner.set_stored(value)

    def reveal(self) -> None:
        value = self._reveal(self.field.key)
        if value is None:
            return
        # a new record shows what it will save (taken from the other record when filled in)
        self.inner.set_stored(self._stored if self._fresh else value)
        self._open_inner()

    def refill(self) -> None:
        self.inner.set_stored(None)
        self._open_inner()
        self.changed.emit()

    def _close(self) -> None:
        """Masked: the full number is in no widget until 显示."""
        self._open = False
        self.inner.set_stored(None)
        self.inner.hide()
        self.masked.show()
        self.show_button.show()
        self.refill_button.setVisible(self._editable)
        self.setFocusProxy(self.masked)

    def _open_inner(self, *, focus: bool = True) -> None:
        self._open = True
        self.masked.hide()
        self.show_button.hide()
        self.refill_button.hide()
        self.inner.show()
        self.setFocusProxy(self.inner)
        if focus:
            self.inner.setFocus()

    @property
    def line(self):
        """The line the number is typed into (the editor inside's)."""
        return getattr(self.inner, "line", None)

    @property
    def is_open(self) -> bool:
        """Whether the full number is shown (typed, revealed or being re-entered)."""
        return self._open

    def raw(self) -> Any:
        return self.inner.raw() if self._open else self._stored

    def set_editable(self, on: bool) -> None:
        self._editable = on
        self.refill_button.setVisible(on and not self._open)
        self.inner.set_editable(on)
        read_only_look(self.masked, True)  # shown masked: never typed into (重新填写 opens it)

    def set_invalid(self, on: bool) -> None:
        self.inner.set_invalid(on)

    @property
    def participates(self) -> bool:
        return self._open or self._fresh


def make_editor(ctx, f: Field, parent=None) -> FieldEditor:
    if f.readonly:
        return ReadonlyEditor(ctx, f, parent)
    k = f.kind
    if k == Kind.TEXTAREA:
        return TextAreaEditor(ctx, f, parent)
    if k in (Kind.MONEY, Kind.INT, Kind.YEAR, Kind.DECIMAL):
        editor = MoneyEditor(ctx, f, parent) if k == Kind.MONEY else TextEditor(ctx, f, parent, align_right=True)
        editor.line.setValidator(number_validator(f, editor.line))  # only numbers go in
        return editor
    if k == Kind.DATE:
        return DateEditor(ctx, f, parent)
    if k == Kind.BOOL:
        return BoolEditor(ctx, f, parent)
    if k == Kind.CODE:
        return CodeEditor(ctx, f, parent)
    if k == Kind.ID_NUMBER:
        return IdNumberEditor(ctx, f, parent)
    if k == Kind.REF:
        return RefEditor(ctx, f, parent)
    if k == Kind.CODES:
        return CodesEditor(ctx, f, parent)
    return TextEditor(ctx, f, parent)


def required_label(f: Field) -> QLabel:
    label = QLabel(('<span style="color:#c62828">*</span>&nbsp;' if f.required else "") + f.label)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setToolTip(f.help or "")
    return label
