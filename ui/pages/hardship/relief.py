"""救助发放: the append-only ledger. 新增发放 goes through the core's rules (先建档后帮扶, 意外救助
with a reason); its warnings — the household's yearly cap, a repeat within one campaign — are
asked as a confirmation and the entry is then saved with ``confirm=True``. An entry is never
edited or voided: 冲正 records a reversing entry with a reason."""

from __future__ import annotations

from app.errors import AppError
from app.fields.hardship_relief import LEDGER
from app.services.hardship import ledger
from ui.dialogs.ask import Ask
from ui.dialogs.fields_dialog import FieldsDialog
from ui.errors import Declined
from ui.kit.form_list import FormListPage
from ui.pages.hardship.bindings import LEDGER_BINDING
from ui.pages.hardship.filling_form import FillingFormDialog


class ReliefFormDialog(FillingFormDialog):
    """新增发放 (a new record; 领取人 and 身份证号 follow the chosen archive, the number masked),
    or a stored entry shown read-only."""

    sources = {"recipient_id_number": ("archive_id", "hardship_archive", "id_number")}

    def __init__(self, ctx, record_id=None, parent=None, initial=None, *, origins=None):
        from dataclasses import replace

        self.confirmed = False
        self.warnings: list[str] = []
        binding = LEDGER_BINDING if record_id else replace(LEDGER_BINDING, create=self._create)
        if not record_id:  # 经办人 this user, 发放日期 today (initial values: not an edit)
            from app.clock import today

            initial = {"paid_by": ctx.actor.display_name or ctx.actor.username, "paid_on": today(),
                       **(initial or {})}
        super().__init__(ctx, binding, record_id, parent, initial, origins=origins)
        if not record_id:
            self.setWindowTitle("新增发放")
        if not self.cells["reverses_id"].editor.raw():  # only a 冲正 entry names its original
            self.hide_field("reverses_id")

    def fill(self, session, values):
        return ledger.fill_defaults(session, self.ctx.actor, values)

    def _create(self, session, actor, values):
        return ledger.record_relief(session, actor, values, confirm=self.confirmed)[0]

    def retry_after(self, exc: AppError) -> bool:
        if not isinstance(exc, ledger.NeedsConfirmation) or self.confirmed:
            return False
        self.warnings = list(exc.warnings)
        if not Ask.confirm(self, "请确认", "\n".join(exc.warnings) + "\n\n仍然登记这笔发放吗?",
                           "仍然登记"):
            raise Declined("已取消,未登记这笔发放")  # back to the form: no error, nothing saved
        self.confirmed = True
        return True


REASON = LEDGER.field("reason")


class ReliefListPage(FormListPage):
    def __init__(self, ctx, **kw):
        super().__init__(ctx, LEDGER_BINDING, ReliefFormDialog, **kw)
        self.new_action.setText("新增发放")
        self.reverse_action = self.add_button("冲正", "void", self.reverse_current)

    def reverse_current(self) -> bool:
        entry_id = self.current_id()
        if entry_id is None:
            return False
        ctx = self.ctx

        def submit(raw):
            with ctx.write() as s:
                return ledger.reverse_entry(s, ctx.actor, entry_id, raw.get("reason") or "")

        dialog = FieldsDialog(ctx, "冲正救助发放记录", (REASON,), "冲正", submit, self,
                              note=f"冲正“{self.current_label()}”的这笔发放:登记一笔金额相反、日期相同的"
                                   "冲正记录,原记录保留。请写明原因。", required=("reason",))
        self.last_dialog = dialog
        if not dialog.exec():
            return False
        ctx.notify_saved(LEDGER.key, "已冲正")
        self.reload()
        return True
