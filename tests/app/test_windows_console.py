"""The command line's output on a Chinese Windows console, in files and in pipes (issue 15, point 1).

No Windows machine runs these: the Windows branches run here with ``sys.platform`` and the ANSI
code page faked, and a closed pipe raising ``OSError(EINVAL)`` as Windows' C runtime does.
"""

import errno
import io
import os
import subprocess
import sys

import pytest

from app.cli import console
from tests.crash_harness import ROOT

HELP_WORDS = "工会工作台命令行工具"


def _env(**changes):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(PYTHONPATH=str(ROOT), PYTHONUTF8="0")
    env.update(changes)
    return env


def _run(args, env, script=None):
    argv = [sys.executable, "-c", script, *args] if script else [sys.executable, "-m", "app", *args]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, timeout=120)


def test_pythonioencoding_is_respected():
    out = _run(["--help"], _env(PYTHONIOENCODING="gbk")).stdout
    assert HELP_WORDS in out.decode("gbk")
    assert HELP_WORDS.encode("utf-8") not in out


def test_the_encoding_option_wins_over_the_environment():
    out = _run(["--encoding", "utf-8", "--help"], _env(PYTHONIOENCODING="gbk")).stdout
    assert HELP_WORDS in out.decode("utf-8")


def test_an_unknown_encoding_is_a_usage_error():
    r = _run(["--encoding", "klingon", "--version"], _env(PYTHONIOENCODING="utf-8"))
    assert r.returncode == 2 and "不认识的编码" in r.stderr.decode("utf-8")


FAKE_WINDOWS = """
import sys
from app.cli import console
from app.cli.main import build_parser, main
build_parser()                        # every command module imported before the platform changes
console.ansi_code_page = lambda: "cp936"
sys.platform = "win32"
raise SystemExit(main(sys.argv[1:]))
"""


def test_a_redirect_on_chinese_windows_is_written_in_the_ansi_code_page():
    """`uniondesk-cli --help > 帮助.txt` on Chinese Windows: GBK bytes, which Notepad, findstr and
    PowerShell read back as Chinese (UTF-8 bytes came out as 宸ヤ細浼氬憳鐧昏…)."""
    out = _run(["--help"], _env(), FAKE_WINDOWS).stdout
    assert HELP_WORDS in out.decode("gbk")
    assert HELP_WORDS.encode("utf-8") not in out


def test_a_script_asks_for_utf8_on_windows():
    out = _run(["--encoding", "utf-8", "--help"], _env(), FAKE_WINDOWS).stdout
    assert HELP_WORDS in out.decode("utf-8")


class _Stream(io.StringIO):
    def __init__(self, encoding="utf-8", tty=False):
        super().__init__()
        self._encoding, self._tty = encoding, tty

    @property
    def encoding(self):
        return self._encoding

    def isatty(self):
        return self._tty


@pytest.mark.parametrize("stream, environ, utf8, ansi, expected", [
    (_Stream("cp936"), {}, False, "cp936", ("gb18030", "replace")),  # > file, | findstr
    (_Stream("utf-8", tty=True), {}, False, "cp936", None),  # the console shows Unicode itself
    (_Stream("cp936"), {"PYTHONIOENCODING": "utf-8"}, False, "cp936", None),
    (_Stream("utf-8"), {}, True, "cp936", None),  # PYTHONUTF8=1
    (_Stream("cp1252"), {}, False, "cp1252", ("cp1252", "replace")),  # an English PC
])
def test_windows_choices(stream, environ, utf8, ansi, expected):
    assert console.choose_encoding(stream, platform="win32", environ=environ, utf8_mode=utf8,
                                   ansi=ansi) == expected


def test_gb18030_keeps_names_outside_gbk():
    name = "王䶮"  # U+4DAE (CJK Extension A) is not in GBK
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    encoding, errors = console.choose_encoding(_Stream("cp936"), platform="win32", environ={},
                                               utf8_mode=False, ansi="cp936")
    assert name.encode(encoding, errors).decode(encoding) == name


def test_linux_choices():
    assert console.choose_encoding(_Stream("ascii"), platform="linux", environ={}, utf8_mode=False) \
        == ("utf-8", "replace")
    assert console.choose_encoding(_Stream("utf-8"), platform="linux", environ={}, utf8_mode=False) \
        == ("utf-8", "replace")


def test_the_encoding_option_is_found_among_the_global_options_only():
    assert console.requested_encoding(["--db", "x.db", "--encoding", "utf-8", "status"]) == "utf-8"
    assert console.requested_encoding(["--encoding=gb18030", "status"]) == "gb18030"
    assert console.requested_encoding(["member", "list", "--encoding", "utf-8"]) is None


class _ClosedWindowsPipe(_Stream):
    """A pipe whose reader went away, as Windows reports it."""

    def write(self, text):
        raise OSError(errno.EINVAL, "Invalid argument")

    def flush(self):
        raise OSError(errno.EINVAL, "Invalid argument")


def test_a_closed_pipe_on_windows_ends_quietly_with_141(monkeypatch, capsys, tmp_path):
    """`uniondesk-cli status | Select-Object -First 1`: Windows says EINVAL, not EPIPE."""
    from app.cli.main import build_parser, main

    build_parser()  # import every command module before the platform changes
    monkeypatch.setattr(sys, "stdout", _ClosedWindowsPipe())
    monkeypatch.setattr(sys, "platform", "win32")
    assert main(["--db", str(tmp_path / "missing.db"), "status"]) == 141
    monkeypatch.undo()
    assert capsys.readouterr().err == ""


def test_a_real_einval_elsewhere_stays_an_error():
    guard = console.ClosedPipeGuard(_Stream(), platform="win32")
    assert console.is_closed_pipe(OSError(errno.EINVAL, "x"), platform="win32")
    assert not console.is_closed_pipe(OSError(errno.EINVAL, "x"), platform="linux")
    assert guard.write("ok") == 2
