"""Where the database may live: network shares, removable drives, free space, the SQLite library.
The Windows branch runs here with a fake GetDriveTypeW; the Linux branch with fake /proc/mounts and
a fake /sys tree."""

from pathlib import Path

import pytest

from app import storage
from app.services.startup import ERROR, WARNING, Startup, preflight, space_findings, sqlite_findings
from app.storage import DRIVE_CDROM, DRIVE_FIXED, DRIVE_REMOTE, DRIVE_REMOVABLE, LOCAL, OPTICAL, REMOTE, REMOVABLE, UNKNOWN, classify_linux, classify_windows


def fake_drives(**types):
    """GetDriveTypeW stand-in: ``C=DRIVE_FIXED`` …; records the roots it was asked about."""
    asked = []

    def get_drive_type(root):
        asked.append(root)
        return types.get(root[0].upper(), 0)

    get_drive_type.asked = asked
    return get_drive_type


@pytest.mark.parametrize("path, kind, detail", [
    (r"\\server\share\UnionDesk\uniondesk.db", REMOTE, r"\\server\share"),
    (r"\\?\UNC\fileserver\office\data\uniondesk.db", REMOTE, r"\\fileserver\office"),
    ("//server/share/uniondesk.db", REMOTE, r"\\server\share"),
    (r"Z:\工会\uniondesk.db", REMOTE, "Z:"),  # a mapped network drive
    (r"E:\uniondesk.db", REMOVABLE, "E:"),  # a USB stick
    (r"D:\uniondesk.db", OPTICAL, "D:"),
    (r"C:\Users\clerk\AppData\Local\UnionDesk\uniondesk.db", LOCAL, "C:"),
    (r"\\?\C:\Users\clerk\AppData\Local\UnionDesk\uniondesk.db", LOCAL, "C:"),
    (r"q:\data\uniondesk.db", UNKNOWN, "q:"),  # GetDriveTypeW: DRIVE_UNKNOWN / NO_ROOT_DIR
])
def test_windows_paths(path, kind, detail):
    probe = fake_drives(C=DRIVE_FIXED, Z=DRIVE_REMOTE, E=DRIVE_REMOVABLE, D=DRIVE_CDROM)
    assert classify_windows(path, probe) == storage.Location(kind, detail)
    if not path.startswith(("\\\\server", "\\\\?\\UNC", "//")):
        assert probe.asked and probe.asked[-1].endswith(":\\")  # asked about the drive root
    else:
        assert probe.asked == []  # a UNC path needs no system call


MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export/office /mnt/office nfs4 rw,relatime 0 0
//fileserver/工会 /mnt/smb cifs rw 0 0
user@host:/data /home/clerk/remote fuse.sshfs rw 0 0
gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw 0 0
/dev/sdb1 /media/clerk/U\\040DISK vfat rw 0 0
/dev/sdc1 /media/clerk/backup ext4 rw 0 0
/home/clerk/.secret /home/clerk/Private fuse.gocryptfs rw 0 0
/dev/nvme0n1p2 /home ext4 rw 0 0
"""


@pytest.fixture
def fake_sys(tmp_path):
    """sysfs: sdb is a removable stick, sdc a USB hard disk (removable 0), nvme0n1 an internal SSD."""
    root = tmp_path / "sys"
    devices = root / "devices"
    disks = {"sdb": ("pci0000:00/0000:00:14.0/usb2/2-1/host6/block/sdb", "1"),
             "sdc": ("pci0000:00/0000:00:14.0/usb2/2-2/host7/block/sdc", "0"),
             "nvme0n1": ("pci0000:00/0000:00:1d.0/nvme/nvme0/nvme0n1", "0"),
             "vda1": ("pci0000:00/0000:00:02.0/virtio1/block/vda", "0")}
    (root / "class" / "block").mkdir(parents=True)
    for name, (rel, removable) in disks.items():
        disk = devices / rel
        disk.mkdir(parents=True)
        (disk / "removable").write_text(removable + "\n", encoding="ascii")
        part = disk / (name + ("1" if name.startswith("sd") else "p2"))
        part.mkdir()
        (part / "partition").write_text("1\n", encoding="ascii")
        link_name = part.name if name != "vda1" else "vda1"
        try:
            (root / "class" / "block" / link_name).symlink_to(part)
        except OSError:  # Windows without Developer Mode may not create symbolic links
            pytest.skip("sysfs is simulated with symbolic links, which this account may not create")
    return str(root)


@pytest.mark.parametrize("path, kind", [
    ("/home/clerk/.local/share/UnionDesk/uniondesk.db", LOCAL),  # /home on the internal SSD
    ("/var/lib/uniondesk.db", LOCAL),
    ("/mnt/office/uniondesk.db", REMOTE),
    ("/mnt/smb/工会/uniondesk.db", REMOTE),
    ("/home/clerk/remote/uniondesk.db", REMOTE),
    ("/run/user/1000/gvfs/smb-share:server=x/uniondesk.db", REMOTE),
    ("/media/clerk/U DISK/uniondesk.db", REMOVABLE),  # octal-escaped space in /proc/mounts
    ("/media/clerk/backup/uniondesk.db", REMOVABLE),  # USB disk that says removable = 0
    ("/home/clerk/Private/uniondesk.db", LOCAL),  # an encrypted folder on the local disk
])
def test_linux_paths(path, kind, fake_sys):
    assert classify_linux(path, MOUNTS, sys_root=fake_sys).kind == kind


def test_mount_for_prefers_the_longest_mount_point():
    assert storage.mount_for("/mnt/officex/a.db", MOUNTS)[1] == "/"  # not /mnt/office
    assert storage.mount_for("/mnt/office", MOUNTS)[2] == "nfs4"


def test_this_machine_temp_dir_is_local(tmp_path):
    assert storage.classify(tmp_path / "new" / "uniondesk.db").kind == LOCAL


@pytest.mark.parametrize("kind, code, words", [
    (REMOTE, "network_share", "网络共享"), (REMOVABLE, "removable", "U 盘"), (OPTICAL, "optical", "光盘")])
def test_preflight_refuses_shares_and_sticks_without_touching_the_file(tmp_path, kind, code, words):
    path = tmp_path / "uniondesk.db"
    report = preflight(path, classify=lambda p: storage.Location(kind, "X:"))
    assert [f.code for f in report.errors] == [code]
    assert words in report.errors[0].message
    if kind != OPTICAL:
        assert "拒绝" in report.errors[0].message
    start = Startup(path, classify=lambda p: storage.Location(kind, "X:"))
    assert not start.begin().ok and not start.lock.held  # no lock file is written there either
    with pytest.raises(RuntimeError):
        start.open()
    start.close()
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_share(tmp_path, monkeypatch, capsys):
    from app.cli import main

    monkeypatch.setattr(storage, "classify", lambda p, **kw: storage.Location(REMOTE, r"\\srv\share"))
    code = main(["--db", str(tmp_path / "x.db"), "init", "--unit-name", "示例县总工会", "--unit-code",
                 "341122", "--level", "county", "--admin-user", "admin", "--admin-password", "Gh#Desk2026a"])
    err = capsys.readouterr().err
    assert code == 5 and "网络共享" in err and r"\\srv\share" in err, err
    assert list(tmp_path.iterdir()) == []


def test_low_free_space_is_a_warning(tmp_path):
    path = tmp_path / "uniondesk.db"
    path.write_bytes(b"\0" * 4096)
    found = space_findings(path, free=50 * 1024 * 1024)
    assert [(f.level, f.code) for f in found] == [(WARNING, "low_space")]
    assert "50 MB" in found[0].message and "200 MB" in found[0].message
    assert space_findings(path, free=10 * 1024 ** 3) == []


def test_sqlite_version_is_reported():
    old = sqlite_findings("3.40.1")[0]
    assert "3.40.1" in old.message and "一个写连接" in old.message and old.level != ERROR
    assert "已含" in sqlite_findings("3.51.3")[0].message


def test_preflight_on_a_sound_database(db_path):
    report = preflight(db_path)
    assert report.ok and not report.damaged and report.location.kind == LOCAL
    assert any(f.code == "sqlite" for f in report.findings)


def test_preflight_on_a_file_that_is_not_ours(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    report = preflight(path)
    assert [f.code for f in report.errors] == ["not_ours"]
    assert report.restore_candidate is None
    assert Path(path).read_bytes()[:16] == b"SQLite format 3\0"


def test_db_check_names_a_database_on_a_stick(db_path, monkeypatch, capsys):
    from app.cli import main

    assert main(["--db", str(db_path), "db", "check"]) == 0
    monkeypatch.setattr(storage, "classify", lambda p, **kw: storage.Location(REMOVABLE, "/dev/sdb1"))
    assert main(["--db", str(db_path), "db", "check"]) == 1
    out = capsys.readouterr().out
    assert "数据库完好" in out and "错误:" in out and "U 盘" in out
