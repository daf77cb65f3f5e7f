"""系统设置: the installation's settings (administrator) and this PC's display preference."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from app.security.abilities import may_change_settings
from app.services import settings as app_settings
from ui.errors import show_error
from ui.theme import apply_theme, large_font_enabled, set_large_font


class SettingsTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.editable = may_change_settings(ctx.actor)
        self.spins: dict[str, QSpinBox] = {}
        declared = app_settings.all_settings()
        with ctx.read() as s:
            current = {k: app_settings.get(s, k) for k in declared}
        self.boxes: dict[str, QGroupBox] = {}
        for key, spec in declared.items():
            if not isinstance(spec.default, int):
                continue
            if spec.group not in self.boxes:  # one box per group: 安全设置, then each area's
                box = self.boxes[spec.group] = QGroupBox(f"{spec.group}(本单位所有用户)")
                form = QFormLayout(box)
                form.setHorizontalSpacing(12)
                form.setVerticalSpacing(8)
            form = self.boxes[spec.group].layout()
            spin = QSpinBox()
            spin.setRange(spec.minimum if spec.minimum is not None else 0,
                          spec.maximum if spec.maximum is not None else 1_000_000)
            spin.setValue(int(current[key]))
            spin.setEnabled(self.editable)
            self.spins[key] = spin
            form.addRow(spec.label, spin)
        self.save_button = QPushButton("保存设置")
        self.save_button.setObjectName("primary")
        self.save_button.setVisible(self.editable)
        self.save_button.clicked.connect(self.save)
        note = QLabel("只有系统管理员可以修改这些设置;每次修改都记入审计日志。")
        note.setObjectName("muted")
        local = QGroupBox("本机显示")
        local_layout = QVBoxLayout(local)
        self.large_font = QCheckBox("大字体(适合老年同志和高分辨率屏幕)")
        self.large_font.setChecked(large_font_enabled())
        self.large_font.toggled.connect(self._large_font)
        local_layout.addWidget(self.large_font)
        buttons = QHBoxLayout()
        buttons.addWidget(note, 1)
        buttons.addWidget(self.save_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addWidget(local)
        layout.addStretch(1)
        scroll = QScrollArea()  # every area's settings: taller than a 768-pixel screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 16, 12)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)

    def save(self) -> None:
        try:
            with self.ctx.write() as s:
                changed = 0
                for key, spin in self.spins.items():
                    if app_settings.get(s, key) != spin.value():
                        app_settings.put(s, self.ctx.actor, key, spin.value())
                        changed += 1
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.ctx.notify_saved("setting", f"已保存 {changed} 项设置" if changed else "设置没有变化")

    def _large_font(self, on: bool) -> None:
        from PySide6.QtWidgets import QApplication

        set_large_font(on)
        apply_theme(QApplication.instance(), large=on)
