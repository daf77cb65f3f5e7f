"""An import killed part-way (the process ends at a named point inside the apply transaction, as
SIGKILL or a power cut would) leaves the database exactly as before; importing again succeeds."""

import os
import sqlite3
import subprocess
import sys

import pytest

from tests.app.syncnet import Node
from tests.conftest import PASSWORDS


def _cli_import(node: Node, bundle, crash_at: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ, UNIONDESK_PASSWORD=PASSWORDS["admin"], UNIONDESK_FAST_KDF="1")
    env.pop("UNIONDESK_CRASH_AT", None)
    if crash_at:
        env["UNIONDESK_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "app", "--db", str(node.path), "--user", "admin",
                           "bundle", "import", str(bundle)], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["apply.begin:1", "apply.rows:2", "apply.before_commit:1"])
def test_an_import_killed_inside_the_transaction_changes_nothing(net, point):
    a, c = net["a1"], net["c"]
    bundle = a.send(c)
    before = c.content_hash(exclude=("users",))  # a CLI login stamps users
    c.close()
    killed = _cli_import(c, bundle, point)
    assert killed.returncode == 137, killed.stderr
    conn = sqlite3.connect(c.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    c2 = net.nodes["c"] = Node("c", c.path)
    assert c2.content_hash(exclude=("users",)) == before
    c2.close()
    again = _cli_import(c, bundle, None)
    assert again.returncode == 0, again.stderr
    assert "新增" in again.stdout
    c3 = net.nodes["c"] = Node("c", c.path)
    assert c3.stats("341122") == a.stats("341122")
    from app.security import audit

    with c3.db.read_session() as s:
        assert audit.verify(s).ok


@pytest.mark.slow
def test_killed_right_after_commit_the_import_is_complete(net):
    a, c = net["a1"], net["c"]
    bundle = a.send(c)
    c.close()
    assert _cli_import(c, bundle, "apply.after_commit:1").returncode == 137
    c2 = net.nodes["c"] = Node("c", c.path)
    assert c2.stats("341122") == a.stats("341122")
    c2.close()
    replay = _cli_import(c, bundle, None)
    assert replay.returncode != 0 and "E_REPLAY" in replay.stderr
