"""The record form, built from a ``RecordSpec``: titled sections in a two-column grid, the right
editor per field kind, a red * on required fields, the reason in red under a field as soon as the
user leaves it, derived values filled in live, sub-tables for one-to-many parts, and a 历史 tab
with the record's audit entries. [保存] is the default button (Enter, Ctrl+S), Esc cancels, and
closing with unsaved changes asks first. Saving goes through the area's service (the binding);
the service's ``ValidationFailed`` messages land beside their fields.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.errors import AppError, ValidationFailed
from app.fields.registry import spec as spec_by_key
from app.fields.spec import Kind, Mask
from app.services import member_prefill
from ui.dialogs.ask import Ask
from ui.errors import Declined, show_error
from ui.widgets.binding import RecordBinding
from ui.widgets.child_table import ChildTableEditor
from ui.widgets.error_line import ErrorLine
from ui.widgets.form_builder import FieldEditor, IdNumberEditor, MaskedEditor, ReadonlyEditor, make_editor, required_label
from ui.widgets.notice import Notice

CHILD_KEY = re.compile(r"(\w+)\[(\d+)\]\.(\w+)")  # a service's error in a sub-table row


class _Cell(QWidget):
    """Editor, the red error line under it (its place kept), and for derived values a grey note
    of how."""

    def __init__(self, editor: FieldEditor):
        super().__init__()
        self.editor = editor
        self.error = ErrorLine()
        self._help = editor.input.toolTip() if editor.input is not None else ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        self.note = None
        if isinstance(editor, ReadonlyEditor) and editor.field.help:
            # right under its own value, small, grey and indented; the error line's reserved
            # place follows, so the note never reads as the label of the row below
            self.note = QLabel(editor.field.help)
            self.note.setObjectName("fieldNote")
            self.note.setWordWrap(True)
            layout.addWidget(self.note)
        layout.addWidget(self.error)
        if self.note is not None:
            layout.addSpacing(4)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setToolTip(message or "")
        self.error.setVisible(bool(message))
        self.editor.set_invalid(bool(message))
        if self.editor.input is not None:
            self.editor.input.setToolTip(message or self._help)


class RecordFormDialog(QDialog):
    # Masked fields (ID, phone, bank numbers) that a new record's form fills in from another
    # record: shown masked like a stored record's, revealed only by 显示 (audited).
    masked_fills: tuple[str, ...] = ()
    # A record that moves along a chain (an archive: 草稿 → 申请 → …): saving a new one keeps the
    # form open on the saved record, its strip now offering the next step (提交申请), so the clerk
    # does not have to find it in the list and open it again. The subclass's ``created`` shows it.
    stays_open_after_create = False

    def __init__(self, ctx, binding: RecordBinding, record_id: str | None = None,
                 parent: QWidget | None = None, initial: dict[str, Any] | None = None, *,
                 origins: dict[str, tuple[str, str, str]] | None = None):
        super().__init__(parent)
        self.ctx, self.binding, self.spec = ctx, binding, binding.spec
        self.record_id = record_id
        # where a new record's masked value came from: key -> (spec key, record id, field key),
        # so that revealing it is logged against that record
        self.origins: dict[str, tuple[str, str, str]] = dict(origins or {})
        self.saved_id: str | None = None
        can_write = binding.can_write(ctx.actor)
        self.editable = can_write and (binding.update if record_id else binding.create) is not None
        self.ownership = None  # records.Ownership of an existing record (None: not told)
        self.same_person = []  # other live records of the same person (精准识别)
        self.cells: dict[str, _Cell] = {}
        self.children_editors: dict[str, ChildTableEditor] = {}
        self._initial_raw: dict[str, Any] = {}
        self._label = ""
        self._child_titles = {c.key: c.title for c in self.spec.children}

        # a record about a person may start from a member (``Register.from_member``): the form
        # offers 从会员带入, and the ID and phone it takes are shown masked like a filled-in value
        self.member_fills = bool(record_id is None and binding.create is not None and can_write
                                 and member_prefill.takes_from_member(self.spec.key))
        if self.member_fills:
            self.masked_fills = tuple(dict.fromkeys((*self.masked_fills,
                                                     *member_prefill.masked_targets(self.spec.key))))
        stored, children = self._load(initial)
        # another unit's record (a county's, at the city): only a request to its owner
        self.request_mode = self.ownership is not None and not self.ownership.owned
        if self.request_mode:
            self.editable = self.ownership.may_request and binding.request is not None
        self.tabs = QTabWidget()
        self.tabs.setTabBarAutoHide(True)
        self.tabs.addTab(self._build_form(), f"{self.spec.title}信息")
        self.history_table = None
        if record_id:
            self.tabs.addTab(self._build_history(), "修改历史")
        for key, value in stored.items():
            if key in self.cells:
                self.cells[key].editor.set_stored(value)
        for key, rows in children.items():
            self.children_editors[key].set_rows(rows)
        self._refresh_derived()
        self._initial_raw = self._raw_values(all_fields=True)

        self.message = QLabel("")
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.save_button = QPushButton("提交更正请求" if self.request_mode else "保存")
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        self.save_button.clicked.connect(self.accept)
        self.save_button.setVisible(self.editable)
        self.cancel_button = QPushButton("取消" if self.editable else "关闭")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        self.owner_notice = Notice(self.ownership.notice if self.request_mode else "")
        self.owner_notice.setVisible(self.request_mode)
        layout.addWidget(self.owner_notice)
        self.same_person_notice = Notice(_same_person_text(self.same_person), "error")
        self.same_person_notice.setVisible(bool(self.same_person))
        layout.addWidget(self.same_person_notice)
        self.member_button = self.member_note = None
        if self.member_fills:
            self.member_button = QPushButton("从会员带入…")
            self.member_button.setToolTip("查找会员,带入会员库中已有的姓名、身份证号、电话、所属工会等")
            self.member_button.setAutoDefault(False)
            self.member_button.clicked.connect(self.pick_member)
            self.member_note = QLabel("")
            self.member_note.setObjectName("muted")
            self.member_note.setWordWrap(True)
            row = QHBoxLayout()
            row.addWidget(self.member_button)
            row.addWidget(self.member_note, 1)
            layout.addLayout(row)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        verb = "新增" if not record_id else ("请求更正" if self.request_mode and self.editable else
                                           "修改" if self.editable else "查看")
        self.setWindowTitle(f"{verb}{self.spec.title}" + (f" — {self._label}" if self._label else ""))
        self.resize(900, 640)
        first = next((c.editor for c in self.cells.values()
                      if not isinstance(c.editor, ReadonlyEditor)), None)
        if first is not None and self.editable:
            first.setFocus()

    # -- loading -------------------------------------------------------------------------------
    def _load(self, initial) -> tuple[dict[str, Any], dict[str, list[dict]]]:
        if self.record_id is None:
            stored = {f.key: f.default for f in self.spec.fields if f.default is not None}
            if self.binding.defaults:
                stored.update(self.binding.defaults())
            stored.update(initial or {})
            return stored, {c.key: [] for c in self.spec.children
                            if self.binding.subtables is None or c.key in self.binding.subtables}
        with self.ctx.read() as s:
            obj = self.binding.load(s, self.ctx.actor, self.record_id)
            stored = {f.key: getattr(obj, f.key, None) for f in self.spec.fields}
            if self.binding.ownership is not None:
                self.ownership = self.binding.ownership(s, self.ctx.actor, self.record_id)
            from app.services.duplicates import others

            self.same_person = others(s, self.ctx.actor, self.spec.key, self.record_id)
            self._label = self.spec.describe(obj)
            children = {c.key: loader(s, self.ctx.actor, self.record_id)
                        for c in self.spec.children
                        if (loader := self.binding.load_children.get(c.key))}
        return stored, {c.key: children.get(c.key, []) for c in self.spec.children
                        if self.binding.subtables is None or c.key in self.binding.subtables}

    # -- building ------------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_F1:  # from any field of the form (none of them takes F1)
            self.open_help()
            return
        super().keyPressEvent(event)

    def open_help(self):
        """F1: the manual at the section for this kind of record."""
        from ui.dialogs.manual import open_manual, section_for

        self.last_manual = open_manual(self, section_for(self.spec.key))
        return self.last_manual

    def pick_member(self) -> bool:
        """从会员带入: find and pick a member, then take what the member register knows."""
        from ui.widgets.member_picker import MemberPickerDialog

        picker = MemberPickerDialog(self.ctx, self)
        if not picker.exec() or picker.member_id is None:
            return False
        return self.fill_from_member(picker.member_id)

    def fill_from_member(self, member_id: str) -> bool:
        """Fill the new record from member ``member_id`` (the core decides the values and logs
        the full numbers it hands over); each filled field acts as if typed (derived values,
        the union's defaults, live checks follow)."""
        try:
            with self.ctx.write() as s:
                got = member_prefill.prefill(s, self.ctx.actor, self.spec.key, member_id)
        except AppError as exc:
            show_error(self, exc)
            return False
        self.origins.update(got.origins)
        for key, value in got.values.items():
            cell = self.cells.get(key)
            if cell is None:
                continue
            cell.editor.set_stored(value)
            cell.set_error(None)
            cell.editor.changed.emit()
        self._refresh_derived()
        note = f"已从会员“{got.member_name}”带入会员库中的信息,请核对并补全其余项目"
        if got.withheld:
            note += f";{'、'.join(got.withheld)}需您自己填写(无查看完整信息的权限)"
        if self.member_note is not None:
            self.member_note.setText(note)
        return True

    def _build_form(self) -> QWidget:
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(8)
        sections: dict[str, list] = {}
        for f in self.spec.fields:
            sections.setdefault(f.section, []).append(f)
        for title, fields in sections.items():
            box = QGroupBox(title)
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(8)
            grid.setVerticalSpacing(4)  # each cell keeps a line for its reason
            grid.setColumnStretch(1, 1)
            grid.setColumnStretch(3, 1)
            grid.setColumnMinimumWidth(0, 96)
            grid.setColumnMinimumWidth(2, 96)
            row = col = 0
            for f in fields:
                cell = _Cell(self._make_editor(f))
                self.cells[f.key] = cell
                wide = f.kind == Kind.TEXTAREA
                if wide and col:
                    row, col = row + 1, 0
                label = required_label(f)
                label.setBuddy(cell.editor)
                label.setMinimumHeight(cell.editor.sizeHint().height())
                grid.addWidget(label, row, col * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                grid.addWidget(cell, row, col * 2 + 1, 1, 3 if wide else 1, Qt.AlignmentFlag.AlignTop)
                if wide or col:
                    row, col = row + 1, 0
                else:
                    col = 1
            outer.addWidget(box)
        for child in self.spec.children:
            if self.binding.subtables is not None and child.key not in self.binding.subtables:
                continue
            child_spec = self.binding_child_spec(child.spec_key)
            editor = ChildTableEditor(self.ctx, child, child_spec)
            editor.setEnabled(self.editable)
            editor.changed.connect(lambda e=editor: (e.validate(), self._recount()))
            self.children_editors[child.key] = editor
            box = QGroupBox(child.title)
            QVBoxLayout(box).addWidget(editor)
            outer.addWidget(box)
        outer.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)
        return self.scroll

    def hide_field(self, key: str) -> None:
        """Leave a field out of the form (its label too): nothing to say on this record."""
        cell = self.cells[key]
        cell.hide()
        for label in self.findChildren(QLabel):
            if label.buddy() is cell.editor:
                label.hide()

    def binding_child_spec(self, key: str):
        return self.binding.child_specs.get(key) or spec_by_key(key)

    def _make_editor(self, f) -> FieldEditor:
        editor = make_editor(self.ctx, f)
        if f.mask not in (Mask.NONE, Mask.NAME) and not f.readonly and (
                self.record_id or f.key in self.masked_fills):
            editor = MaskedEditor(self.ctx, f, editor, self._reveal, fresh=self.record_id is None)
        editor.set_editable(self.editable and not (f.set_once and self.record_id))
        if f.set_once and self.record_id:
            editor.setToolTip(f.set_once)
        editor.left.connect(lambda key=f.key: self.validate_field(key))
        editor.changed.connect(lambda key=f.key: self._edited(key))
        inner = editor.inner if isinstance(editor, MaskedEditor) else editor
        if isinstance(inner, IdNumberEditor):
            inner.checked.connect(lambda msg, key=f.key: self._live_check(key, msg))
        return editor

    # -- live checks ---------------------------------------------------------------------------
    def _edited(self, key: str) -> None:
        cell = self.cells[key]
        if cell.error.text():  # re-check a field already marked wrong as it is corrected
            self.validate_field(key)

    def _live_check(self, key: str, message: str) -> None:
        self.cells[key].set_error(message or None)
        if not message:
            self._refresh_derived()
        self._recount()

    def _wrong_names(self) -> list[str]:
        """The labels of the fields marked wrong, in form order, then the sub-tables'."""
        names = [c.editor.field.label for c in self.cells.values() if c.error.text()]
        names += [self._child_titles.get(k, k) for k, e in self.children_editors.items() if e.errors]
        return names

    def _count_text(self, _count: int | None = None) -> str:
        """“身份证号、工作时间 需要修改”: the bottom line names what to correct."""
        names = self._wrong_names()
        return f"{'、'.join(names)} 需要修改" if names else ""

    def _error_count(self) -> int:
        """Fields marked wrong, and sub-table cells marked wrong."""
        return (sum(bool(c.error.text()) for c in self.cells.values())
                + sum(len(e.errors) for e in self.children_editors.values()))

    def _recount(self) -> None:
        """The bottom line's count follows the fields and sub-table cells as they are corrected."""
        if getattr(self, "_count_shown", False):
            count = self._error_count()
            self._count_shown = bool(count)
            self.message.setText(self._count_text(count))

    def validate_field(self, key: str) -> str | None:
        cell = self.cells.get(key)
        if cell is None or isinstance(cell.editor, ReadonlyEditor):
            return None
        _cleaned, errors = self.spec.clean({key: cell.editor.raw()}, self.ctx.codes, partial=True,
                                           draft=self.drafting)
        cell.set_error(errors.get(key))
        self._refresh_derived()
        self._recount()
        return errors.get(key)

    def _refresh_derived(self) -> None:
        """Recompute read-only values (gender and birth date from the ID number) from what is
        valid so far."""
        if self.binding.derive is None:
            return
        raw = {k: c.editor.raw() for k, c in self.cells.items()
               if not isinstance(c.editor, ReadonlyEditor)}
        cleaned, _errors = self.spec.clean(raw, self.ctx.codes, partial=True)
        try:
            self.binding.derive(cleaned)
        except ValueError:
            return
        for key, cell in self.cells.items():
            if isinstance(cell.editor, ReadonlyEditor) and key in cleaned:
                cell.editor.set_stored(cleaned[key])

    # -- values --------------------------------------------------------------------------------
    def _raw_values(self, *, all_fields: bool = False) -> dict[str, Any]:
        out = {}
        for key, cell in self.cells.items():
            if isinstance(cell.editor, ReadonlyEditor):
                continue
            if all_fields or cell.editor.participates:
                out[key] = cell.editor.raw()
        for key, editor in self.children_editors.items():
            out[key] = editor.rows()
        return out

    def changed_values(self) -> dict[str, Any]:
        now = self._raw_values(all_fields=True)
        return {k: v for k, v in now.items() if v != self._initial_raw.get(k)
                and (k in self.children_editors or self.cells[k].editor.participates)}

    @property
    def dirty(self) -> bool:
        return self.editable and bool(self.changed_values())

    def values_to_save(self) -> dict[str, Any]:
        return self._raw_values() if self.record_id is None else self.changed_values()

    @property
    def drafting(self) -> bool:
        """Whether this save keeps a 草稿 (a spec with ``draft_required``): only what is known is
        required now, the rest when it is submitted. A new record is a draft; a subclass knows
        when a stored one still is (an archive not yet submitted)."""
        return self.spec.draft_required is not None and self.record_id is None

    # -- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.request_mode:
            return self.send_request()
        values = self.values_to_save()
        fields = {k: v for k, v in values.items() if k not in self.children_editors}
        _cleaned, errors = self.spec.clean(fields, self.ctx.codes, partial=self.record_id is not None,
                                           draft=self.drafting)
        child_errors = {k: e.validate() for k, e in self.children_editors.items() if k in values}
        if errors or any(child_errors.values()):
            self.show_errors(errors)
            return False
        if self.record_id is not None and not values:
            return True  # nothing changed
        try:
            with self.ctx.write() as s:
                if self.record_id is None:
                    obj = self.binding.create(s, self.ctx.actor, values)
                else:
                    obj = self.binding.update(s, self.ctx.actor, self.record_id, values)
                self.saved_id = obj.id
                label = self.spec.describe(obj)
        except ValidationFailed as exc:
            self.show_errors(exc.errors, exc.labels)
            return False
        except AppError as exc:
            try:
                retry = self.retry_after(exc)
            except Declined as declined:  # the user said 取消 to the question: back to the form
                self.message.setText("")
                if declined.note:
                    self.ctx.status_message.emit(declined.note)
                return False
            if retry:
                return self.save()
            self.message.setText(exc.message)
            show_error(self, exc)
            return False
        except Exception as exc:  # noqa: BLE001 — a bug: logged, shown with 详细信息
            show_error(self, exc)
            return False
        self.ctx.notify_saved(self.spec.key, f"已保存{self.spec.title}“{label}”")
        return True

    def save_pending(self) -> bool:
        """Save unsaved edits before an action that reads the stored record (a chain step)."""
        if not self.dirty:
            return True
        if not self.save():
            return False
        self._initial_raw = self._raw_values(all_fields=True)
        return True

    def send_request(self) -> bool:
        """The changed fields as a 更正 request to the record's owning unit (with a reason)."""
        values = {k: v for k, v in self.changed_values().items() if k not in self.children_editors}
        if not values:
            return True
        _cleaned, errors = self.spec.clean(values, self.ctx.codes, partial=True)
        if errors:
            self.show_errors(errors)
            return False
        reason = Ask.text(self, "提交更正请求", f"请写明更正的理由({self.ownership.owner_name}据此处理):")
        if not reason:
            return False
        try:
            with self.ctx.write() as s:
                self.binding.request(s, self.ctx.actor, self.record_id, "correct", changes=values,
                                     reason=reason)
        except AppError as exc:
            self.message.setText(exc.message)
            show_error(self, exc)
            return False
        self.ctx.notify_saved("change_request", f"已向{self.ownership.owner_name}提出更正请求:{self._label}"
                              ",随下一个数据包发出")
        return True

    def retry_after(self, exc: AppError) -> bool:
        """A subclass may answer a service's question (a warning to confirm): True saves again;
        raising ``Declined`` (the user said 取消) keeps the form open without an error."""
        return False

    def show_errors(self, errors: dict[str, str], labels: dict[str, str] | None = None) -> None:
        """Each message beside its field, a sub-table row's (``members[2].relation``) in its cell;
        the rest (rules across fields) at the bottom, by their Chinese labels."""
        for key, cell in self.cells.items():
            cell.set_error(errors.get(key))
        in_rows: dict[str, dict[tuple[int, str], str]] = {name: {} for name in self.children_editors}
        other = []
        for key, message in errors.items():
            row = CHILD_KEY.fullmatch(key)
            if row and row[1] in in_rows:
                in_rows[row[1]][(int(row[2]), row[3])] = message
            elif key not in self.cells:
                other.append(f"{(labels or {}).get(key) or self.spec.labels.get(key, key)}:{message}")
        for name, row_errors in in_rows.items():
            if row_errors:  # (the table's own checks have marked their cells already)
                self.children_editors[name].show_row_errors(row_errors)
        count = self._error_count()
        self._count_shown = not other and bool(count)
        self.message.setText(";".join(other) or self._count_text(count))
        first = next((self.cells[k] for k in self.cells if k in errors), None)
        table = next((e for e in self.children_editors.values() if e.errors), None)
        if first is not None:  # scrolled to and focused, however far down the form it is
            self.tabs.setCurrentIndex(0)
            self.scroll.ensureWidgetVisible(first)
            first.editor.setFocus()
        elif table is not None:  # only a sub-table is wrong: bring it into view
            self.tabs.setCurrentIndex(0)
            self.scroll.ensureWidgetVisible(table)
            (r, key), _msg = min(table.errors.items())
            table.table.setCurrentCell(r, next(i for i, f in enumerate(table.fields) if f.key == key))
            table.table.setFocus()

    def _reveal(self, key: str):
        """The full value of a masked field, audited: a stored record's from the record; a new
        record's from the record it was filled in from (``origins``)."""
        from app.services import records

        try:
            with self.ctx.write() as s:
                if self.record_id:
                    return records.reveal(s, self.ctx.actor, self.spec, self.record_id, key)
                if (origin := self.origins.get(key)) is not None:
                    spec_key, record_id, field_key = origin
                    return records.reveal(s, self.ctx.actor, spec_by_key(spec_key), record_id,
                                          field_key, reason=f"核对新增{self.spec.title}中带入的号码")
                return records.reveal_entered(s, self.ctx.actor, self.spec, key,
                                              self.cells[key].editor.raw())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return None

    # -- closing -------------------------------------------------------------------------------
    def accept(self) -> None:
        if not self.editable:
            super().reject()
            return
        creating = self.record_id is None
        if self.save():
            if creating and self.stays_open_after_create and self.saved_id:
                self.record_id = self.saved_id
                self.created()
                return
            super().accept()

    def created(self) -> None:
        """A new record was saved and the form stays open (``stays_open_after_create``): show it
        as a stored record — its tabs, its chain's buttons. The list it was opened from selects it
        when the form closes, however it is closed."""
        if self.member_button is not None:
            self.member_button.hide()
            self.member_note.hide()
        self._initial_raw = self._raw_values(all_fields=True)
        with self.ctx.read() as s:
            self._label = self.spec.describe(self.binding.load(s, self.ctx.actor, self.record_id))
        verb = "修改" if self.editable else "查看"
        self.setWindowTitle(f"{verb}{self.spec.title}" + (f" — {self._label}" if self._label else ""))

    def reject(self) -> None:
        if self.dirty:
            answer = Ask.unsaved(self, f"{self.spec.title}{('“' + self._label + '”') if self._label else ''}")
            if answer == "cancel":
                return
            if answer == "save":
                self.accept()
                return
        super().reject()

    # -- history -------------------------------------------------------------------------------
    def _build_history(self) -> QWidget:
        from ui.widgets.history_table import HistoryTable

        self.history_table = HistoryTable(self.ctx, self.spec, self.record_id)
        self.tabs.currentChanged.connect(
            lambda i: self.history_table.load() if self.tabs.widget(i) is self.history_table else None)
        return self.history_table


def _same_person_text(matches) -> str:
    """精准识别: the other records of the same ID number (another county's too, at the city)."""
    if not matches:
        return ""
    return "身份证号相同的其他记录:" + ";".join(
        f"{m.owner_name}的{m.title}“{m.label}”" + (f"({m.detail})" if m.detail else "") for m in matches) \
        + "。请核对是否同一人、是否重复登记。"
