"""The strip on top of a form whose record moves along a review chain (``app.kit.chain``)::

    草稿 → 申请 → 基层初审 → …            [提交申请] [退回]
    登记 → 受理 → 转办/交办 → 办结 → 回访 → 归档   [受理] [当场答复]
    请示 → 批复 → 筹备组 → … → 法人登记           [成立筹备组]

the current step highlighted, steps passed in green, and ONLY the buttons of the steps this user
may take now (the core's ``available_actions``: role, unit, four-eyes). Each button asks for the
inputs its step needs (``ActionInfo.fields``; the signer's name when the user keys in a lower
level's paper opinion) and runs the core's ``act``. An area describes its chain with a
``ChainView``; the archive form (困难职工), the ticket form (权益保障) and the 建会 form (基层组织) use this strip.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.dialogs.fields_dialog import FieldsDialog
from ui.theme import COLORS


@dataclass(frozen=True)
class ChainView:
    labels: tuple[str, ...]  # the strip's steps
    position: Callable[[str], int]  # status -> index of the step it sits at
    status_labels: Mapping[str, str]
    actions: Callable[[Any, Any, str], list]  # (session, actor, id) -> [ActionInfo]
    act: Callable[[Any, Any, str, str, dict], Any]  # (session, actor, id, key, raw)
    status: Callable[[Any, Any, str], str]  # (session, actor, id) -> the record's status now
    spec_key: str  # for the saved notice
    closed: tuple[str, ...] = ()  # statuses past the end (脱困, 注销): shown grey
    good: tuple[str, ...] = ()  # statuses shown green (已建档, 已归档)
    bad: tuple[str, ...] = ("returned",)  # statuses shown red
    button_texts: Mapping[str, str] = field(default_factory=dict)  # the dialog's confirm button
    danger: tuple[str, ...] = ("return", "cancel")
    default_button: str = "通过"  # the dialog's confirm button of an action not in ``button_texts``
    # whose step the record waits for, and since when: (session, actor, id) -> text or None
    waiting: Callable[[Any, Any, str], str | None] | None = None
    # status -> (the last strip step done, the strip step it waits for or None): the core's
    # ``strip_marks``, from the same next step as ``waiting``, so every chain marks its pending
    # step the same way (highlighted) and the text under the strip names that very step
    marks: Callable[[str], tuple[int, int | None]] | None = None


class ChainStrip(QFrame):
    acted = Signal(str)  # the step taken

    def __init__(self, ctx, view: ChainView, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.view = ctx, view
        self.record_id: str | None = None
        self.new = False  # a record not saved yet (``load``)
        self.status = ""
        self.actions: list = []
        self.buttons: dict[str, QPushButton] = {}
        self.before_action = lambda: True  # the form saves pending edits first
        self.setObjectName("workflowStrip")
        self.setStyleSheet(f"QFrame#workflowStrip {{ background: {COLORS['panel']}; "
                           f"border: 1px solid {COLORS['border']}; border-radius: 6px; }}")
        self.steps: list[QLabel] = []
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for i, text in enumerate(view.labels):
            if i:
                arrow = QLabel("→")
                arrow.setStyleSheet(f"color: {COLORS['muted']};")
                layout.addWidget(arrow)
            step = QLabel(text)
            self.steps.append(step)
            layout.addWidget(step)
        self.state = QLabel("")
        layout.addSpacing(12)
        layout.addWidget(self.state)
        layout.addStretch(1)
        self.button_box = QHBoxLayout()
        self.button_box.setSpacing(8)
        layout.addLayout(self.button_box)
        # under the steps: whose step it is and since when, and why a step shown waits
        self.next_label = QLabel("")
        self.next_label.setObjectName("muted")
        self.next_label.setWordWrap(True)
        outer = QVBoxLayout()
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(layout)
        outer.addWidget(self.next_label)
        holder = QWidget()
        holder.setLayout(outer)
        wrapper = QHBoxLayout(self)
        wrapper.setContentsMargins(12, 8, 12, 8)
        wrapper.addWidget(holder)
        self.waiting_text = ""
        self.done_upto, self.pending = -1, None  # the marks shown (done: green; pending: highlighted)

    # -- state -----------------------------------------------------------------------------------
    def load(self, record_id: str | None, status: str, *, new: bool | None = None) -> None:
        """Show ``status``; ask the core which steps this user may take on the record now.
        ``new`` (default: no ``record_id``): a record not saved yet — nothing done, its first
        step being filled in."""
        self.record_id, self.status = record_id, status
        self.new = record_id is None if new is None else new
        self.actions = []
        self.waiting_text = ""
        if record_id:
            with self.ctx.read() as s:
                self.actions = self.view.actions(s, self.ctx.actor, record_id)
                if self.view.waiting is not None:
                    self.waiting_text = self.view.waiting(s, self.ctx.actor, record_id) or ""
        self._render()

    def _render(self) -> None:
        view = self.view
        pos = view.position(self.status)
        closed = self.status in view.closed
        if self.new:  # a new record, not saved yet: nothing is done, it is being drafted
            self.done_upto, self.pending = -1, 0
        elif view.marks is not None:
            self.done_upto, self.pending = view.marks(self.status)
        else:  # a strip without the core's marks: the status's own step is the current one
            self.done_upto, self.pending = (pos, None) if closed else (pos - 1, pos)
        for i, step in enumerate(self.steps):
            if i == self.pending:
                style = (f"background: {COLORS['accent']}; color: white; border-radius: 4px; "
                         "padding: 3px 8px; font-weight: bold;")
                step.setToolTip("正在填写,保存后可提交" if self.new else "待办理的环节")
            elif i <= self.done_upto:
                style = f"color: {COLORS['ok']}; padding: 3px 4px;"
                step.setToolTip("已办理")
            else:
                style = f"color: {COLORS['muted']}; padding: 3px 4px;"
                step.setToolTip("")
            step.setStyleSheet(style)
        colour = (COLORS["error"] if self.status in view.bad else COLORS["ok"] if self.status in view.good
                  else COLORS["closed"] if closed else COLORS["warn"])
        self.state.setText(view.status_labels.get(self.status, self.status))
        self.state.setVisible(self.state.text() != view.labels[max(0, min(pos, len(view.labels) - 1))])  # "已建档" twice says nothing
        self.state.setStyleSheet(f"color: {colour}; font-weight: bold;")
        while self.button_box.count():
            item = self.button_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        for info in self.actions:
            button = QPushButton(info.label)
            if info.key in view.danger:
                button.setObjectName("dangerButton")
            button.clicked.connect(lambda _c=False, info=info: self.run(info))
            if info.not_yet:  # shown, so the clerk sees the step exists, with the reason it waits
                button.setEnabled(False)
                button.setToolTip(info.not_yet)
            self.button_box.addWidget(button)
            self.buttons[info.key] = button
        reasons = [f"{info.label}:{info.not_yet}" for info in self.actions if info.not_yet]
        self.next_label.setText(";".join([t for t in (self.waiting_text, *reasons) if t]))
        self.next_label.setVisible(bool(self.next_label.text()))

    # -- acting ----------------------------------------------------------------------------------
    def dialog_for(self, info, initial: dict | None = None) -> FieldsDialog:
        ctx, record_id, view = self.ctx, self.record_id, self.view

        def submit(raw):
            with ctx.write() as s:
                view.act(s, ctx.actor, record_id, info.key, raw)

        required = ("signer_name",) if info.signer_required else ()
        note = ("您在代下级工会录入其纸质意见,请填写纸质意见上的签字人。" if info.signer_required else "")
        return FieldsDialog(ctx, f"{info.label}", info.fields, view.button_texts.get(info.key, view.default_button),
                            submit, self, note=note, required=required, initial=initial)

    def initial_for(self, info) -> dict | None:
        """What a step's dialog starts with (an area's strip may fill in, e.g. a handover's
        deadline)."""
        return None

    def run(self, info) -> bool:
        if not self.before_action():
            return False
        dialog = self.dialog_for(info, self.initial_for(info))
        if not dialog.exec():
            if self._moved_on():  # a colleague took a step meanwhile (the refusal said so)
                self.acted.emit("")
            return False
        self.ctx.notify_saved(self.view.spec_key, f"已办理{info.label}")
        self.acted.emit(info.key)
        return True

    def _moved_on(self) -> bool:
        with self.ctx.read() as s:
            return self.view.status(s, self.ctx.actor, self.record_id) != self.status
