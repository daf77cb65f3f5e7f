"""Guards that run here (issue 15, point 8): a file opened without an encoding in app/ or ui/ is an
error under ``make test`` (PYTHONWARNDEFAULTENCODING=1 and pytest's filterwarnings), and the
Windows branch of the instance lock runs with ``sys.platform`` and ``msvcrt`` faked.

The console encoding, drive detection, path rules and reserved names run their Windows branches in
test_windows_console.py, test_windows_storage.py and test_windows_paths.py."""

import errno
import os
import subprocess
import sys
import tomllib
import types

import pytest

from tests.crash_harness import ROOT


def test_pytest_turns_encoding_warnings_from_app_and_ui_into_errors():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    filters = config["tool"]["pytest"]["ini_options"]["filterwarnings"]
    assert "error::EncodingWarning:app(\\.|$)" in filters
    assert "error::EncodingWarning:ui(\\.|$)" in filters
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "PYTHONWARNDEFAULTENCODING=1" in makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]


LINUX_SITES = """
import sys, warnings
from pathlib import Path
warnings.simplefilter("error", EncodingWarning)
root = Path(sys.argv[1])
disk = root / "devices" / "usb1" / "sdb"
(disk / "sdb1").mkdir(parents=True)
(disk / "removable").write_text("1\\n", encoding="ascii")
(disk / "sdb1" / "partition").write_text("1\\n", encoding="ascii")
(root / "class" / "block").mkdir(parents=True)
(root / "class" / "block" / "sdb1").symlink_to(disk / "sdb1")
from app import storage
from app.sync import drives, identity
assert storage.block_device_removable("/dev/sdb1", str(root))  # /sys/…/removable
drives.removable_drives()                                        # /proc/mounts
identity.machine_fingerprint()                                   # /etc/machine-id
print("ok")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux-only sites")
def test_the_linux_only_sites_name_their_encoding(tmp_path):
    """The three places that read Linux system files without an encoding (the sysfs removable
    flag, /proc/mounts for export drives, the machine id) fail under the guard today."""
    r = subprocess.run([sys.executable, "-X", "warn_default_encoding", "-c", LINUX_SITES, str(tmp_path)],
                       cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_the_guard_is_on_under_make_test(pytestconfig):
    """`make test` starts the suite with the guard; a bare `pytest` runs without it (the header
    says so), and the test above still checks the sites."""
    if os.environ.get("PYTHONWARNDEFAULTENCODING") != "1":
        pytest.skip("started without `make test` (PYTHONWARNDEFAULTENCODING is not set)")
    assert sys.flags.warn_default_encoding


# -- the instance lock's Windows branch ------------------------------------------------------------
class FakeMsvcrt(types.ModuleType):
    """``msvcrt.locking`` as Windows does it: a byte range locked through one handle refuses every
    other handle, in this process too (unlike POSIX locks), and is released with LK_UNLCK."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

    def __init__(self):
        super().__init__("msvcrt")
        self.held: dict[tuple[int, int], int] = {}
        self.calls: list[tuple[str, int]] = []

    def locking(self, fd, mode, nbytes):
        offset = os.lseek(fd, 0, os.SEEK_CUR)
        key = (os.fstat(fd).st_ino, offset)
        self.calls.append(("unlock" if mode == self.LK_UNLCK else "lock", offset))
        if mode == self.LK_UNLCK:
            if self.held.get(key) != fd:
                raise OSError(errno.EACCES, "Permission denied")
            del self.held[key]
        elif key in self.held:
            raise OSError(errno.EDEADLOCK, "Resource deadlock avoided")
        else:
            self.held[key] = fd


@pytest.fixture
def windows_lock(monkeypatch):
    from app.db import lock

    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    return lock, fake


def test_the_windows_lock_refuses_a_second_opener_and_names_the_first(windows_lock, tmp_path):
    lock, fake = windows_lock
    path = tmp_path / "County.db"
    first = lock.InstanceLock(path, "gui").acquire()
    try:
        assert fake.calls == [("lock", lock._WIN_LOCK_OFFSET)]  # far past the details
        with pytest.raises(lock.InstanceLocked) as caught:
            lock.InstanceLock(path, "cli").acquire()
        assert "工会工作台窗口" in caught.value.message and f"进程 {os.getpid()}" in caught.value.message
    finally:
        first.release()
    assert ("unlock", lock._WIN_LOCK_OFFSET) in fake.calls and not fake.held
    assert lock.lock_path_for(path).read_bytes() == b""
    with lock.InstanceLock(path, "cli") as again:
        assert again.held and again.stale is None


def test_the_windows_lock_file_is_binary(windows_lock, tmp_path, monkeypatch):
    """os.open in text mode would turn the details' newlines into CRLF and stop reading at ^Z."""
    lock, _fake = windows_lock
    flags = []
    real_open = os.open
    monkeypatch.setattr(os, "O_BINARY", 0x8000, raising=False)
    monkeypatch.setattr(os, "open", lambda p, f, *a: flags.append(f) or real_open(p, f & ~0x8000, *a))
    with lock.InstanceLock(tmp_path / "x.db", "gui"):
        pass
    assert flags and all(f & 0x8000 for f in flags)
