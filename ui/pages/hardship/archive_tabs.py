"""Tabs of the archive form: 审核记录 (every step: who, when, which level's opinion, signer),
家庭救助台账 (everything the household received across programmes, with totals), 附件 (scans of
ID cards, 户口本, certificates, invoices: JPEG, PNG or PDF, opened in the system viewer)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.fields.hardship import ATTACHMENT, REVIEW
from app.fields.hardship_relief import LEDGER
from app.security.roles import role_label
from app.services.attachments import MAX_BYTES as MAX_ATTACHMENT  # the core's limit, told at once
from app.services.hardship import attachments, ledger, workflow
from app.validation import format_yuan
from ui.dialogs.fields_dialog import FieldsDialog
from ui.dialogs.files import Files
from ui.errors import show_error
from ui.theme import icon
from ui.widgets.files_tab import open_bytes, remove_selected
from ui.widgets.object_table import ObjectTable

LEDGER_COLUMNS = ("paid_on", "kind", "cash_fen", "goods_kind", "goods_qty", "goods_unit",
                  "goods_value_fen", "fund_source", "campaign_id", "batch", "paid_by", "signed_by",
                  "reason")


class ReviewsTab(QWidget):
    def __init__(self, ctx, archive_id: str, parent=None):
        super().__init__(parent)
        self.ctx, self.archive_id = ctx, archive_id
        self.table = ObjectTable(ctx, REVIEW, ("step_no", "action", "to_status",
                                               "acted_on", "opinion", "level_unit_id",
                                               "signer_name", "actor_name", "actor_role"),
                                   texts={"actor_role": role_label})
        note = QLabel("每个审核环节的办理人、日期、意见单位和纸质意见签字人,只增不改。")
        note.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)

    def load(self) -> None:
        with self.ctx.read() as s:
            self.table.set_objects(s, workflow.history(s, self.ctx.actor, self.archive_id))
        self.table.fit_columns(260)


class LedgerTab(QWidget):
    def __init__(self, ctx, archive_id: str, parent=None):
        super().__init__(parent)
        self.ctx, self.archive_id = ctx, archive_id
        self.table = ObjectTable(ctx, LEDGER, LEDGER_COLUMNS)
        self.totals = QLabel("")
        self.totals.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.totals)
        layout.addWidget(self.table)

    def load(self) -> None:
        with self.ctx.read() as s:
            book = ledger.household_ledger(s, self.ctx.actor, self.archive_id)
            self.table.set_objects(s, book.entries)
        codes = self.ctx.codes
        kinds = ";".join(f"{codes.label('relief_kind', k) or k} {format_yuan(v)} 元"
                         for k, v in sorted(book.by_kind.items()))
        years = ";".join(f"{y}年 {format_yuan(v)} 元" for y, v in sorted(book.by_year.items()))
        self.totals.setText(
            f"共 {len(book.entries)} 笔,现金 {format_yuan(book.cash_fen)} 元,物品折价 "
            f"{format_yuan(book.goods_value_fen)} 元(冲正已抵减)。" + (f"按类型:{kinds}。" if kinds else "")
            + (f"按年度:{years}。" if years else ""))


class AttachmentsTab(QWidget):
    def __init__(self, ctx, archive_id: str, status: str, parent=None):
        super().__init__(parent)
        self.ctx, self.archive_id, self.status = ctx, archive_id, status
        self.table = ObjectTable(ctx, ATTACHMENT, ("kind", "name", "mime", "size"))
        self.table.open_requested.connect(self.open_attachment)
        self.add_button = QPushButton(icon("add"), "添加扫描件…")
        self.open_button = QPushButton(icon("eye"), "打开")
        self.remove_button = QPushButton(icon("void"), "删除")
        self.add_button.clicked.connect(self.add)
        self.open_button.clicked.connect(lambda: self.open_attachment(self.table.current_id()))
        self.remove_button.clicked.connect(self.remove)
        writable = attachments.may_change(ctx.actor)
        self.add_button.setVisible(writable)
        self.remove_button.setVisible(writable)
        row = QHBoxLayout()
        for b in (self.add_button, self.open_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        note = QLabel("身份证、户口簿、病历、收入证明、发票等的扫描件或照片(JPEG、PNG、PDF)。")
        note.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def load(self) -> None:
        with self.ctx.read() as s:
            self.table.set_objects(s, attachments.list_attachments(s, self.ctx.actor, self.archive_id))

    def add(self) -> None:
        path = Files.open_path(self, "选择扫描件", "扫描件 (*.jpg *.jpeg *.png *.pdf)")
        if path is not None:
            self.add_file(path)

    def add_file(self, path: Path) -> bool:
        """Ask the attachment's type and name, then store it (the core checks the bytes)."""
        if path.stat().st_size > MAX_ATTACHMENT:
            show_error(self, _error(f"文件超过 {MAX_ATTACHMENT // 2**20} MB,请压缩或分页扫描"))
            return False
        data = path.read_bytes()
        ctx, archive_id = self.ctx, self.archive_id

        def submit(raw):
            with ctx.write() as s:
                return attachments.add_attachment(s, ctx.actor, archive_id, raw["kind"], raw["name"], data)

        dialog = FieldsDialog(ctx, "添加附件", (ATTACHMENT.field("kind"), ATTACHMENT.field("name")),
                              "添加", submit, self, initial={"name": path.stem})
        self.last_dialog = dialog
        if not dialog.exec():
            return False
        ctx.notify_saved("hardship_attachment", f"已添加附件“{path.name}”")
        self.load()
        return True

    def open_attachment(self, attachment_id: str | None) -> None:
        if not attachment_id:
            return
        try:
            with self.ctx.read() as s:
                row, data = attachments.attachment_bytes(s, self.ctx.actor, attachment_id)
                name, mime = row.name, row.mime
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.opened = open_bytes(self, self.ctx.db.path, name, mime, data)

    def remove(self) -> None:
        remove_selected(self, lambda s, attachment_id: attachments.remove_attachment(
            s, self.ctx.actor, attachment_id))

def _error(message: str):
    from app.errors import AppError

    return AppError(message)
