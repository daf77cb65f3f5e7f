"""备份与恢复 (administrator): the backups of this database with their time, kind, size and hash
check; 立即备份, 另存到… (a USB stick, read back and compared), 校验 (a full integrity check of the
chosen backup) and 从备份恢复…."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.config import backups_dir
from app.db.backup import BackupInfo, list_backups
from ui.dialogs.ask import Ask
from ui.theme import icon
from ui.workers import run_in_background

COLUMNS = ("备份时间", "类型", "大小", "校验", "文件")
REASONS = {"exit": "退出时自动", "daily": "每日自动", "manual": "手动", "pre-import": "导入数据包前",
           "pre-restore": "恢复前", "pre-restore-damaged": "恢复前(损坏的原文件)",
           "after-demo": "生成演示数据后", "after-excel": "Excel 批量导入后",
           "after-bundle": "导入大量数据包记录后", "switch-user": "切换用户时"}
CHECKS = {True: "完好(SHA-256 一致)", False: "不一致:已损坏或被改动", None: "无校验文件"}
VERIFIED = "完好(已完整校验)"


def reason_label(reason: str) -> str:
    if reason.startswith("pre-migrate"):
        return "升级数据库前"
    return REASONS.get(reason, reason)


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB" if n >= 1024 * 1024 else f"{max(n, 1) / 1024:,.0f} KB"


class BackupsTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.backups: list[BackupInfo] = []
        self.checks: dict[Path, bool | None] = {}
        self._check_job = None
        folder = backups_dir(ctx.db.path)
        where = QLabel(f"备份文件夹:{folder}\n自动备份按天保留最近 7 份、按周 4 份、按月 12 份;"
                       "手动备份和升级、导入、恢复之前的备份各保留最近 10 份。")
        where.setObjectName("muted")
        where.setWordWrap(True)
        self.backup_button = QPushButton(icon("backup", "#ffffff"), "立即备份")
        self.backup_button.setObjectName("primary")
        self.backup_button.clicked.connect(self.backup_now)
        self.copy_button = QPushButton(icon("export"), "另存到…")
        self.copy_button.setToolTip("备份到 U 盘或其他文件夹(写入后读回核对)")
        self.copy_button.clicked.connect(self.backup_to)
        self.verify_button = QPushButton(icon("verify"), "校验")
        self.verify_button.setToolTip("对选中的备份做完整检查:校验文件、数据库完整性和结构版本")
        self.verify_button.clicked.connect(self.verify)
        self.restore_button = QPushButton(icon("history"), "从备份恢复…")
        self.restore_button.clicked.connect(self.restore)
        open_folder = QPushButton("打开备份文件夹")
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.copy_button, self.verify_button, self.restore_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(open_folder)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.restore())
        self.table.itemSelectionChanged.connect(
            lambda: self.verify_button.setEnabled(self.selected() is not None))
        self.verify_button.setEnabled(False)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(where)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.reload()

    # -- the list ------------------------------------------------------------------------------
    def reload(self) -> None:
        self.backups = list_backups(self.ctx.db.path)
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            cells = (f"{b.taken_at:%Y-%m-%d %H:%M:%S}", reason_label(b.reason), size_text(b.size),
                     CHECKS[self.checks[b.path]] if b.path in self.checks else "校验中……", b.path.name)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        total = sum(b.size for b in self.backups)
        self.summary.setText(f"共 {len(self.backups)} 份备份,{size_text(total)}" if self.backups else
                             "还没有备份。点“立即备份”做第一份。")
        if self.isVisible():
            self._check_hashes()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._check_hashes()  # only once seen: hashing a year of large backups takes a while

    def _check_hashes(self) -> None:
        todo = [b.path for b in self.backups if b.path not in self.checks]
        if not todo or (self._check_job is not None and not self._check_job.finished):
            return

        def work(progress):
            from app.db.backup import sidecar_matches

            out = {}
            for i, path in enumerate(todo):
                progress.update(i, len(todo))
                out[path] = sidecar_matches(path) if path.exists() else False
            return out

        self._check_job = run_in_background(self, work, self._checked, lambda _e, _tb: None)

    def _checked(self, results: dict) -> None:
        self.checks.update(results)
        for row, b in enumerate(self.backups):
            if b.path in results:
                self.table.item(row, 3).setText(CHECKS[results[b.path]])
        self._check_hashes()  # backups made while hashing

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _set_check(self, path: Path, text: str) -> None:
        for row, b in enumerate(self.backups):
            if b.path == path:
                self.table.item(row, 3).setText(text)

    # -- actions -------------------------------------------------------------------------------
    def verify(self) -> None:
        """The full check a restore would make, without restoring: hash, integrity_check, schema
        and unit. Slow on a large file, so on a worker with a progress dialog."""
        chosen = self.selected()
        if chosen is None:
            Ask.info(self, "校验备份", "请先在列表中选择一份备份。")
            return
        path, root = chosen.path, self.ctx.db.root_unit_id

        def work(_progress):
            from ui.dialogs.backup_dialogs import inspect_backup

            return inspect_backup(path, root, full=True)

        def done(result) -> None:
            lines, problem = result
            self._set_check(path, VERIFIED if problem is None else "有问题:" + problem[:24])
            text = "\n".join([f"备份文件:{path.name}", *lines])
            Ask.info(self, "校验备份", text + ("\n\n这份备份完好,可以用于恢复。" if problem is None
                                             else f"\n\n{problem}"))

        run_in_background(self, work, done, title=f"正在校验 {path.name}")

    def backup_now(self) -> None:
        self._run_backup(None)

    def backup_to(self) -> None:
        dialog = self.make_destination_dialog()
        if dialog.exec():
            self._run_backup(dialog.destination())

    def make_destination_dialog(self):
        from ui.dialogs.backup_dialogs import BackupDestinationDialog

        return BackupDestinationDialog(self)

    def _run_backup(self, dest: Path | None) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def work(progress):
            from app.services import backups

            if dest is not None:
                dest.mkdir(parents=True, exist_ok=True)
            return backups.make_backup(db, actor, dest, progress)

        title = "正在备份" if dest is None else f"正在备份到 {dest}"
        run_in_background(self, work, lambda made: self._made(made, dest), title=title)

    def _made(self, made, dest: Path | None) -> None:
        self.reload()
        self.ctx.notify_saved("backup", f"已备份:{made.path}")
        if dest is not None:
            Ask.info(self, "备份完成", f"备份已写入 {made.path},并已读回核对无误"
                                       f"(SHA-256 {made.sha256[:16]}…)。\n本机备份文件夹中也保存了一份。")

    def restore(self) -> None:
        chosen = self.selected()
        path = chosen.path if chosen else self._choose_file()
        if path is None:
            return
        dialog = self.make_restore_dialog(path)
        if dialog.exec() and dialog.verified:
            self.ctx.request_restore(path)

    def _choose_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(backups_dir(self.ctx.db.path)),
                                              "工会工作台备份 (*.db);;所有文件 (*)")
        return Path(name) if name else None

    def make_restore_dialog(self, path: Path):
        from ui.dialogs.backup_dialogs import RestoreBackupDialog

        return RestoreBackupDialog(self.ctx, path, self)

    def smoke_dialogs(self) -> list:
        out = [("另存到…", self.make_destination_dialog)]
        if self.backups:
            out.append(("从备份恢复", lambda: self.make_restore_dialog(self.backups[0].path)))
        return out
