"""The desktop app on Windows (issue 15, point 6): the UI font found by its English name while
Chinese Windows lists it by its localised one, and a default save folder that Controlled Folder
Access does not block."""

import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QFontDatabase


def test_the_windows_font_is_found_under_its_localised_name(qapp, monkeypatch):
    from ui import theme

    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *a: ["微软雅黑 UI", "宋体"]))
    monkeypatch.setattr(QFontDatabase, "hasFamily",
                        staticmethod(lambda family: family in ("Microsoft YaHei UI", "微软雅黑 UI")))
    monkeypatch.setattr(sys, "platform", "win32")
    assert theme.choose_font_family() == theme.WINDOWS_FONT


def test_saving_starts_in_downloads_not_documents(qapp, monkeypatch, tmp_path):
    """Documents and the Desktop are protected by Controlled Folder Access: an unsigned program
    writing there is blocked (the save fails with 拒绝访问)."""
    from app.sync import drives
    from ui.dialogs import files

    places = {QStandardPaths.StandardLocation.DocumentsLocation: tmp_path / "Documents",
              QStandardPaths.StandardLocation.DownloadLocation: tmp_path / "Downloads"}
    for folder in places.values():
        folder.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(lambda kind: str(places[kind])))
    monkeypatch.setattr(drives, "removable_drives", lambda: [])
    assert files.last_folder() == tmp_path / "Downloads"
    files.remember_folder(tmp_path / "Documents" / "x.pdf")  # a folder the user chose is kept
    assert files.last_folder() == tmp_path / "Documents"
    assert Path(files.default_folder()) == tmp_path / "Downloads"
