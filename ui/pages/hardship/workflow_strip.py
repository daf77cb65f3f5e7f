"""The workflow strip on top of the archive form — the kit's ``ChainStrip`` over the archive's
review chain:

    草稿 → 申请 → 基层初审 → 乡镇复审 → 帮扶中心审核 → 公示 → 党组审批 → 已建档     [提交申请] [退回]

the current step highlighted, steps passed in green, and ONLY the buttons of the actions this
user may take now (``workflow.available_actions``: role, unit and four-eyes)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.fields.hardship import STATUS_CHOICES
from app.services.hardship import archives, workflow
from ui.kit.chain_strip import ChainStrip, ChainView

VIEW = ChainView(
    "hardship_archive", workflow.STRIP, workflow.strip_position, dict(STATUS_CHOICES),
    available=lambda s, actor, rid: workflow.available_actions(s, actor, rid),
    act=lambda s, actor, rid, key, raw: workflow.act(s, actor, rid, key, raw),
    status_of=lambda s, actor, rid: archives.get_archive(s, actor, rid).status,
    done="archived", closed=("exited", "cancelled"), danger=("return", "cancel"),
    button_text={"submit": "提交", "return": "退回", "objection": "登记", "publicize": "开始公示",
                 "end_publicity": "结束公示", "annual": "年审通过", "exit": "脱困", "cancel": "注销",
                 "approve": "批准建档"})


class WorkflowStrip(ChainStrip):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, VIEW, parent)

    @property
    def archive_id(self) -> str | None:
        return self.record_id

    def load(self, archive_id: str | None, status: str = "draft") -> None:
        super().load(archive_id, status)
