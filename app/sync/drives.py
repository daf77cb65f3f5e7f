"""Removable drives (USB sticks) offered as export destinations. Windows: GetDriveTypeW ==
DRIVE_REMOVABLE; Linux: mounts under /media, /run/media or /mnt; macOS: /Volumes."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path


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


def _windows() -> list[Drive]:
    import ctypes
    import string

    k32 = ctypes.windll.kernel32
    mask = k32.GetLogicalDrives()
    out = []
    for i, letter in enumerate(string.ascii_uppercase):
        if not mask & (1 << i):
            continue
        root = f"{letter}:\\"
        if k32.GetDriveTypeW(ctypes.c_wchar_p(root)) != 2:  # DRIVE_REMOVABLE
            continue
        name = ctypes.create_unicode_buffer(261)
        k32.GetVolumeInformationW(ctypes.c_wchar_p(root), name, 261, None, None, None, None, 0)
        free, total = _usage(Path(root))
        if total:
            out.append(Drive(Path(root), name.value, free, total))
    return out


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
        text = Path("/proc/mounts").read_text()
    except OSError:
        return []
    return [Drive(p, p.name, *_usage(p)) for p, _fs in parse_mounts(text)]
