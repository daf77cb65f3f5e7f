"""信任的单位: the key cards imported here, their fingerprints and channel state; import a card,
confirm its fingerprint by phone before trusting it, revoke."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.security.abilities import may_trust_keys
from ui.dialogs.ask import Ask
from ui.errors import show_error, user_message
from ui.pages.exchange.common import CARD_FILTER, FingerprintView, Pick, button_row, cell, fill_row, make_table, when
from ui.theme import COLORS, icon

HEADERS = ["单位", "区划代码", "级别", "指纹", "状态", "最近发出", "最近收到", "通道"]
DIGITS = 32


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class TrustCardDialog(QDialog):
    """Shows the fingerprint computed from the card; trusting needs the fingerprint the other
    office reads aloud — typed here (compared digit by digit) or confirmed group by group."""

    def __init__(self, ctx, preview, parent=None):
        super().__init__(parent)
        self.ctx, self.preview = ctx, preview
        self.trusted_peer = None
        self.setWindowTitle("核对密钥卡指纹")
        self.setMinimumWidth(640)
        who = QLabel(f"{preview.unit_name}({preview.unit_code},{preview.level_label})")
        who.setObjectName("pageTitle")
        how = QLabel(f"请打电话给{preview.unit_name}的管理员(用您原有的号码,不要用随密钥卡传来的号码),"
                     "请对方在“数据交换 › 本单位密钥”中逐组念出指纹,与下面逐组核对。"
                     "指纹不一致说明密钥卡被调换或损坏,切勿信任。")
        how.setWordWrap(True)
        self.fingerprint = FingerprintView(preview.fingerprint)
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("输入对方念出的 32 位数字(空格可有可无)")
        self.typed.textChanged.connect(self._update)
        self.typed_state = QLabel("")
        self.confirmed = QCheckBox("我已与对方电话逐组核对,8 组数字完全一致")
        self.confirmed.toggled.connect(self._update)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.trust_button = QPushButton(icon("check", "#ffffff"), "信任该单位")
        self.trust_button.setDefault(True)
        self.trust_button.clicked.connect(self.accept)
        later = QPushButton("暂不信任")
        later.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("对方念出的指纹", self.typed)
        form.addRow("", self.typed_state)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(who)
        layout.addWidget(how)
        layout.addWidget(QLabel("本机根据密钥卡算出的指纹:"))
        layout.addWidget(self.fingerprint)
        layout.addLayout(form)
        layout.addWidget(QLabel("或者:"))
        layout.addWidget(self.confirmed)
        layout.addWidget(self.message)
        layout.addLayout(button_row(self.trust_button, later))
        self._update()

    def entered(self) -> str | None:
        """The fingerprint the user vouches for, or None while it is incomplete."""
        typed = _digits(self.typed.text())
        if typed:
            return typed if len(typed) == DIGITS else None
        return self.preview.fingerprint if self.confirmed.isChecked() else None

    def _update(self) -> None:
        typed = _digits(self.typed.text())
        if not typed:
            self.typed_state.setText("")
        elif len(typed) < DIGITS:
            self.typed_state.setText(f"已输入 {len(typed)} / {DIGITS} 位")
            self.typed_state.setStyleSheet(f"color: {COLORS['muted']};")
        elif typed == _digits(self.preview.fingerprint):
            self.typed_state.setText("✔ 与本机算出的指纹一致")
            self.typed_state.setStyleSheet(f"color: {COLORS['ok']};")
        else:
            self.typed_state.setText("✘ 与本机算出的指纹不一致:不要信任该密钥卡")
            self.typed_state.setStyleSheet(f"color: {COLORS['error']};")
        self.confirmed.setEnabled(not typed)
        self.trust_button.setEnabled(self.entered() is not None)

    def accept(self) -> None:
        from app.sync import service

        fingerprint = self.entered()
        if fingerprint is None:
            return
        try:
            self.trusted_peer = service.trust_card(self.ctx.db, self.ctx.actor, self.preview.peer_id,
                                                   fingerprint)
        except Exception as exc:  # noqa: BLE001
            message, bug = user_message(exc)
            self.message.setText(message)
            if bug:
                show_error(self, exc)
            return
        super().accept()


class PeersTab(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.may_trust = may_trust_keys(ctx.actor)
        self.rows = []
        self.table = make_table(HEADERS)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.trust_selected())
        self.import_button = QPushButton(icon("import"), "导入对方密钥卡…")
        self.import_button.clicked.connect(self.import_card)
        self.trust_button = QPushButton(icon("check"), "核对指纹并信任……")
        self.trust_button.clicked.connect(self.trust_selected)
        self.revoke_button = QPushButton(icon("void"), "撤销信任")
        self.revoke_button.setObjectName("danger")
        self.revoke_button.clicked.connect(self.revoke_selected)
        refresh = QPushButton(icon("refresh"), "刷新")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        for b in (self.import_button, self.trust_button, self.revoke_button):
            b.setVisible(self.may_trust)
            top.addWidget(b)
        self._update_buttons()  # nothing chosen yet: 信任 and 撤销信任 wait for a row
        top.addStretch(1)
        top.addWidget(refresh)
        note = QLabel("只接收已信任单位的数据包,也只能向已信任的单位导出。"
                      "“通道”是双方数据包的编号:本机已发出到第几号、对方回执确认收到第几号、本机已收到对方第几号。")
        note.setWordWrap(True)
        note.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        if not self.may_trust:
            only_admin = QLabel("对方密钥卡的导入、信任和撤销只由系统管理员办理"
                                "(信任一张密钥卡,就是允许向该单位发送全部数据);本页其余内容可以查看。")
            only_admin.setWordWrap(True)
            only_admin.setObjectName("muted")
            layout.addWidget(only_admin)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.refresh()

    def refresh(self) -> None:
        from app.sync import service

        self.rows = service.peers(self.ctx.db, self.ctx.actor)
        self.table.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            state, color = (("已信任", COLORS["ok"]) if p.trusted else
                            ("已撤销", COLORS["closed"]) if p.revoked else ("未核对指纹", COLORS["warn"]))
            channel = f"发 {p.out_seq} · 确认 {p.acked_seq} · 收 {p.in_seq}"
            kind = "本单位另一台电脑" if p.same_unit else p.level_label
            fill_row(self.table, r, [p.device_label, p.unit_code, kind,
                                     p.fingerprint, cell(state, color=color, bold=True),
                                     when(p.last_sent), when(p.last_received), channel])
            if p.trusted_by.startswith("由"):  # vouched for in a bundle by a PC of its unit
                self.table.item(r, 4).setToolTip(f"{p.trusted_by}(随数据包)")
        self._update_buttons()

    def selected(self):
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def _update_buttons(self) -> None:
        p = self.selected()
        self.trust_button.setEnabled(self.may_trust and p is not None and not p.trusted)
        self.revoke_button.setEnabled(self.may_trust and p is not None and p.trusted)

    def import_card(self) -> None:
        from app.sync import service

        path = Pick.open_file(self, "选择对方的密钥卡", CARD_FILTER)
        if path is None:
            return
        try:
            preview = service.read_card(self.ctx.db, self.ctx.actor, path)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        Pick.remember(path)
        self.refresh()
        if preview.already_trusted:
            Ask.info(self, "已信任", f"{preview.unit_name}({preview.unit_code})的这张密钥卡此前已核对并信任。")
            return
        self.confirm_trust(preview)

    def make_trust_dialog(self, preview) -> TrustCardDialog:
        return TrustCardDialog(self.ctx, preview, self)

    def confirm_trust(self, preview) -> bool:
        dialog = self.make_trust_dialog(preview)
        trusted = bool(dialog.exec())
        if trusted:
            self.ctx.status_message.emit(f"已信任 {preview.unit_name} 的密钥卡")
            self.refresh()
            self.changed.emit()
        return trusted

    def trust_selected(self) -> None:
        from app.sync.service import CardPreview

        p = self.selected()
        if p is None or p.trusted or not self.may_trust:
            return
        self.confirm_trust(CardPreview(p.id, p.unit_name, p.unit_code, p.level_label, p.fingerprint,
                                       False))

    def revoke_selected(self) -> None:
        from app.sync import service

        p = self.selected()
        if p is None or not Ask.confirm(
                self, "撤销信任", f"撤销对{p.unit_name}({p.unit_code})密钥卡的信任?\n"
                "撤销后不再接收它的数据包,也不能向它导出;要恢复须重新核对指纹。", "撤销信任",
                danger=True):
            return
        try:
            service.revoke_peer(self.ctx.db, self.ctx.actor, p.id)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.refresh()
        self.changed.emit()
