"""The administrator's day: accounts, code tables and settings; the unit tree narrowing lists;
the auditor's hash-chain check."""

import sqlite3

from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy import select

from app.models import CodeItem, Unit, User
from app.security.passwords import verify_password
from app.services import settings as app_settings


def _wait(qtbot, page):
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=10_000)


def _select(page, record_id):
    assert page.select_record(record_id)


def test_users_add_reset_unlock(qtbot, db, admin_ctx, monkeypatch, answer):
    from ui.dialogs import user_dialog
    from ui.pages.system.users import UsersTab

    shown = []
    monkeypatch.setattr(user_dialog, "show_new_password", lambda parent, name, pw: shown.append((name, pw)))
    tab = UsersTab(admin_ctx)
    qtbot.addWidget(tab)
    _wait(qtbot, tab.list)
    assert tab.list.model.total == 6

    def fill_in(dialog):  # typed by the administrator, then 保存
        dialog.username.setText("liuyang")
        dialog.display_name.setText("刘洋")
        dialog.role.setCurrentIndex(dialog.role.findData("reviewer"))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(user_dialog.UserDialog, "exec", fill_in)
    tab.list.new_record()
    assert shown[0][0] == "liuyang"
    with db.read_session() as s:
        user = s.scalar(select(User).where(User.username == "liuyang"))
        assert (user.role, user.display_name, user.must_change_password) == ("reviewer", "刘洋", True)
        assert verify_password(user.password_hash, shown[0][1])
        user_id = user.id
    _wait(qtbot, tab.list)
    assert tab.list.model.total == 7 and tab.list.current_id() == user_id  # the new account is selected
    answer(confirm=True)
    tab.reset_password()
    with db.read_session() as s:
        assert verify_password(s.get(User, user_id).password_hash, shown[1][1])
    with db.session(admin_ctx.actor) as s:
        from datetime import timedelta

        from app.clock import utcnow

        s.get(User, user_id).locked_until = utcnow() + timedelta(minutes=9)
    tab.unlock()
    with db.read_session() as s:
        assert s.get(User, user_id).locked_until is None
    duplicate = user_dialog.UserDialog(admin_ctx)
    qtbot.addWidget(duplicate)
    duplicate.username.setText("liuyang")
    duplicate.accept()
    assert duplicate.result() != QDialog.DialogCode.Accepted and "已存在" in duplicate.error.text()


def _answer_unlock(parent, password):
    """Answer the modal 解锁本单位密钥 question that saving opens: type ``password`` and 解锁,
    or (None) 暂不开通."""
    from PySide6.QtCore import QTimer

    from ui.pages.exchange.common import UnlockDialog

    seen = []

    def poll():
        dialog = parent.findChild(UnlockDialog)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog)
        if password is None:
            dialog.reject()
        else:
            dialog.password.setText(password)
            dialog.ok.click()

    QTimer.singleShot(0, poll)
    return seen


def test_a_new_clerk_gets_the_exchange_key_once_the_admin_unlocks_it(qtbot, db, admin_ctx, monkeypatch):
    from app.models import SyncKeySlot
    from app.sync import keyslots
    from tests.conftest import PASSWORDS
    from ui.dialogs import user_dialog
    from ui.dialogs.ask import Ask

    notices = []
    monkeypatch.setattr(Ask, "info", classmethod(lambda cls, parent, title, text: notices.append(text)))
    assert keyslots.cached(db, admin_ctx.actor.user_id) is None  # logged in, key still locked

    def add(name):
        dialog = user_dialog.UserDialog(admin_ctx)
        qtbot.addWidget(dialog)
        dialog.username.setText(name)
        dialog.password.setText("Init#Pass2027")
        dialog.role.setCurrentIndex(dialog.role.findData("clerk"))
        return dialog

    later = add("later")
    asked = _answer_unlock(later, None)  # 暂不开通: saved, and told what to do
    later.accept()
    assert asked and later.result() == QDialog.DialogCode.Accepted
    assert len(notices) == 1 and "later" in notices[0] and "重置密码" in notices[0]

    now = add("now")
    asked = _answer_unlock(now, PASSWORDS["admin"])
    now.accept()
    assert asked and "now 可以进行数据交换" in asked[0].findChild(QLabel).text()
    assert now.result() == QDialog.DialogCode.Accepted and len(notices) == 1
    with db.read_session() as s:
        slot_users = set(s.scalars(select(SyncKeySlot.user_id)))
        assert now.saved_id in slot_users and later.saved_id not in slot_users


def test_a_reset_grants_the_exchange_key_after_unlocking(qtbot, db, admin_ctx, monkeypatch, answer):
    from app.models import SyncKeySlot
    from app.security import users as users_service
    from app.sync import keyslots
    from tests.conftest import PASSWORDS
    from ui.dialogs import user_dialog
    from ui.pages.system.users import UsersTab

    with db.session(admin_ctx.actor) as s:  # made while the key was locked: no slot
        new = users_service.create_user(s, admin_ctx.actor, "xiaoma", "clerk", password="Init#Pass2027")
        assert new.key_notice
    shown = []
    monkeypatch.setattr(user_dialog, "show_new_password", lambda parent, name, pw: shown.append(pw))
    tab = UsersTab(admin_ctx)
    qtbot.addWidget(tab)
    _wait(qtbot, tab.list)
    _select(tab.list, new.user.id)
    answer(confirm=True)
    asked = _answer_unlock(tab, PASSWORDS["admin"])
    tab.reset_password()
    assert asked and shown
    keyslots.forget(db)
    assert keyslots.unlock(db, users_service.actor_for(new.user), shown[0])
    with db.read_session() as s:
        assert s.get(SyncKeySlot, new.user.id) is not None


def test_code_tables_add_rename_reorder_deactivate(qtbot, db, admin_ctx, answer, monkeypatch):
    from ui.dialogs.code_item_dialog import CodeItemDialog
    from ui.pages.system.codes import CodeTablesTab

    tab = CodeTablesTab(admin_ctx)
    qtbot.addWidget(tab)
    row = next(i for i in range(tab.tables.count())
               if tab.tables.item(i).data(256) == "political_status")
    tab.tables.setCurrentRow(row)
    _wait(qtbot, tab.list)
    first_codes = [r.values[0] for r in tab.list.model.rows][:2]

    def items():
        with db.read_session() as s:
            return {c.code: (c.label, c.sort_order, c.active) for c in s.scalars(
                select(CodeItem).where(CodeItem.table_key == "political_status"))}

    def fill_in(dialog):  # the administrator types a code and a name and presses 新增
        dialog.code.setText("99")
        dialog.label.setText("测试面貌")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CodeItemDialog, "exec", fill_in)
    tab.add_item()
    assert items()["99"][0] == "测试面貌"
    _wait(qtbot, tab.list)
    _select(tab.list, tab.list.model.rows[0].id)
    answer(text="改过的名称")
    tab.rename()
    assert items()[first_codes[0]][0] == "改过的名称"
    before = items()
    tab.move(1)  # first item down: it swaps places with the second
    after = items()
    assert after[first_codes[0]][1] == before[first_codes[1]][1]
    assert after[first_codes[1]][1] == before[first_codes[0]][1]
    _wait(qtbot, tab.list)
    _select(tab.list, next(r.id for r in tab.list.model.rows if r.values[0] == "99"))
    answer(confirm=True)
    tab.toggle()
    assert items()["99"][2] is False
    assert admin_ctx.codes.items("political_status")[-1].code != "99"  # no longer offered


def test_settings_saved_and_audited(qtbot, db, admin_ctx):
    from ui.pages.system.settings import SettingsTab

    tab = SettingsTab(admin_ctx)
    qtbot.addWidget(tab)
    tab.spins["idle_lock_minutes"].setValue(25)
    tab.save()
    with db.read_session() as s:
        assert app_settings.get(s, "idle_lock_minutes") == 25
    tab.large_font.setChecked(True)
    from ui.theme import large_font_enabled

    assert large_font_enabled()


def test_units_tree_narrows_the_list_and_new_units_go_under_the_chosen_one(qtbot, db, admin_ctx):
    from app.areas import area
    from ui.kit.area_page import AreaPage

    page = AreaPage(admin_ctx, area("organisation"))
    qtbot.addWidget(page)
    part = page.show_tab("units")
    _wait(qtbot, part.list)
    qtbot.waitUntil(lambda: part.tree.is_loaded and page.tab("members").tree.is_loaded)
    with db.read_session() as s:
        township = s.scalars(select(Unit).where(Unit.kind == "township")).first()
        township_id = township.id
        children = {u.id for u in s.scalars(select(Unit).where(Unit.parent_id == township_id,
                                                                Unit.deleted.is_(False)))}
    part.tree.select(township_id)
    _wait(qtbot, part.list)
    assert {r.id for r in part.list.model.rows} == children
    form = part.list.make_form(None)
    qtbot.addWidget(form)
    assert form.cells["parent_id"].editor.raw() == township_id
    form.cells["name"].editor.line.setText("新建测试工会")
    form.cells["kind"].editor.set_stored("grassroots")
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted
    with db.read_session() as s:
        assert s.get(Unit, form.saved_id).parent_id == township_id
    members = page.show_tab("members")
    members.tree.select(township_id)
    _wait(qtbot, members.list)
    with db.read_session() as s:
        from app.models import Member

        expected = {m.id for m in s.scalars(select(Member).where(Member.union_id.in_(children),
                                                                 Member.deleted.is_(False)))}
    assert members.list.model.total == len(expected)
    assert members.list.new_values == {}  # a township is not where members are registered


def test_audit_chain_check(qtbot, db, actors, db_path, monkeypatch):
    from tests.ui.conftest import make_ctx
    from ui.dialogs.ask import Ask
    from ui.pages.system.audit import AuditLogTab

    said = []
    monkeypatch.setattr(Ask, "info", classmethod(lambda cls, parent, title, text: said.append((title, text))))
    tab = AuditLogTab(make_ctx(db, actors["auditor"]))
    qtbot.addWidget(tab)
    assert tab.table.rowCount() > 5 and tab.table.item(0, 4).text()
    tab.verify()
    qtbot.waitUntil(lambda: len(said) == 1, timeout=20_000)
    assert said[0][0] == "审计日志完整"
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET summary = '被篡改' WHERE seq = 3")
    raw.commit()
    raw.close()
    tab.verify()
    qtbot.waitUntil(lambda: len(said) == 2, timeout=20_000)
    assert said[1][0] == "审计日志有问题" and "第 3 条" in said[1][1]
