"""Issue 12, point 5: the step bar always marks the pending step the same way — the step the
record waits for (the one "待 … 审核" names) is highlighted, the steps taken are green, for
every chain (困难职工档案, 工单, 建会)."""

import pytest

HARDSHIP = {"draft": "申请", "returned": "申请", "applied": "基层初审", "grassroots_ok": "乡镇复审",
            "township_ok": "帮扶中心审核", "center_ok": "公示", "publicizing": "公示",
            "publicized": "党组审批", "archived": None, "exited": None, "cancelled": None}
TICKET = {"registered": "受理", "accepted": "办结", "transferred": "办结", "done": "回访",
          "visited": "归档", "rejected": "归档", "archived": None}
FOUNDING = {"draft": "请示", "returned": "请示", "applied": "批复", "approved": "筹备组",
            "preparing": "发展会员", "recruited": "会员大会", "elected": "选举结果批复",
            "founded": "女职工委员会", "women": "法人登记", "registered": None}


def highlighted(strip) -> list[str]:
    return [s.text() for s in strip.steps if "bold" in s.styleSheet()]


def green(strip) -> list[str]:
    from ui.theme import COLORS

    return [s.text() for s in strip.steps if COLORS["ok"] in s.styleSheet()]


def _view(kind):
    if kind == "hardship":
        from ui.pages.hardship.workflow_strip import VIEW
    elif kind == "ticket":
        from ui.pages.rights.tickets import VIEW
    else:
        from ui.pages.organisation.founding import VIEW
    return VIEW


@pytest.mark.parametrize("kind, expected", [("hardship", HARDSHIP), ("ticket", TICKET),
                                            ("founding", FOUNDING)])
def test_every_chain_highlights_the_step_the_record_waits_for(qtbot, clerk_ctx, kind, expected):
    from ui.kit.chain_strip import ChainStrip

    view = _view(kind)
    strip = ChainStrip(clerk_ctx, view)
    qtbot.addWidget(strip)
    for status, pending in expected.items():
        strip.load(None, status, new=False)  # the marks of a stored record in each status
        assert highlighted(strip) == ([pending] if pending else []), status
        labels = list(view.labels)
        if pending:  # the steps before the pending one that were taken are green, none after
            assert all(labels.index(t) < labels.index(pending) for t in green(strip)), status
        else:  # at rest: every step up to where it rests is done
            assert green(strip) and labels.index(green(strip)[-1]) == view.position(status) \
                or kind == "founding", status


def test_the_highlighted_step_is_the_one_the_waiting_text_names(qtbot, db, clerk_ctx, answer):
    """An archive in 乡镇复审通过 waits for 帮扶中心审核: the strip highlights that step (it
    highlighted 乡镇复审 before), 乡镇复审 is green, and the text under the strip names it."""
    from sqlalchemy import select

    from app.models import HardshipArchive
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    answer(unsaved="discard")
    for status, pending in HARDSHIP.items():
        with db.read_session() as s:
            record_id = s.scalar(select(HardshipArchive.id).where(
                HardshipArchive.status == status, HardshipArchive.deleted.is_(False)).limit(1))
        if record_id is None:
            continue
        form = ArchiveFormDialog(clerk_ctx, record_id)
        qtbot.addWidget(form)
        assert highlighted(form.strip) == ([pending] if pending else []), status
        if pending:
            step = form.strip.next_label.text().split("(")[0].split(" ")[-1]  # 待 县 审核人 帮扶中心审核
            assert pending in step or step.endswith(pending[-2:]), (status, step)
        if status == "township_ok":
            assert "乡镇复审" in green(form.strip)
        form.close()


def test_a_founding_says_whose_step_it_is_in_its_form_and_its_list(qtbot, db, actors, clerk_ctx, answer):
    from sqlalchemy import select

    from app.models.organisation import UnionFounding
    from ui.pages.organisation.founding import BINDING, FoundingForm

    answer(unsaved="discard")
    with db.read_session() as s:
        fid = s.scalar(select(UnionFounding.id).where(UnionFounding.deleted.is_(False),
                                                      UnionFounding.status != "registered").limit(1))
    if fid is None:
        pytest.skip("the demo has no founding under way")
    form = FoundingForm(clerk_ctx, fid)
    qtbot.addWidget(form)
    text = form.strip.next_label.text()
    assert text.startswith("待 ") and "(自 " in text, text
    assert BINDING.waiting is not None
    with db.read_session() as s:
        assert BINDING.waiting(s, actors["clerk"], fid) == text.split(";")[0]

    from ui.widgets.list_page import ListPage

    page = ListPage(clerk_ctx, BINDING)  # the list's status tag says it too
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.row_of(fid) >= 0, timeout=10_000)
    status = [c.key for c in page.model.columns].index("status")
    tip = page.view.cell_tooltip(page.model.index(page.model.row_of(fid), status))
    assert tip.endswith(text.split(";")[0])
