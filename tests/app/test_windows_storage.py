"""Where data may live on Windows (issue 15, point 4): USB hard disks that call themselves fixed
drives, and folders OneDrive synchronises. The Windows calls (GetDriveTypeW, the storage bus
query, GetLogicalDrives, the OneDrive registry keys) are replaced by fakes."""

from pathlib import Path

import pytest

from app import storage
from app.services.startup import ERROR, WARNING, preflight
from app.storage import DRIVE_CDROM, DRIVE_FIXED, DRIVE_REMOTE, DRIVE_REMOVABLE, LOCAL, REMOVABLE, classify_windows

BUS_TYPE_USB, BUS_TYPE_SD, BUS_SATA, BUS_NVME = 7, 12, 11, 17  # STORAGE_BUS_TYPE (winioctl.h)
TYPES = {"C": DRIVE_FIXED, "D": DRIVE_CDROM, "E": DRIVE_REMOVABLE, "F": DRIVE_FIXED, "G": DRIVE_FIXED,
         "H": DRIVE_FIXED, "Z": DRIVE_REMOTE}
BUSES = {"C": BUS_NVME, "F": BUS_TYPE_USB, "G": BUS_SATA, "H": BUS_TYPE_SD}


def drive_type(root):
    return TYPES.get(root[0].upper(), 0)


def bus_type(root):
    return BUSES.get(root[0].upper())


@pytest.mark.parametrize("path, kind", [
    (r"F:\工会\uniondesk.db", REMOVABLE),  # a USB hard disk: DRIVE_FIXED on the USB bus
    (r"H:\uniondesk.db", REMOVABLE),  # an SD card in a built-in reader
    (r"G:\数据\uniondesk.db", LOCAL),  # a second internal SATA disk
    (r"C:\Users\clerk\AppData\Local\UnionDesk\uniondesk.db", LOCAL),
])
def test_fixed_drives_are_asked_for_their_bus(path, kind, monkeypatch):
    monkeypatch.setenv("SystemDrive", "C:")
    monkeypatch.setattr(storage, "_win_bus_type", bus_type, raising=False)  # the IOCTL, faked
    assert classify_windows(path, drive_type).kind == kind


def test_the_system_drive_is_never_removable():
    """Windows To Go boots from USB: its C: is still where the data belongs."""
    assert classify_windows(r"C:\x.db", drive_type, lambda root: BUS_TYPE_USB, system_drive="C:").kind == LOCAL


def test_a_bus_that_cannot_be_asked_leaves_a_fixed_drive_local():
    assert classify_windows(r"G:\x.db", drive_type, lambda root: None, system_drive="C:").kind == LOCAL


def test_a_database_on_a_usb_hard_disk_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SystemDrive", "C:")
    monkeypatch.setattr(storage, "_win_bus_type", bus_type, raising=False)

    def classify(path):
        return classify_windows(r"F:\工会", drive_type)

    report = preflight(tmp_path / "uniondesk.db", classify=classify)
    assert [f.code for f in report.errors] == ["removable"]
    assert "移动硬盘" in report.errors[0].message and "USB" in report.errors[0].message


def test_usb_hard_disks_are_offered_as_export_targets():
    from app.sync.drives import windows_drives

    mask = sum(1 << (ord(letter) - ord("A")) for letter in TYPES)
    found = windows_drives(mask, drive_type, bus_type, label=lambda root: "",
                           usage=lambda root: (10 * 2**30, 64 * 2**30), system_drive="C:")
    assert [str(d.path)[0] for d in found] == ["E", "F", "H"]
    assert found[1].label == "USB 移动硬盘" and "USB 移动硬盘" in found[1].title


# -- OneDrive ------------------------------------------------------------------------------------
def test_onedrive_folders_come_from_the_environment_and_the_registry():
    roots = storage.onedrive_roots(
        "win32", environ={"OneDrive": r"C:\Users\李明\OneDrive", "OneDriveCommercial": ""},
        registry=lambda: [r"C:\Users\李明\OneDrive", r"D:\OneDrive - 县总工会"])
    assert roots == [r"C:\Users\李明\OneDrive", r"D:\OneDrive - 县总工会"]
    assert storage.onedrive_roots("linux", environ={"OneDrive": "/x"}, registry=lambda: ["/y"]) == []


@pytest.mark.parametrize("path, inside", [
    (r"C:\Users\李明\OneDrive\文档\uniondesk.db", True),  # Known Folder Move: 文档 in OneDrive
    (r"c:\users\李明\onedrive\uniondesk.db", True),
    (r"D:\OneDrive - 县总工会\工会\uniondesk.db", True),
    (r"C:\Users\李明\OneDriveBackup\uniondesk.db", False),
    (r"C:\Users\李明\AppData\Local\UnionDesk\uniondesk.db", False),
])
def test_a_database_in_a_onedrive_folder_is_recognised(path, inside):
    roots = [r"C:\Users\李明\OneDrive", "D:\\OneDrive - 县总工会\\"]
    assert (storage.synced_folder(path, roots, platform="win32") is not None) is inside


def test_a_database_in_onedrive_is_warned_about_not_refused(tmp_path, monkeypatch):
    synced = tmp_path / "OneDrive"
    monkeypatch.setattr(storage, "onedrive_roots", lambda *a, **k: [str(synced)], raising=False)
    report = preflight(synced / "文档" / "uniondesk.db", integrity=False)
    assert report.ok
    warning = next(f for f in report.findings if f.code == "synced_folder")
    assert warning.level == WARNING and "OneDrive" in warning.message and str(synced) in warning.message
    assert all(f.level != ERROR for f in report.findings)
    report = preflight(tmp_path / "本机" / "uniondesk.db", integrity=False)
    assert not [f for f in report.findings if f.code == "synced_folder"]


def test_the_cli_shows_the_onedrive_warning(tmp_path, monkeypatch, capsys):
    from app.cli.main import main

    synced = tmp_path / "OneDrive"
    monkeypatch.setattr(storage, "onedrive_roots", lambda *a, **k: [str(synced)], raising=False)
    assert main(["--db", str(synced / "county.db"), "init", "--unit-name", "示例县总工会", "--unit-code",
                 "341122", "--level", "county", "--admin-user", "admin", "--admin-password",
                 "Gh#OneDrive2026"]) == 0
    assert "OneDrive" in capsys.readouterr().err
    assert Path(synced / "county.db").exists()
