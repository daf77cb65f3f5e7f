"""基层组织建设's own tabs, one widget per test on a copy of the template database: a union's page
(its facts, 建会 chain, elections and 会籍 changes), a member's form with its 会籍 history and the
buttons that record a change, a founding's form with its chain strip, and the 文号 tab."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Member
from app.models.organisation import UnionFounding
from app.services import records
from app.services.organisation import documents, membership
from tests.ui.hardship_support import answer_dialogs, wait_list  # noqa: F401 - a fixture


class Founded:
    def __init__(self, f):
        self.id, self.union_id, self.union_name, self.parent_id = f.id, f.union_id, f.union_name, f.parent_id


def _founded(db) -> Founded:
    """A founding of the demo whose union is founded and awaits its 女职工委员会."""
    with db.read_session() as s:
        return Founded(s.scalar(select(UnionFounding).where(UnionFounding.status == "founded").limit(1)))


def test_a_union_s_page_shows_its_chain_elections_and_changes(qtbot, db, clerk_ctx):
    from ui.pages.organisation.unions import UnionsTab

    founded = _founded(db)
    tab = UnionsTab(clerk_ctx)
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    qtbot.waitUntil(lambda: tab.tree.is_loaded, timeout=15_000)
    tab.tree.select(founded.union_id)
    panel = tab.panel
    assert panel.unit_id == founded.union_id
    assert panel.title.text().startswith(founded.union_name)
    assert panel.facts["工会主席"].text() == "王建国" and "第1届" in panel.facts["本届委员会"].text()
    assert not panel.founding_box.isHidden() and "批复选举结果" in panel.steps.text()
    assert panel.strip.status == "founded" and set(panel.strip.buttons) == {"women"}  # the next step
    assert panel.elections.rowCount() == 1
    tab.tree.select(founded.parent_id)  # a township: its subtree's members and unions, no founding
    assert panel.founding_box.isHidden() and "在册" in panel.facts["会员"].text()
    assert panel.events.rowCount() > 0


def test_a_member_s_form_shows_its_history_and_records_a_change(qtbot, db, clerk_ctx, answer_dialogs):  # noqa: F811
    from ui.pages.organisation import MembersTab

    with db.read_session() as s:
        mid = s.scalar(select(Member.id).where(Member.status == "1").order_by(Member.id).limit(1))
    tab = MembersTab(clerk_ctx)
    qtbot.addWidget(tab)
    form = tab.list.make_form(mid)
    qtbot.addWidget(form)
    assert form.tabs.tabText(1) == "会籍记录"
    panel = form.membership
    assert panel.table.item(0, 1).text() == "入会"
    assert "会籍" in form.cells["union_id"].editor.toolTip()  # not typed: it follows the events
    answer_dialogs.update({"kind": "保留会籍", "event_date": "2026-01-05", "reason": "退休"})
    panel.record_event()
    assert panel.table.item(panel.table.rowCount() - 1, 1).text() == "保留会籍"
    assert form.cells["status"].editor.raw() in ("3", "保留会籍")  # the form follows the event
    with db.read_session() as s:
        assert s.get(Member, mid).status == "3"
    assert panel.buttons["undo"].isEnabled()


def test_the_event_dialog_shows_the_rule_s_message_beside_the_field(qtbot, db, clerk_ctx, answer_dialogs):  # noqa: F811
    from ui.pages.organisation import MembersTab

    with db.read_session() as s:
        mid = s.scalar(select(Member.id).where(Member.status == "1").order_by(Member.id).limit(1))
    tab = MembersTab(clerk_ctx)
    qtbot.addWidget(tab)
    form = tab.list.make_form(mid)
    qtbot.addWidget(form)
    answer_dialogs.update({"kind": "转出", "event_date": "2026-01-05"})
    dialog = form.membership.record_event()
    assert not dialog.result()
    assert dialog.errors["to_union_id"].text() == "请填写转往的基层工会(本县)或转往县(区)和单位"
    with db.read_session() as s:
        assert [e.kind for e in membership.events_of(s, mid)][-1] != "transfer_out"


def test_a_founding_form_runs_its_chain(qtbot, db, clerk_ctx, answer_dialogs):  # noqa: F811
    from ui.pages.organisation.founding import FoundingForm

    founded = _founded(db)
    form = FoundingForm(clerk_ctx, founded.id)
    qtbot.addWidget(form)
    assert [s.text() for s in form.strip.steps][:2] == ["请示", "批复"]
    assert list(form.strip.buttons) == ["women"] and form.steps_panel.steps.rowCount() == 6
    answer_dialogs.update({"women_committee": "李红梅、赵敏", "acted_on": "2026-12-01"})
    assert form.strip.run(form.strip.actions[0])
    assert form.strip.status == "women" and list(form.strip.buttons) == ["register"]
    assert form.cells["women_committee"].editor.raw() == "李红梅、赵敏"


def test_the_documents_tab_numbers_on_this_pc(qtbot, db, clerk_ctx, monkeypatch):
    from ui.pages.organisation.documents import DocumentsTab

    with db.session(clerk_ctx.actor) as s:
        series = s.scalar(select(documents.DocSeries.id).where(documents.DocSeries.code.like("%工")))
        doc = records.create(s, clerk_ctx.actor, documents.REGISTER, {
            "series_id": series, "doc_kind": "02", "title": "关于开展职工书屋建设的通知",
            "signed_on": "2026-12-01"})
    tab = DocumentsTab(clerk_ctx)
    qtbot.addWidget(tab)
    page = tab.documents
    page.show()
    wait_list(qtbot, page)
    page.apply_filters({}, search="职工书屋建设")
    wait_list(qtbot, page)
    assert page.select_record(doc.id) and page.number_action.isEnabled()
    page.number()
    with db.read_session() as s:
        numbered = s.get(documents.Document, doc.id).doc_no
    assert numbered and numbered.endswith("号")
