"""One program per database: the lock beside it, a clear message for a second opener, and a lock
left by a killed process taken over at the next start."""

import getpass
import json
import os
import subprocess
import sys
import time

import pytest

from app.db.lock import InstanceLock, InstanceLocked, lock_path_for, read_holder
from app.services.startup import Startup
from tests.conftest import PASSWORDS
from tests.crash_harness import ROOT, run_cli

HOLD = """
import sys, time
from app.db.lock import InstanceLock
lock = InstanceLock(sys.argv[1], "gui").acquire()
lock.annotate(account="张会计")
print("held", flush=True)
time.sleep(60)
"""


def _holder(db_path):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db_path)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, encoding="utf-8", env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_opener_in_the_same_process_is_refused(tmp_path):
    path = tmp_path / "uniondesk.db"
    with InstanceLock(path, "gui") as first:
        info = json.loads(lock_path_for(path).read_text(encoding="utf-8"))
        assert info["pid"] == os.getpid() and info["program"] == "gui"
        with pytest.raises(InstanceLocked) as caught:
            InstanceLock(path, "cli").acquire()
        message = caught.value.message
        assert f"已由用户 {getpass.getuser()} 在本机打开" in message and "工会工作台窗口" in message
        assert f"进程 {os.getpid()}" in message
        assert first.held
    assert not first.held
    assert lock_path_for(path).read_text(encoding="utf-8") == ""  # a clean release leaves no details behind
    with InstanceLock(path) as again:  # and the next one gets it, with no stale holder
        assert again.stale is None


def test_another_process_holding_it_is_named_and_the_cli_refuses(db_path):
    proc = _holder(db_path)
    try:
        with pytest.raises(InstanceLocked, match="登录账户 张会计") as caught:
            Startup(db_path, program="cli").begin()
        assert caught.value.holder.pid == proc.pid
        result = run_cli(db_path, "user", "list", password=PASSWORDS["admin"])
        assert result.returncode == 5
        assert "已由用户" in result.stderr and "在本机打开" in result.stderr and str(proc.pid) in result.stderr
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holder_leaves_a_stale_lock_that_the_next_start_takes_over(db_path):
    proc = _holder(db_path)
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
    proc.wait()
    left = read_holder(db_path)
    assert left is not None and left.pid == proc.pid  # the details of the dead holder are still there
    start = Startup(db_path, program="gui")
    report = start.begin()
    try:
        assert report.ok
        assert start.lock.held and start.lock.stale.pid == proc.pid
        assert read_holder(db_path).pid == os.getpid()
        db = start.open()
        assert db.initialised
    finally:
        start.close(backup=False)


def test_cli_commands_take_and_release_the_lock(db_path):
    started = time.time()
    result = run_cli(db_path, "user", "list", password=PASSWORDS["admin"])
    assert result.returncode == 0, result.stderr
    assert lock_path_for(db_path).exists() and lock_path_for(db_path).stat().st_mtime >= started - 1
    assert lock_path_for(db_path).read_text(encoding="utf-8") == ""  # released on the way out
    with InstanceLock(db_path):
        pass
