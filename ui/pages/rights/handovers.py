"""转办件: every handover this office issued or received, read-only (a handover is made by the
ticket's 转办/交办 step). Those handed to us by another office (the city, another county) are
answered here (反馈办理结果: the answer travels back in our next bundle); a paper 转办单 is
printed or its paper answer keyed in (录入纸质反馈)."""

from __future__ import annotations

from PySide6.QtGui import QAction

from app.fields.rights_tickets import HANDOVER, REPLY
from app.services import records
from app.services.rights import handovers
from ui.dialogs.fields_dialog import FieldsDialog
from ui.theme import icon
from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage

BINDING = RecordBinding(HANDOVER, "rights.handover",
                        load=lambda s, a, rid: records.get_live(s, HANDOVER, rid),
                        search_placeholder="")


def reply_dialog(ctx, handover_id: str, parent, title: str, button: str, note: str) -> FieldsDialog:
    """The handling union's answer to a handover (``handovers.record_reply``)."""
    def submit(raw):
        with ctx.write() as s:
            return handovers.record_reply(s, ctx.actor, handover_id, raw)

    fields = tuple(REPLY.field(k) for k in ("replied_on", "handler", "result"))
    return FieldsDialog(ctx, title, fields, button, submit, parent, note=note)


class HandoversTab(ListPage):
    def __init__(self, ctx, **kw):
        super().__init__(ctx, BINDING, title="转办件", **kw)
        self.filters.add_choice("answered", "反馈", [(False, "待反馈"), (True, "已反馈")])
        self.reply_action = QAction(icon("edit"), "反馈办理结果", self)
        self.reply_action.triggered.connect(lambda _c=False: self.reply())
        self.incoming_action = QAction(icon("import"), "转入本单位的", self)
        self.incoming_action.triggered.connect(lambda _c=False: self.show_incoming())
        self.add_action(self.reply_action)
        self.add_action(self.incoming_action)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.model.page_loaded.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        handover_id = self.current_id()
        why = "请先选择一份转办单"
        if handover_id:
            with self.ctx.read() as s:
                why = handovers.reply_refusal(s, self.ctx.actor, records.get_live(s, HANDOVER, handover_id))
        self.reply_action.setEnabled(why is None)
        self.reply_action.setToolTip(why or "")

    def show_incoming(self) -> None:
        with self.ctx.read() as s:
            query = handovers.incoming(s)
        self.apply_filters(query.as_filters())

    def make_form(self, record_id):
        """A handover opens its ticket's form (the ticket, its steps and the answers)."""
        from ui.pages.rights.tickets import TicketFormDialog

        with self.ctx.read() as s:
            ticket_id = records.get_live(s, HANDOVER, record_id).ticket_id
        return TicketFormDialog(self.ctx, ticket_id, self)

    def reply_dialog(self) -> FieldsDialog | None:
        handover_id = self.current_id()
        return reply_dialog(self.ctx, handover_id, self, "反馈办理结果", "反馈",
                            "由数据包转来的,反馈随本单位下一次导出的数据包送回转办单位;"
                            "纸质转办单的回执由转办单位录入。") if handover_id else None

    def reply(self):
        dialog = self.reply_dialog()
        self.last_dialog = dialog
        if dialog is not None and dialog.exec():
            self.ctx.notify_saved(REPLY.key, "已反馈办理结果")
            self.reload()
        return dialog
