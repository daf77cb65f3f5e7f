"""Start-up: the file probe, first run (both choices), login with wrong passwords and the
lock-out, and the forced password change. The start path itself (lock, second start, refusals,
damaged file, restore): tests/ui/test_start_path.py."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from tests.conftest import PASSWORDS

ADMIN_PASSWORD = "Start#Desk2026"


@pytest.fixture
def empty_db(tmp_path):
    from app.db.engine import open_database

    handle = open_database(tmp_path / "new.db", create=True)
    yield handle
    from ui.workers import wait_for_jobs

    wait_for_jobs(60_000)
    handle.close()


def _fill(dialog, *, code="341122", password=ADMIN_PASSWORD, password2=None):
    dialog.unit_name_edit.setText("测试县总工会")
    dialog.unit_code.setText(code)
    dialog.admin.setText("chief")
    dialog.password.setText(password)
    dialog.password2.setText(password if password2 is None else password2)


def test_probe_tells_missing_new_and_ready_files(tmp_path, db_path, fresh_db):
    from app.services.startup import probe

    assert probe(tmp_path / "nothing.db").kind == "missing"
    ready = probe(db_path)
    assert (ready.kind, ready.unit_name) == ("ready", "示例县总工会")
    (tmp_path / "text.db").write_text("not a database " * 100, encoding="ascii")
    assert probe(tmp_path / "text.db").kind == "unknown"


def test_first_run_new_unit(qtbot, empty_db):
    from ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(empty_db)
    qtbot.addWidget(dialog)
    _fill(dialog, code="12345", password="weak", password2="other")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "6 位数字" in dialog.errors["unit_code"].text()
    assert "至少需要 8 个字符" in dialog.errors["password"].text()
    assert not empty_db.initialised
    _fill(dialog)
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=20_000)
    assert empty_db.initialised and dialog.admin_username == "chief"
    from app.models import Member, User

    with empty_db.read_session() as s:
        assert s.scalar(select(User.role).where(User.username == "chief")) == "admin"
        assert s.scalar(select(func.count()).select_from(Member)) == 0


def test_first_run_with_demonstration_data(qtbot, empty_db):
    from app.models import Member
    from ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(empty_db)
    qtbot.addWidget(dialog)
    _fill(dialog)
    dialog.demo.setChecked(True)
    assert dialog.demo_size.isEnabled() and dialog.demo_size.currentData() == 2000
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted
                    or bool(dialog.message.text()), timeout=60_000)  # done, or failed and said why
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    assert dialog.counts["会员"] == 2000
    with empty_db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 2000


def _login(qtbot, dialog, username, password):
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=20_000)


def test_login_wrong_password_lock_out_and_success(qtbot, db_path):
    from app.services.startup import Startup
    from ui.dialogs.login import LoginDialog
    from ui.startup import DatabaseOpener

    start = Startup(Path(db_path), program="gui")
    start.begin(integrity=False)
    opener = DatabaseOpener(start)  # quick_check and open in the background
    dialog = LoginDialog(opener, "示例县总工会", "clerk")
    qtbot.addWidget(dialog)
    try:
        _login(qtbot, dialog, "nobody", "whatever")
        unknown = dialog.message.text()
        assert unknown.startswith("用户名或密码错误")
        _login(qtbot, dialog, "clerk", "wrong-1")
        assert dialog.message.text() == unknown  # no hint that the account exists
        assert dialog.password.text() == ""
        for i in range(3):
            _login(qtbot, dialog, "clerk", f"wrong-{i + 2}")
        _login(qtbot, dialog, "clerk", "wrong-5")
        assert dialog.message.text() == unknown
        _login(qtbot, dialog, "clerk", PASSWORDS["clerk"])  # right, but locked now
        assert dialog.message.text() == unknown and dialog.actor is None
        _login(qtbot, dialog, "reviewer", PASSWORDS["reviewer"])
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert dialog.actor.username == "reviewer" and dialog.actor.role == "reviewer"
        assert opener.db is start.db
    finally:
        opener.wait()
        start.close(backup=False)
    assert not start.lock.held


def test_the_exchange_key_opens_at_login_and_is_not_asked_again(qtbot, db_path):
    from app.services.startup import Startup
    from app.sync import keyslots
    from ui.dialogs.login import LoginDialog
    from ui.startup import DatabaseOpener

    start = Startup(Path(db_path), program="gui")
    start.begin(integrity=False)
    opener = DatabaseOpener(start)
    dialog = LoginDialog(opener, "示例县总工会", "clerk")
    qtbot.addWidget(dialog)
    try:
        _login(qtbot, dialog, "clerk", PASSWORDS["clerk"])
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert keyslots.cached(start.db, dialog.actor.user_id) is not None  # the page asks nothing
        from app.sync.anchors import read_checkpoints  # and the day's signed audit checkpoint

        assert [cp["why"] for cp in read_checkpoints(start.db)[0]] == ["daily"]
    finally:
        opener.wait()
        start.close(backup=False)


def test_forced_password_change(qtbot, db, admin):
    from app.models import User
    from app.security.users import authenticate, create_user
    from ui.dialogs.change_password import ChangePasswordDialog
    from ui.startup import password_change_if_needed

    with db.session(admin) as s:
        create_user(s, admin, "newbie", "clerk", password="Temp#Pass2026")
    actor = authenticate(db, "newbie", "Temp#Pass2026")
    assert actor.must_change_password
    dialog = ChangePasswordDialog(db, actor, old_password="Temp#Pass2026", forced=True)
    qtbot.addWidget(dialog)
    dialog.new.setText("Mine#Secret2026")
    dialog.new2.setText("Mine#Secret2027")
    dialog.accept()
    assert dialog.message.text() == "两次输入的新密码不一致"
    dialog.new2.setText("Mine#Secret2026")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.read_session() as s:
        assert s.scalar(select(User.must_change_password).where(User.username == "newbie")) is False
    again = authenticate(db, "newbie", "Mine#Secret2026")
    assert password_change_if_needed(db, again, "Mine#Secret2026") is again  # nothing to do now
