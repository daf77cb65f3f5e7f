"""Two PCs of one county (issue 16, point 3): each PC has its own keys and channel, both write a
"第 2 号" onto one stick without overwriting each other, and the city imports both; a copied
database must enrol before it exchanges; the first PC's bundles announce the second to the city;
several bundles from one stick import in one go, in each sender's order."""

import shutil
from datetime import date

import pytest
from sqlalchemy import select

from app.models import Member, SyncPeer
from app.services import records
from app.sync import inbox, service
from app.sync.errors import BundleError
from tests.app.syncnet import Node, id_number, member_ids


def _add(node, name, seq):
    from tests.app.test_sync_requests import _union

    with node.db.session(node.clerk) as s:
        return records.create(s, node.clerk, "member", {
            "name": name, "union_id": _union(node),
            "id_number": id_number("341122", date(1990, 1, 2), seq)}).id


def test_two_pcs_each_send_their_second_bundle_and_the_city_takes_both(net, tmp_path):
    a1, a2, c = net["a1"], net["a2"], net["c"]
    a2.recv(a1.send(a2))
    stick = tmp_path / "stick"
    stick.mkdir()
    sent = []
    for n in (1, 2):
        for pc in (a1, a2):
            _add(pc, f"{pc.name}会员{n}", 60 + 10 * n + (pc is a2))
            sent.append(service.export(pc.db, pc.admin, pc.peer_id(c), stick))
    assert [r.channel_seq for r in sent] == [1, 1, 2, 2]
    assert len({r.path.name for r in sent}) == 4 and len(inbox.bundles_in(stick)) == 4
    items = service.import_all(c.db, c.admin, inbox.bundles_in(stick))
    assert [i.status for i in items] == ["imported"] * 4
    assert not [w for i in items for w in i.report.warnings if "较早" in w]
    with c.db.read_session() as s:
        names = set(s.scalars(select(Member.name)))
    assert {"a1会员1", "a2会员1", "a1会员2", "a2会员2"} <= names
    history = service.history(c.db, c.admin)
    assert len({h.device for h in history if h.direction == "in"}) == 2  # names each PC


def test_a_stick_imports_in_sequence_order_whatever_the_names(net, tmp_path):
    a1, c = net["a1"], net["c"]
    stick = tmp_path / "stick"
    stick.mkdir()
    for n in range(3):
        _add(a1, f"会员{n}", 80 + n)
        path = a1.send(c)
        shutil.copyfile(path, stick / f"{'zyx'[n]}.udbx")  # the names sort backwards
    items = service.import_all(c.db, c.admin, inbox.bundles_in(stick))
    assert [(i.seq, i.status) for i in items] == [(1, "imported"), (2, "imported"), (3, "imported")]
    again = service.import_all(c.db, c.admin, inbox.bundles_in(stick))
    assert {i.status for i in again} == {"already"}


def test_a_copied_database_enrols_before_it_exchanges_and_is_announced_to_the_city(net, tmp_path):
    a1, c = net["a1"], net["c"]
    c.recv(a1.send(c))
    a1.db.close()
    (tmp_path / "pc2").mkdir()
    copy = tmp_path / "pc2" / "uniondesk.db"
    shutil.copyfile(a1.path, copy)
    a1.db = _reopen(a1.path)
    _unlock(a1)
    pc2 = Node.__new__(Node)
    _open_copy(pc2, copy)
    # the copy shares the original's keys: nothing goes out until it enrols
    with pytest.raises(BundleError) as err:
        service.export(pc2.db, pc2.admin, pc2.peer_id(c), tmp_path)
    assert err.value.code == "E_NOT_ENROLLED"
    assert service.status(pc2.db, pc2.admin).enrol_reason
    fingerprint = service.enrol_device(pc2.db, pc2.admin, "办公室二号机")
    status = service.status(pc2.db, pc2.admin)
    assert status.enrol_reason is None and status.fingerprint == fingerprint
    assert status.fingerprint != service.status(a1.db, a1.admin).fingerprint
    # the first PC checks the new card side by side, then vouches for it in its next bundle
    card = service.export_card(pc2.db, pc2.admin, tmp_path)
    preview = service.read_card(a1.db, a1.admin, card)
    assert preview.fingerprint == fingerprint
    service.trust_card(a1.db, a1.admin, preview.peer_id, fingerprint)
    _add(a1, "一号机新会员", 91)
    report = c.recv(a1.send(c))
    assert any("办公室二号机" in w for w in report.warnings)
    with c.db.read_session() as s:
        peer = s.scalar(select(SyncPeer).where(SyncPeer.device_name == "办公室二号机"))
        assert peer.trusted and "引荐" in peer.trusted_by
    # the copy exchanges as a PC of its own: its own numbering, the original's history kept apart
    _add(pc2, "二号机新会员", 92)
    first = service.export(pc2.db, pc2.admin, pc2.peer_id(c), tmp_path)
    assert first.channel_seq == 1 and first.full is False
    report = c.recv(first.path)
    assert report.count("new") >= 1 and not [w for w in report.warnings if "较早" in w]
    pc2.recv(a1.send(pc2))  # the original is trusted by the copy from the start
    assert set(member_ids(pc2)) == set(member_ids(a1)) | set(member_ids(pc2))
    pc2.close()


def _reopen(path):
    from app.db.engine import open_database

    return open_database(path)


def _unlock(node):
    from app.sync import keyslots
    from tests.conftest import PASSWORDS

    keyslots.unlock(node.db, node.admin, PASSWORDS["admin"])
    keyslots.unlock(node.db, node.clerk, PASSWORDS["clerk"])


def _open_copy(node, path):
    """A Node over a copied file, as a second PC would start it (no 'moved' declaration)."""
    from app.models import User
    from app.security.users import actor_for
    from app.sync import check_identity

    node.name, node.path, node.db = "a1", path, _reopen(path)
    assert check_identity(node.db) == "数据库文件来自另一台电脑或另一位置"
    with node.db.session() as s:
        node.admin = actor_for(s.scalar(select(User).where(User.username == "admin")))
        node.clerk = actor_for(s.scalar(select(User).where(User.username == "clerk")))
    _unlock(node)
    node.outbox = path.parent / "outbox"
    node.outbox.mkdir(exist_ok=True)


def test_a_unit_with_one_pc_is_named_plainly_and_two_pcs_are_told_apart(net):
    c = net["c"]
    labels = {}
    for p in service.peers(c.db, c.admin):
        labels.setdefault(p.unit_code, []).append(p.device_label)
    assert labels["341124"] == ["邻县总工会"]  # its only PC: no "(电脑 3fa2c1)" to puzzle over
    two = labels["341122"]  # a1 and a2
    assert len(two) == 2 and len(set(two)) == 2 and all("(" in x for x in two)
