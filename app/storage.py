"""What kind of disk a path lives on, and how much room it has.

SQLite's locking is broken on network file systems and USB sticks lie about flushes
(reliability-and-security.md §1.2), so the app refuses to keep its database on either. The checks
are plain functions of injectable probes, so the Windows branch is unit-tested on Linux with fakes:

- Windows: a UNC path (``\\\\server\\share``, ``\\\\?\\UNC\\…``) is a share; otherwise
  ``GetDriveTypeW`` of the drive root (DRIVE_REMOTE = mapped network drive, DRIVE_REMOVABLE = USB
  stick or card, DRIVE_CDROM).
- Linux: the file-system type of the mount holding the path (``/proc/mounts``: nfs, cifs, smb3,
  sshfs, fuse.*) and, for a local block device, ``/sys/block/<disk>/removable`` or a USB bus in its
  sysfs path.
"""

from __future__ import annotations

import ntpath
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LOCAL, REMOTE, REMOVABLE, OPTICAL, UNKNOWN = "local", "remote", "removable", "optical", "unknown"

# GetDriveTypeW results (WinBase.h)
DRIVE_UNKNOWN, DRIVE_NO_ROOT_DIR, DRIVE_REMOVABLE, DRIVE_FIXED = 0, 1, 2, 3
DRIVE_REMOTE, DRIVE_CDROM, DRIVE_RAMDISK = 4, 5, 6

NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "ncpfs", "afs",
              "coda", "9p", "davfs", "ceph", "glusterfs", "lustre", "gfs2", "ocfs2", "vboxsf",
              "vmhgfs", "virtiofs"}
# FUSE file systems that keep their data on a local disk (everything else under fuse.* is treated
# as remote: sshfs, gvfsd-fuse (Samba through the desktop), rclone, s3fs …).
LOCAL_FUSE = {"fuse.gocryptfs", "fuse.encfs", "fuse.cryfs", "fuse.lxcfs", "fuse.ntfs-3g", "fuseblk",
              "fuse.bindfs", "fuse.mergerfs"}


@dataclass(frozen=True)
class Location:
    kind: str  # LOCAL | REMOTE | REMOVABLE | OPTICAL | UNKNOWN
    detail: str = ""  # the share, drive or file-system type, for the message


# -- Windows ------------------------------------------------------------------------------------
def _win_get_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def classify_windows(path: str, get_drive_type: Callable[[str], int] = _win_get_drive_type) -> Location:
    """Classify a Windows path (absolute, as ``os.path.abspath`` gives it)."""
    p = path.replace("/", "\\")
    upper = p.upper()
    if upper.startswith("\\\\?\\UNC\\"):
        share = "\\\\" + "\\".join(p[8:].split("\\")[:2])
        return Location(REMOTE, share)
    if upper.startswith(("\\\\?\\", "\\\\.\\")):
        p = p[4:]  # a long-path prefix in front of a drive letter
    elif p.startswith("\\\\"):
        drive, _ = ntpath.splitdrive(p)
        return Location(REMOTE, drive or p)
    drive, _ = ntpath.splitdrive(p)
    if not drive:
        return Location(UNKNOWN, p)
    kind = get_drive_type(drive + "\\")
    if kind == DRIVE_REMOTE:
        return Location(REMOTE, drive)
    if kind == DRIVE_REMOVABLE:
        return Location(REMOVABLE, drive)
    if kind == DRIVE_CDROM:
        return Location(OPTICAL, drive)
    if kind in (DRIVE_FIXED, DRIVE_RAMDISK):
        return Location(LOCAL, drive)
    return Location(UNKNOWN, drive)


# -- Linux --------------------------------------------------------------------------------------
def _unescape_mount(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_for(path: str, mounts_text: str) -> tuple[str, str, str] | None:
    """(device, mount point, file-system type) of the mount holding ``path``: the longest mount
    point that is a prefix of it (the last one listed wins, as later mounts hide earlier ones)."""
    best: tuple[str, str, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        device, point, fstype = _unescape_mount(parts[0]), _unescape_mount(parts[1]), parts[2]
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[1])):
            best = (device, point, fstype)
    return best


def block_device_removable(device: str, sys_root: str = "/sys") -> bool:
    """Is ``/dev/sdb1`` (or ``sdb``, ``mmcblk0p1`` …) on a removable disk or a USB bus?"""
    if not device.startswith("/dev/"):
        return False
    name = os.path.basename(os.path.realpath(device))  # /dev/disk/by-uuid/… → /dev/sdb1
    node = Path(sys_root, "class", "block", name)
    if not node.exists():
        return False
    disk = node.resolve()
    if (disk / "partition").exists():  # a partition: its disk is the parent folder in sysfs
        disk = disk.parent
    try:
        if (disk / "removable").read_text().strip() == "1":
            return True
    except OSError:
        pass
    return "/usb" in str(disk)  # USB hard disks and card readers often report removable = 0


def classify_linux(path: str, mounts_text: str | None = None, sys_root: str = "/sys") -> Location:
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return Location(UNKNOWN, "")
    found = mount_for(path, mounts_text)
    if found is None:
        return Location(UNKNOWN, "")
    device, point, fstype = found
    base = fstype.split(".")[0]
    if base in NETWORK_FS or fstype in NETWORK_FS or (
            fstype.startswith("fuse.") and fstype not in LOCAL_FUSE):
        return Location(REMOTE, f"{device} ({fstype})")
    if device.startswith("//"):  # a Samba share mounted under an unusual type name
        return Location(REMOTE, f"{device} ({fstype})")
    if block_device_removable(device, sys_root):
        return Location(REMOVABLE, f"{device} → {point}")
    return Location(LOCAL, f"{point} ({fstype})")


# -- either -------------------------------------------------------------------------------------
def classify(path: Path, *, platform: str = sys.platform,
             windows_probe: Callable[[str], int] | None = None,
             mounts_text: str | None = None, sys_root: str = "/sys") -> Location:
    """Where ``path`` (a file or folder, existing or not) lives."""
    if platform == "win32":
        # realpath follows junctions and symbolic links to where the data really is
        return classify_windows(os.path.realpath(str(path)), windows_probe or _win_get_drive_type)
    if platform.startswith("linux"):
        return classify_linux(str(_existing_ancestor(Path(path)).resolve()), mounts_text, sys_root)
    return Location(UNKNOWN, "")


def _existing_ancestor(path: Path) -> Path:
    path = path.absolute()
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(_existing_ancestor(path)).free


def database_bytes(path: Path) -> int:
    """The database with its -wal: what a backup or an import staging copy needs room for."""
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += os.path.getsize(str(path) + suffix)
        except OSError:
            pass
    return total
