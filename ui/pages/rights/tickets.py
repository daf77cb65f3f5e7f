"""来访和12351工单: the list (在办 / 已逾期 at a glance) and the ticket form — the registration
fields, the chain strip on top (登记 → 受理 → 转办/交办 → 办结 → 回访 → 归档, only the steps this
user may take), the time limits as they stand today in working days, and tabs with every step
taken and the handovers with their answers (打印转办单, 录入纸质反馈)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.fields.rights_tickets import HANDOVER, REPLY, STEP, TICKET
from app.security.roles import role_label
from app.services import records
from app.services.rights import handovers, ticket_chain, timers
from ui.dialogs.fields_dialog import FieldsDialog
from ui.errors import show_error
from ui.kit.chain_strip import ChainStrip, ChainView
from ui.kit.form_list import FormListPage
from ui.theme import COLORS
from ui.widgets.binding import RecordBinding
from ui.widgets.file_actions import record_print_button
from ui.widgets.object_table import ObjectTable
from ui.widgets.record_form import RecordFormDialog

BINDING = RecordBinding.of(TICKET.key, "rights.ticket", waiting=ticket_chain.waiting_text)
TIMER_COLOURS = {"ok": "ok", "met": "ok", "near": "warn", "overdue": "error", "late": "error",
                 "waiting": "muted"}
VIEW = ChainView(
    labels=ticket_chain.STRIP, position=ticket_chain.strip_position, marks=ticket_chain.strip_marks,
    status_labels=ticket_chain.STATUS_LABELS, actions=ticket_chain.available_actions,
    act=ticket_chain.act, status=lambda s, actor, rid: records.get(s, actor, TICKET.key, rid).status,
    spec_key=TICKET.key, good=("archived",), bad=("rejected",), waiting=ticket_chain.waiting_text,
    button_texts={"accept": "受理", "answer": "办结", "reject": "不予受理", "handover": "转出",
                  "result": "办结", "extend": "延期", "callback": "记录回访", "archive": "归档",
                  "return": "退回重办"})


class TicketStrip(ChainStrip):
    def __init__(self, ctx, parent=None):
        super().__init__(ctx, VIEW, parent)

    def initial_for(self, info) -> dict | None:
        with self.ctx.read() as s:
            return ticket_chain.step_defaults(s, self.ctx.actor, self.record_id, info.key)


class TimerPanel(QGroupBox):
    """The ticket's limits in words and colour: 剩 3 个工作日 (amber when near), 已逾期 (red)."""

    def __init__(self, parent=None):
        super().__init__("办理时限(按工作日和节假日调休安排计算)", parent)
        self.row = QHBoxLayout()
        self.row.setSpacing(24)
        self.note = QLabel("")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 6)
        layout.setSpacing(2)
        layout.addLayout(self.row)
        layout.addWidget(self.note)
        self.labels: list[QLabel] = []

    def show_timers(self, items: list[timers.Timer], note: str = "") -> None:
        for label in self.labels:
            label.deleteLater()
        self.labels = []
        while self.row.count():  # the stretch of the last time
            self.row.takeAt(0)
        for t in items:
            due = t.due.isoformat() if t.due else "—"
            label = QLabel(f"{t.label}:{due}  <b>{t.text}</b>")
            label.setStyleSheet(f"color: {COLORS[TIMER_COLOURS[t.state]]};")
            self.labels.append(label)
            self.row.addWidget(label)
        self.row.addStretch(1)
        self.note.setText(note)
        self.note.setVisible(bool(note))


class HandoverTab(QWidget):
    """The ticket's handovers and the answers that came back (by bundle, or keyed in from paper)."""

    def __init__(self, ctx, ticket_id: str, parent=None):
        super().__init__(parent)
        self.ctx, self.ticket_id = ctx, ticket_id
        self.handovers = ObjectTable(ctx, HANDOVER, ("seq", "mode", "target_unit_id", "handed_on",
                                                     "due_on", "via", "handed_by", "withdrawn_on"))
        self.replies = ObjectTable(ctx, REPLY, ("replied_on", "unit_id", "handler", "result", "via",
                                                "entered_by"))
        self.print_button = record_print_button(ctx, HANDOVER.key, self.handovers.current_id, self)
        self.reply_button = QPushButton("录入纸质反馈…")
        self.reply_button.clicked.connect(self.record_reply)
        self.handovers.itemSelectionChanged.connect(self._selected)
        buttons = QHBoxLayout()
        if self.print_button is not None:
            buttons.addWidget(self.print_button)
        buttons.addWidget(self.reply_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("转办(交办)记录"))
        layout.addWidget(self.handovers)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("承办工会反馈"))
        layout.addWidget(self.replies)

    def load(self) -> None:
        with self.ctx.read() as s:
            self.handovers.set_objects(s, handovers.handovers_of(s, self.ctx.actor, self.ticket_id))
            self.replies.set_objects(s, handovers.replies_of(s, self.ctx.actor, self.ticket_id))
        self.handovers.fit_columns(220)
        self.replies.fit_columns(320)
        if self.handovers.rowCount():
            self.handovers.selectRow(self.handovers.rowCount() - 1)
        self._selected()

    def _selected(self) -> None:
        handover_id = self.handovers.current_id()
        why = "请先选择转办记录"
        if handover_id:
            with self.ctx.read() as s:
                h = records.get_live(s, HANDOVER, handover_id)
                why = handovers.reply_refusal(s, self.ctx.actor, h)
        self.reply_button.setEnabled(why is None)
        self.reply_button.setToolTip(why or "")
        if self.print_button is not None:
            self.print_button.setEnabled(handover_id is not None)

    def reply_dialog(self) -> FieldsDialog | None:
        from ui.pages.rights.handovers import reply_dialog

        handover_id = self.handovers.current_id()
        return reply_dialog(self.ctx, handover_id, self, "录入承办工会的反馈", "录入",
                            "按承办工会盖章送回的回执录入;录入后可在工单上“办结”。") if handover_id else None

    def record_reply(self) -> None:
        dialog = self.reply_dialog()
        self.last_dialog = dialog
        if dialog is not None and dialog.exec():
            self.ctx.notify_saved(REPLY.key, "已录入承办工会的反馈")
            self.load()


class TicketFormDialog(RecordFormDialog):
    stays_open_after_create = True  # a new ticket is taken along its chain from its own form
    def __init__(self, ctx, record_id: str | None = None, parent=None, initial=None):
        binding, self.status = BINDING, "registered"
        if record_id:
            with ctx.read() as s:
                ticket = records.get(s, ctx.actor, TICKET.key, record_id)
                self.status = ticket.status
                if not ticket_chain.may_edit(s, ctx.actor, ticket):
                    binding = replace(binding, update=None)
        super().__init__(ctx, binding, record_id, parent, initial)
        self.strip = TicketStrip(ctx, self)
        self.strip.before_action = self.save_pending
        self.strip.acted.connect(lambda _key: self.reload())
        head = QHBoxLayout()
        head.addWidget(self.strip, 1)
        self.print_button = record_print_button(ctx, TICKET.key, lambda: self.record_id, self)
        if self.print_button is not None:
            head.addWidget(self.print_button)
        self.layout().insertLayout(0, head)
        self.timer_panel = TimerPanel(self)
        self.layout().insertWidget(1, self.timer_panel)
        if record_id:
            self._add_record_tabs()
        self.resize(1100, 720)
        self.reload_timers()
        self.strip.load(record_id, self.status)
        if record_id:
            self._load_tabs()

    def _add_record_tabs(self) -> None:
        """办理记录 and 转办反馈: a stored ticket's."""
        self.steps = ObjectTable(self.ctx, STEP, ("step_no", "action", "to_status", "acted_on",
                                                  "opinion", "level_unit_id", "actor_name",
                                                  "actor_role"), texts={"actor_role": role_label})
        self.handover_tab = HandoverTab(self.ctx, self.record_id)
        self.tabs.insertTab(1, self.steps, "办理记录")
        self.tabs.insertTab(2, self.handover_tab, "转办反馈")

    def created(self) -> None:
        """Registered: the form stays on it, its first step (受理 …) now on the strip."""
        self._add_record_tabs()
        self.reload()
        super().created()

    def reload_timers(self) -> None:
        if not self.record_id:
            self.timer_panel.show_timers([], "保存登记后按复杂程度(信访事项按法定期限)计算办理期限。")
            return
        with self.ctx.read() as s:
            ticket = records.get(s, self.ctx.actor, TICKET.key, self.record_id)
            items = timers.timers(s, ticket)
            note = ticket.due_note or ""
        self.timer_panel.show_timers(items, note)

    def _load_tabs(self) -> None:
        with self.ctx.read() as s:
            self.steps.set_objects(s, ticket_chain.history(s, self.ctx.actor, self.record_id))
        self.steps.fit_columns(260)
        self.handover_tab.load()

    def reload(self) -> None:
        """Show the ticket as stored now (after a step)."""
        try:
            with self.ctx.read() as s:
                ticket = records.get(s, self.ctx.actor, TICKET.key, self.record_id)
                self.status = ticket.status
                stored = records.stored_values(TICKET, ticket)
                editable = ticket_chain.may_edit(s, self.ctx.actor, ticket)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        for key, value in stored.items():
            if key in self.cells:
                self.cells[key].editor.set_stored(value)
        self.editable = editable and self.binding.can_write(self.ctx.actor)
        for cell in self.cells.values():
            cell.editor.set_editable(self.editable)
        self.save_button.setVisible(self.editable)
        self.cancel_button.setText("取消" if self.editable else "关闭")
        if self.editable and self.binding.update is None:
            self.binding = BINDING
        self._initial_raw = self._raw_values(all_fields=True)
        self.strip.load(self.record_id, self.status)
        self.reload_timers()
        self._load_tabs()

    def smoke_dialogs(self) -> list:
        return [(info.label, lambda info=info: self.strip.dialog_for(info)) for info in self.strip.actions]


class TicketsTab(FormListPage):
    def __init__(self, ctx, **kw):
        super().__init__(ctx, BINDING, TicketFormDialog, **kw)
        self.filters.add_choice("timer", "时限", [("open", "在办"), ("overdue", "已逾期")])
        if self.model.query.sort is None:  # the newest first, as a reception works down its book
            column = next(i for i, c in enumerate(self.model.columns) if c.key == "received_on")
            self.view.horizontalHeader().setSortIndicator(column, Qt.SortOrder.DescendingOrder)
