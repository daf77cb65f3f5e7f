"""本单位密钥: this unit and this PC (its name; a copied database enrols here as another PC of the
unit), the key-card fingerprint to read aloud, unlock, export the card, and (city only) the
recovery key."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.security.abilities import may_exchange
from ui.dialogs.ask import Ask
from ui.errors import show_error
from ui.pages.exchange.common import CARD_FILTER, RECOVERY_FILTER, FingerprintView, Pick, UnlockDialog, ensure_unlocked, no_permission, notice
from ui.theme import icon
from ui.workers import run_in_background

LEVELS = {"county": "县(区)总工会", "city": "市总工会"}


class KeysTab(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.status = None
        self.may_sync = may_exchange(ctx.actor)
        self.unit = QLabel()
        self.unit.setObjectName("pageTitle")
        self.level = QLabel()
        self.device = QLabel()
        self.device.setObjectName("muted")
        self.key_ids = QLabel()
        self.key_ids.setObjectName("muted")
        self.fingerprint = FingerprintView()
        how = QLabel("把本单位的密钥卡文件交给对方导入后,请打电话逐组念出下面的指纹,"
                     "对方核对一致才会信任本单位的数据包。")
        how.setWordWrap(True)
        self.lock_state = QLabel()
        self.unlock_button = QPushButton(icon("key"), "解锁……")
        self.unlock_button.clicked.connect(self.unlock)
        self.card_button = QPushButton(icon("export"), "导出本单位密钥卡…")
        self.card_button.clicked.connect(self.export_card)
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.lock_state, 1)
        lock_row.addWidget(self.unlock_button)
        lock_row.addWidget(self.card_button)

        identity = QGroupBox("本单位")
        form = QFormLayout(identity)
        form.addRow("单位", self.unit)
        form.addRow("级别", self.level)
        form.addRow("本机", self.device)
        form.addRow("公钥编号", self.key_ids)
        # 新增本单位的一台电脑: a copied database must enrol (keys of its own) before it exchanges
        self.copy_notice = notice("", "error")
        self.enrol_button = QPushButton(icon("add"), "登记为本单位的另一台电脑……")
        self.enrol_button.clicked.connect(self.enrol)
        self.moved_button = QPushButton("只是移动了位置,仍是原来的电脑")
        self.moved_button.clicked.connect(self.declare_moved)
        self.name_button = QPushButton(icon("edit"), "本机名称……")
        self.name_button.clicked.connect(self.rename)
        device_row = QHBoxLayout()
        device_row.addStretch(1)
        for b in (self.enrol_button, self.moved_button, self.name_button):
            device_row.addWidget(b)
        form.addRow(self.copy_notice)
        form.addRow(device_row)
        card = QGroupBox("密钥卡指纹")
        inner = QVBoxLayout(card)
        inner.addWidget(how)
        inner.addWidget(self.fingerprint)
        inner.addLayout(lock_row)

        self.recovery = QGroupBox("市级恢复密钥")
        rec = QVBoxLayout(self.recovery)
        rec_text = QLabel("每个县发来的数据包都同时加密给本恢复密钥。把它导出为一个用口令保护的文件,"
                          "离线封存;市级电脑损坏或重装后,导入该文件即可继续打开各县发给原密钥的数据包。")
        rec_text.setWordWrap(True)
        self.recovery_export = QPushButton(icon("export"), "导出恢复密钥……")
        self.recovery_export.clicked.connect(self.export_recovery)
        self.recovery_import = QPushButton(icon("import"), "导入恢复密钥……")
        self.recovery_import.clicked.connect(self.import_recovery)
        rec_row = QHBoxLayout()
        rec_row.addStretch(1)
        rec_row.addWidget(self.recovery_export)
        rec_row.addWidget(self.recovery_import)
        rec.addWidget(rec_text)
        rec.addLayout(rec_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(identity)
        layout.addWidget(card)
        layout.addWidget(self.recovery)
        if not self.may_sync:
            layout.addWidget(no_permission(ctx, "解锁密钥或导出密钥卡"))
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        from app.sync import service

        st = self.status = service.status(self.ctx.db, self.ctx.actor)
        self.unit.setText(f"{st.unit_name}({st.unit_code})")
        self.level.setText(LEVELS.get(st.level, st.level))
        self.device.setText(f"{st.device_name or '(未命名)'} · 设备标识 {st.device_id}")
        copied = st.enrol_reason is not None
        self.copy_notice.set(f"{st.enrol_reason}。本机与原来那台电脑共用同一套密钥,在登记为本单位的另一台电脑"
                             "(生成本机自己的密钥)之前不能导出数据包。如果数据库只是搬到了新位置、原来的已不再使用,"
                             "请选择“只是移动了位置”。" if copied else "")
        self.copy_notice.setVisible(copied)
        self.enrol_button.setVisible(copied and self.may_sync)
        self.moved_button.setVisible(copied and self.may_sync)
        self.name_button.setVisible(self.may_sync and not copied)
        self.key_ids.setText(f"签名 {st.sign_key_id or '—'} · 加密 {st.enc_key_id or '—'}")
        self.fingerprint.set_fingerprint(st.fingerprint)
        if not st.has_keys:
            state = "本机还没有数据交换密钥:有数据交换权限的用户解锁时自动生成。"
        elif st.unlocked:
            state = "✔ 密钥已解锁(本次登录期间有效)"
        else:
            state = "密钥已锁定:导出、导入前需输入您的登录密码解锁"
        self.lock_state.setText(state)
        self.unlock_button.setVisible(self.may_sync and not st.unlocked)
        self.card_button.setVisible(self.may_sync)
        self.recovery.setVisible(st.level == "city")
        for b in (self.recovery_export, self.recovery_import):
            b.setEnabled(self.may_sync)
        self.recovery_export.setEnabled(self.may_sync and st.has_recovery_key)

    def _after_unlock(self, fn) -> None:
        def go() -> None:
            self.refresh()
            self.changed.emit()
            fn()
        ensure_unlocked(self, self.ctx, go)

    def unlock(self) -> None:
        self._after_unlock(lambda: None)

    def enrol(self) -> None:
        self._after_unlock(self._enrol)

    def _enrol(self) -> None:
        from app.sync import service

        name = Ask.text(self, "登记为本单位的另一台电脑",
                        "给这台电脑起个名字(例如“办公室二号机”),对方的收发记录用它区分本单位的各台电脑:")
        if not name:
            return
        try:
            fingerprint = service.enrol_device(self.ctx.db, self.ctx.actor, name)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        Ask.info(self, "已登记", f"本机已生成自己的密钥,指纹:\n{fingerprint}\n\n请导出本机的密钥卡,交给原来那台电脑"
                 "在“信任的单位”中导入,并当面核对指纹。此后原来那台电脑发给市总工会的数据包会引荐本机,"
                 "市总工会无需再单独核对。")
        self.refresh()
        self.changed.emit()

    def declare_moved(self) -> None:
        from app.sync import service

        if not Ask.confirm(self, "只是移动了位置", "确认原来位置的数据库已不再使用?如果原来那台电脑还在使用"
                           "同一个数据库,请选择“登记为本单位的另一台电脑”,否则两台电脑的数据包会互相覆盖。",
                           "确认只是移动"):
            return
        try:
            service.declare_moved(self.ctx.db, self.ctx.actor)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.refresh()

    def rename(self) -> None:
        from app.sync import service

        name = Ask.text(self, "本机名称", "本机名称(对方的收发记录中显示):",
                        self.status.device_name if self.status else "")
        if not name:
            return
        try:
            service.set_device_name(self.ctx.db, self.ctx.actor, name)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.refresh()

    def make_unlock_dialog(self) -> UnlockDialog:
        return UnlockDialog(self.ctx, self)

    def export_card(self) -> None:
        self._after_unlock(self._export_card)

    def _export_card(self) -> None:
        from app.sync import service

        st = self.status
        dest = Pick.save_file(self, "保存本单位密钥卡", f"密钥卡-{st.unit_name}-{st.unit_code}.udcard",
                              CARD_FILTER)
        if dest is None:
            return
        try:
            path = service.export_card(self.ctx.db, self.ctx.actor, dest)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        Pick.remember(path)
        Ask.info(self, "已导出密钥卡", f"已写入 {path}\n\n请把文件交给对方,并在对方导入时电话核对指纹:\n"
                 f"{self.status.fingerprint}")

    def export_recovery(self) -> None:
        self._after_unlock(self._export_recovery)

    def _export_recovery(self) -> None:
        from app.sync import service

        st = self.status
        dest = Pick.save_file(self, "保存恢复密钥文件", f"恢复密钥-{st.unit_name}-{st.unit_code}.udrecovery",
                              RECOVERY_FILTER)
        if dest is None:
            return
        phrase = Pick.passphrase(self, "设定恢复密钥口令", confirm=True)
        if phrase is None:
            return
        ctx = self.ctx
        run_in_background(self, lambda _p: service.export_recovery(ctx.db, ctx.actor, dest, phrase),
                          lambda path: Ask.info(self, "已导出恢复密钥",
                                                f"已写入 {path}。请与口令分开、离线保存。"),
                          title="正在导出恢复密钥", cancellable=False)

    def import_recovery(self) -> None:
        self._after_unlock(self._import_recovery)

    def _import_recovery(self) -> None:
        from app.sync import service

        src = Pick.open_file(self, "选择恢复密钥文件", RECOVERY_FILTER)
        if src is None:
            return
        phrase = Pick.passphrase(self, "恢复密钥口令", confirm=False)
        if phrase is None:
            return
        ctx = self.ctx

        def done(_r) -> None:
            self.refresh()
            self.changed.emit()
            Ask.info(self, "已导入恢复密钥", "发给原市级密钥的数据包现在可以导入。"
                     "本单位的密钥卡指纹可能随之改变:如与先前不同,请把新的密钥卡发给各县重新核对。")

        run_in_background(self, lambda _p: service.import_recovery(ctx.db, ctx.actor, src, phrase),
                          done, title="正在导入恢复密钥", cancellable=False)
