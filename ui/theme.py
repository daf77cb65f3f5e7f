"""Looks: the UI font, the one stylesheet, the icon set and the 大字体 preference.

- Font: "Microsoft YaHei UI" where Windows has it, else the bundled WenQuanYi Micro Hei
  (``resources/fonts``, Apache-2.0), so Chinese never falls back to boxes on a bare machine.
- Stylesheet: ``resources/style/uniondesk.qss``; ``@font_size`` and the colours below are filled in
  at load time so the large-font setting is one number.
- Icons: hand-written 24×24 line SVGs in ``resources/icons`` drawn in ``currentColor``, tinted here.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QFont, QFontDatabase, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from app.config import resources_dir

WINDOWS_FONT = "Microsoft YaHei UI"
BUNDLED_FONT_FILE = "wqy-microhei.ttc"
BASE_POINT_SIZE = 10.5
LARGE_POINT_SIZE = 12.5

COLORS = {
    "window": "#f4f5f7",
    "panel": "#ffffff",
    "border": "#d9dde3",
    "text": "#1f2933",
    "muted": "#667085",
    "accent": "#2f6db3",
    "accent_hover": "#275d99",
    "accent_soft": "#e7eff9",
    "union_red": "#c8102e",
    "error": "#c62828",
    "ok": "#2e7d32",
    "warn": "#b26a00",
    "closed": "#6b7280",
}
ICON_COLOR = "#475467"
CLOSED_ICON_COLOR = "#b4bcc8"  # navigation icons of areas not open yet


def settings() -> QSettings:
    """Per-PC preferences of the UI (large font, last filters, window layout)."""
    return QSettings("UnionDesk", "UnionDesk")


def large_font_enabled() -> bool:
    return settings().value("ui/large_font", False, type=bool)


def set_large_font(on: bool) -> None:
    settings().setValue("ui/large_font", bool(on))


def choose_font_family() -> str:
    """The UI font family, loading the bundled font only when the system has no better one."""
    # hasFamily, not ``in families()``: Chinese Windows may list 微软雅黑 UI by its localised name
    if sys.platform == "win32" and QFontDatabase.hasFamily(WINDOWS_FONT):
        return WINDOWS_FONT
    path = resources_dir() / "fonts" / BUNDLED_FONT_FILE
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.exists() else -1
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else QApplication.font().family()


_family: str | None = None


def apply_theme(app: QApplication, *, large: bool | None = None) -> None:
    """Font and stylesheet for the whole application (called again when 大字体 changes)."""
    global _family
    large = large_font_enabled() if large is None else large
    if _family is None:
        _family = choose_font_family()
    family = _family
    size = LARGE_POINT_SIZE if large else BASE_POINT_SIZE
    font = QFont(family)
    font.setPointSizeF(size)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    app.setStyleSheet(stylesheet(size))


def stylesheet(point_size: float) -> str:
    text = (resources_dir() / "style" / "uniondesk.qss").read_text(encoding="utf-8")
    values = dict(COLORS, font_size=f"{point_size}pt", title_size=f"{point_size + 4}pt",
                  figure_size=f"{point_size + 11}pt", small_size=f"{point_size - 1}pt")
    for key in sorted(values, key=len, reverse=True):
        text = text.replace("@" + key, values[key])
    return text


@lru_cache(maxsize=256)
def _svg(name: str) -> str:
    return (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")


def icon(name: str, color: str = ICON_COLOR) -> QIcon:
    """An icon of the set, drawn in ``color`` (disabled state greyed by Qt)."""
    return _icon(name, color)


@lru_cache(maxsize=512)
def _icon(name: str, color: str) -> QIcon:
    from PySide6.QtSvg import QSvgRenderer

    data = QByteArray(_svg(name).replace("currentColor", color).encode("utf-8"))
    renderer = QSvgRenderer(data)
    result = QIcon()
    ratio = max(1.0, QApplication.instance().devicePixelRatio()) if QApplication.instance() else 1.0
    for size in (16, 20, 24, 32, 48):
        pixmap = QPixmap(QSize(size, size) * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def icon_names() -> list[str]:
    return sorted(p.stem for p in Path(resources_dir() / "icons").glob("*.svg"))
