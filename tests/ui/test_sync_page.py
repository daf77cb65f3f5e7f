"""The 数据交换 page driven like a user: export through the wizard at a county, import through the
wizard at the city (report, apply, receipt back), a tampered bundle refused, trusting a card only
with its fingerprint, conflicts resolved side by side, and roles without the exchange permission."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.models import Member, SyncConflict, Unit
from app.services import records
from app.sync import drives, service
from tests.app.syncnet import id_number, member_ids
from tests.conftest import PASSWORDS
from tests.ui.conftest import make_ctx
from ui.pages.exchange.common import DIFF_BACKGROUND, Pick
from ui.workers import wait_for_jobs


@pytest.fixture
def stick(tmp_path, monkeypatch):
    """A USB stick: a folder the drive scan reports."""
    folder = tmp_path / "KINGSTON"
    folder.mkdir()
    monkeypatch.setattr(service, "removable_drives",
                        lambda: [drives.Drive(folder, "KINGSTON", 8 << 30, 16 << 30)])
    return folder


@pytest.fixture
def errors_shown(monkeypatch):
    from ui.errors import ErrorDialog

    shown: list[str] = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda self: shown.append(self.text.text()) or 0)
    return shown


def _ctx(node, who="clerk"):
    return make_ctx(node.db, getattr(node, who))


def _texts(table, column: int = 0) -> dict[str, list[str]]:
    """Rows of a table widget keyed by the text of ``column``."""
    out = {}
    for r in range(table.rowCount()):
        cells = [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        out[cells[column]] = cells
    return out


def _finish(qtbot):
    assert wait_for_jobs(20_000)


def test_export_then_import_through_the_wizards_with_a_receipt(net, qtbot, stick):
    from ui.pages.exchange.export_wizard import ExportWizard
    from ui.pages.exchange.history_tab import HistoryTab
    from ui.pages.exchange.import_wizard import ImportWizard

    a, c = net["a1"], net["c"]
    # the county exports to the city onto the stick
    wizard = ExportWizard(_ctx(a))
    qtbot.addWidget(wizard)
    assert {p.unit_code for p in wizard.targets} == {"341122", "341124", "341100"}
    wizard.choose(a.peer_id(c))
    wizard.go_next()
    qtbot.waitUntil(lambda: wizard.step == 1)
    preview = _texts(wizard.preview_table)
    assert preview["单位"][1] == "3" and preview["会员"][1] == "3" and preview["会籍变动"][1] == "3"
    assert preview["合计"][1] == "9"  # the members' 入会 travel with them
    wizard.go_next()
    assert wizard.dest.destination() == stick  # the stick is offered first
    wizard.go_next()
    qtbot.waitUntil(lambda: wizard.step == 3)
    result = wizard.result
    assert result.path.parent == stick and result.path.is_file() and result.total_rows == 9
    assert "一致" in wizard.done_notice.text() and result.path.name in wizard.done_details.text()

    # the city finds it on the stick, checks it, sees the report, applies it
    before = c.content_hash()
    importer = ImportWizard(_ctx(c))
    qtbot.addWidget(importer)
    assert importer.found_paths == [result.path]
    importer.found.setCurrentRow(0)
    importer.check()
    qtbot.waitUntil(lambda: importer.stack.currentIndex() == 1)
    report = _texts(importer.report_table)
    assert report["单位"][1:3] == ["3", "0"] and report["会员"][1:3] == ["3", "0"]
    assert report["合计"][1] == "9" and importer.apply_button.text() == "导入 9 条"
    assert c.content_hash() == before  # the dry run wrote nothing
    importer.apply_button.click()
    qtbot.waitUntil(lambda: importer.stack.currentIndex() == 2)
    assert "新增 9 条" in importer.done_notice.text()
    assert c.stats("341122") == a.stats("341122")  # the data arrived, identical

    # the receipt goes back on the stick and is imported at the county
    importer.receipt_dest.rescan()
    importer.receipt_button.click()
    qtbot.waitUntil(lambda: importer.receipt_path is not None)
    assert importer.receipt_path.parent == stick
    back = ImportWizard(_ctx(a))
    qtbot.addWidget(back)
    back.set_file(importer.receipt_path)
    back.check()
    qtbot.waitUntil(lambda: back.stack.currentIndex() == 1)
    assert back.apply_button.text() == "导入回执" and not back.report_table.isVisible()
    back.apply_button.click()
    qtbot.waitUntil(lambda: back.stack.currentIndex() == 2)
    history = HistoryTab(_ctx(a))
    qtbot.addWidget(history)
    sent = next(r for r in range(history.table.rowCount()) if history.table.item(r, 1).text() == "↑ 发出"
                and history.table.item(r, 2).text() == "示例市总工会")
    assert history.table.item(sent, 8).text() == "✔ 已确认" and history.table.item(sent, 5).text() == "9"
    _finish(qtbot)


def test_a_tampered_bundle_is_refused_naming_the_step_and_nothing_changes(net, qtbot):
    from ui.pages.exchange.import_wizard import ImportWizard

    a, c = net["a1"], net["c"]
    path = a.send(c)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    bad = path.with_name("tampered.udbx")
    bad.write_bytes(bytes(data))
    before = c.content_hash()
    wizard = ImportWizard(_ctx(c))
    qtbot.addWidget(wizard)
    wizard.set_file(bad)
    wizard.check()
    qtbot.waitUntil(lambda: wizard.refusal is not None)
    err = wizard.refusal
    text = wizard.refused_notice.text()
    assert err.step and f"“{err.step}”这一步没有通过" in text and "没有任何改动" in text
    assert "✘" in wizard.checks.text() and wizard.apply_button.isHidden()
    assert c.content_hash() == before
    assert not list((c.path.parent / "bundles" / "in").glob("*tampered*"))  # no copy left
    _finish(qtbot)


def test_a_bundle_of_a_newer_version_says_what_is_kept_aside(net, qtbot):
    from app.sync.export import BundleShape
    from ui.pages.exchange.import_wizard import ImportWizard

    a, c = net["a1"], net["c"]
    path = a.send(c, shape=BundleShape(schema_version="0099_future",
                                       add={"members": {"wechat": lambda row: "wx"}}))
    wizard = ImportWizard(_ctx(c))
    qtbot.addWidget(wizard)
    wizard.set_file(path)
    wizard.check()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 1)
    notes = wizard.warnings.label.text()
    assert "较新版本" in notes and "本程序没有的字段 wechat(3 条记录),这些字段的值将另存在本机" in notes
    wizard.apply_button.click()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 2)
    assert "这些字段的值已另存在本机" in wizard.done_warnings.label.text()
    _finish(qtbot)


def test_trusting_a_card_requires_the_fingerprint_read_by_phone(net, qtbot, monkeypatch, answer, tmp_path):
    from ui.pages.exchange.peers_tab import PeersTab, TrustCardDialog

    a, b = net["a1"], net["b"]
    tab = PeersTab(_ctx(a, "admin"))
    qtbot.addWidget(tab)
    row = next(i for i, p in enumerate(tab.rows) if p.unit_code == "341124")
    tab.table.selectRow(row)
    answer(confirm=True)
    tab.revoke_button.click()
    assert tab.table.item(row, 4).text() == "已撤销"
    card = service.export_card(b.db, b.admin, tmp_path / "b.udcard")
    fingerprint = service.status(b.db, b.admin).fingerprint
    wrong = fingerprint[:-1] + str((int(fingerprint[-1]) + 1) % 10)
    seen = []

    def phone_call(dialog):
        seen.append(dialog)
        assert not dialog.trust_button.isEnabled()  # nothing typed or confirmed yet
        dialog.typed.setText(fingerprint[:24])  # five groups: 20 digits
        assert not dialog.trust_button.isEnabled() and "20 / 32" in dialog.typed_state.text()
        assert not dialog.confirmed.isEnabled()  # typing, not ticking, once digits are there
        dialog.typed.setText(wrong)
        assert "不一致" in dialog.typed_state.text()
        dialog.trust_button.click()
        assert "指纹不一致" in dialog.message.text()
        assert not next(p for p in service.peers(a.db, a.clerk) if p.unit_code == "341124").trusted
        dialog.typed.setText(fingerprint.replace(" ", ""))
        assert "一致" in dialog.typed_state.text()
        dialog.trust_button.click()
        return dialog.result()

    monkeypatch.setattr(TrustCardDialog, "exec", phone_call)
    monkeypatch.setattr(Pick, "open_file", classmethod(lambda cls, *a, **k: card))
    tab.import_button.click()
    assert len(seen) == 1 and seen[0].fingerprint.text() == fingerprint
    peer = next(p for p in service.peers(a.db, a.clerk) if p.unit_code == "341124")
    assert peer.trusted and tab.table.item(row, 4).text() == "已信任"
    # the tick box is the other way: it alone enables 信任, for exactly the card's fingerprint
    preview = service.CardPreview(peer.id, peer.unit_name, peer.unit_code, "", peer.fingerprint, False)
    dialog = TrustCardDialog(_ctx(a, "admin"), preview)
    qtbot.addWidget(dialog)
    assert not dialog.trust_button.isEnabled()
    dialog.confirmed.setChecked(True)
    assert dialog.trust_button.isEnabled() and dialog.entered() == peer.fingerprint


def _conflict_and_duplicate(net):
    """a1 and a2 (two PCs of one county): the same phone changed on both, and one person
    registered on both; a1 imports a2's bundle."""
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    for node, phone in ((a1, "13700001111"), (a2, "13800002222")):
        with node.db.session(node.clerk) as s:
            records.update(s, node.clerk, "member", mid, {"phone": phone})
    ids = {}
    for node in (a1, a2):
        with node.db.session(node.clerk) as s:
            union = s.get(Member, mid).union_id
            ids[node.name] = records.create(s, node.clerk, "member", {
                "name": "钱七", "union_id": union,
                "id_number": id_number("341122", date(1990, 1, 2), 41)}).id
    a1.recv(a2.send(a1))
    return a1, mid, ids


def test_a_conflict_resolved_field_by_field_in_the_side_by_side_view(net, qtbot):
    from ui.pages.exchange.conflicts_tab import ConflictsTab

    a1, mid, _ = _conflict_and_duplicate(net)
    tab = ConflictsTab(_ctx(a1))
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: len(tab.views) == 2)
    view = next(v for v in tab.views if v.kind == "edit")
    dialog = tab.make_dialog(view)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    phone = rows["手机号码"]
    assert {dialog.table.item(phone, 1).text(), dialog.table.item(phone, 2).text()} == \
        {"137****1111", "138****2222"}  # masked, side by side
    assert dialog.table.item(phone, 1).background().color() == DIFF_BACKGROUND
    assert dialog.table.item(rows["姓名"], 1).background().color() != DIFF_BACKGROUND
    assert list(dialog.choices) == ["phone"]  # a choice only where the versions differ
    local = dialog.table.item(phone, 1).text()
    combo = dialog.choices["phone"]
    combo.setCurrentIndex(combo.findData("local"))
    dialog.action_buttons["按所选逐字段保存"].click()
    with a1.db.read_session() as s:
        assert s.get(Member, mid).phone[:3] == local[:3] == "137"
        assert s.scalar(select(SyncConflict.status).where(SyncConflict.kind == "edit")) == "resolved"
    qtbot.waitUntil(lambda: len(tab.views) == 1)
    assert tab.views[0].kind == "duplicate"


def test_a_possible_duplicate_person_is_voided_from_the_dialog(net, qtbot, answer):
    from ui.pages.exchange.conflicts_tab import ConflictDialog

    a1, _, ids = _conflict_and_duplicate(net)
    view = next(v for v in service.conflicts(a1.db, a1.clerk) if v.kind == "duplicate")
    dialog = ConflictDialog(_ctx(a1), view)
    qtbot.addWidget(dialog)
    assert not dialog.only_diffs.isChecked()  # a duplicate is compared in full
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    with a1.db.read_session() as s:
        union = s.get(Unit, s.get(Member, ids["a1"]).union_id).name
    assert dialog.table.item(rows["所属基层工会"], 1).text() == union  # a name, not an id
    asked = answer(confirm=True)
    dialog.action_buttons["作废导入的记录"].click()
    assert asked == ["confirm"]
    with a1.db.read_session() as s:
        assert s.get(Member, ids["a2"]).deleted and not s.get(Member, ids["a1"]).deleted


def test_the_page_opens_its_tabs_and_the_home_page_names_the_work(net, qtbot):
    from app.services import dashboard
    from ui.pages.exchange import ExchangePage

    a1, _, _ = _conflict_and_duplicate(net)
    with a1.db.read_session() as s:
        todos = {t.target.tab: t.text for t in dashboard.todos(s, a1.clerk) if t.target.page == "exchange"}
    assert "示例市总工会" in todos["export"] and "2 项" in todos["conflicts"]
    page = ExchangePage(_ctx(a1))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: len(page.conflicts.views) == 2)
    assert page.tabText(page.indexOf(page.conflicts)) == "冲突处理(2)"
    page.open_target("conflicts", {})
    assert page.currentWidget() is page.conflicts
    dup = next(v for v in page.conflicts.views if v.kind == "duplicate")
    service.resolve_duplicate(a1.db, a1.clerk, dup.id, "keep_both")
    page.activated()
    qtbot.waitUntil(lambda: len(page.conflicts.views) == 1)
    assert page.tabText(page.indexOf(page.conflicts)) == "冲突处理(1)"
    for name, factory in page.smoke_dialogs():  # every view the smoke test opens
        widget = factory()
        qtbot.addWidget(widget)
        widget.show()
        assert widget.isVisible(), name
    _finish(qtbot)


def test_a_locked_key_is_unlocked_with_the_login_password(net, qtbot):
    from app.sync import keyslots
    from ui.pages.exchange.common import UnlockDialog
    from ui.pages.exchange.keys_tab import KeysTab

    a = net["a1"]
    keyslots.forget(a.db)
    tab = KeysTab(_ctx(a))
    qtbot.addWidget(tab)
    assert not tab.unlock_button.isHidden() and "已锁定" in tab.lock_state.text()
    assert tab.fingerprint.text() == service.status(a.db, a.clerk).fingerprint
    tab.unlock_button.click()
    dialog = tab.findChild(UnlockDialog)
    dialog.password.setText("wrong-Password1")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    assert "密码不正确" in dialog.message.text()
    dialog.password.setText(PASSWORDS["clerk"])
    dialog.ok.click()
    qtbot.waitUntil(lambda: tab.unlock_button.isHidden())
    assert "已解锁" in tab.lock_state.text() and service.status(a.db, a.clerk).unlocked


def test_the_city_exports_and_imports_its_recovery_key(net, qtbot, monkeypatch, tmp_path, errors_shown):
    from ui.pages.exchange.keys_tab import KeysTab

    c = net["c"]
    tab = KeysTab(_ctx(c, "admin"))
    qtbot.addWidget(tab)
    assert not tab.recovery.isHidden()
    target = tmp_path / "recovery.udrecovery"
    monkeypatch.setattr(Pick, "save_file", classmethod(lambda cls, *a, **k: target))
    monkeypatch.setattr(Pick, "open_file", classmethod(lambda cls, *a, **k: target))
    monkeypatch.setattr(Pick, "passphrase", classmethod(lambda cls, *a, **k: "correct horse battery"))
    monkeypatch.setattr("ui.dialogs.ask.Ask.info", classmethod(lambda cls, *a, **k: None))
    tab.recovery_export.click()
    qtbot.waitUntil(lambda: target.is_file())
    _finish(qtbot)
    monkeypatch.setattr(Pick, "passphrase", classmethod(lambda cls, *a, **k: "a wrong passphrase"))
    tab.recovery_import.click()
    _finish(qtbot)
    assert errors_shown == ["恢复口令不正确"]
    monkeypatch.setattr(Pick, "passphrase", classmethod(lambda cls, *a, **k: "correct horse battery"))
    tab.recovery_import.click()
    _finish(qtbot)
    assert errors_shown == ["恢复口令不正确"]


def test_roles_without_the_exchange_permission_see_it_read_only(db, actors, qtbot):
    from PySide6.QtWidgets import QLabel

    from ui.pages.exchange import ExchangePage

    page = ExchangePage(make_ctx(db, actors["reviewer"]))
    qtbot.addWidget(page)
    page.show()
    for wizard in (page.export, page.import_):
        assert wizard.stack.isHidden()
        assert any("没有数据交换权限" in label.text() for label in wizard.findChildren(QLabel))
    assert page.peers.import_button.isHidden() and page.keys.unlock_button.isHidden()
    assert page.keys.card_button.isHidden()
    assert page.currentWidget() is page.keys  # nothing to exchange with: set-up first
    _finish(qtbot)


def test_a_bad_passphrase_is_caught_before_anything_is_written(qtbot):
    from ui.pages.exchange.common import PassphraseDialog

    dialog = PassphraseDialog("设定恢复密钥口令", confirm=True)
    qtbot.addWidget(dialog)
    dialog.first.setText("short")
    dialog.second.setText("short")
    dialog.accept()
    assert "至少 12" in dialog.message.text() and not dialog.passphrase
    dialog.first.setText("correct horse battery")
    dialog.second.setText("correct horse batterY")
    dialog.accept()
    assert "不一致" in dialog.message.text()
    dialog.second.setText("correct horse battery")
    dialog.accept()
    assert dialog.passphrase == "correct horse battery"



def test_an_archive_number_clash_is_renumbered_from_the_dialog(net, qtbot, answer):
    from app.models import HardshipArchive
    from tests.app.syncnet import approved_archive
    from ui.pages.exchange.conflicts_tab import ConflictDialog

    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    x, number = approved_archive(a1, "张三", 31)
    y, _ = approved_archive(a2, "王五", 32)
    a2.recv(a1.send(a2))
    [view] = service.conflicts(a2.db, a2.clerk)
    ctx = _ctx(a2)
    dialog = ConflictDialog(ctx, view)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle().startswith("档案编号重复") and not dialog.only_diffs.isChecked()
    assert [dialog.table.horizontalHeaderItem(i).text() for i in (1, 2)] == ["本机原有的档案", "导入的档案"]
    from ui.pages.exchange.common import CLASH_BACKGROUND

    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows["档案编号"], 1).text() == dialog.table.item(rows["档案编号"], 2).text()
    assert dialog.table.item(rows["档案编号"], 1).background().color() == CLASH_BACKGROUND
    asked = answer(confirm=False)
    dialog.action_buttons["为导入的档案重新编号"].click()  # asked, then cancelled: nothing changes
    assert asked == ["confirm"]
    with a2.db.read_session() as s:
        assert s.get(HardshipArchive, x).archive_no == number
    shown = []
    ctx.status_message.connect(shown.append)
    answer(confirm=True)
    dialog.action_buttons["为导入的档案重新编号"].click()
    with a2.db.read_session() as s:
        renumbered = s.get(HardshipArchive, x).archive_no
        assert renumbered != number and s.get(HardshipArchive, y).archive_no == number
    assert shown == [f"已为导入的档案重新编号:{number} → {renumbered}"]
    assert dialog.result() == dialog.DialogCode.Accepted
