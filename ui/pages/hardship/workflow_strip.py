"""The workflow strip on top of the archive form:

    草稿 → 申请 → 基层初审 → 乡镇复审 → 帮扶中心审核 → 公示 → 党组审批 → 已建档     [提交申请] [退回]

the current step highlighted, steps passed in green, and ONLY the buttons of the actions this
user may take now (``workflow.available_actions``: role, unit and four-eyes). Each button asks
for the inputs that step needs (``ActionInfo.fields``; the signer's name when the user keys in a
lower level's paper opinion) and runs ``workflow.act``."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.fields.hardship import STATUS_CHOICES
from app.services.hardship import archives, workflow
from ui.dialogs.fields_dialog import FieldsDialog
from ui.theme import COLORS

STATUS_LABELS = dict(STATUS_CHOICES)
CLOSED = ("exited", "cancelled")


class WorkflowStrip(QFrame):
    acted = Signal(str)  # the action taken

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.archive_id: str | None = None
        self.status = "draft"
        self.actions: list[workflow.ActionInfo] = []
        self.buttons: dict[str, QPushButton] = {}
        self.before_action = lambda: True  # the form saves pending edits first
        self.setObjectName("workflowStrip")
        self.setStyleSheet(f"QFrame#workflowStrip {{ background: {COLORS['panel']}; "
                           f"border: 1px solid {COLORS['border']}; border-radius: 6px; }}")
        self.steps: list[QLabel] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        for i, text in enumerate(workflow.STRIP):
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
    def load(self, archive_id: str | None, status: str = "draft") -> None:
        """Show ``status``; ask the core which actions this user may take on the archive now."""
        self.archive_id, self.status = archive_id, status
        self.actions = []
        if archive_id:
            with self.ctx.read() as s:
                self.actions = workflow.available_actions(s, self.ctx.actor, archive_id)
        self._render()

    def _render(self) -> None:
        pos = workflow.strip_position(self.status)
        closed = self.status in CLOSED
        for i, step in enumerate(self.steps):
            if i == pos and not closed:
                style = (f"background: {COLORS['accent']}; color: white; border-radius: 4px; "
                         "padding: 3px 8px; font-weight: bold;")
            elif i < pos or (closed and i == pos):
                style = f"color: {COLORS['ok']}; padding: 3px 4px;"
            else:
                style = f"color: {COLORS['muted']}; padding: 3px 4px;"
            step.setStyleSheet(style)
        colour = {"returned": COLORS["error"], "archived": COLORS["ok"]}.get(
            self.status, COLORS["closed"] if closed else COLORS["warn"])
        self.state.setText(STATUS_LABELS.get(self.status, self.status))
        self.state.setVisible(self.state.text() != workflow.STRIP[pos])  # "已建档" twice says nothing
        self.state.setStyleSheet(f"color: {colour}; font-weight: bold;")
        while self.button_box.count():
            item = self.button_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        for info in self.actions:
            button = QPushButton(info.label)
            if info.key in ("return", "cancel"):
                button.setObjectName("dangerButton")
            button.clicked.connect(lambda _c=False, info=info: self.run(info))
            if info.not_yet:  # shown, so the clerk sees the step exists, with the reason it waits
                button.setEnabled(False)
                button.setToolTip(info.not_yet)
            self.button_box.addWidget(button)
            self.buttons[info.key] = button

    # -- acting ----------------------------------------------------------------------------------
    def dialog_for(self, info: workflow.ActionInfo) -> FieldsDialog:
        ctx, archive_id = self.ctx, self.archive_id

        def submit(raw):
            with ctx.write() as s:
                workflow.act(s, ctx.actor, archive_id, info.key, raw)

        required = ("signer_name",) if info.signer_required else ()
        note = ("您在代下级工会录入其纸质意见,请填写纸质意见上的签字人。" if info.signer_required else "")
        return FieldsDialog(ctx, f"{info.label}", info.fields, _button_text(info), submit, self,
                            note=note, required=required)

    def run(self, info: workflow.ActionInfo) -> bool:
        if not self.before_action():
            return False
        dialog = self.dialog_for(info)
        if not dialog.exec():
            if self._moved_on():  # a colleague took a step meanwhile (the refusal said so)
                self.acted.emit("")
            return False
        self.ctx.notify_saved("hardship_archive", f"已办理{info.label}")
        self.acted.emit(info.key)
        return True


    def _moved_on(self) -> bool:
        with self.ctx.read() as s:
            return archives.get_archive(s, self.ctx.actor, self.archive_id).status != self.status


def _button_text(info) -> str:
    return {"submit": "提交", "return": "退回", "objection": "登记", "publicize": "开始公示",
            "end_publicity": "结束公示", "annual": "年审通过", "exit": "脱困", "cancel": "注销",
            "approve": "批准建档"}.get(info.key, "通过")
