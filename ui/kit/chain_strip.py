"""The strip on top of a record run by a review chain (``app.kit.chain``):

    草稿 → 申请 → 基层初审 → … → 已建档     [提交申请] [退回]        (困难职工档案)
    请示 → 批复 → 筹备组 → … → 法人登记     [成立筹备组]             (建会)

the current step highlighted, steps passed in green, and ONLY the buttons of the actions this
user may take now (the chain's ``available_actions``: role, unit and four-eyes). Each button asks
for the inputs that step needs (``ActionInfo.fields``; the signer's name when the user keys in a
lower level's paper opinion) and runs the chain's ``act``. An area describes its chain once in a
``ChainView``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.dialogs.fields_dialog import FieldsDialog
from ui.theme import COLORS


@dataclass(frozen=True)
class ChainView:
    register_key: str  # what ``notify_saved`` names
    steps: Sequence[str]  # the strip's labels
    position: Callable[[str], int]  # status -> index in ``steps``
    status_labels: Mapping[str, str]
    available: Callable[[Any, Any, str], list]  # (session, actor, record id) -> ActionInfo
    act: Callable[[Any, Any, str, str, dict], Any]  # (session, actor, record id, key, raw)
    status_of: Callable[[Any, Any, str], str]  # (session, actor, record id) -> its status now
    done: str = ""  # the status shown in green at the end
    closed: tuple[str, ...] = ()  # statuses past the end (脱困, 注销)
    danger: tuple[str, ...] = ("return",)  # buttons in the danger style
    button_text: Mapping[str, str] = field(default_factory=dict)  # the dialog's button, by action
    default_button: str = "通过"


class ChainStrip(QFrame):
    acted = Signal(str)  # the action taken

    def __init__(self, ctx, view: ChainView, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.view = ctx, view
        self.record_id: str | None = None
        self.status = ""
        self.actions: list = []
        self.buttons: dict[str, QPushButton] = {}
        self.before_action = lambda: True  # the form saves pending edits first
        self.setObjectName("workflowStrip")
        self.setStyleSheet(f"QFrame#workflowStrip {{ background: {COLORS['panel']}; "
                           f"border: 1px solid {COLORS['border']}; border-radius: 6px; }}")
        self.steps: list[QLabel] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        for i, text in enumerate(view.steps):
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

    # -- state -----------------------------------------------------------------------------------
    def load(self, record_id: str | None, status: str) -> None:
        """Show ``status``; ask the core which actions this user may take on the record now."""
        self.record_id, self.status = record_id, status
        self.actions = []
        if record_id:
            with self.ctx.read() as s:
                self.actions = self.view.available(s, self.ctx.actor, record_id)
        self._render()

    def _render(self) -> None:
        v = self.view
        pos = v.position(self.status)
        closed = self.status in v.closed
        for i, step in enumerate(self.steps):
            if i == pos and not closed:
                style = (f"background: {COLORS['accent']}; color: white; border-radius: 4px; "
                         "padding: 3px 8px; font-weight: bold;")
            elif i < pos or (closed and i == pos):
                style = f"color: {COLORS['ok']}; padding: 3px 4px;"
            else:
                style = f"color: {COLORS['muted']}; padding: 3px 4px;"
            step.setStyleSheet(style)
        colour = {"returned": COLORS["error"], v.done: COLORS["ok"]}.get(
            self.status, COLORS["closed"] if closed else COLORS["warn"])
        self.state.setText(v.status_labels.get(self.status, self.status))
        self.state.setVisible(self.state.text() != v.steps[min(pos, len(v.steps) - 1)])
        self.state.setStyleSheet(f"color: {colour}; font-weight: bold;")
        while self.button_box.count():
            item = self.button_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        for info in self.actions:
            button = QPushButton(info.label)
            if info.key in v.danger:
                button.setObjectName("dangerButton")
            button.clicked.connect(lambda _c=False, info=info: self.run(info))
            if info.not_yet:  # shown, so the clerk sees the step exists, with the reason it waits
                button.setEnabled(False)
                button.setToolTip(info.not_yet)
            self.button_box.addWidget(button)
            self.buttons[info.key] = button

    # -- acting ----------------------------------------------------------------------------------
    def dialog_for(self, info) -> FieldsDialog:
        ctx, record_id, view = self.ctx, self.record_id, self.view

        def submit(raw):
            with ctx.write() as s:
                view.act(s, ctx.actor, record_id, info.key, raw)

        required = ("signer_name",) if info.signer_required else ()
        note = ("您在代下级工会录入其纸质意见,请填写纸质意见上的签字人。" if info.signer_required else "")
        return FieldsDialog(ctx, f"{info.label}", info.fields,
                            view.button_text.get(info.key, view.default_button), submit, self,
                            note=note, required=required)

    def run(self, info) -> bool:
        if not self.before_action():
            return False
        dialog = self.dialog_for(info)
        if not dialog.exec():
            if self._moved_on():  # a colleague took a step meanwhile (the refusal said so)
                self.acted.emit("")
            return False
        self.ctx.notify_saved(self.view.register_key, f"已办理{info.label}")
        self.acted.emit(info.key)
        return True

    def _moved_on(self) -> bool:
        with self.ctx.read() as s:
            return self.view.status_of(s, self.ctx.actor, self.record_id) != self.status
