"""Who may add a destination for our data: only the administrator trusts or revokes a key card
(service and CLI); a failed trust (wrong fingerprint) stores nothing."""

import pytest
from sqlalchemy import func, select

from app.errors import AppError, PermissionDenied
from app.models import AuditEntry, SyncPeer
from app.sync import service
from tests.app.test_cli import cli
from tests.conftest import PASSWORDS


def _peers(node):
    with node.db.read_session() as s:
        return s.scalar(select(func.count()).select_from(SyncPeer))


def _card_of_a_new_office(net, tmp_path):
    """The card of an office ``b`` has not seen yet (its stored copy removed)."""
    a, b = net["a1"], net["b"]
    card = service.export_card(a.db, a.admin, tmp_path / "a.udcard")
    with b.db.session(b.admin) as s:
        for p in s.scalars(select(SyncPeer).where(SyncPeer.unit_code == "341122")):
            s.delete(p)
    return card, service.status(a.db, a.admin).fingerprint


def test_a_clerk_may_neither_trust_nor_revoke(net, tmp_path):
    b = net["b"]
    card, fp = _card_of_a_new_office(net, tmp_path)
    with pytest.raises(PermissionDenied, match="无权导入对方密钥卡"):
        service.read_card(b.db, b.clerk, card)
    preview = service.read_card(b.db, b.admin, card)
    with pytest.raises(PermissionDenied, match="无权信任对方密钥卡"):
        service.trust_card(b.db, b.clerk, preview.peer_id, fp)
    assert not any(p.trusted for p in service.peers(b.db, b.admin) if p.unit_code == "341122")
    other = next(p for p in service.peers(b.db, b.admin) if p.trusted)
    with pytest.raises(PermissionDenied, match="无权撤销对方密钥卡"):
        service.revoke_peer(b.db, b.clerk, other.id)
    assert next(p for p in service.peers(b.db, b.admin) if p.id == other.id).trusted
    service.trust_card(b.db, b.admin, preview.peer_id, fp)
    assert any(p.trusted for p in service.peers(b.db, b.admin) if p.unit_code == "341122")


def test_a_failed_trust_stores_nothing_but_is_audited(net, tmp_path):
    b = net["b"]
    card, fp = _card_of_a_new_office(net, tmp_path)
    before = _peers(b)
    preview = service.read_card(b.db, b.admin, card)
    assert _peers(b) == before  # reading a card stores nothing
    wrong = fp[:-1] + str((int(fp[-1]) + 1) % 10)
    with pytest.raises(AppError, match="指纹不一致"):
        service.trust_card(b.db, b.admin, preview.peer_id, wrong)
    assert _peers(b) == before
    with b.db.read_session() as s:
        failed = s.scalars(select(AuditEntry.summary).where(AuditEntry.action == "key_trust",
                                                            AuditEntry.success.is_(False))).all()
    assert len(failed) == 1 and "指纹不一致" in failed[0]
    service.trust_card(b.db, b.admin, preview.peer_id, fp)  # the same preview, right this time
    assert _peers(b) == before + 1


def test_the_cli_refuses_a_clerk(net, tmp_path):
    b = net["b"]
    card, fp = _card_of_a_new_office(net, tmp_path)
    before = _peers(b)
    r = cli("--db", b.path, "--user", "clerk", "keys", "trust", card, "--fingerprint", fp,
            password=PASSWORDS["clerk"])
    assert r.returncode == 3 and "无权" in r.stderr, r.stderr
    assert _peers(b) == before
    r = cli("--db", b.path, "--user", "admin", "keys", "trust", card, "--fingerprint", fp[:-1] + str((int(fp[-1]) + 1) % 10),
            password=PASSWORDS["admin"])
    assert r.returncode not in (0, 70) and "指纹不一致" in r.stderr, r.stderr
    assert _peers(b) == before
