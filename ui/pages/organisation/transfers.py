"""Cross-county transfers on the 会员 tab: a county's 跨县转入 (the members the city forwarded,
each taken into one of the county's grassroots unions), the city's 转递跨县转接."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from app.fields.organisation import TRANSFER
from app.fields.spec import Field, Kind
from app.services import records
from app.services.organisation import transfers
from ui.dialogs.ask import Ask
from ui.dialogs.fields_dialog import FieldsDialog
from ui.errors import show_error
from ui.theme import icon
from ui.widgets.object_table import ObjectTable

ACCEPT_INPUTS = (
    Field("union_id", "接收的基层工会", Kind.REF, required=True, ref="unit",
          ref_filter={"kind": ("grassroots", "federation")}),
    Field("event_date", "转入日期", Kind.DATE, help="空着取今天"),
)


def transfer_action(page) -> QAction | None:
    """The 会员 list's transfer button, for a user who may record 会籍 changes."""
    ctx = page.ctx
    if not records.may_write(ctx.actor, "membership_event"):
        return None
    with ctx.read() as s:
        city = transfers.forwards(s)
    action = QAction(icon("exchange"), "转递跨县转接" if city else "跨县转入", page)
    action.triggered.connect(lambda _c=False: forward(page) if city else IncomingDialog(page).exec())
    page.add_action(action)
    return action


def forward(page) -> None:
    try:
        with page.ctx.write() as s:
            done, closed = transfers.forward(s, page.ctx.actor)
    except Exception as exc:  # noqa: BLE001 - shown in plain Chinese (AppError) or logged
        show_error(page, exc)
        return
    Ask.info(page, "转递跨县转接", f"已转递 {done} 件,办结 {closed} 件。随下次数据包送达转出县和转入县。")


class IncomingDialog(QDialog):
    """The members forwarded to this county; 接收 takes the chosen one into a union."""

    def __init__(self, page):
        super().__init__(page)
        self.page, self.ctx = page, page.ctx
        self.setWindowTitle("跨县转入")
        self.table = ObjectTable(self.ctx, TRANSFER, ("name", "id_number", "from_county_name",
                                                      "from_union_name", "to_place", "transferred_on",
                                                      "letter_no"))
        self.empty = QLabel("没有待接收的跨县转入会员(市总工会转递后随数据包到达)。")
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("接收…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.clicked.connect(self.take_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.load()

    def load(self) -> None:
        with self.ctx.read() as s:
            rows = transfers.incoming(s, self.ctx.actor)
            self.table.set_objects(s, rows)
        self.empty.setVisible(not rows)
        self.accept_button.setEnabled(bool(rows))
        if rows:
            self.table.selectRow(0)

    def take_in(self) -> FieldsDialog | None:
        transfer_id = self.table.current_id()
        if transfer_id is None:
            return None
        ctx = self.ctx

        def submit(raw):
            with ctx.write() as s:
                transfers.accept(s, ctx.actor, transfer_id, raw["union_id"], raw.get("event_date"))

        dialog = FieldsDialog(ctx, "接收转入会员", ACCEPT_INPUTS, "接收", submit, self)
        self.last_dialog = dialog
        if dialog.exec():
            ctx.notify_saved("member", "已接收跨县转入的会员")
            self.load()
            self.page.reload()
        return dialog
