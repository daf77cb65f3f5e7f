"""走访慰问 (campaigns beside their visits), 金秋助学 (applications; 审核 with the year's standard
amount, 发放 into the ledger) and 帮扶计划 (plans, progress notes, due reviews)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.fields.hardship_relief import PLAN_NOTE
from app.fields.spec import Field, Kind
from app.services.hardship import aid, ledger, plans, visits
from app.services.records import may_write
from app.validation import format_yuan
from ui.dialogs.ask import Ask
from ui.dialogs.fields_dialog import FieldsDialog
from ui.errors import Declined
from ui.kit.form_list import FormListPage
from ui.pages.hardship.bindings import AID_BINDING, CAMPAIGN_BINDING, PLAN_BINDING, VISIT_BINDING
from ui.pages.hardship.filling_form import FillingFormDialog
from ui.pages.hardship.relief import ReliefFormDialog
from ui.widgets.object_table import ObjectTable
from ui.widgets.record_form import RecordFormDialog


def _form(binding):
    return lambda ctx, record_id, parent, initial: RecordFormDialog(ctx, binding, record_id, parent,
                                                                    initial)


# -- 走访慰问 -------------------------------------------------------------------------------------------
class VisitFormDialog(FillingFormDialog):
    """A visit; 慰问对象 and 身份证号 (masked) follow the chosen archive (or the enterprise's
    union)."""

    sources = {"target_id_number": ("archive_id", "hardship_archive", "id_number")}

    def __init__(self, ctx, record_id=None, parent=None, initial=None):
        super().__init__(ctx, VISIT_BINDING, record_id, parent, initial)

    def fill(self, session, values):
        return visits.fill_target(session, values)


class VisitsTab(QWidget):
    """Campaigns on the left; choosing one lists its visits. 登记慰问金(品) records what a visit
    gave through the ledger's form (cap and repeat warnings asked there)."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.campaigns = FormListPage(ctx, CAMPAIGN_BINDING, _form(CAMPAIGN_BINDING))
        self.visits = FormListPage(ctx, VISIT_BINDING, VisitFormDialog)
        self.give_action = self.visits.add_button("登记慰问金(品)", "add", self.give,
                                                  allowed=may_write(ctx.actor, "relief_entry"))
        self.campaigns.view.selectionModel().currentRowChanged.connect(lambda *_: self._scope())
        self.campaigns.model.page_loaded.connect(self._scope)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.campaigns)
        splitter.addWidget(self.visits)
        splitter.setSizes([420, 900])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _scope(self) -> None:
        campaign_id = self.campaigns.current_id()
        if campaign_id is None:
            return
        if self.visits.scope.get("campaign_id") != campaign_id:
            self.visits.set_scope({"campaign_id": campaign_id}, self.campaigns.current_label())
        self.visits.new_values = {"campaign_id": campaign_id}

    def give(self):
        visit_id = self.visits.current_id()
        if visit_id is None:
            return None
        with self.ctx.read() as s:
            initial = visits.payout_values(s, self.ctx.actor, visit_id)
        # the number is the visit's: shown masked, and revealing it is logged against the visit
        origins = {"recipient_id_number": (VISIT_BINDING.spec.key, visit_id, "target_id_number")}
        dialog = ReliefFormDialog(self.ctx, None, self, initial, origins=origins)
        self.last_dialog = dialog
        dialog.open()
        return dialog


# -- 金秋助学 ------------------------------------------------------------------------------------------
DECISION = Field("decision", "审核结果", Kind.CODE, choices=(("approve", "批准"), ("reject", "不予批准")),
                 required=True)
OPINION = Field("opinion", "审核意见", Kind.TEXTAREA, required=True, max_len=1000)
AMOUNT = Field("amount", "批准金额", Kind.MONEY, help="空着按当年标准,但不超过申请金额")
OVER = Field("over_request_reason", "多于申请的理由", Kind.TEXTAREA, max_len=500,
             help="批准金额高于申请金额时必填")
PAID_ON = Field("paid_on", "发放日期", Kind.DATE, required=True)
FUND = Field("fund_source", "资金来源", Kind.CODE, code_table="fund_source", required=True)
BATCH = Field("batch", "批次", max_len=100)


class AidFormDialog(FillingFormDialog):
    """A 金秋助学 application; choosing 家长困难职工档案 fills 家长姓名, 家长身份证号 (masked),
    所属工会 and 家长工作单位 from the archive's head — a parent who is another member of the
    household is typed over them (重新填写); the student's 性别 follows the ID number."""

    triggers = ("archive_id",)
    sources = {"parent_id_number": ("archive_id", "hardship_archive", "id_number")}

    def __init__(self, ctx, record_id=None, parent=None, initial=None):
        super().__init__(ctx, AID_BINDING, record_id, parent, initial)

    def fill(self, session, values):
        return aid.fill_parent(session, values)


class AidListPage(FormListPage):
    def __init__(self, ctx, **kw):
        super().__init__(ctx, AID_BINDING, AidFormDialog, **kw)
        self.decide_action = self.add_button("审核", "check", self.decide,
                                             allowed=aid.may_decide(ctx.actor))
        self.pay_action = self.add_button("发放", "export", self.pay)

    def decide(self):
        aid_id, ctx = self.current_id(), self.ctx
        if aid_id is None:
            return None
        with ctx.read() as s:
            record = AID_BINDING.load(s, ctx.actor, aid_id)
            asked = f",申请金额 {format_yuan(record.requested_fen)} 元" if record.requested_fen else ""
            note = (f"{record.student_name}({record.school}):当年标准 "
                    f"{format_yuan(aid.standard_fen(s, record))} 元{asked}。")

        def submit(raw):
            with ctx.write() as s:
                return aid.decide(s, ctx.actor, aid_id, approve=raw["decision"] == "approve",
                                  opinion=raw.get("opinion") or "", amount=raw.get("amount"),
                                  over_request_reason=raw.get("over_request_reason") or "")

        dialog = FieldsDialog(ctx, "审核金秋助学申请", (DECISION, OPINION, AMOUNT, OVER), "确定", submit, self,
                              note=note, initial={"decision": "approve"})
        return self.run_dialog(dialog, "已审核金秋助学申请")

    def pay(self):
        aid_id, ctx = self.current_id(), self.ctx
        if aid_id is None:
            return None
        confirm = {"on": False}

        def submit(raw):
            while True:
                try:
                    with ctx.write() as s:
                        return aid.pay(s, ctx.actor, aid_id, paid_on=_date(raw["paid_on"]),
                                       fund_source=raw["fund_source"], batch=raw.get("batch"),
                                       confirm=confirm["on"])
                except ledger.NeedsConfirmation as exc:
                    if confirm["on"]:
                        raise
                    if not Ask.confirm(self, "请确认", "\n".join(exc.warnings) + "\n\n仍然发放吗?",
                                       "仍然发放"):
                        raise Declined("已取消,未发放金秋助学金") from None
                    confirm["on"] = True

        dialog = FieldsDialog(ctx, "发放金秋助学金", (PAID_ON, FUND, BATCH), "发放", submit, self)
        return self.run_dialog(dialog, "已发放金秋助学金")


def _date(raw):
    from app.fields.spec import clean_value

    return clean_value(PAID_ON, raw)


# -- 帮扶计划 ------------------------------------------------------------------------------------------
NEXT_REVIEW = Field("next_review_on", "下次回访日期", Kind.DATE, help="空着则不变")
OUTCOME = Field("outcome", "帮扶成效", Kind.TEXTAREA, required=True, max_len=2000)
DONE = Field("done", "结果", Kind.CODE, choices=(("done", "已完成"), ("stopped", "终止")),
             required=True)


class PlanFormDialog(RecordFormDialog):
    """The plan with its progress notes (帮扶进展) in a tab."""

    def __init__(self, ctx, record_id=None, parent=None, initial=None):
        super().__init__(ctx, PLAN_BINDING, record_id, parent, initial)
        if record_id:
            self.notes = ObjectTable(ctx, PLAN_NOTE)
            with ctx.read() as s:
                self.notes.set_objects(s, plans.notes_of(s, ctx.actor, record_id))
            self.tabs.insertTab(1, self.notes, f"帮扶进展({self.notes.rowCount()})")


class PlanListPage(FormListPage):
    def __init__(self, ctx, **kw):
        super().__init__(ctx, PLAN_BINDING, PlanFormDialog, **kw)
        self.filters.add_choice("due_within", "待回访", [(7, "7 天内到期"), (30, "30 天内到期")])
        self.note_action = self.add_button("记录进展", "edit", self.add_note)
        self.finish_action = self.add_button("结束计划", "check", self.finish)

    def add_note(self):
        plan_id, ctx = self.current_id(), self.ctx
        if plan_id is None:
            return None

        def submit(raw):
            with ctx.write() as s:
                return plans.add_note(s, ctx.actor, plan_id, {k: raw.get(k) for k in ("noted_on", "text")},
                                      next_review_on=_date(raw.get("next_review_on")))

        fields = (PLAN_NOTE.field("noted_on"), PLAN_NOTE.field("text"), NEXT_REVIEW)
        dialog = FieldsDialog(ctx, "记录帮扶进展", fields, "记录", submit, self)
        return self.run_dialog(dialog, "已记录帮扶进展")

    def finish(self):
        plan_id, ctx = self.current_id(), self.ctx
        if plan_id is None:
            return None

        def submit(raw):
            with ctx.write() as s:
                return plans.finish_plan(s, ctx.actor, plan_id, outcome=raw.get("outcome") or "",
                                         done=raw.get("done") != "stopped")

        dialog = FieldsDialog(ctx, "结束帮扶计划", (DONE, OUTCOME), "结束计划", submit, self,
                              initial={"done": "done"})
        return self.run_dialog(dialog, "帮扶计划已结束")
