"""The calls the 数据交换 page makes: status, peers, preview, history, drives, two-phase import."""

from pathlib import Path

import pytest

from app.sync import drives, service
from app.sync.errors import BundleError
from tests.conftest import PASSWORDS


def test_status_peers_preview_and_history(net, tmp_path):
    a, c = net["a1"], net["c"]
    st = service.status(a.db, a.admin)
    assert st.has_keys and st.unlocked and st.unit_code == "341122" and st.open_conflicts == 0
    targets = {p.unit_code: p for p in service.export_targets(a.db, a.admin)}
    assert set(targets) == {"341122", "341124", "341100"} and targets["341122"].same_unit
    pv = service.preview_export(a.db, a.admin, targets["341100"].id)
    assert pv.tables == {"单位": 3, "会员": 3, "会籍变动": 3} and pv.basis_seq == 0
    r = service.export(a.db, a.admin, targets["341100"].id, tmp_path)
    assert r.path.parent == tmp_path and r.total_rows == 9 and r.path.name.endswith(".udbx")
    # two phases: the report first, nothing written until apply
    before = c.content_hash()
    session = service.open_import(c.db, c.admin, r.path)
    assert session.report.count("new") == 9 and not session.report.applied
    assert c.content_hash() == before
    session.apply()
    hist = service.history(c.db, c.admin)
    assert hist[0].direction == "in" and hist[0].rows == 9 and hist[0].username == "admin"
    out = service.history(a.db, a.admin)[0]
    assert out.direction == "out" and out.channel_seq == 1 and out.rows == 9
    # an abandoned import leaves nothing behind
    again = service.open_import(a.db, a.admin, service.write_receipt(c.db, c.admin, tmp_path))
    assert again.report.tables == [] and "第 1 号" in again.report.warnings[0]  # a receipt
    again.close()
    assert not list(Path(a.path.parent / "bundles" / "in").glob("*receipt*"))


def test_a_locked_key_is_asked_for(net):
    from app.sync import keyslots

    a = net["a1"]
    keyslots.forget(a.db)
    assert not service.status(a.db, a.admin).unlocked
    with pytest.raises(BundleError) as exc:
        service.export(a.db, a.admin, a.peer_id(net["c"]), a.outbox)
    assert exc.value.code == "E_LOCKED" and "解锁" in exc.value.message
    service.unlock(a.db, a.admin, PASSWORDS["admin"])
    assert service.status(a.db, a.admin).unlocked


def test_removable_drives_from_the_mount_table():
    mounts = ("/dev/sda1 / ext4 rw 0 0\n"
              "/dev/sdb1 /media/clerk/KINGSTON vfat rw,nosuid 0 0\n"
              "/dev/sdc1 /run/media/clerk/U\\040DISK exfat rw 0 0\n"
              "tmpfs /run tmpfs rw 0 0\n")
    found = drives.parse_mounts(mounts)
    assert [str(p) for p, _ in found] == ["/media/clerk/KINGSTON", "/run/media/clerk/U DISK"]
    assert isinstance(drives.removable_drives(), list)


def test_applying_the_same_dry_run_twice_is_refused_as_a_replay(net):
    a, c = net["a1"], net["c"]
    path = a.send(c)
    first = service.open_import(c.db, c.admin, path)
    second = service.open_import(c.db, c.admin, path)  # e.g. a second window
    first.apply()
    before = c.content_hash()
    with pytest.raises(BundleError) as exc:
        second.apply()
    assert exc.value.code == "E_REPLAY" and c.content_hash() == before


def test_a_cancelled_dry_run_and_apply_write_nothing(net):
    from app.progress import Cancelled, Progress

    a, c = net["a1"], net["c"]
    path = a.send(c)
    cancel = Progress()
    cancel.cancel()
    with pytest.raises(Cancelled):
        service.open_import(c.db, c.admin, path, cancel)
    session = service.open_import(c.db, c.admin, path)
    before = c.content_hash()
    with pytest.raises(Cancelled):
        session.apply(cancel)
    assert c.content_hash() == before
    session.apply()  # not applied yet: a second try works
    assert c.stats("341122") == a.stats("341122")
