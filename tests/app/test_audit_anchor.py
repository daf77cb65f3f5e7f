"""Issue 14 point 5: the audit chain anchored outside the database file — signed checkpoints
beside the database (each export, daily), and the receiving office's witness of each sender PC's
chain. Each tampering below passes the chain's own check (``audit.verify``), as it did before."""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import select

from app.clock import today
from app.models import AuditEntry
from app.security import audit
from app.security.actor import Actor
from app.sync import anchors
from app.validation import format_cn_date


def _sql(db, *statements, params=()):
    c = sqlite3.connect(db.path)
    c.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    c.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for sql in statements:
        c.execute(sql, params) if params else c.execute(sql)
    c.commit()
    c.close()


def _head(db) -> int:
    with db.read_session() as s:
        return anchors.head(s)[0]


def _act(db, n: int = 1, what: str = "测试操作") -> None:
    for i in range(n):
        with db.session(Actor.system()) as s:
            audit.append(s, action="test", summary=f"{what} {i}")


def _set_head(db) -> None:
    """What a careful attacker does after cutting: make the kept head agree with the table."""
    c = sqlite3.connect(db.path)
    row = c.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    if row:
        c.execute("UPDATE local_state SET value = ? WHERE key = 'audit_head'", (f"{row[0]}:{row[1]}",))
    else:
        c.execute("DELETE FROM local_state WHERE key = 'audit_head'")
    c.commit()
    c.close()


def _rehash_all(db, edit_seq: int) -> None:
    """Edit one entry and recompute every hash after it with the app's own function."""
    c = sqlite3.connect(db.path)
    c.row_factory = sqlite3.Row
    rows = [dict(r) for r in c.execute("SELECT * FROM audit_log ORDER BY seq")]
    c.close()
    prev = audit.GENESIS
    stmts = []
    for r in rows:
        if r["seq"] == edit_seq:
            r["summary"] = "伪造的记录"
        r["prev_hash"] = prev
        r["hash"] = audit.entry_hash(r)
        prev = r["hash"]
        stmts.append((r["summary"], r["prev_hash"], r["hash"], r["seq"]))
    c = sqlite3.connect(db.path)
    c.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    c.executemany("UPDATE audit_log SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?", stmts)
    c.commit()
    c.close()
    _set_head(db)


def _chain_ok(db) -> bool:
    with db.read_session() as s:
        return audit.verify(s).ok


TODAY = format_cn_date(today())


# -- signed checkpoints on the PC itself --------------------------------------------------------
def test_export_signs_a_checkpoint_outside_the_file(net):
    a1, c = net["a1"], net["c"]
    a1.send(c)
    cps, problems = anchors.read_checkpoints(a1.db)
    assert not problems and len(cps) == 1 and cps[0]["seq"] == _head(a1.db)
    assert anchors.anchor_file(a1.db).parent == a1.path.parent
    result = anchors.verify_anchored(a1.db)
    assert result.ok and result.checkpoints == 1


def test_cut_tail_then_a_new_action_is_found(net):
    """(a) the last rows deleted, then an audited action chained onto the cut tail."""
    a1, c = net["a1"], net["c"]
    a1.send(c)
    first = _head(a1.db)
    _act(a1.db, 3)
    a1.send(c)
    _sql(a1.db, f"DELETE FROM audit_log WHERE seq > {first}")
    _set_head(a1.db)
    _act(a1.db, 5, "截断后的新操作")
    assert _chain_ok(a1.db)  # the chain alone cannot tell
    result = anchors.verify_anchored(a1.db)
    assert not result.ok
    assert result.reason.startswith(f"审计日志在 {TODAY} 之后被截断或改写")


def test_every_row_and_the_head_deleted_is_found(net):
    """(b) the whole log and its head removed: the checkpoint says entry N existed."""
    a1, c = net["a1"], net["c"]
    a1.send(c)
    _sql(a1.db, "DELETE FROM audit_log", "DELETE FROM local_state WHERE key IN ('audit_head', 'audit_anchor')")
    assert _chain_ok(a1.db)
    result = anchors.verify_anchored(a1.db)
    assert not result.ok and "被截断或改写" in result.reason and "已不存在" in result.reason


def test_chain_recomputed_after_an_edit_is_found(net):
    """(c) an entry edited and every hash recomputed with ``entry_hash``."""
    a1, c = net["a1"], net["c"]
    a1.send(c)
    _rehash_all(a1.db, 3)
    assert _chain_ok(a1.db)
    result = anchors.verify_anchored(a1.db)
    assert not result.ok and "与签名检查点不符" in result.reason


def test_a_forged_checkpoint_is_reported_not_trusted(net):
    a1, c = net["a1"], net["c"]
    a1.send(c)
    _rehash_all(a1.db, 3)
    path = anchors.anchor_file(a1.db)
    doc = json.loads(path.read_text(encoding="utf-8"))
    with a1.db.read_session() as s:  # the attacker "fixes" the checkpoint to the rewritten chain
        doc["body"]["hash"] = s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == doc["body"]["seq"]))
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    result = anchors.verify_anchored(a1.db)
    assert not result.ok and any("签名不正确" in p for p in result.problems)
    assert result.checkpoints == 0


def test_a_removed_checkpoint_file_is_reported(net):
    a1, c = net["a1"], net["c"]
    a1.send(c)
    anchors.anchor_file(a1.db).unlink()
    result = anchors.verify_anchored(a1.db)
    assert not result.ok and "缺失" in result.reason


def test_daily_checkpoint_at_unlock(net):
    from app.sync import service
    from tests.conftest import PASSWORDS

    a1 = net["a1"]
    service.unlock(a1.db, a1.admin, PASSWORDS["admin"])
    cps, _ = anchors.read_checkpoints(a1.db)
    assert [cp["why"] for cp in cps] == ["daily"]
    service.unlock(a1.db, a1.admin, PASSWORDS["admin"])  # once a day
    assert len(anchors.read_checkpoints(a1.db)[0]) == 1


def test_cli_audit_verify_reports_a_cut_trail(net, capsys):
    from app.cli.main import main

    a1, c = net["a1"], net["c"]
    a1.send(c)
    _sql(a1.db, "DELETE FROM audit_log", "DELETE FROM local_state WHERE key IN ('audit_head', 'audit_anchor')")
    code = main(["--db", str(a1.path), "audit", "verify"])
    out = capsys.readouterr().out
    assert code == 1 and "被截断或改写" in out


# -- the receiving office's witness -------------------------------------------------------------
def _witness(node, device_id):
    with node.db.read_session() as s:
        raw = anchors._state(s, anchors.WITNESS_PREFIX + device_id)
    return json.loads(raw) if raw else None


def test_the_city_witnesses_each_county_pc(net):
    a1, c = net["a1"], net["c"]
    c.recv(a1.send(c))
    w = _witness(c, a1.db.device_id)
    assert w and w["unit_code"] == "341122" and w["seq"] > 0
    _act(a1.db, 2)
    report = c.recv(a1.send(c))
    assert not any("截断" in x for x in report.warnings)
    assert _witness(c, a1.db.device_id)["seq"] > w["seq"]
    result = anchors.verify_anchored(c.db)
    assert result.ok and any("341122" in x for x in result.witnesses)


def test_a_county_chain_rewritten_after_a_witness_is_named_at_the_city(net):
    a1, c = net["a1"], net["c"]
    c.recv(a1.send(c))
    _rehash_all(a1.db, 2)  # rewritten, and a new checkpoint file too: the local anchor is gone
    anchors.anchor_file(a1.db).unlink()
    _sql(a1.db, "DELETE FROM local_state WHERE key = 'audit_anchor'")
    report = c.recv(a1.send(c))
    expected = f"示例县总工会(341122)电脑 {a1.db.device_id[:8]} 的审计日志在 {TODAY} 之后被截断或改写"
    assert any(x.startswith(expected) for x in report.warnings)
    assert report.applied  # the data is imported; the break is kept with its proof
    with c.db.read_session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "audit_witness_broken"))
        assert entry is not None and not entry.success and json.loads(entry.detail)["witnessed"]["hash"]
    result = anchors.verify_anchored(c.db)
    assert not result.ok and any(p.startswith(expected) for p in result.problems)
    from app.sync.todos import exchange_todos  # and the home page says so

    with c.db.read_session() as s:
        assert any(t.text.startswith(expected) and t.level == "warn" for t in exchange_todos(s, c.admin))


def test_a_county_chain_cut_below_the_witness_is_named_at_the_city(net):
    a1, c = net["a1"], net["c"]
    c.recv(a1.send(c))
    _sql(a1.db, "DELETE FROM audit_log", "DELETE FROM local_state WHERE key IN ('audit_head', 'audit_anchor')")
    anchors.anchor_file(a1.db).unlink()
    report = c.recv(a1.send(c))
    assert any("之后被截断或改写" in x and "341122" in x for x in report.warnings)


def test_a_bundle_without_an_audit_head_still_imports(net, monkeypatch):
    """A bundle from an older program has no ``audit`` in its manifest: no witness, no warning."""
    a1, c = net["a1"], net["c"]
    monkeypatch.setattr(anchors, "head_for_bundle", lambda *a, **k: None)
    path = a1.send(c)
    from app.sync import container

    reader = container.BundleReader(path)
    try:
        assert "audit" not in reader.manifest()[1]
    finally:
        reader.close()
    report = c.recv(path)
    assert report.applied and _witness(c, a1.db.device_id) is None


def test_a_restore_gives_up_the_tail_openly(net):
    """Restoring a backup goes back in time under a new device id: the checkpoints signed after
    the backup belong to the old identity and are noted, not reported as a cut."""
    from app.db.backup import backup_database
    from app.db.lock import InstanceLock
    from app.db.restore import restore_database

    a1, c = net["a1"], net["c"]
    c.recv(a1.send(c))
    source = backup_database(a1.db, reason="manual", check="quick")
    _act(a1.db, 3)
    c.recv(a1.send(c))
    lock = InstanceLock(a1.db.path).acquire()
    try:
        a1.db = restore_database(a1.db.path, source, lock=lock, actor=a1.admin, db=a1.db).db
    finally:
        lock.release()
    result = anchors.verify_anchored(a1.db)
    assert result.ok, result.problems
    assert any("从备份恢复" in n for n in result.notes)
    from app.sync import keyslots
    from tests.conftest import PASSWORDS

    keyslots.unlock(a1.db, a1.admin, PASSWORDS["admin"])
    report = c.recv(a1.send(c))  # the city is told, and keeps witnessing under the new id
    assert any("换了设备标识" in w for w in report.warnings)
    assert not any("截断" in w for w in report.warnings)
    assert anchors.verify_anchored(c.db).ok


def test_a_copied_data_folder_that_enrols_keeps_a_clean_record(net, tmp_path):
    """A second PC made by copying the data folder (checkpoints included): the original's
    checkpoints are an earlier identity's, signed by the key it now trusts as a PC of its unit."""
    import shutil

    from app.sync import keyslots, service
    from tests.app.syncnet import Node
    from tests.app.test_sync_devices import _open_copy, _reopen, _unlock
    from tests.conftest import PASSWORDS

    a1, c = net["a1"], net["c"]
    c.recv(a1.send(c))
    a1.db.close()
    (tmp_path / "pc2").mkdir()
    copy = tmp_path / "pc2" / "uniondesk.db"
    shutil.copyfile(a1.path, copy)
    shutil.copyfile(anchors.anchor_file(a1.db), str(copy) + anchors.SUFFIX)
    a1.db = _reopen(a1.path)
    _unlock(a1)
    pc2 = Node.__new__(Node)
    _open_copy(pc2, copy)
    try:
        keyslots.unlock(pc2.db, pc2.admin, PASSWORDS["admin"])
        service.enrol_device(pc2.db, pc2.admin, "办公室二号机")
        first = anchors.verify_anchored(pc2.db)
        assert first.ok, first.problems
        assert any("从备份恢复" in n for n in first.notes)
        assert anchors.verify_anchored(a1.db).ok
    finally:
        pc2.db.close()
