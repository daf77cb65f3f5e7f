"""关于: the version (``app.__version__``), this installation and the components it uses."""

from __future__ import annotations

import platform
import sqlite3

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app import APP_TITLE, __version__
from ui.theme import icon


def _print_fonts() -> list[str]:
    from app.printing.fonts import font_report

    try:
        return ["  " + line for line in font_report()]
    except Exception as exc:  # noqa: BLE001 - the dialog still opens; say why the list is missing
        return [f"  (无法读取打印字体:{exc})"]


class AboutDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"关于{APP_TITLE}")
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(48, 48))
        title = QLabel(f"{APP_TITLE} UnionDesk")
        title.setObjectName("pageTitle")
        version = QLabel(f"版本 {__version__}")
        head = QHBoxLayout()
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        names = QVBoxLayout()
        names.addWidget(title)
        names.addWidget(version)
        head.addLayout(names, 1)
        details = QLabel(
            f"单位:{ctx.unit_name}<br>"
            f"数据库:{ctx.db.path}<br>"
            f"本机标识:{ctx.db.device_id}<br><br>"
            f"Python {platform.python_version()} · Qt for Python {pyside_version} · "
            f"SQLite {sqlite3.sqlite_version}<br>"
            "界面字体:文泉驿微米黑(Apache-2.0,随程序附带)或系统的 Microsoft YaHei UI。<br>"
            "打印字体(每个字取下列第一个含该字的字体):<br>" + "<br>".join(_print_fonts()) + "<br><br>"
            "供县(区)、市总工会离线使用:数据保存在本机,通过加密数据包与上级交换。")
        details.setWordWrap(True)
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ok = QPushButton("确定")
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(ok)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addWidget(details)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)
