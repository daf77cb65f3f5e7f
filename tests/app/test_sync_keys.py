"""Keys: sealed private keys, key slots per user, key cards and fingerprints, trust."""

import re

import pytest
from sqlalchemy import delete, select

from app.errors import AppError
from app.models import SyncKey, SyncKeySlot, SyncPeer, User
from app.security.users import change_password, create_user
from app.sync import keys, keyslots, service
from app.sync.errors import BundleError
from tests.conftest import PASSWORDS


def test_private_keys_are_never_stored_in_the_clear(net):
    a = net["a1"]
    with a.db.session(a.admin) as s:
        k = keys.load_keys(s, keyslots.data_key(a.db, a.admin))
    a.db.close()
    raw = a.path.read_bytes() + (a.path.with_name(a.path.name + "-wal").read_bytes()
                                 if a.path.with_name(a.path.name + "-wal").exists() else b"")
    assert k.sign_priv not in raw and k.enc_priv not in raw
    assert k.sign_pub in raw  # the public half is there, so the search would find a key
    from app.db.engine import open_database

    a.db = open_database(a.path)


def test_key_slots_follow_users_and_passwords(net):
    a = net["a1"]
    db = a.db
    # the clerk's slot was made by the admin at account creation; wrong password fails
    keyslots.forget(db)
    with pytest.raises(BundleError) as exc:
        keyslots.unlock(db, a.clerk, "Wrong#Pass1")
    assert exc.value.code == "E_LOCKED"
    dk = keyslots.unlock(db, a.clerk, PASSWORDS["clerk"])
    # own password change re-wraps the slot
    with db.session(a.clerk) as s:
        change_password(s, a.clerk, "clerk", "New#Desk2027x", old_password=PASSWORDS["clerk"])
    keyslots.forget(db)
    assert keyslots.unlock(db, a.clerk, "New#Desk2027x") == dk
    with pytest.raises(BundleError):
        keyslots.unlock(db, a.clerk, PASSWORDS["clerk"])
    # a user created while the admin's key is locked has no slot until an unlocked admin resets
    with db.session(a.admin) as s:
        create_user(s, a.admin, "clerk2", "clerk", password="Init#Pass2027")
    with db.session() as s:
        from app.security.users import actor_for

        clerk2 = actor_for(s.scalar(select(User).where(User.username == "clerk2")))
    with pytest.raises(BundleError, match="还没有本单位密钥的使用权限"):
        keyslots.unlock(db, clerk2, "Init#Pass2027")
    keyslots.unlock(db, a.admin, PASSWORDS["admin"])
    with db.session(a.admin) as s:
        change_password(s, a.admin, "clerk2", "Reset#Pass2027")
    assert keyslots.unlock(db, clerk2, "Reset#Pass2027") == dk


def _actor(db, username):
    from app.security.users import actor_for

    with db.session() as s:
        return actor_for(s.scalar(select(User).where(User.username == username)))


def test_a_new_account_gets_a_slot_only_from_an_unlocked_admin_and_is_told_what_to_do(net):
    a = net["a1"]
    db = a.db
    keyslots.forget(db)
    # locked: the account is made, without a slot, and the notice says how to grant one
    with db.session(a.admin) as s:
        new = create_user(s, a.admin, "clerk3", "clerk", password="Init#Pass2027")
    assert "clerk3" in new.key_notice and "没有解锁" in new.key_notice
    assert "user passwd clerk3" in new.key_notice and "重置密码" in new.key_notice
    # a role without the exchange permission needs no slot and gets no notice
    with db.session(a.admin) as s:
        reviewer = create_user(s, a.admin, "reviewer3", "reviewer", password="Init#Pass2027")
        assert reviewer.key_notice == ""
        assert s.get(SyncKeySlot, reviewer.user.id) is None
    clerk3 = _actor(db, "clerk3")
    with pytest.raises(BundleError) as exc:
        keyslots.unlock(db, clerk3, "Init#Pass2027")
    assert "还没有本单位密钥的使用权限" in exc.value.message
    assert "user passwd clerk3" in exc.value.message and "重置密码" in exc.value.message
    # the administrator's login password unlocks the key (as the CLI does); a reset grants it
    assert keyslots.try_unlock(db, a.admin, PASSWORDS["admin"])
    with db.session(a.admin) as s:
        assert change_password(s, a.admin, "clerk3", "Reset#Pass2027") == ""
        created_unlocked = create_user(s, a.admin, "clerk4", "clerk", password="Init#Pass2027")
    assert created_unlocked.key_notice == ""
    dk = keyslots.cached(db, a.admin.user_id)
    # the forced change at first login re-wraps the slot under the user's own password
    keyslots.forget(db)
    for name, first in (("clerk3", "Reset#Pass2027"), ("clerk4", "Init#Pass2027")):
        user = _actor(db, name)
        with db.session(user) as s:
            change_password(s, user, name, "Own#Secret2027", old_password=first)
        assert keyslots.unlock(db, user, "Own#Secret2027") == dk
        with pytest.raises(BundleError):
            keyslots.unlock(db, user, first)


def test_a_reset_while_locked_drops_the_stale_slot_and_says_so(net):
    a = net["a1"]
    db = a.db
    keyslots.forget(db)
    with db.session(a.admin) as s:
        notice = change_password(s, a.admin, "clerk", "Reset#Pass2027")
        assert s.get(SyncKeySlot, a.clerk.user_id) is None  # it was wrapped under the old password
    assert "user passwd clerk" in notice
    with pytest.raises(BundleError, match="还没有本单位密钥的使用权限"):
        keyslots.unlock(db, a.clerk, "Reset#Pass2027")
    # an administrator without a slot of their own is told that, not to unlock
    with db.session(a.admin) as s:
        s.execute(delete(SyncKeySlot).where(SyncKeySlot.user_id == a.admin.user_id))
    assert not keyslots.try_unlock(db, a.admin, PASSWORDS["admin"])
    with db.session(a.admin) as s:
        notice = change_password(s, a.admin, "clerk", "Reset#Pass2028")
    assert "您(admin)本人还没有本单位密钥的使用权限" in notice


def test_a_slot_under_an_older_password_is_named_as_such(net):
    a = net["a1"]
    db = a.db
    from app.security.passwords import hash_password

    with db.session() as s:  # the password changed behind the slot's back (e.g. an old version)
        s.get(User, a.clerk.user_id).password_hash = hash_password("Other#Pass2027")
    keyslots.forget(db)
    with pytest.raises(BundleError) as exc:
        keyslots.unlock(db, a.clerk, "Other#Pass2027")
    assert "以前的密码" in exc.value.message and "user passwd clerk" in exc.value.message
    with pytest.raises(BundleError, match="密码不正确"):
        keyslots.unlock(db, a.clerk, "Wrong#Pass2027")


def test_first_use_creates_keys_for_an_older_database(net):
    a = net["a1"]
    with a.db.session(a.admin) as s:
        s.execute(delete(SyncKeySlot))
        s.execute(delete(SyncKey))
    keyslots.forget(a.db)
    with pytest.raises(BundleError) as exc:
        service.export_card(a.db, a.admin, a.path.parent)
    assert exc.value.code == "E_LOCKED"
    keyslots.unlock(a.db, a.admin, PASSWORDS["admin"])
    assert service.status(a.db, a.admin).has_keys
    assert service.export_card(a.db, a.admin, a.path.parent).exists()


def test_cards_fingerprints_and_trust(net, tmp_path):
    a, b = net["a1"], net["b"]
    card = service.export_card(a.db, a.admin, tmp_path / "a.udcard")
    fp = service.status(a.db, a.admin).fingerprint
    assert re.fullmatch(r"(\d{4} ){7}\d{4}", fp)
    # a changed card is refused
    tampered = tmp_path / "t.udcard"
    tampered.write_bytes(card.read_bytes().replace("示例县".encode(), "假冒县".encode()))
    with pytest.raises(AppError, match="自签名"):
        service.read_card(b.db, b.admin, tampered)
    # a new card of the same unit (re-installed PC) is stored but not trusted until confirmed
    with b.db.session(b.admin) as s:
        s.execute(delete(SyncPeer).where(SyncPeer.unit_code == "341122"))
    preview = service.read_card(b.db, b.admin, card)
    assert preview.fingerprint == fp and not preview.already_trusted
    assert "341122" not in [p.unit_code for p in service.export_targets(b.db, b.admin)]
    with pytest.raises(AppError, match="指纹不一致"):
        service.trust_card(b.db, b.admin, preview.peer_id, "1234 5678 " + fp[10:])
    info = service.trust_card(b.db, b.admin, preview.peer_id, fp.replace(" ", "-"))
    assert info.trusted
    with pytest.raises(AppError, match="自己的密钥卡"):
        service.read_card(a.db, a.admin, card)


def test_untrusted_or_revoked_sender_is_refused(net):
    a, c = net["a1"], net["c"]
    bundle = a.send(c)
    peer = c.peer_id(a)
    service.revoke_peer(c.db, c.admin, peer)
    with pytest.raises(BundleError) as exc:
        c.recv(bundle)
    assert exc.value.code == "E_UNTRUSTED" and "撤销" in exc.value.message


def test_the_city_recovery_key_opens_bundles_sent_to_a_lost_city_key(net, tmp_path):
    """A county bundle for the city is also wrapped for the recovery key; a re-installed city
    that imports the recovery file reads it."""
    a, c = net["a1"], net["c"]
    bundle = a.send(c)
    with c.db.session(c.admin) as s:
        recovery = keys.export_recovery(s, c.admin, keyslots.data_key(c.db, c.admin),
                                        "Recovery#Phrase2026")
    # the city's PC dies: a new city installation with new keys
    from app.db.engine import open_database
    from app.services.setup import init_installation

    new = open_database(tmp_path / "newcity.db", create=True)
    admin = init_installation(new, unit_name="示例市总工会", unit_code="341100", level="city",
                              admin_user="admin", admin_password=PASSWORDS["admin"])
    with new.session(admin) as s:
        keys.import_recovery(s, admin, keyslots.data_key(new, admin), recovery, "Recovery#Phrase2026")
    card = service.export_card(a.db, a.admin, tmp_path / "a.udcard")
    p = service.read_card(new, admin, card)
    service.trust_card(new, admin, p.peer_id, p.fingerprint)
    from app.sync.importer import import_bundle

    report = import_bundle(new, admin, bundle).report
    assert report.applied and report.count("new") == 9  # 3 units, 3 members, their 入会
    with pytest.raises(AppError, match="口令不正确"):
        with new.session(admin) as s:
            keys.import_recovery(s, admin, keyslots.data_key(new, admin), recovery, "wrong phrase!!")
    new.close()
