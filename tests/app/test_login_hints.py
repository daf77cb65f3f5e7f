"""Login without hints: the same message and the same work (one password hash, a dummy one for an
unknown name) for unknown and existing accounts; a disabled account said only after the right
password; a documented, audited way back in when every administrator is locked out."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.errors import AppError, AuthError
from app.models import AuditEntry
from app.security import users
from app.security.users import authenticate, update_user
from tests.app.test_cli import cli
from tests.conftest import PASSWORDS


def _message(db, name, password):
    with pytest.raises(AuthError) as exc:
        authenticate(db, name, password)
    return str(exc.value)


def test_unknown_and_existing_accounts_get_the_same_message(db):
    unknown = _message(db, "nobody", "Wrong#Pass1")
    assert unknown.startswith("用户名或密码错误")
    for _ in range(6):  # tries left and the lock itself are not told either
        assert _message(db, "clerk", "Wrong#Pass1") == unknown
    assert _message(db, "clerk", PASSWORDS["clerk"]) == unknown  # locked: the right one too


def test_an_unknown_name_costs_one_password_hash_like_an_account(db, monkeypatch):
    seen = []
    real = users.verify_password

    def counting(stored, password):
        seen.append(stored)
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", counting)
    _message(db, "nobody", "Wrong#Pass1")
    assert seen == [users.dummy_hash()] and seen[0].startswith("$argon2id$")
    _message(db, "clerk", "Wrong#Pass1")
    assert len(seen) == 2 and seen[1] != seen[0]


def test_a_disabled_account_is_named_only_after_the_right_password(db, admin):
    with db.session(admin) as s:
        update_user(s, admin, "readonly", active=False)
    assert _message(db, "readonly", "Wrong#Pass1") == _message(db, "nobody", "Wrong#Pass1")
    assert "已停用" in _message(db, "readonly", PASSWORDS["readonly"])


def test_a_locked_out_administrator_is_recovered_by_the_data_folders_owner(db_path):
    from app.db.engine import open_database

    db = open_database(db_path)
    try:
        for _ in range(5):
            _message(db, "admin", "Wrong#Pass1")
        _message(db, "admin", PASSWORDS["admin"])  # locked
    finally:
        db.close()
    r = cli("--db", db_path, "user", "recover", "clerk")
    assert r.returncode != 0 and "不是系统管理员" in r.stderr
    r = cli("--db", db_path, "user", "recover", "admin")
    assert r.returncode == 0 and "已解除系统管理员 admin 的锁定" in r.stdout, r.stderr
    db = open_database(db_path)
    try:
        assert authenticate(db, "admin", PASSWORDS["admin"]).role == "admin"
        with db.read_session() as s:
            summaries = s.scalars(select(AuditEntry.summary).where(
                AuditEntry.action == "user_recover")).all()
        assert len(summaries) == 1 and "操作系统账户" in summaries[0]
    finally:
        db.close()


def test_recovery_needs_write_access_to_the_data_folder(db, monkeypatch):
    from app.security import recovery

    monkeypatch.setattr(recovery.os, "access", lambda *a: False)
    with pytest.raises(AppError, match="拥有数据文件夹"):
        recovery.unlock_administrator(db, "admin")


def test_set_up_suggests_a_second_administrator(tmp_path):
    r = cli("--db", tmp_path / "new.db", "init", "--unit-name", "示例县总工会", "--unit-code", "341122",
            "--level", "county", "--admin-user", "admin", "--admin-password", PASSWORDS["admin"])
    assert r.returncode == 0 and "建议再建一个系统管理员账户" in r.stdout, r.stderr


def test_the_lock_still_ends_by_itself(db):
    for _ in range(5):
        _message(db, "clerk", "Wrong#Pass1")
    clock.set_offset(timedelta(minutes=11))
    try:
        assert authenticate(db, "clerk", PASSWORDS["clerk"]).username == "clerk"
    finally:
        clock.set_offset(None)
