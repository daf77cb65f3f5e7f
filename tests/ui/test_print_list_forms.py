"""打印 ▾ › a list form (公示名单, 签收表) from the 困难职工帮扶 lists: the options dialog captions each
option with the form's own label and offers the campaigns to pick from, refuses in its own words
(never a command-line option) while still open, and a 公示名单 of archives in several 公示 periods
asks which period to print (the latest offered first) instead of failing."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog

from app.clock import today
from app.services import records
from app.services.hardship import ledger, workflow
from tests.app import pdf_tools
from tests.app.hardship.helpers import drive, id_number, make_archive
from tests.ui.hardship_support import wait_list


def _page(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_list(qtbot, page)
    return page


def _list_action(page, title: str):
    return next(a for a in page.file_actions.actions_for_test() if a.text() == f"{title}(按当前查询)…")


def _options_dialog(monkeypatch, answer):
    """The options dialog is answered by ``answer(dialog)`` instead of the user; kept in the list."""
    from ui.dialogs.options_dialog import OptionsDialog

    shown = []

    def fake_exec(self):
        shown.append(self)
        answer(self)
        return self.result()

    monkeypatch.setattr(OptionsDialog, "exec", fake_exec)
    return shown


def _preview_text(qtbot, page) -> str:
    preview = page.file_actions.last_preview
    qtbot.waitUntil(lambda: preview.result is not None or not preview.isVisible(), timeout=30_000)
    assert preview.result is not None, preview.status.text()
    text = re.sub(r"\s+", "", pdf_tools.text(preview.result.path))
    preview.reject()
    return text


def test_publicity_list_captions_and_a_choice_of_period(qtbot, county, ctx_of, errors_shown, monkeypatch):
    from ui.dialogs.ask import Ask
    from ui.pages.hardship.lists import ArchiveListPage

    a = make_archive(county, "a")
    drive(county, a, "center")
    with county.session("clerk") as s:
        workflow.act(s, county.actors["clerk"], a, "publicize",
                     {"publicity_start": "2099-12-28", "publicity_place": "厂务公示栏"})
    b = make_archive(county, "b", name="王五", id_no=id_number("341122", date(1980, 1, 1), 19),
                     members=[], expenses=[], income="600")
    drive(county, b, "publicize")  # an earlier window
    page = _page(qtbot, ArchiveListPage(ctx_of("clerk")))
    dialogs = _options_dialog(monkeypatch, lambda d: d.accept())
    asked = []

    def choose(parent, title, text, items, default=0, action=""):
        asked.append((text, items, default))
        return default

    monkeypatch.setattr(Ask, "choice", classmethod(lambda cls, *a, **k: choose(*a, **k)))
    _list_action(page, "困难职工建档公示名单").trigger()
    assert list(dialogs[0].captions.values()) == [
        "只含该单位", "公示开始日期起", "公示开始日期止", "受理异议的联系电话"]
    text = _preview_text(qtbot, page)
    (question, items, default), = asked
    assert "2 个公示期" in question and "--" not in question
    assert items[0].startswith("2099年12月28日至") and items[0].endswith("(1户)") and default == 0
    assert "张三" in text and "王五" not in text  # the latest period, as offered
    assert page.file_actions.last_preview.request.options == {"from": "2099-12-28", "to": "2099-12-28"}
    assert not errors_shown


def test_signoff_offers_campaigns_and_says_what_is_missing_in_its_own_words(
        qtbot, county, ctx_of, errors_shown, monkeypatch):
    from ui.pages.hardship.relief import ReliefListPage

    archive_id = make_archive(county, "a")
    drive(county, archive_id)
    with county.session("clerk") as s:
        campaign = records.create(s, county.actors["clerk"], "hardship_campaign", {
            "name": "送温暖测试活动", "kind": "spring", "year": str(today().year)}).id
        ledger.record_relief(s, county.actors["clerk"], {
            "paid_on": today().isoformat(), "kind": "warmth", "recipient_kind": "worker",
            "archive_id": archive_id, "cash_fen": "800", "fund_source": "county",
            "campaign_id": campaign}, confirm=True)
    page = _page(qtbot, ReliefListPage(ctx_of("clerk")))
    refusals = []

    def answer(d):
        d.accept()  # nothing chosen: refused, the dialog stays open
        refusals.append((d.result(), d.message.text(), d.message.isHidden()))
        combo = d.edits["campaign"]
        combo.setCurrentIndex(combo.findText("送温暖测试活动"))
        d.accept()

    dialogs = _options_dialog(monkeypatch, answer)
    _list_action(page, "送温暖慰问金(品)发放签收表").trigger()
    d = dialogs[0]
    assert list(d.captions.values()) == ["只含该单位", "慰问活动", "发放批次", "发放日期起", "发放日期止",
                                         "核定慰问金总额(元)"]
    assert isinstance(d.edits["campaign"], QComboBox)
    assert [d.edits["campaign"].itemText(i) for i in range(d.edits["campaign"].count())] == [
        "不限", "送温暖测试活动"]
    (result, message, hidden), = refusals
    assert result != QDialog.DialogCode.Accepted and not hidden
    assert message == "请指定要打印的发放:慰问活动、发放批次、发放日期起或发放日期止至少填一项"
    assert d.result() == QDialog.DialogCode.Accepted and d.values() == {"campaign": "送温暖测试活动"}
    text = _preview_text(qtbot, page)
    assert "送温暖测试活动慰问金(品)发放签收表" in text and "张三" in text
    assert not errors_shown


def test_a_generated_list_prints_a_public_copy_from_its_check_box(qtbot, county, ctx_of, errors_shown,
                                                                   monkeypatch):
    """走访慰问名单 (made from the register's declaration): its options are the register's own and
    a 公开副本 check box; checked, the clerk's copy shows the ID number masked."""
    from PySide6.QtWidgets import QCheckBox

    from app.validation import mask_id_number
    from tests.app.hardship.helpers import HEAD
    from ui.pages.hardship.help_tabs import VisitsTab

    household = make_archive(county, "a")
    drive(county, household)
    with county.session("clerk") as s:
        records.create(s, county.actors["clerk"], "hardship_visit", {
            "visited_on": today().isoformat(), "leader_name": "王主席", "leader_level": "县级",
            "target_kind": "困难职工", "archive_id": household})
    tab = VisitsTab(ctx_of("clerk"))
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    page = tab.visits
    wait_list(qtbot, page)

    def answer(d):
        d.edits["public"].setChecked(True)
        d.accept()

    dialogs = _options_dialog(monkeypatch, answer)
    _list_action(page, "走访慰问名单").trigger()
    d = dialogs[0]
    assert list(d.captions.values()) == ["只含该单位", "走访日期起", "走访日期止", "公开副本(身份证号等只显示部分)"]
    assert isinstance(d.edits["public"], QCheckBox) and d.values()["public"] == "是"
    text = _preview_text(qtbot, page)
    assert "走访慰问名单" in text and "张三" in text
    assert mask_id_number(HEAD) in text and HEAD not in text
    assert not errors_shown
