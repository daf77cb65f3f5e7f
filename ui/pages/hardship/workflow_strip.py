"""The workflow strip on top of the archive form:

    草稿 → 申请 → 基层初审 → 乡镇复审 → 帮扶中心审核 → 公示 → 党组审批 → 已建档     [提交申请] [退回]

the kit's ``ChainStrip`` over the archive chain (``app.services.hardship.workflow``): ONLY the
buttons of the actions this user may take now (role, unit and four-eyes), each asking for the
inputs its step needs."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.fields.hardship import STATUS_CHOICES
from app.services.hardship import archives, workflow
from ui.kit.chain_strip import ChainStrip, ChainView

STATUS_LABELS = dict(STATUS_CHOICES)
CLOSED = ("exited", "cancelled")
BUTTON_TEXTS = {"submit": "提交", "return": "退回", "objection": "登记", "publicize": "开始公示",
                "end_publicity": "结束公示", "annual": "年审通过", "exit": "脱困", "cancel": "注销",
                "approve": "批准建档"}

VIEW = ChainView(
    labels=workflow.STRIP, position=workflow.strip_position, marks=workflow.strip_marks, status_labels=STATUS_LABELS,
    actions=workflow.available_actions, act=workflow.act,
    status=lambda s, actor, rid: archives.get_archive(s, actor, rid).status,
    spec_key="hardship_archive", closed=CLOSED, good=("archived",), button_texts=BUTTON_TEXTS,
    waiting=workflow.waiting_text)


class WorkflowStrip(ChainStrip):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, VIEW, parent)

    @property
    def archive_id(self) -> str | None:
        return self.record_id

    def load(self, archive_id: str | None, status: str = "draft") -> None:
        super().load(archive_id, status)
