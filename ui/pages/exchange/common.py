"""Pieces the 数据交换 tabs share: file and passphrase questions (one place, so tests answer them),
the unlock dialog, the large fingerprint, the step strip of the wizards, the destination chooser
(removable drives, else a folder) and small table helpers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.clock import to_local
from ui.theme import COLORS, icon, settings
from ui.widgets.notice import Notice, notice  # noqa: F401 (the exchange tabs import them here)

BUNDLE_FILTER = "数据包 (*.udbx);;所有文件 (*)"
CARD_FILTER = "密钥卡 (*.udcard);;所有文件 (*)"
RECOVERY_FILTER = "恢复密钥 (*.udrecovery);;所有文件 (*)"
DIFF_BACKGROUND = QColor("#fff1cc")
CLASH_BACKGROUND = QColor("#fde0dc")  # the one value two records may not share


class Pick:
    """Files, folders and passphrases asked of the user (tests monkeypatch these classmethods).
    The last folder used is remembered on this PC."""

    @staticmethod
    def _last() -> str:
        from ui.dialogs.files import default_folder

        return str(settings().value("exchange/last_folder", "") or default_folder())

    @staticmethod
    def remember(path: Path) -> None:
        settings().setValue("exchange/last_folder", str(path if path.is_dir() else path.parent))

    @classmethod
    def open_file(cls, parent, title: str, name_filter: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, cls._last(), name_filter)
        return Path(name) if name else None

    @classmethod
    def save_file(cls, parent, title: str, suggested: str, name_filter: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, str(Path(cls._last()) / suggested),
                                              name_filter)
        return Path(name) if name else None

    @classmethod
    def folder(cls, parent, title: str) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title, cls._last())
        return Path(name) if name else None

    @classmethod
    def passphrase(cls, parent, title: str, *, confirm: bool) -> str | None:
        dialog = PassphraseDialog(title, confirm=confirm, parent=parent)
        return dialog.passphrase if dialog.exec() else None


class PassphraseDialog(QDialog):
    """The city's recovery passphrase (twice when it is being chosen)."""

    def __init__(self, title: str, *, confirm: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.passphrase = ""
        self.first, self.second = QLineEdit(), QLineEdit()
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setVisible(confirm)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        note = QLabel("口令至少 12 个字符。请把恢复密钥文件和口令分开保管(例如分别封存),"
                      "两者合在一起才能打开发给本单位的全部数据包。" if confirm else
                      "输入导出恢复密钥文件时设定的口令。")
        note.setWordWrap(True)
        note.setObjectName("muted")
        ok = QPushButton("确定")
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        grid = QGridLayout()
        grid.addWidget(QLabel("口令"), 0, 0)
        grid.addWidget(self.first, 0, 1)
        if confirm:
            grid.addWidget(QLabel("再次输入"), 1, 0)
            grid.addWidget(self.second, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addLayout(button_row(ok, cancel))
        self._confirm = confirm

    def accept(self) -> None:
        if self._confirm and self.first.text() != self.second.text():
            self.message.setText("两次输入的口令不一致")
            return
        if len(self.first.text()) < 12:
            self.message.setText("口令至少 12 个字符")
            return
        self.passphrase = self.first.text()
        super().accept()


class UnlockDialog(QDialog):
    """Unlock this unit's keys with the user's own login password (Argon2id: in the background)."""

    def __init__(self, ctx, parent=None, *, reason: str = "", cancel_text: str = "取消"):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("解锁本单位密钥")
        self.setMinimumWidth(460)
        text = QLabel((reason + "\n\n" if reason else "") +
                      "本单位的数据交换密钥已加密保存。请输入您的登录密码解锁"
                      "(只在本次登录期间有效,退出程序后自动锁上)。")
        text.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"{ctx.actor.username} 的登录密码")
        self.password.returnPressed.connect(self.accept)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.ok = QPushButton(icon("key", "#ffffff"), "解锁")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.accept)
        cancel = QPushButton(cancel_text)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(text)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addLayout(button_row(self.ok, cancel))

    def accept(self) -> None:
        from app.sync import service
        from ui.errors import user_message
        from ui.workers import run_in_background

        ctx, password = self.ctx, self.password.text()
        if not password:
            self.message.setText("请输入密码")
            return
        self.ok.setEnabled(False)
        self.message.setText("正在解锁……")

        def failed(exc, _tb) -> None:
            self.ok.setEnabled(True)
            self.message.setText(user_message(exc)[0])

        run_in_background(self, lambda _p: service.unlock(ctx.db, ctx.actor, password),
                          lambda _r: QDialog.accept(self), failed)


def unlock_to_grant(parent: QWidget, ctx, username: str, role: str) -> None:
    """Before an account that may exchange data is made or its password reset: when this
    administrator's key is locked, ask for their password (modal) so that the account gets its
    key slot. Cancelling goes on without it; the service then returns a notice saying what to do."""
    from app.sync.keyslots import grant_needs_unlock

    if not grant_needs_unlock(ctx.db, ctx.actor, role):
        return
    UnlockDialog(ctx, parent, cancel_text="暂不开通", reason=(
        f"用户 {username} 可以进行数据交换,需要用本单位密钥为其开通,"
        "开通后该用户用自己的登录密码即可解锁。")).exec()


def ensure_unlocked(parent: QWidget, ctx, then) -> None:
    """Run ``then()`` once this user's key is unlocked (asking for the password if needed)."""
    from app.sync import service

    if service.status(ctx.db, ctx.actor).unlocked:
        then()
        return
    dialog = UnlockDialog(ctx, parent)
    dialog.accepted.connect(then)
    dialog.open()


class FingerprintView(QFrame):
    """Eight groups of four digits, numbered and large enough to read aloud by phone."""

    def __init__(self, fingerprint: str = "", parent=None, *, point_size: int = 20):
        super().__init__(parent)
        self.setObjectName("panel")
        self.setMaximumWidth(640)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(16, 10, 16, 10)
        self._grid.setHorizontalSpacing(20)
        self._grid.setVerticalSpacing(2)
        self.groups: list[QLabel] = []
        for i in range(8):
            number = QLabel(f"第 {i + 1} 组")
            number.setObjectName("muted")
            digits = QLabel("····")
            digits.setStyleSheet(f"font-size: {point_size}pt; font-weight: bold; "
                                 f"font-family: 'DejaVu Sans Mono', Consolas, monospace; "
                                 f"color: {COLORS['text']};")
            digits.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.groups.append(digits)
            row, col = divmod(i, 4)
            self._grid.addWidget(number, row * 2, col)
            self._grid.addWidget(digits, row * 2 + 1, col)
        self.set_fingerprint(fingerprint)

    def set_fingerprint(self, fingerprint: str) -> None:
        parts = fingerprint.split()
        for i, label in enumerate(self.groups):
            label.setText(parts[i] if i < len(parts) else "····")

    def text(self) -> str:
        return " ".join(g.text() for g in self.groups)


class StepStrip(QWidget):
    """① 选择 → ② 预览 → …: where the user is in a wizard."""

    def __init__(self, steps: list[str], parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.labels = []
        for i, name in enumerate(steps):
            if i:
                arrow = QLabel("→")
                arrow.setObjectName("muted")
                row.addWidget(arrow)
            label = QLabel(f"{'①②③④⑤⑥'[i]} {name}")
            self.labels.append(label)
            row.addWidget(label)
        row.addStretch(1)
        self.set_current(0)

    def set_current(self, index: int) -> None:
        for i, label in enumerate(self.labels):
            color = COLORS["accent"] if i == index else (COLORS["text"] if i < index else COLORS["muted"])
            weight = "bold" if i == index else "normal"
            label.setStyleSheet(f"color: {color}; font-weight: {weight};")


class DestinationChooser(QWidget):
    """Where to save: each removable drive found, or a folder the user picks."""

    changed = Signal()

    def __init__(self, what: str, parent=None):
        super().__init__(parent)
        self.what = what
        self.group = QButtonGroup(self)
        self.group.buttonToggled.connect(lambda *_: self.changed.emit())
        self.drive_box = QVBoxLayout()
        self.no_drive = QLabel("未检测到U盘。插入U盘后点“重新检测”,或选择一个文件夹。")
        self.no_drive.setObjectName("muted")
        rescan = QPushButton(icon("refresh"), "重新检测")
        rescan.clicked.connect(self.rescan)
        self.folder_radio = QRadioButton("其他位置:")
        self.group.addButton(self.folder_radio)
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setPlaceholderText("选择一个文件夹")
        browse = QPushButton("浏览……")
        browse.clicked.connect(self.browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_radio)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        head = QHBoxLayout()
        title = QLabel("可移动磁盘(U盘)")
        title.setObjectName("sectionTitle")
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(rescan)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addLayout(self.drive_box)
        layout.addWidget(self.no_drive)
        layout.addSpacing(8)
        layout.addLayout(folder_row)
        self.drive_radios: list[tuple[QRadioButton, Path]] = []
        self.rescan()

    def rescan(self) -> None:
        from app.sync import service

        for radio, _ in self.drive_radios:
            self.group.removeButton(radio)
            radio.deleteLater()
        self.drive_radios = []
        for drive in service.removable_drives():
            radio = QRadioButton(drive.title)
            radio.setIcon(icon("export"))
            self.group.addButton(radio)
            self.drive_box.addWidget(radio)
            self.drive_radios.append((radio, drive.path))
        self.no_drive.setVisible(not self.drive_radios)
        if self.drive_radios:
            self.drive_radios[0][0].setChecked(True)
        elif self.folder_edit.text():
            self.folder_radio.setChecked(True)
        self.changed.emit()

    def browse(self) -> None:
        folder = Pick.folder(self, f"选择保存{self.what}的文件夹")
        if folder is not None:
            self.set_folder(folder)

    def set_folder(self, folder: Path) -> None:
        self.folder_edit.setText(str(folder))
        self.folder_radio.setChecked(True)
        self.changed.emit()

    def destination(self) -> Path | None:
        for radio, path in self.drive_radios:
            if radio.isChecked():
                return path
        if self.folder_radio.isChecked() and self.folder_edit.text():
            return Path(self.folder_edit.text())
        return None


# -- small helpers -------------------------------------------------------------------------------
def button_row(*buttons, stretch_first: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    if stretch_first:
        row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    return row


def make_table(headers: list[str], *, stretch: int | None = None) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fit_table(table: QTableWidget, *, min_column: int = 64, max_rows: int = 10) -> None:
    """A small summary table as wide and as tall as its contents (left-aligned, no empty area);
    beyond ``max_rows`` it scrolls."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.resizeColumnsToContents()
    table.resizeRowsToContents()
    for c in range(1, table.columnCount()):
        if header.sectionSize(c) < min_column:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(c, min_column)
    frame = table.frameWidth() * 2
    scrolls = table.rowCount() > max_rows
    bar = table.verticalScrollBar().sizeHint().width() if scrolls else 0
    table.setFixedWidth(header.length() + frame + bar + 2)
    rows = sum(table.rowHeight(r) for r in range(min(table.rowCount(), max_rows)))
    table.setFixedHeight(header.sizeHint().height() + rows + frame + 2)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if scrolls
                                     else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


def cell(text, *, number: bool = False, color: str | None = None, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(f"{text:,}" if number and isinstance(text, int) else str(text))
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if color:
        item.setForeground(QColor(color))
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


def fill_row(table: QTableWidget, row: int, cells: list) -> None:
    for col, value in enumerate(cells):
        table.setItem(row, col, value if isinstance(value, QTableWidgetItem) else cell(value))


def when(dt) -> str:
    return f"{to_local(dt):%Y-%m-%d %H:%M}" if dt else "—"


def no_permission(ctx, what: str) -> QLabel:
    label = QLabel(f"您的角色({ctx.actor.role_label})没有数据交换权限,不能{what}。"
                   "数据包的导出和导入由系统管理员或经办人进行;本页其余内容可以查看。")
    label.setWordWrap(True)
    label.setObjectName("muted")
    return label
