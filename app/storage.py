"""What kind of disk a path lives on, and how much room it has.

SQLite's locking is broken on network file systems and USB sticks lie about flushes
(reliability-and-security.md §1.2), so the app refuses to keep its database on either. The checks
are plain functions of injectable probes, so the Windows branch is unit-tested on Linux with fakes:

- Windows: a UNC path (``\\\\server\\share``, ``\\\\?\\UNC\\…``) is a share; otherwise
  ``GetDriveTypeW`` of the drive root (DRIVE_REMOTE = mapped network drive, DRIVE_REMOVABLE = USB
  stick or card, DRIVE_CDROM). USB hard disks and many large sticks report DRIVE_FIXED, so a fixed
  drive other than the system drive is asked for its bus (``IOCTL_STORAGE_QUERY_PROPERTY``):
  USB, 1394, SD or MMC make it removable.
- Windows, in addition: a folder that OneDrive synchronises (``synced_folder``) is allowed but
  warned about — the sync client uploads, replaces and dehydrates files while SQLite writes them.
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
# STORAGE_BUS_TYPE values (winioctl.h) of disks that are plugged in from outside
BUS_TYPE_1394, BUS_TYPE_USB, BUS_TYPE_SD, BUS_TYPE_MMC = 4, 7, 12, 13
EXTERNAL_BUSES = {BUS_TYPE_USB: "USB", BUS_TYPE_1394: "1394", BUS_TYPE_SD: "SD 卡", BUS_TYPE_MMC: "MMC 卡"}

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


def _win_bus_type(root: str) -> int | None:
    """The STORAGE_BUS_TYPE of the disk behind a drive root ("E:\\"), None when it cannot be asked
    (no such device, access refused, not Windows)."""
    try:
        import ctypes
        from ctypes import wintypes

        k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    except (ImportError, AttributeError, OSError, ValueError):  # not Windows
        return None

    class StoragePropertyQuery(ctypes.Structure):
        _fields_ = [("PropertyId", wintypes.DWORD), ("QueryType", wintypes.DWORD),
                    ("AdditionalParameters", ctypes.c_ubyte * 1)]

    class StorageDeviceDescriptor(ctypes.Structure):
        _fields_ = [("Version", wintypes.DWORD), ("Size", wintypes.DWORD),
                    ("DeviceType", ctypes.c_ubyte), ("DeviceTypeModifier", ctypes.c_ubyte),
                    ("RemovableMedia", ctypes.c_ubyte), ("CommandQueueing", ctypes.c_ubyte),
                    ("VendorIdOffset", wintypes.DWORD), ("ProductIdOffset", wintypes.DWORD),
                    ("ProductRevisionOffset", wintypes.DWORD), ("SerialNumberOffset", wintypes.DWORD),
                    ("BusType", wintypes.DWORD), ("RawPropertiesLength", wintypes.DWORD)]

    ioctl_storage_query_property = 0x002D1400  # CTL_CODE(IOCTL_STORAGE_BASE, 0x500, BUFFERED, ANY)
    share_read_write, open_existing = 0x1 | 0x2, 3
    k32.CreateFileW.restype = wintypes.HANDLE
    k32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    k32.DeviceIoControl.restype = wintypes.BOOL
    k32.DeviceIoControl.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.LPVOID, wintypes.DWORD,
                                    wintypes.LPVOID, wintypes.DWORD, ctypes.POINTER(wintypes.DWORD),
                                    wintypes.LPVOID]
    k32.CloseHandle.argtypes = [wintypes.HANDLE]
    # No access rights are needed to query a volume's properties (so no administrator either).
    handle = k32.CreateFileW("\\\\.\\" + root.rstrip("\\/"), 0, share_read_write, None,
                             open_existing, 0, None)
    if handle is None or handle == ctypes.c_void_p(-1).value:
        return None
    try:
        query = StoragePropertyQuery(0, 0)  # StorageDeviceProperty, PropertyStandardQuery
        out = ctypes.create_string_buffer(1024)  # the descriptor and its trailing strings
        returned = wintypes.DWORD()
        if not k32.DeviceIoControl(handle, ioctl_storage_query_property, ctypes.byref(query),
                                   ctypes.sizeof(query), out, ctypes.sizeof(out),
                                   ctypes.byref(returned), None):
            return None
        if returned.value < StorageDeviceDescriptor.BusType.offset + 4:
            return None
        return int(StorageDeviceDescriptor.from_buffer(out).BusType)
    finally:
        k32.CloseHandle(handle)


def classify_windows(path: str, get_drive_type: Callable[[str], int] = _win_get_drive_type,
                     get_bus_type: Callable[[str], int | None] | None = None,
                     system_drive: str | None = None) -> Location:
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
    if kind == DRIVE_FIXED and (bus := external_bus(drive, get_bus_type, system_drive)):
        return Location(REMOVABLE, f"{drive} {bus} 移动硬盘")
    if kind in (DRIVE_FIXED, DRIVE_RAMDISK):
        return Location(LOCAL, drive)
    return Location(UNKNOWN, drive)


def external_bus(drive: str, get_bus_type: Callable[[str], int | None] | None = None,
                 system_drive: str | None = None) -> str | None:
    """The bus ("USB" …) of a fixed drive plugged in from outside; None for an internal disk and
    always for the system drive (Windows To Go runs from USB, and is still the system)."""
    system = (system_drive or os.environ.get("SystemDrive") or "C:").rstrip("\\/").upper()
    if drive.rstrip("\\/").upper() == system:
        return None
    return EXTERNAL_BUSES.get((get_bus_type or _win_bus_type)(drive.rstrip("\\/") + "\\"))


# -- folders synchronised by OneDrive ------------------------------------------------------------
ONEDRIVE_ENV = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


def _win_onedrive_folders() -> list[str]:
    """Every OneDrive account's folder on this PC (HKCU\\Software\\Microsoft\\OneDrive\\Accounts\\
    <account>\\UserFolder): also the ones whose environment variable is not set in this process."""
    try:
        import winreg
    except ImportError:
        return []
    found = []
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\Microsoft\OneDrive\Accounts") as accounts:
            for i in range(winreg.QueryInfoKey(accounts)[0]):
                try:
                    with winreg.OpenKey(accounts, winreg.EnumKey(accounts, i)) as account:
                        folder = winreg.QueryValueEx(account, "UserFolder")[0]
                except OSError:
                    continue
                if folder:
                    found.append(str(folder))
    except OSError:
        pass
    return found


def onedrive_roots(platform: str | None = None, environ: dict | None = None,
                   registry: Callable[[], list[str]] | None = None) -> list[str]:
    """The folders OneDrive synchronises on this PC (Windows only; none elsewhere)."""
    if (platform or sys.platform) != "win32":
        return []
    environ = os.environ if environ is None else environ
    roots = [environ[name] for name in ONEDRIVE_ENV if environ.get(name)]
    roots += (registry or _win_onedrive_folders)()
    unique: dict[str, str] = {}
    for root in roots:
        unique.setdefault(ntpath.normcase(ntpath.normpath(root)), root)
    return list(unique.values())


def synced_folder(path: Path | str, roots: list[str] | None = None,
                  platform: str | None = None) -> str | None:
    """The OneDrive folder ``path`` lies in, or None. (Known Folder Move puts 文档 and 桌面 inside
    OneDrive, so a database "in Documents" may well be in one.)"""
    platform = platform or sys.platform
    roots = onedrive_roots(platform) if roots is None else roots
    if not roots:
        return None
    if platform == "win32":
        norm = lambda p: ntpath.normcase(ntpath.normpath(str(p)))  # noqa: E731
        sep = "\\"
    else:
        norm = lambda p: os.path.normpath(str(p))  # noqa: E731
        sep = "/"
    target = norm(path)  # absolute, as the start-up checks pass it
    for root in roots:
        base = norm(root).rstrip(sep)
        if target == base or target.startswith(base + sep):
            return root
    return None


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
        if (disk / "removable").read_text(encoding="ascii").strip() == "1":
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
def classify(path: Path, *, platform: str | None = None,
             windows_probe: Callable[[str], int] | None = None,
             bus_probe: Callable[[str], int | None] | None = None,
             mounts_text: str | None = None, sys_root: str = "/sys") -> Location:
    """Where ``path`` (a file or folder, existing or not) lives."""
    platform = platform or sys.platform
    if platform == "win32":
        # realpath follows junctions and symbolic links to where the data really is
        return classify_windows(os.path.realpath(str(path)), windows_probe or _win_get_drive_type,
                                bus_probe)
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
