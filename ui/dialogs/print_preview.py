"""打印预览: the printed form drawn by the core (``app.printing``) into a temporary PDF, its pages
rendered with pypdfium2, page by page and zoomable; 打印 sends the pages to a printer chosen in
the system's print dialog, 另存为 PDF writes the form again to the chosen file (audited as a
print, with a Chinese file name such as ``困难职工档案表_张三_2020-07-10.pdf``).

Producing the PDF, rendering pages and printing all run in the background. A list form that
refuses its options with ready choices (``OptionsNeeded.choices``: the 公示名单 of archives in
several 公示 periods) asks the user to pick one, the latest offered first, and is produced again
with it.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from ui.dialogs.ask import Ask
from ui.dialogs.files import Files
from ui.errors import show_error
from ui.pdf_pages import PdfPages
from ui.theme import icon
from ui.workers import run_in_background

ZOOMS = (("适合宽度", 0.0), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0), ("125%", 1.25),
         ("150%", 1.5), ("200%", 2.0))
SCREEN_DPI = 96.0  # 100% shows the paper at its real size on a 96-dpi screen
PRINT_DPI_MAX = 300


class PrintPreviewDialog(QDialog):
    def __init__(self, ctx, form_name: str, request, parent: QWidget | None = None, *,
                 title: str = ""):
        super().__init__(parent)
        self.ctx, self.form_name, self.request = ctx, form_name, request
        self.result = None  # app.printing.service.PrintResult
        self.pages: PdfPages | None = None
        self.page_index = 0
        self._render_serial = 0
        self.rendered_page: int | None = None  # the page on screen (tests read it)
        self._chosen = False  # a choice offered by the form was asked
        self.setWindowTitle(f"打印预览 — {title}" if title else "打印预览")

        self.prev_button = QPushButton(icon("up"), "上一页")
        self.next_button = QPushButton(icon("down"), "下一页")
        self.page_spin = QSpinBox()
        self.page_spin.setMinimum(1)
        self.page_spin.setAccessibleName("页码")
        self.page_total = QLabel("")
        self.zoom = QComboBox()
        self.zoom.setAccessibleName("缩放")
        for text, value in ZOOMS:
            self.zoom.addItem(text, value)
        self.print_button = QPushButton(icon("print"), "打印…")
        self.save_button = QPushButton(icon("export"), "另存为 PDF…")
        self.close_button = QPushButton("关闭")
        self.prev_button.clicked.connect(lambda: self.show_page(self.page_index - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page_index + 1))
        self.page_spin.valueChanged.connect(lambda v: self.show_page(v - 1))
        self.zoom.currentIndexChanged.connect(lambda _i: self._render())
        self.print_button.clicked.connect(self.print_pages)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_pages)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, activated=lambda: self.show_page(self.page_index + 1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, activated=lambda: self.show_page(self.page_index - 1))

        bar = QHBoxLayout()
        bar.setSpacing(8)
        for w in (self.prev_button, self.next_button, QLabel("第"), self.page_spin, self.page_total,
                  QLabel("缩放"), self.zoom):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(w)
        self.status = QLabel("正在生成……")
        self.status.setObjectName("muted")
        self.canvas = QLabel()
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.canvas.setObjectName("previewPage")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(True)
        self.scroll.setStyleSheet("QScrollArea { background: #8a8f98; } "
                                  "QLabel#previewPage { background: #8a8f98; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.status)
        self._set_ready(False)
        self.resize(980, 720)
        self._produce()

    # -- the PDF ---------------------------------------------------------------------------------
    def _produce(self) -> None:
        ctx, form_name, request = self.ctx, self.form_name, self.request

        def work(progress):
            from app.printing.service import print_to_temp

            result = print_to_temp(ctx.db, ctx.actor, form_name, request, progress=progress)
            return result, PdfPages(result.path)

        run_in_background(self, work, self._produced, self._failed, title="正在生成打印预览")

    def _produced(self, outcome) -> None:
        self.result, self.pages = outcome
        n = len(self.pages)
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(n, 1))
        self.page_spin.blockSignals(False)
        self.page_total.setText(f"页 / 共 {n} 页")
        missing = self.result.missing_chars
        self.status.setText(f"共 {self.result.forms:,} 份 {n:,} 页"
                            + (f";以下字符没有字体可显示:{''.join(sorted(missing))}" if missing else ""))
        self._set_ready(True)
        self.show_page(0)

    def _failed(self, exc, tb) -> None:
        from app.printing.registry import OptionsNeeded

        if isinstance(exc, OptionsNeeded) and exc.choices and not self._chosen:
            self._chosen = True  # asked once: the same refusal again is shown, not asked again
            index = Ask.choice(self, self.windowTitle(), exc.question,
                               [text for text, _o in exc.choices], exc.default, action="预览")
            if index is not None:
                options = {**self.request.options, **exc.choices[index][1]}
                self.request = replace(self.request, options=options)
                self.status.setText("正在生成……")
                self._produce()
                return
            QTimer.singleShot(0, self.reject)
            return
        self.status.setText("生成失败")
        show_error(self, exc, tb)
        QTimer.singleShot(0, self.reject)

    def _set_ready(self, on: bool) -> None:
        for w in (self.prev_button, self.next_button, self.page_spin, self.zoom, self.print_button,
                  self.save_button):
            w.setEnabled(on)
        if on:
            self.print_button.setDefault(True)

    @property
    def page_count(self) -> int:
        return len(self.pages) if self.pages else 0

    # -- pages -----------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        if not self.pages:
            return
        index = max(0, min(index, self.page_count - 1))
        self.page_index = index
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.page_count - 1)
        self._render()

    def scale(self) -> float:
        """Pixels per point of the current zoom (fit width from the viewport)."""
        factor = self.zoom.currentData() or 0.0
        width_pt = self.pages.sizes[self.page_index][0]
        if factor == 0.0:
            return max(0.2, (self.scroll.viewport().width() - 24) / width_pt)
        return factor * SCREEN_DPI / 72.0

    def _render(self) -> None:
        if not self.pages:
            return
        self._render_serial += 1
        serial, index, scale = self._render_serial, self.page_index, self.scale() * self.devicePixelRatioF()
        pages = self.pages

        def shown(image) -> None:
            if serial != self._render_serial:
                return  # the user has moved on
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            self.canvas.setPixmap(pixmap)
            self.rendered_page = index

        def failed(exc, tb) -> None:
            if self.pages is not None:  # else: the dialog was closed meanwhile
                show_error(self, exc, tb)

        run_in_background(self, lambda _p: pages.render(index, scale), shown, failed)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.pages and self.zoom.currentData() == 0.0:
            self._render()

    # -- printing and saving ------------------------------------------------------------------------
    def print_pages(self) -> None:
        if not self.pages:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(Path(self.result.suggested_name).stem)
        printer.setFromTo(1, self.page_count)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.send_to_printer(printer)

    def send_to_printer(self, printer) -> None:
        """Paint the pages (the range chosen in the print dialog) onto ``printer``, in the
        background (QPainter may paint on a QPrinter outside the UI thread); then audit it."""
        from PySide6.QtGui import QPainter

        pages, result, ctx = self.pages, self.result, self.ctx
        first = max(printer.fromPage(), 1) if printer.fromPage() else 1
        last = min(printer.toPage() or self.page_count, self.page_count)
        dpi = min(printer.resolution(), PRINT_DPI_MAX)

        def work(progress):
            painter = QPainter()
            if not painter.begin(printer):
                raise RuntimeError("无法连接打印机")
            try:
                for n, index in enumerate(range(first - 1, last)):
                    progress.check()
                    progress.update(n, last - first + 1, f"正在打印第 {index + 1} 页")
                    if n:
                        printer.newPage()
                    image = pages.render(index, dpi / 72.0)
                    target = painter.viewport()
                    size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                    painter.drawImage(target.x(), target.y(), image.scaled(size))
            finally:
                painter.end()
            _audit_paper(ctx, result, last - first + 1)
            return last - first + 1

        run_in_background(self, work, lambda n: self.status.setText(f"已送打印机 {n} 页"),
                          title="正在打印")

    def save_as(self) -> None:
        if not self.result:
            return
        out = Files.save_path(self, "另存为 PDF", self.result.suggested_name, "PDF 文件 (*.pdf)")
        if out is None:
            return
        ctx, form_name, request = self.ctx, self.form_name, self.request

        def work(progress):
            from app.printing.service import print_form

            return print_form(ctx.db, ctx.actor, form_name, request, out, progress=progress)

        def saved(result) -> None:
            self.saved_path = result.path
            self.status.setText(f"已保存到 {result.path}")
            ctx.status_message.emit(f"已另存为 {result.path.name}")

        run_in_background(self, work, saved, title="正在保存 PDF")

    # -- closing ---------------------------------------------------------------------------------
    def done(self, code: int) -> None:
        self._render_serial += 1
        if self.pages is not None:
            pages, self.pages = self.pages, None
            pages.close()
        if self.result is not None:
            shutil.rmtree(self.result.path.parent, ignore_errors=True)
        super().done(code)


def _audit_paper(ctx, result, pages: int) -> None:
    """A paper copy leaves the office: logged like a print to a file."""
    from app.security import audit

    with ctx.write() as s:
        audit.append(s, action="print", actor=ctx.actor, object_type="printout",
                     summary=f"打印到纸张:{Path(result.suggested_name).stem},{pages} 页",
                     detail={"form": result.form, "forms": result.forms, "pages": pages,
                             "paper": True})
