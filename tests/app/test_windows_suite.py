"""The suite and the two commands on Windows (issue 15, point 7), checked here by reading them:

- no ``signal.SIGKILL`` in the tests (Windows has none): ``Popen.kill()`` is SIGKILL on POSIX and
  TerminateProcess on Windows;
- every subprocess whose output is read as text names its encoding (Windows would decode with
  the ANSI code page), and the children the tests start write UTF-8 (PYTHONIOENCODING);
- ``make run`` / ``make test`` from Git for Windows' shell: the venv's Scripts folder, and an
  interpreter command that exists there (``python3`` is the Microsoft Store stub on Windows).
"""

import ast
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNNERS = {"run", "Popen", "check_output", "check_call", "call"}


def _python_files(*folders):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in RUNNERS and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == "subprocess":
            yield node


def test_no_sigkill_without_a_windows_branch():
    offenders = []
    for path in _python_files("tests"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "SIGKILL":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == [], "use Popen.kill() (TerminateProcess on Windows): " + ", ".join(offenders)


def test_text_read_from_a_subprocess_names_its_encoding():
    offenders = []
    for path in _python_files("tests", "packaging"):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            words = {k.arg: k.value for k in call.keywords if k.arg}
            text = any(isinstance(words.get(k), ast.Constant) and words[k].value is True
                       for k in ("text", "universal_newlines"))
            if text and "encoding" not in words:
                offenders.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert offenders == [], "add encoding=\"utf-8\": " + ", ".join(offenders)


def test_children_of_the_suite_write_utf8():
    assert os.environ.get("PYTHONIOENCODING") == "utf-8"


def test_a_killed_child_counts_as_crashed_on_windows_too():
    from tests.crash_harness import ChildResult

    assert ChildResult(1, "", "", killed=True).crashed  # TerminateProcess(handle, 1)
    assert not ChildResult(1, "", "").crashed  # an ordinary error exit is no crash


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
@pytest.mark.parametrize("target", ["run", "test"])
def test_make_from_git_for_windows_shell(target):
    out = subprocess.run(["make", "-n", "-B", "OS=Windows_NT", target], cwd=ROOT, capture_output=True,
                         text=True, encoding="utf-8", timeout=60).stdout
    lines = out.splitlines()
    assert any(line.startswith("py -3.11 -m venv .venv") for line in lines), out
    assert any(".venv/Scripts/python -m pip install" in line for line in lines), out
    assert not any(".venv/bin/" in line or line.startswith("python3 ") for line in lines), out
    if target == "test":
        assert any(".venv/Scripts/python -m pytest" in line and "PYTHONWARNDEFAULTENCODING=1" in line
                   for line in lines), out
    else:
        assert any(line.startswith(".venv/Scripts/python -m ui") for line in lines), out


def test_make_test_on_linux_turns_the_encoding_guard_on():
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")
    out = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True,
                         encoding="utf-8", timeout=60).stdout
    assert "PYTHONWARNDEFAULTENCODING=1" in out and f"{'.venv/bin/python'} -m pytest" in out

