"""Qt's own words in Chinese: the file dialog, message-box buttons, the calendar, a line edit's
context menu.

PySide6 ships ``qtbase_zh_CN.qm``, loaded from Qt's translations folder (in the frozen app, the
folder PyInstaller keeps). That catalogue predates a few Qt 6 source strings — the file dialog's
“&Look in:” and “Files of &type:” gained their mnemonics after it was made — and names a file's
size 体积; ``_Supplement`` answers those few, asked before the catalogue.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CATALOGUES = ("qtbase_zh_CN",)
SUPPLEMENT: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileSystemModel", "Size"): "大小",
}


class _Supplement(QTranslator):
    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002 — Qt's signature
        return SUPPLEMENT.get((context, source))  # None: not ours, the next catalogue answers

    def isEmpty(self) -> bool:
        return False


def install_qt_chinese(app: QCoreApplication) -> list[QTranslator]:
    """Chinese locale and Qt's Chinese translations for ``app``; returns the translators
    installed (children of ``app``, so they live as long as it)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[QTranslator] = []
    for name in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    supplement = _Supplement(app)  # installed last: asked first
    app.installTranslator(supplement)
    installed.append(supplement)
    return installed
