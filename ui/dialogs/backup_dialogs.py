"""另存到… (a folder, a plugged-in USB stick first) and 从备份恢复… (check the file, show its record
counts beside the current ones, then confirm)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.theme import icon, settings
from ui.workers import run_in_background

STICK_FOLDER = "工会工作台备份"  # made on the stick, so the backups do not lie loose in its root
LAST_FOLDER_KEY = "backup/last_folder"


class BackupDestinationDialog(QDialog):
    """Where the copy goes: a removable drive when one is plugged in, or any folder."""

    def __init__(self, parent=None, drives=None):
        super().__init__(parent)
        self.setWindowTitle("另存备份到…")
        self.setMinimumWidth(520)
        intro = QLabel("备份先在本机做好并校验,再复制到这里,写入后读回核对(U 盘可能谎报写入成功)。"
                       "请把 U 盘备份存放在办公室以外的安全地方。")
        intro.setWordWrap(True)
        self.drives = QListWidget()
        self.drives.setMaximumHeight(120)
        self.drives.currentItemChanged.connect(self._drive_chosen)
        rescan = QPushButton("重新检测 U 盘")
        rescan.setAutoDefault(False)
        rescan.clicked.connect(lambda: self.fill_drives())
        self.folder = QLineEdit(str(settings().value(LAST_FOLDER_KEY, "", type=str) or ""))
        self.folder.setPlaceholderText("选择一个文件夹")
        browse = QPushButton("浏览…")
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.ok = QPushButton("备份到这里")
        self.ok.setObjectName("primary")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.accept)
        cancel = QPushButton("取消")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(rescan)
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(cancel)
        form = QFormLayout()
        form.addRow("U 盘", self.drives)
        form.addRow("文件夹", folder_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.fill_drives(drives)

    def fill_drives(self, drives=None) -> None:
        """The plugged-in removable drives (the first one chosen), or a note that there is none."""
        if drives is None:
            from app.sync.drives import removable_drives

            drives = removable_drives()
        self.drives.clear()
        for drive in drives:
            item = QListWidgetItem(icon("export"), drive.title)
            item.setData(Qt.ItemDataRole.UserRole, str(drive.path))
            self.drives.addItem(item)
        if drives:
            self.drives.setCurrentRow(0)
        else:
            note = QListWidgetItem("未检测到 U 盘:插入后点“重新检测 U 盘”,或在下面选择文件夹")
            note.setFlags(Qt.ItemFlag.NoItemFlags)
            self.drives.addItem(note)

    def _drive_chosen(self, item, _previous=None) -> None:
        root = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if root:
            self.folder.setText(str(Path(root) / STICK_FOLDER))

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择备份的位置", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def destination(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text) if text else None

    def accept(self) -> None:
        dest = self.destination()
        if dest is None:
            self.message.setText("请选择 U 盘或文件夹")
            return
        if dest.exists() and not dest.is_dir():
            self.message.setText(f"{dest} 是一个文件,请选择文件夹")
            return
        settings().setValue(LAST_FOLDER_KEY, str(dest))
        super().accept()


class RestoreBackupDialog(QDialog):
    """Check a backup (hash, quick_check, schema, same unit) and ask before restoring it."""

    def __init__(self, ctx, path: Path, parent=None):
        super().__init__(parent)
        self.ctx, self.path = ctx, Path(path)
        self.verified = False
        self.setWindowTitle("从备份恢复")
        self.setMinimumWidth(540)
        self.details = QLabel(f"备份文件:{self.path.name}\n正在检查备份……")
        self.details.setToolTip(str(self.path))
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        warning = QLabel("恢复后,当前数据库由这份备份替换:备份之后录入和修改的数据都会丢失"
                         "(当前数据会先自动另存一份“恢复前”备份)。恢复完成后所有人需要重新登录。")
        warning.setObjectName("warning")
        warning.setWordWrap(True)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.restore_button = QPushButton("恢复")
        self.restore_button.setAutoDefault(False)  # Enter answers 取消: restoring loses work
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.accept)
        cancel = QPushButton("取消")
        cancel.setDefault(True)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        # the records of the backup beside the current ones: what a restore takes back
        self.counts = QTableWidget(0, 3)
        self.counts.setHorizontalHeaderLabels(["记录类型", "当前", "备份中"])
        self.counts.verticalHeader().setVisible(False)
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts.hide()
        layout.addWidget(self.details)
        layout.addWidget(self.counts)
        layout.addWidget(warning)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        root = ctx.db.root_unit_id
        source, db = self.path, ctx.db

        def work(_p):
            from app.services.backups import compare_counts

            lines, problem = inspect_backup(source, root)
            return lines, problem, (compare_counts(db, source) if problem is None else [])

        run_in_background(self, work, self._checked, self._failed)

    def _checked(self, result) -> None:
        lines, problem, counts = result
        self.details.setText("\n".join([f"备份文件:{self.path.name}", f"位置:{self.path.parent}", *lines]))
        self.verified = problem is None
        self.message.setText(problem or "")
        self.restore_button.setEnabled(self.verified)
        self.counts.setRowCount(len(counts))
        for r, row in enumerate(counts):
            for c, text in enumerate((row.title, f"{row.current:,}", f"{row.backup:,}")):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 2 and row.backup < row.current:  # what the restore would take back
                    item.setForeground(QColor("#b3261e"))
                self.counts.setItem(r, c, item)
        self.counts.setVisible(bool(counts))

    def _failed(self, exc: BaseException, _tb: str) -> None:
        from ui.errors import user_message

        self.message.setText(f"无法检查这份备份:{user_message(exc)[0]}")


def inspect_backup(path: Path, root_unit_id: str | None, *, full: bool = False
                   ) -> tuple[list[str], str | None]:
    """(what the file is, the reason it cannot be restored here or None). Runs on a worker;
    ``full``: integrity_check instead of quick_check (校验; the restore itself checks in full
    again before it replaces anything)."""
    from app.db.backup import BackupInfo, check_database_file, sidecar_matches

    info = BackupInfo.from_path(path)
    lines = []
    if info is not None:
        lines.append(f"备份时间:{info.taken_at:%Y-%m-%d %H:%M:%S}")
    if path.exists():
        lines.append(f"大小:{path.stat().st_size / 1024 / 1024:,.1f} MB")
    hashed = sidecar_matches(path)
    if hashed is False:
        return lines, "该文件与它的校验文件(.sha256)不一致:文件已损坏或被改动,不能用于恢复。"
    lines.append("校验:SHA-256 与校验文件一致" if hashed else "校验:没有校验文件(.sha256),只做数据库检查")
    check = check_database_file(path, full=full)
    if not check.ok:
        return lines, f"这不是可用的工会工作台备份:{';'.join(check.problems)}"
    lines.append(f"单位:{check.unit_name}({check.unit_code}),数据库结构版本 {check.revision}")
    lines.append("数据库完整性检查:通过" + ("(完整检查)" if full else "(快速检查)"))
    if root_unit_id and check.root_unit_id != root_unit_id:
        return lines, "这份备份属于另一个单位,不能恢复到本单位的数据库。"
    return lines, None
