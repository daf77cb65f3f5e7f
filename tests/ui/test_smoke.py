"""``uniondesk --smoke-test`` and the start-up path, as separate processes (as CI runs them)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSWORDS

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, env_extra=None, timeout=300):
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the smoke test must choose offscreen by itself
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "ui", *args], cwd=ROOT, env=env, text=True,
                          encoding="utf-8", capture_output=True, timeout=timeout)


def test_smoke_test_on_a_temporary_database():
    result = _run("--smoke-test")
    assert result.returncode == 0, result.stderr
    assert "自检通过" in result.stdout
    for page in ("首页", "基层组织建设", "系统管理", "查看会员", "新增用户", "锁屏"):
        assert page in result.stdout


def test_smoke_test_on_a_given_database_and_its_failure(db_path):
    ok = _run("--smoke-test", "--db", str(db_path), "--user", "clerk",
              env_extra={"UNIONDESK_PASSWORD": PASSWORDS["clerk"]})
    assert ok.returncode == 0, ok.stderr
    assert "新增会员" in ok.stdout  # a clerk may add members: that form was opened too
    bad = _run("--smoke-test", "--db", str(db_path), "--user", "clerk",
               env_extra={"UNIONDESK_PASSWORD": "wrong"})
    assert bad.returncode == 1 and "无法以 clerk 登录" in bad.stderr


def test_start_shows_the_login_window(db_path):
    result = _run("--db", str(db_path), "--exit-when-ready",
                  env_extra={"QT_QPA_PLATFORM": "offscreen", "UNIONDESK_T0": "0"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ready ")
