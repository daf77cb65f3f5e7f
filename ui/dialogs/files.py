"""Choosing files, in one place so tests can answer (monkeypatch ``Files.save_path`` / ``open_path``).

Save dialogs suggest a Chinese file name (``困难职工档案表_张三_2020-07-10.pdf``) in the folder used
last time (remembered on this PC), or on a removable drive when one is plugged in and nothing was
remembered yet, or else in the Downloads folder: not Documents or the Desktop, where Windows'
Controlled Folder Access (勒索软件防护) blocks programs it does not know from writing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.theme import settings

LAST_FOLDER = "files/last_folder"


def last_folder() -> Path:
    remembered = str(settings().value(LAST_FOLDER, "") or "")
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    try:
        from app.sync.drives import removable_drives

        drives = removable_drives()
        if drives:
            return Path(drives[0].path)
    except Exception:  # noqa: BLE001 — only a suggestion
        pass
    return default_folder()


def default_folder() -> Path:
    """The Downloads folder (which Controlled Folder Access does not protect), else the home."""
    downloads = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    if downloads and Path(downloads).is_dir():
        return Path(downloads)
    return Path.home()


def remember_folder(path: Path) -> None:
    settings().setValue(LAST_FOLDER, str(Path(path).parent))


class Files:
    @classmethod
    def save_path(cls, parent: QWidget | None, title: str, suggested_name: str,
                  file_filter: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(last_folder() / suggested_name),
                                                file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        suffix = Path(suggested_name).suffix
        if suffix and path.suffix.lower() != suffix.lower():
            path = path.with_name(path.name + suffix)
        remember_folder(path)
        return path

    @classmethod
    def open_path(cls, parent: QWidget | None, title: str, file_filter: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(parent, title, str(last_folder()), file_filter)
        if not chosen:
            return None
        remember_folder(Path(chosen))
        return Path(chosen)
