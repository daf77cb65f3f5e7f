"""Filters generated from the fields marked ``filter=True``: a combo per code table, choice or
yes/no field, a year for dates, a picker for references. Filters that no widget shows (a home-page
figure's "this year's new members") appear as a removable chip."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from app.clock import today
from app.fields.spec import Field, Kind, RecordSpec
from app.services import listing
from app.services.listing import Range
from ui.qt_values import EMPTY, combo_value
from ui.theme import icon
from ui.widgets.flow_layout import FlowLayout

ALL = "全部"


class RefFilter(QToolButton):
    """A reference filter: shows the chosen record's name; clicking opens the picker."""

    changed = Signal()

    def __init__(self, ctx, f: Field, parent=None):
        super().__init__(parent)
        self.ctx, self.field = ctx, f
        self.value: str | None = None
        self.label = ""
        self.setToolTip(f"按{f.label}筛选(点击选择,右键清除)")
        self.clicked.connect(self._pick)
        self._render()

    def _render(self) -> None:
        self.setText(f"{self.field.label}:{self.label or ALL}")

    def _pick(self) -> None:
        from ui.dialogs.record_picker import RecordPickerDialog

        dialog = RecordPickerDialog(self.ctx, self.field.ref, filters=self.field.ref_filter,
                                    title=f"选择{self.field.label}", parent=self, allow_clear=True)
        if dialog.exec():
            self.set_value(dialog.chosen_id, dialog.chosen_label)
            self.changed.emit()

    def set_value(self, value: str | None, label: str = "") -> None:
        self.value = value
        if value and not label:
            with self.ctx.read() as s:
                label = listing.ref_labels(s, self.field.ref, [value]).get(value, "")
        self.label = label if value else ""
        self._render()

    def contextMenuEvent(self, event) -> None:
        if self.value:
            self.set_value(None)
            self.changed.emit()


class FilterBar(QWidget):
    filters_changed = Signal(dict)

    def __init__(self, ctx, spec: RecordSpec, parent=None):
        super().__init__(parent)
        self.ctx, self.spec = ctx, spec
        self.widgets: dict[str, QWidget] = {}
        self.extra: dict[str, Any] = {}
        self.labels: dict[str, str] = {}  # captions of filters added by the page (add_choice)
        self.flow = layout = FlowLayout(self)
        for f in listing.filter_fields(spec):
            widget = self._make(f)
            if widget is None:
                continue
            self.widgets[f.key] = widget
            if isinstance(widget, QComboBox):  # caption and combo wrap together
                layout.addWidget(self._pair(f.label, widget))
            else:
                layout.addWidget(widget)
        self.chip = QToolButton()
        self.chip.setIcon(icon("reset"))
        self.chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.chip.setToolTip("清除这个附加条件")
        self.chip.clicked.connect(self._clear_extra)
        self.chip.hide()
        layout.addWidget(self.chip)

    @staticmethod
    def _pair(caption_text: str, widget: QWidget) -> QWidget:
        pair = QWidget()
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        caption = QLabel(caption_text)
        caption.setBuddy(widget)
        row.addWidget(caption)
        row.addWidget(widget)
        return pair

    def add_choice(self, key: str, label: str, choices: list[tuple[Any, str]]) -> QComboBox:
        """A filter that is not a spec field (乡镇, 年度, 一年未更新 …): the list service must know
        the key (``listing.register_filter``). Remembered and restored like the others."""
        combo = QComboBox()
        combo.setAccessibleName(label)
        combo.addItem(ALL, EMPTY)
        for value, text in choices:
            combo.addItem(text, value)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.activated.connect(lambda _i: self._emit())
        self.widgets[key] = combo
        self.labels[key] = label
        self.flow.removeWidget(self.chip)
        self.flow.addWidget(self._pair(label, combo))
        self.flow.addWidget(self.chip)
        if key in self.extra:  # restored before the widget existed
            self.set_values({**self.extra, **self.values()})
        return combo

    def _make(self, f: Field) -> QWidget | None:
        if f.kind == Kind.REF:
            widget = RefFilter(self.ctx, f)
            widget.changed.connect(self._emit)
            return widget
        combo = QComboBox()
        combo.setAccessibleName(f.label)
        combo.addItem(ALL, EMPTY)
        if f.kind == Kind.DATE:
            for year in range(today().year, today().year - 30, -1):
                combo.addItem(f"{year}年", Range(date(year, 1, 1), date(year, 12, 31)))
        elif f.kind == Kind.YEAR:  # 年度: this year first, next year (campaigns are planned ahead), the last ten
            from app.kit.options import year_order

            for year in year_order(today().year, back=10, ahead=1):
                combo.addItem(f"{year}年", year)
        else:
            choices = listing.filter_choices(self.spec, f.key, self.ctx.codes)
            if not choices:
                return None
            for value, label in choices:
                combo.addItem(label, value)
        combo.setMinimumContentsLength(min(8, max(len(combo.itemText(i)) for i in range(combo.count()))))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.activated.connect(lambda _i: self._emit())
        return combo

    # -- values --------------------------------------------------------------------------------
    def hold(self, keys) -> None:
        """Filters the page holds fixed (a figure's own conditions) are not offered: a combo
        saying 全部 beside a list that is not all would mislead."""
        for key in set(keys) & set(self.widgets):
            widget = self.widgets.pop(key)
            pair = widget.parentWidget()
            (widget if isinstance(widget, RefFilter) or pair is self else pair).hide()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        for key, widget in self.widgets.items():
            value = widget.value if isinstance(widget, RefFilter) else combo_value(widget)
            if value is not None:
                out[key] = value
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Show ``values`` in the widgets; whatever no widget can show becomes the chip."""
        self.extra = {}
        for key, widget in self.widgets.items():
            value = values.get(key)
            if isinstance(widget, RefFilter):
                if isinstance(value, tuple):
                    self.extra[key] = value
                    value = None
                widget.set_value(value)
                continue
            i = widget.findData(value) if value is not None else 0
            if i < 0:
                self.extra[key] = value
                i = 0
            widget.setCurrentIndex(i)
        self.extra.update({k: v for k, v in values.items() if k not in self.widgets})
        self._render_chip()

    def clear(self) -> None:
        self.set_values({})

    def _render_chip(self) -> None:
        if not self.extra:
            self.chip.hide()
            return
        self.chip.setText("附加条件:" + ";".join(self._describe(k, v) for k, v in self.extra.items()))
        self.chip.show()

    def _describe(self, key: str, value) -> str:
        label = self.spec.field(key).label if self.spec.has(key) else self.labels.get(key, key)
        if isinstance(value, Range):
            low, high = value.low, value.high
            if isinstance(low, date) and isinstance(high, date) and (low.month, low.day) == (1, 1) \
                    and (high.month, high.day) == (12, 31) and low.year == high.year:
                return f"{label} {low.year}年"
            return f"{label} {low or ''}–{high or ''}"
        if isinstance(value, tuple) and self.spec.has(key):
            f = self.spec.field(key)
            names = dict(listing.filter_choices(self.spec, key, self.ctx.codes))
            if f.kind == Kind.REF:
                return f"{label} 共 {len(value)} 项"
            return f"{label} " + "、".join(str(names.get(v, v)) for v in value)
        return f"{label} {value}"

    def _clear_extra(self) -> None:
        self.extra = {}
        self._render_chip()
        self._emit()

    def _emit(self) -> None:
        self.filters_changed.emit(self.values())


# -- remembered between sessions (QSettings holds text) ---------------------------------------
def encode_filters(filters: dict[str, Any]) -> str:
    def enc(v):
        if isinstance(v, Range):
            return {"range": [enc(v.low), enc(v.high)]}
        if isinstance(v, date):
            return {"date": v.isoformat()}
        if isinstance(v, tuple):
            return {"any": [enc(x) for x in v]}
        return v

    return json.dumps({k: enc(v) for k, v in filters.items()}, ensure_ascii=False)


def decode_filters(text: str) -> dict[str, Any]:
    def dec(v):
        if isinstance(v, dict):
            if "range" in v:
                return Range(dec(v["range"][0]), dec(v["range"][1]))
            if "date" in v:
                return date.fromisoformat(v["date"])
            if "any" in v:
                return tuple(dec(x) for x in v["any"])
        return v

    return {k: dec(v) for k, v in json.loads(text).items()}
