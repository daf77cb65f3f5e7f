"""The 附件 tab of a record's form: the files attached to it (photos of a 普法 event, scans), added
from disk, opened in the system viewer, removed — through ``app.services.attachments``, which
checks the register's permission and the bytes (JPEG, PNG or PDF)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.fields.attachments import ATTACHMENT
from app.services import attachments
from app.services.attachments import MAX_BYTES
from app.services.records import may_write
from ui.dialogs.ask import Ask
from ui.dialogs.files import Files
from ui.errors import show_error, show_message
from ui.widgets.object_table import ObjectTable

SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


def open_bytes(parent, db_path, name: str, mime: str, data: bytes) -> Path | None:
    """Write a file's bytes to the database's viewing folder (emptied when the program closes and
    at the next start: ``app.viewing``) and open it in the system viewer; without a viewer, say so
    and leave nothing behind."""
    from app import viewing
    from app.fileops import discard
    from app.printing.forms.common import safe_stem

    suffix = SUFFIX.get(mime, "")
    # “发票 1/2” names no folder
    target = viewing.write_for_viewing(db_path, f"{safe_stem(name)}{suffix}", data)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        return target
    discard(target)
    kind = {".pdf": "PDF 文件", ".jpg": "图片", ".png": "图片"}.get(suffix, "此类文件")
    show_message(parent, f"本机没有可以打开{kind}的程序,附件“{name}”无法显示。"
                         "请安装 PDF 阅读器或看图程序后再试;附件仍完好保存在记录中。", title="无法打开附件")
    return None


class FilesTab(QWidget):
    def __init__(self, ctx, key: str, record_id: str, note: str, parent=None):
        super().__init__(parent)
        self.ctx, self.key, self.record_id = ctx, key, record_id
        self.table = ObjectTable(ctx, ATTACHMENT, ("file_name", "mime", "size", "note"))
        self.table.open_requested.connect(self.open_file)
        row = QHBoxLayout()
        for text, slot in (("添加…", self.add), ("打开", lambda: self.open_file(self.table.current_id())),
                           ("删除", self.remove)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, slot=slot: slot())
            button.setEnabled(text == "打开" or may_write(ctx.actor, key))
            row.addWidget(button)
        row.addStretch(1)
        hint = QLabel(note)
        hint.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def load(self) -> None:
        with self.ctx.read() as s:
            self.table.set_objects(s, attachments.files_of(s, self.ctx.actor, self.key, self.record_id))

    def add(self) -> None:
        path = Files.open_path(self, "选择文件", "照片或扫描件 (*.jpg *.jpeg *.png *.pdf)")
        if path is not None:
            self.add_file(path)

    def add_file(self, path: Path) -> bool:
        if path.stat().st_size > MAX_BYTES:
            show_error(self, _error(f"文件超过 {MAX_BYTES // 2**20} MB,请压缩后再上传"))
            return False
        try:
            with self.ctx.write() as s:
                attachments.attach(s, self.ctx.actor, self.key, self.record_id, path.name,
                                   path.read_bytes())
        except Exception as exc:  # noqa: BLE001 — said in Chinese
            show_error(self, exc)
            return False
        self.ctx.notify_saved("attachment", f"已添加附件“{path.name}”")
        self.load()
        return True

    def open_file(self, attachment_id: str | None) -> None:
        if not attachment_id:
            return
        try:
            with self.ctx.read() as s:
                row, data = attachments.file_bytes(s, self.ctx.actor, self.key, attachment_id)
                name, mime = row.file_name, row.mime
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.opened = open_bytes(self, self.ctx.db.path, Path(name).stem, mime, data)

    def remove(self) -> None:
        remove_selected(self, lambda s, attachment_id: attachments.detach(
            s, self.ctx.actor, self.key, attachment_id))


def remove_selected(tab, detach) -> None:
    """Remove the attachment selected in ``tab.table`` after asking (``detach(session, id)``)."""
    attachment_id = tab.table.current_id()
    if not attachment_id or not Ask.confirm(tab, "删除附件", "删除所选附件?删除记录写入审计日志。",
                                            "删除", danger=True):
        return
    try:
        with tab.ctx.write() as s:
            detach(s, attachment_id)
    except Exception as exc:  # noqa: BLE001 — said in Chinese
        show_error(tab, exc)
        return
    tab.load()


def _error(message: str):
    from app.errors import AppError

    return AppError(message)
