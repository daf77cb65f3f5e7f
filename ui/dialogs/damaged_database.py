"""The database failed its start-up check: say so plainly and offer the latest good backup.

Nobody can log in to a damaged file, so restoring needs an administrator *of the backup*
(``app.services.backups.actor_from_backup``); the restore is audited in the restored database
under that account, and the damaged file is kept in the backups folder (pre-restore-damaged).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from ui.theme import icon
from ui.workers import run_in_background


def describe_backup(path: Path, taken_at=None) -> str:
    size = path.stat().st_size if path.exists() else 0
    when = f"备份于 {taken_at:%Y-%m-%d %H:%M}," if taken_at else ""
    return f"{path.name}({when}{size / 1024 / 1024:,.1f} MB)"


class DamagedDatabaseDialog(QDialog):
    def __init__(self, start, report, parent=None):
        super().__init__(parent)
        self.start = start  # app.services.startup.Startup, lock held, nothing open
        self.result_info = None  # app.db.restore.RestoreResult once restored
        candidate = report.restore_candidate
        self.source: Path | None = candidate.path if candidate else None
        self.setWindowTitle("数据库已损坏")
        self.setWindowIcon(icon("app"))
        self.setMinimumWidth(560)
        problem = QLabel("\n\n".join([*(f.message for f in report.errors[:1]),
                                        "程序不会打开这个文件,以免损坏扩大。"]))
        problem.setWordWrap(True)
        box = QGroupBox("从备份恢复")
        self.source_label = QLabel(self._source_text(candidate.taken_at if candidate else None))
        self.source_label.setWordWrap(True)
        choose = QPushButton("选择其他备份文件…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self.choose_file)
        source_row = QHBoxLayout()  # the file name wraps on its own line; the button below it
        source_row.addStretch(1)
        source_row.addWidget(choose)
        note = QLabel("恢复需要该备份中系统管理员的用户名和密码。损坏的数据库会先另存到备份文件夹,"
                      "恢复的数据停留在备份那一刻,之后的修改需要重新录入。")
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.username = QLineEdit("admin")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("管理员用户名", self.username)
        form.addRow("密码", self.password)
        inner = QVBoxLayout(box)
        inner.addWidget(self.source_label)
        inner.addLayout(source_row)
        inner.addWidget(note)
        inner.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.restore_button = QPushButton("从备份恢复")
        self.restore_button.setObjectName("primary")
        self.restore_button.setDefault(True)
        self.restore_button.setEnabled(self.source is not None)
        self.restore_button.clicked.connect(self.restore)
        leave = QPushButton("退出")
        leave.setAutoDefault(False)
        leave.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(leave)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(problem)
        layout.addWidget(box)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.password.setFocus()

    def _source_text(self, taken_at=None) -> str:
        if self.source is None:
            return "没有找到可用的备份。如有 U 盘上的备份,请点“选择其他备份文件…”。"
        return "将使用:" + describe_backup(self.source, taken_at)

    def choose_file(self) -> None:
        from app.config import backups_dir

        name, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(backups_dir(self.start.path)),
                                              "工会工作台备份 (*.db);;所有文件 (*)")
        if name:
            self.set_source(Path(name))

    def set_source(self, path: Path) -> None:
        from app.db.backup import BackupInfo

        self.source = Path(path)
        info = BackupInfo.from_path(self.source)
        self.source_label.setText(self._source_text(info.taken_at if info else None))
        self.restore_button.setEnabled(True)

    def restore(self) -> None:
        username, password, source = self.username.text().strip(), self.password.text(), self.source
        if source is None:
            return
        if not username or not password:
            self.message.setText("请输入备份中系统管理员的用户名和密码")
            return
        self.message.setText("")
        self.restore_button.setEnabled(False)
        start = self.start

        def work(_progress):
            from app.services.backups import actor_from_backup
            from app.services.setup import refresh_builtin_codes
            from ui.startup import warm_up

            actor = actor_from_backup(source, username, password)
            result = start.restore(source, actor=actor)
            refresh_builtin_codes(result.db)
            warm_up(result.db)
            return result

        run_in_background(self, work, self._restored, self._failed, title="正在从备份恢复",
                          cancellable=False)

    def _restored(self, result) -> None:
        self.result_info = result
        self.accept()

    def _failed(self, exc: BaseException, tb: str) -> None:
        from ui.errors import show_error, user_message

        message, bug = user_message(exc)
        self.message.setText(message)
        self.restore_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if bug:
            show_error(self, exc, tb)

    def outcome_text(self) -> str:
        r = self.result_info
        if r is None:
            return ""
        kept = f"损坏的数据库已另存为 {r.pre_restore_backup.name}。" if r.pre_restore_backup else ""
        return f"已用备份 {r.source.name} 恢复数据库。{kept}请登录。"
