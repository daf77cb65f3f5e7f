"""The member's form with its 会籍 history: the record's own events and, before a cross-county
转入, the history the transfer carried; buttons for what the user may do now — 办理会籍变动
(保留会籍, 转出, 退会 …), 本县转接 (转出 and 转入 in one step), 作废最近一条. The member's union and
status are not typed: they follow from the events (the form shows them read-only)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.fields.organisation import MEMBERSHIP_EVENT
from app.fields.spec import Field, Kind
from app.services import records
from app.services.organisation import membership, transfers
from ui.dialogs.ask import Ask
from ui.dialogs.fields_dialog import FieldsDialog
from ui.errors import show_error
from ui.widgets.record_form import RecordFormDialog

EVENT_INPUTS = ("kind", "event_date", "to_union_id", "to_county_code", "to_place", "reason", "doc_no",
                "notes")
TRANSFER_INPUTS = (
    Field("to_union_id", "转入的基层工会", Kind.REF, required=True, ref="unit",
          ref_filter={"kind": ("grassroots", "federation")}),
    Field("event_date", "转接日期", Kind.DATE, required=True),
    Field("doc_no", "介绍信编号", max_len=50),
)


def event_fields() -> tuple[Field, ...]:
    """The inputs of a new event, required where the event always needs them."""
    from dataclasses import replace

    out = []
    for key in EVENT_INPUTS:
        f = MEMBERSHIP_EVENT.field(key)
        if key == "kind":  # the opening kinds come with the member (入会) or a transfer (转入)
            f = replace(f, choices=tuple(c for c in f.choices if c[0] not in membership.ENTERS))
        out.append(replace(f, required=f.required or key == "event_date", set_once=""))
    return tuple(out)


class MembershipPanel(QWidget):
    """会籍记录: the history table and the actions."""

    def __init__(self, ctx, member_id: str, changed, parent=None):
        super().__init__(parent)
        self.ctx, self.member_id, self.changed = ctx, member_id, changed
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["日期", "变动", "基层工会", "说明"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 100)
        self.table.setColumnWidth(1, 80)
        self.table.setColumnWidth(2, 260)
        self.note = QLabel("")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.buttons: dict[str, QPushButton] = {}
        if records.may_write(ctx.actor, "membership_event"):
            row = QHBoxLayout()
            for key, text, slot in (("event", "办理会籍变动…", self.record_event),
                                    ("transfer", "本县转接…", self.transfer),
                                    ("undo", "作废最近一条", self.undo)):
                button = QPushButton(text)
                button.clicked.connect(lambda _c=False, slot=slot: slot())
                self.buttons[key] = button
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        self.rows: list[dict] = []
        self.load()

    def load(self) -> None:
        with self.ctx.read() as s:
            self.rows = transfers.history(s, self.ctx.actor, self.member_id)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, key in enumerate(("date", "kind", "union", "note")):
                item = QTableWidgetItem(row[key] or "")
                if not row["own"]:
                    item.setForeground(self.palette().placeholderText())
                item.setToolTip(row[key] or "")
                self.table.setItem(r, c, item)
        carried = any(not r["own"] for r in self.rows)
        self.note.setText("灰色为转入前在外县的会籍记录(随转接单转来)。" if carried else
                          "会员的所属工会、会籍状态和入会日期由会籍记录得出。")
        if "undo" in self.buttons:
            last = next((r for r in reversed(self.rows) if r["own"]), None)
            self.buttons["undo"].setEnabled(last is not None and last["ordinal"] > membership.OPENING[-1])

    def _dialog(self, title: str, fields, action: str, submit) -> FieldsDialog:
        return FieldsDialog(self.ctx, title, fields, action, submit, self)

    def record_event(self) -> FieldsDialog:
        ctx, mid = self.ctx, self.member_id

        def submit(raw):
            with ctx.write() as s:
                records.create(s, ctx.actor, membership.REGISTER, {**raw, "member_id": mid})

        return self._run(self._dialog("办理会籍变动", event_fields(), "登记", submit), "已登记会籍变动")

    def transfer(self) -> FieldsDialog:
        ctx, mid = self.ctx, self.member_id

        def submit(raw):
            with ctx.write() as s:
                transfers.transfer_within(s, ctx.actor, mid, raw["to_union_id"], raw["event_date"],
                                          doc_no=raw.get("doc_no"))

        return self._run(self._dialog("本县转接", TRANSFER_INPUTS, "转接", submit), "已办理转接")

    def _run(self, dialog: FieldsDialog, message: str) -> FieldsDialog:
        self.last_dialog = dialog
        if dialog.exec():
            self.ctx.notify_saved("membership_event", message)
            self.load()
            self.changed()
        return dialog

    def undo(self) -> None:
        last = next((r for r in reversed(self.rows) if r["own"]), None)
        if last is None or not Ask.confirm(self, "作废会籍记录", f"作废“{last['date']} {last['kind']}”这一条?"
                                           "会员的工会和会籍状态随之恢复。", "作废", danger=True):
            return
        try:
            with self.ctx.write() as s:
                records.void(s, self.ctx.actor, membership.REGISTER, last["id"])
        except Exception as exc:  # noqa: BLE001 - shown in plain Chinese (AppError) or logged
            show_error(self, exc)
            return
        self.ctx.notify_saved("membership_event", "已作废会籍记录")
        self.load()
        self.changed()


class MemberForm(RecordFormDialog):
    """The member register's form, with the 会籍记录 tab for a stored member."""

    def __init__(self, ctx, record_id, parent=None, initial=None):
        from ui.pages.organisation import MEMBER_BINDING

        super().__init__(ctx, MEMBER_BINDING, record_id, parent, initial)
        self.membership = None
        if record_id:
            self.membership = MembershipPanel(ctx, record_id, self._reload_state, self)
            self.tabs.insertTab(1, self.membership, "会籍记录")

    def _reload_state(self) -> None:
        """The union, status and 入会日期 the events now give."""
        with self.ctx.read() as s:
            member = records.get(s, self.ctx.actor, "member", self.record_id)
            stored = {k: getattr(member, k) for k in ("union_id", "status", "joined_on")}
        for key, value in stored.items():
            self.cells[key].editor.set_stored(value)
        self._initial_raw = self._raw_values(all_fields=True)

    def smoke_dialogs(self) -> list:
        if self.membership is None or "event" not in self.membership.buttons:
            return []
        return [("办理会籍变动", lambda: FieldsDialog(self.ctx, "办理会籍变动", event_fields(), "登记", None, self)),
                ("本县转接", lambda: FieldsDialog(self.ctx, "本县转接", TRANSFER_INPUTS, "转接", None, self))]
