"""Removable drives (USB sticks, USB hard disks) offered as export destinations.

Windows: GetDriveTypeW == DRIVE_REMOVABLE, and DRIVE_FIXED drives on a USB, 1394 or card bus (USB
hard disks and many large sticks call themselves fixed; ``app.storage.external_bus``). Linux:
mounts under /media, /run/media or /mnt. macOS: /Volumes."""

from __future__ import annotations

import os
import shutil
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import storage


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str
    free_bytes: int
    total_bytes: int

    @property
    def title(self) -> str:
        return f"{self.label or '可移动磁盘'}({self.path},剩余 {self.free_bytes / 2**30:.1f} GB)"


def _usage(path: Path) -> tuple[int, int]:
    try:
        u = shutil.disk_usage(path)
        return u.free, u.total
    except OSError:
        return 0, 0


def windows_drives(logical_drives: int, drive_type: Callable[[str], int],
                   bus_type: Callable[[str], int | None], label: Callable[[str], str],
                   usage: Callable[[Path], tuple[int, int]] = _usage,
                   system_drive: str | None = None) -> list[Drive]:
    """The removable drives among the letters set in ``logical_drives`` (GetLogicalDrives)."""
    out = []
    for i, letter in enumerate(string.ascii_uppercase):
        if not logical_drives & (1 << i):
            continue
        root = f"{letter}:\\"
        kind = drive_type(root)
        bus = None
        if kind == storage.DRIVE_FIXED:
            bus = storage.external_bus(f"{letter}:", bus_type, system_drive)
            if bus is None:
                continue
        elif kind != storage.DRIVE_REMOVABLE:
            continue
        free, total = usage(Path(root))
        if total:
            out.append(Drive(Path(root), label(root) or (f"{bus} 移动硬盘" if bus else ""), free, total))
    return out


def _windows() -> list[Drive]:
    import ctypes

    k32 = ctypes.windll.kernel32

    def label(root: str) -> str:
        name = ctypes.create_unicode_buffer(261)
        k32.GetVolumeInformationW(ctypes.c_wchar_p(root), name, 261, None, None, None, None, 0)
        return name.value

    return windows_drives(k32.GetLogicalDrives(), storage._win_get_drive_type, storage._win_bus_type,
                          label)


REMOVABLE_FS = {"vfat", "exfat", "ntfs", "ntfs3", "fuseblk", "msdos", "udf", "iso9660"}


def parse_mounts(text: str) -> list[tuple[Path, str]]:
    """(mount point, file system) of mounts that look like removable media."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if parts[2] in REMOVABLE_FS and point.startswith(("/media/", "/run/media/", "/mnt/")):
            out.append((Path(point), parts[2]))
    return out


def removable_drives() -> list[Drive]:
    if os.name == "nt":
        try:
            return _windows()
        except (OSError, AttributeError):
            return []
    if sys.platform == "darwin":
        vols = [p for p in Path("/Volumes").glob("*") if p.is_dir() and not p.is_symlink()]
        return [Drive(p, p.name, *_usage(p)) for p in vols]
    try:
        text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [Drive(p, p.name, *_usage(p)) for p, _fs in parse_mounts(text)]
