"""Logging from several processes (issue 15, point 5): the window and the command line write their own
files, and a rotation that Windows refuses (the file is open in another process) loses nothing."""

import logging
import os
import subprocess
import sys

import pytest

from app import logs
from tests.crash_harness import ROOT


@pytest.fixture
def handler(tmp_path):
    h = logs.SafeRotatingFileHandler(tmp_path / "uniondesk.log", maxBytes=2000, backupCount=3,
                                     encoding="utf-8")
    h.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("test.rotation")
    logger.propagate = False
    logger.addHandler(h)
    logger.setLevel(logging.INFO)
    yield logger, h
    logger.removeHandler(h)
    h.close()


def test_a_refused_rotation_keeps_every_record_and_prints_nothing(handler, tmp_path, monkeypatch, capsys):
    logger, h = handler
    base = str(tmp_path / "uniondesk.log")
    real_rename = os.rename

    def rename(src, dst, *args, **kwargs):  # another process holds the file (WinError 32)
        if os.fspath(src) == base:
            raise PermissionError(13, "The process cannot access the file because it is being used "
                                      "by another process", os.fspath(src))
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(logging, "raiseExceptions", True)  # as in a normal run: errors are printed
    for n in range(200):
        logger.info("记录 %03d %s", n, "x" * 40)
    assert capsys.readouterr().err == ""
    text = (tmp_path / "uniondesk.log").read_text(encoding="utf-8")
    assert all(f"记录 {n:03d}" in text for n in range(200))
    assert h.refusals == 1  # not retried on every record

    monkeypatch.setattr(os, "rename", real_rename)  # the other process let go; a minute later:
    monkeypatch.setattr(logs, "_clock", lambda: 10 ** 9)
    logger.info("记录 200 %s", "x" * 40)
    assert (tmp_path / "uniondesk.log.1").exists()
    rotated = (tmp_path / "uniondesk.log.1").read_text(encoding="utf-8")
    assert "记录 199" in rotated
    assert "记录 200" in (tmp_path / "uniondesk.log").read_text(encoding="utf-8")


def test_the_window_and_the_command_line_write_different_files(monkeypatch, tmp_path):
    monkeypatch.setenv("UNIONDESK_DATA_DIR", str(tmp_path / "data"))
    assert logs.log_path("gui").name == "uniondesk.log"
    assert logs.log_path("cli").name == "uniondesk-cli.log"
    previous = logs.set_program("cli")
    try:
        assert logs.setup_logging() == tmp_path / "data" / "logs" / "uniondesk-cli.log"
    finally:
        logs.set_program(previous)
    assert logs.setup_logging() == tmp_path / "data" / "logs" / "uniondesk.log"


def test_a_failing_command_logs_into_the_cli_file(tmp_path):
    env = dict(os.environ, UNIONDESK_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT),
               PYTHONIOENCODING="utf-8")
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not SQLite" * 100)
    r = subprocess.run([sys.executable, "-m", "app", "--db", str(bad), "db", "check"], cwd=ROOT, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode != 0
    assert (tmp_path / "data" / "logs" / "uniondesk-cli.log").exists()
    assert not (tmp_path / "data" / "logs" / "uniondesk.log").exists()
