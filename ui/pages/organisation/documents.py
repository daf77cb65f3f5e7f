"""文号: the county's outgoing documents (发文登记) and its 发文字号. A document is numbered with
编号 on the PC that numbers its series — elsewhere the core says which PC does — and prints as a
公文 (打印 ▾); 接管编号 makes this PC the one that numbers a series."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from app.services.organisation import documents
from ui.dialogs.ask import Ask
from ui.errors import show_error
from ui.pages.hardship.lists import FormListPage
from ui.widgets.binding import RecordBinding
from ui.widgets.record_form import RecordFormDialog

DOCUMENTS = RecordBinding.of("document", "organisation.document")
SERIES = RecordBinding.of("doc_series", "organisation.doc_series")


def _form(binding):
    return lambda ctx, record_id, parent, initial: RecordFormDialog(ctx, binding, record_id, parent, initial)


class DocumentList(FormListPage):
    def __init__(self, ctx, **kw):
        super().__init__(ctx, DOCUMENTS, _form(DOCUMENTS), **kw)
        self.number_action = self.add_button("编号", "check", self.number)

    def number(self) -> None:
        doc_id = self.current_id()
        if doc_id is None:
            return
        try:
            with self.ctx.write() as s:
                doc = documents.number(s, self.ctx.actor, doc_id)
                text = f"已编号:{doc.doc_no}"
        except Exception as exc:  # noqa: BLE001 - shown in plain Chinese (AppError) or logged
            show_error(self, exc)
            return
        self.ctx.notify_saved("document", text)
        self.reload()


class SeriesList(FormListPage):
    def __init__(self, ctx, **kw):
        super().__init__(ctx, SERIES, _form(SERIES), **kw)
        self.take_action = self.add_button("接管编号", "key", self.take_over)

    def take_over(self) -> None:
        series_id = self.current_id()
        if series_id is None:
            return
        if not Ask.confirm(self, "接管编号", "今后该发文字号只在本机编号。请确认原编号电脑已停止编号,"
                           "并已把它最近的数据交换到本机,否则两台电脑可能编出相同文号"
                           "(交换时会列入冲突处理,须为其中一份重新编号)。", "接管"):
            return
        label = Ask.text(self, "接管编号", "本机名称(如“办公室 张三的电脑”):")
        if not label:
            return
        try:
            with self.ctx.write() as s:
                documents.take_over(s, self.ctx.actor, series_id, label)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.ctx.notify_saved("doc_series", "本机已接管编号")
        self.reload()


class DocumentsTab(QTabWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.documents = DocumentList(ctx)
        self.series = SeriesList(ctx)
        self.addTab(self.documents, "发文登记")
        self.addTab(self.series, "发文字号")

    def smoke_dialogs(self) -> list:
        return self.documents.smoke_dialogs() + self.series.smoke_dialogs()
