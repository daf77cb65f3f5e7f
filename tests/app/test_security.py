"""Users, roles, login and lock-out, the password policy, and the audit log."""

import json
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.errors import AppError, AuthError, PermissionDenied
from app.models import AuditEntry, Member, Unit
from app.security import audit
from app.security.passwords import check_password_policy, hash_password, needs_rehash, verify_password
from app.security.roles import ROLES, Perm
from app.security.users import authenticate, change_password, create_user, unlock_user
from app.services import codes, records
from tests.conftest import PASSWORDS


@pytest.mark.parametrize("password,ok", [
    ("short1A!", True), ("Abcdefg1", True), ("abcdefg1!", True), ("ABCDEFG1!", True),
    ("abcdefgh", False), ("abcdefg1", False), ("ABCDEFGH1", False), ("Ab1!", False),
    ("12345678", False), ("Abcdefgh", False), ("密码密码密码12a", True),
])
def test_password_policy(password, ok):
    assert (check_password_policy(password) is None) == ok


def test_password_must_not_contain_username():
    assert check_password_policy("Zhang#San2026", "zhang") == "密码不能包含用户名"


def test_argon2id_hash_and_rehash(monkeypatch):
    h = hash_password("Gh#Desk2026x")
    assert h.startswith("$argon2id$") and verify_password(h, "Gh#Desk2026x")
    assert not verify_password(h, "Gh#Desk2026y")
    monkeypatch.delenv("UNIONDESK_FAST_KDF")
    assert needs_rehash(h)  # a test-speed hash is upgraded to the real parameters at next login
    assert "m=65536,t=3,p=4" in hash_password("Gh#Desk2026x")


def test_login_and_lockout(db):
    actor = authenticate(db, "clerk", PASSWORDS["clerk"])
    assert actor.role == "clerk"
    for _ in range(5):  # no count of tries left: the same answer as an unknown name
        with pytest.raises(AuthError, match="用户名或密码错误"):
            authenticate(db, "clerk", "wrong")
    with pytest.raises(AuthError, match="用户名或密码错误"):
        authenticate(db, "clerk", PASSWORDS["clerk"])  # even the right password while locked
    clock.set_offset(timedelta(minutes=11))
    try:
        assert authenticate(db, "clerk", PASSWORDS["clerk"]).username == "clerk"
    finally:
        clock.set_offset(None)
    with db.session() as s:
        logins = s.scalars(select(AuditEntry).where(AuditEntry.action == "login",
                                                    AuditEntry.username == "clerk")).all()
    assert [e.success for e in logins] == [True, False, False, False, False, False, False, True]


def test_admin_unlocks(db, admin):
    for _ in range(5):
        with pytest.raises(AuthError):
            authenticate(db, "reviewer", "wrong")
    with db.session(admin) as s:
        unlock_user(s, admin, "reviewer")
    assert authenticate(db, "reviewer", PASSWORDS["reviewer"]).role == "reviewer"


def test_unknown_and_disabled_users(db, admin):
    with pytest.raises(AuthError, match="用户名或密码错误"):
        authenticate(db, "nobody", "whatever")
    from app.security.users import update_user

    with db.session(admin) as s:
        update_user(s, admin, "readonly", active=False)
    with pytest.raises(AuthError, match="已停用"):
        authenticate(db, "readonly", PASSWORDS["readonly"])


def test_password_set_by_someone_else_must_be_changed(db, admin):
    with db.session(admin) as s:
        new = create_user(s, admin, "wangfang", "clerk")
    assert new.generated and check_password_policy(new.password) is None
    actor = authenticate(db, "wangfang", new.password)
    assert actor.must_change_password
    with db.session(actor) as s:
        with pytest.raises(AuthError, match="原密码不正确"):
            change_password(s, actor, "wangfang", "Gh#NewPass99", old_password="bad")
    with db.session(actor) as s:
        change_password(s, actor, "wangfang", "Gh#NewPass99", old_password=new.password)
    assert not authenticate(db, "wangfang", "Gh#NewPass99").must_change_password
    with db.session(admin) as s:  # an administrator's reset forces a change again
        change_password(s, admin, "wangfang", "Gh#Reset2026")
    assert authenticate(db, "wangfang", "Gh#Reset2026").must_change_password


def test_the_administrator_chose_their_own_password_at_init(db):
    assert not authenticate(db, "admin", PASSWORDS["admin"]).must_change_password


def test_weak_or_duplicate_user_refused(db, admin):
    with db.session(admin) as s:
        with pytest.raises(AppError, match="至少需要 8"):
            create_user(s, admin, "lisi", "clerk", password="Ab1!")
        with pytest.raises(AppError, match="已存在"):
            create_user(s, admin, "clerk", "clerk")
        with pytest.raises(AppError, match="角色"):
            create_user(s, admin, "lisi", "boss")


# -- permissions: checked in services, whatever the UI shows -------------------------------------
def _some_union(s):
    return s.scalars(select(Unit).where(Unit.kind == "grassroots")).first()


def _add_member(s, actor):
    records.create(s, actor, "member", {"name": "测试", "id_number": "11010519491231002X",
                                     "union_id": _some_union(s).id})


def _edit_member(s, actor):
    records.update(s, actor, "member", s.scalars(select(Member.id)).first(), {"phone": "13900001111"})


def _add_unit(s, actor):
    records.create(s, actor, "unit", {"name": "新建镇工会", "kind": "township",
                                 "parent_id": s.info["root_unit_id"]})


def _add_user(s, actor):
    create_user(s, actor, "newbie", "readonly")


def _add_code(s, actor):
    codes.add_item(s, actor, "ethnicity", "99", "测试民族")


ACTIONS = {"add member": _add_member, "edit member": _edit_member, "add unit": _add_unit,
           "add user": _add_user, "add code": _add_code}
ALLOWED = {
    "admin": {"add unit", "add user", "add code"},
    "clerk": {"add member", "edit member", "add unit"},
    "reviewer": set(), "approver": set(), "auditor": set(), "readonly": set(),
}


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_action_matrix(db, actors, role, action):
    actor = actors[role]
    if action in ALLOWED[role]:
        with db.session(actor) as s:
            ACTIONS[action](s, actor)
    else:
        with pytest.raises(PermissionDenied, match="无权"):
            with db.session(actor) as s:
                ACTIONS[action](s, actor)


def test_role_table_separates_duties():
    admin, auditor = ROLES["admin"][1], ROLES["auditor"][1]
    assert Perm.WRITE not in admin and Perm.REVEAL not in admin
    assert Perm.AUDIT in auditor and not auditor & {Perm.WRITE, Perm.MANAGE_USERS, Perm.MANAGE_CODES,
                                                     Perm.MANAGE_UNITS, Perm.BACKUP, Perm.SYNC}


# -- audit --------------------------------------------------------------------------------------
def test_every_change_is_audited_with_before_and_after(db, clerk):
    with db.session(clerk) as s:
        m = s.scalars(select(Member)).first()
        mid, old_name = m.id, m.name
        records.update(s, clerk, "member", mid, {"name": "改名后", "id_number": "11010519491231002X"})
    with db.session() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.object_id == mid)
                      .order_by(AuditEntry.seq.desc())).first()
    detail = json.loads(e.detail)
    assert e.action == "update" and e.username == "clerk" and e.role == "clerk"
    assert detail["before"]["name"] == old_name and detail["after"]["name"] == "改名后"
    # the audit log shows that the ID number changed, never the number itself
    assert detail["after"]["id_number"] == "110105********002X"
    assert "11010519491231002X" not in e.detail


def test_audit_chain_verifies(db):
    with db.session() as s:
        result = audit.verify(s)
    assert result.ok and result.checked > 5


def test_audit_log_cannot_be_changed_through_sql(db_path, db):
    db.close()
    c = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        c.execute("UPDATE audit_log SET summary = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        c.execute("DELETE FROM audit_log WHERE seq = 1")
    c.close()


def _tamper(db_path, *statements):
    c = sqlite3.connect(db_path)
    c.execute("DROP TRIGGER audit_log_no_update")
    c.execute("DROP TRIGGER audit_log_no_delete")
    for sql in statements:
        c.execute(sql)
    c.commit()
    c.close()


def _verify(db_path):
    from app.db.engine import open_database

    with open_database(db_path) as db, db.session() as s:
        return audit.verify(s)


def test_edited_audit_entry_is_found(db_path, db):
    db.close()
    _tamper(db_path, "UPDATE audit_log SET username = 'someone' WHERE seq = 3")
    result = _verify(db_path)
    assert not result.ok and result.bad_seq == 3 and "被修改" in result.reason


def test_removed_audit_entry_is_found(db_path, db):
    db.close()
    _tamper(db_path, "DELETE FROM audit_log WHERE seq = 4")
    result = _verify(db_path)
    assert not result.ok and result.bad_seq == 4 and "缺失" in result.reason


def test_truncated_audit_log_is_found(db_path, db):
    db.close()
    _tamper(db_path, "DELETE FROM audit_log WHERE seq > 5")
    result = _verify(db_path)
    assert not result.ok and "截断" in result.reason


def test_rehashed_forgery_breaks_the_link(db_path, db):
    """Editing an entry and recomputing its own hash still breaks the next entry's link."""
    db.close()
    c = sqlite3.connect(db_path)
    row = c.execute("SELECT * FROM audit_log WHERE seq = 2").fetchone()
    cols = [d[0] for d in c.execute("SELECT * FROM audit_log LIMIT 1").description]
    c.close()
    entry = dict(zip(cols, row))
    entry["summary"] = "伪造"
    forged = audit.entry_hash(entry)
    _tamper(db_path, f"UPDATE audit_log SET summary = '伪造', hash = '{forged}' WHERE seq = 2")
    result = _verify(db_path)
    assert not result.ok and result.bad_seq == 3


def test_reveal_is_audited_and_needs_permission(db, actors):
    from app.fields.members import MEMBER
    from app.services.records import reveal

    with db.session(actors["clerk"]) as s:
        mid = s.scalars(select(Member.id)).first()
        full = reveal(s, actors["clerk"], MEMBER, mid, "id_number", "核对身份")
    assert len(full) == 18 and "*" not in full
    with db.session() as s:
        e = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert e.action == "reveal" and "核对身份" in e.summary and full not in e.detail + e.summary
    with pytest.raises(PermissionDenied):
        with db.session(actors["readonly"]) as s:
            reveal(s, actors["readonly"], MEMBER, mid, "id_number")
