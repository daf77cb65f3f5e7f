"""导入Excel: choose a file (or first download the template), every row checked in the background,
the report shown as a table of row, column and reason, and a button named with the count
("导入 1,203 条") that writes the valid rows in one transaction. Closing or 取消 writes nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.clock import today
from ui.dialogs.files import Files
from ui.errors import show_error
from ui.theme import icon
from ui.workers import run_in_background

REPORT_ROWS = 5000  # problems shown in the table (the summary counts them all)


class ImportWizard(QDialog):
    def __init__(self, ctx, kind_key: str, parent: QWidget | None = None):
        from app.excel.registry import kind

        super().__init__(parent)
        self.ctx, self.kind = ctx, kind(kind_key)
        self.report = None
        self.written = 0
        self.setWindowTitle(f"导入{self.kind.title}")
        intro = QLabel(f"请使用本程序的导入模板(或本程序导出的 Excel)填写{self.kind.title}。"
                       "导入前会逐行检查,列出每个问题;确认后只导入检查通过的行。")
        intro.setWordWrap(True)
        self.template_button = QPushButton(icon("export"), "下载导入模板…")
        self.choose_button = QPushButton(icon("import"), "选择 Excel 文件…")
        self.template_button.clicked.connect(self.download_template)
        self.choose_button.clicked.connect(self.choose_file)
        self.update_box = QCheckBox("更新已有记录(与已有记录不同的行作为修改导入,逐列列出改动)")
        self.update_box.setVisible(self.kind.updatable)
        self.update_box.toggled.connect(self._recheck)
        self.path: Path | None = None
        self.file_label = QLabel("尚未选择文件")
        self.file_label.setObjectName("muted")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["行号", "列", "原因"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)  # a long reason reads whole, on as many lines as it needs
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(0, 70)
        self.table.setColumnWidth(1, 160)
        self.import_button = QPushButton("导入")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.confirm)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)
        self.problems_button = QPushButton(icon("export"), "保存问题清单…")
        self.problems_button.setToolTip("把有问题的行连同原因存为 Excel,改好后可再次导入")
        self.problems_button.setEnabled(False)
        self.problems_button.clicked.connect(self.save_problems)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.template_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.problems_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.update_box)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(820, 560)

    # -- template ----------------------------------------------------------------------------------
    def download_template(self) -> None:
        save_template(self, self.ctx, self.kind)

    # -- check -----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = Files.open_path(self, f"选择要导入的{self.kind.title} Excel 文件",
                               "Excel 文件 (*.xlsx *.xlsm)")
        if path is not None:
            self.check(path)

    def _recheck(self) -> None:
        if self.path is not None:
            self.check(self.path)

    def check(self, path: Path) -> None:
        self.path = path
        self.report = None
        self.import_button.setEnabled(False)
        self.import_button.setText("导入")
        self.file_label.setText(str(path))
        self.summary.setText("正在检查……")
        self.table.setRowCount(0)
        self.problems_button.setEnabled(False)
        ctx, key, update = self.ctx, self.kind.key, self.update_box.isChecked()

        def work(progress):
            from app.excel.importer import check_file

            return check_file(ctx.db, ctx.actor, key, path, progress, update=update)

        def failed(exc, tb) -> None:
            self.summary.setText("无法检查该文件")
            show_error(self, exc, tb)

        run_in_background(self, work, self.show_report, failed, title="正在逐行检查")

    def show_report(self, report) -> None:
        self.report = report
        lines = [("整个文件" if p.row == 0 else str(p.row), p.column or "—", p.reason)
                 for p in report.problems[:REPORT_ROWS]]
        lines += [(str(row), label, f"更新“{m.name}”:{old} → {new}")
                  for row, m in report.updates.items() for label, old, new in m.changes]
        lines = lines[:REPORT_ROWS]
        self.table.setRowCount(len(lines))
        for i, line in enumerate(lines):
            for c, text in enumerate(line):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, c, item)
        self.problems_button.setEnabled(bool(report.problems))
        refused = len(report.refused_rows)
        text = (f"共 {report.total:,} 行:可导入 {len(report.valid):,} 行"
                + (f",更新已有记录 {len(report.updates):,} 行" if report.update else "")
                + (f",与已有记录相同 {len(report.unchanged):,} 行(不再导入)" if report.unchanged else "")
                + (f",有问题 {refused:,} 行(不会导入,修改后可再次导入)" if refused else ",全部通过检查"))
        if report.ignored_columns:
            text += "。已忽略无法识别的列:" + "、".join(report.ignored_columns)
        if len(report.problems) > REPORT_ROWS:
            text += f"。表中列出前 {REPORT_ROWS:,} 个问题"
        self.summary.setText(text)
        n = len(report.valid) + len(report.updates)
        self.import_button.setText(f"导入 {len(report.valid):,} 条"
                                   + (f"、更新 {len(report.updates):,} 条" if report.updates else ""))
        self.import_button.setEnabled(n > 0)
        self.import_button.setDefault(n > 0)

    def save_problems(self) -> None:
        """保存问题清单: the refused rows with their reasons, to correct and import again."""
        if self.report is None or self.path is None:
            return
        out = Files.save_path(self, "保存问题清单", f"{self.kind.title}_需修改的行_{today().isoformat()}.xlsx",
                              "Excel 文件 (*.xlsx)")
        if out is None:
            return
        report, source = self.report, self.path

        def work(_progress):
            from app.excel.problem_list import write_problem_list

            return write_problem_list(report, source, out)

        run_in_background(self, work, lambda path: self.ctx.status_message.emit(f"问题清单已保存到 {path}"),
                          lambda exc, tb: show_error(self, exc, tb), title="正在保存问题清单")

    # -- write -----------------------------------------------------------------------------------
    def confirm(self) -> None:
        if self.report is None or not self.report.writable:
            return
        ctx, report = self.ctx, self.report
        self.import_button.setEnabled(False)

        def work(_progress):
            from app.excel.importer import apply_import

            return apply_import(ctx.db, ctx.actor, report)

        def done(n: int) -> None:
            self.written = n
            ctx.notify_saved(self.kind.spec.key, f"已从 Excel 导入{self.kind.title} {n:,} 条"
                                                 + (f"、更新 {report.updated:,} 条" if report.updated else "")
                                                 + f"({today().isoformat()})")
            self.accept()

        def failed(exc, tb) -> None:
            self.import_button.setEnabled(True)
            show_error(self, exc, tb)

        run_in_background(self, work, done, failed, title=f"正在导入{self.kind.title}",
                          cancellable=False)


def save_template(parent: QWidget, ctx, k) -> None:
    """下载导入模板: the kind's template (drop-down lists, text ID columns, 填写说明) to a file."""
    out = Files.save_path(parent, "保存导入模板", f"{k.title}导入模板.xlsx", "Excel 文件 (*.xlsx)")
    if out is None:
        return

    def work(_progress):
        from app.excel.template import write_template

        return write_template(ctx.db, ctx.actor, k.key, out)

    run_in_background(parent, work, lambda path: ctx.status_message.emit(f"模板已保存到 {path}"),
                      title="正在生成模板")
