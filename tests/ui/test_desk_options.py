"""Issue 12, point 6: options are picked, not typed. The export dialog offers the unit as the tree
of unions, a status as a list of its values and dates on date lines, starting from the list's
filters and the unit chosen in the tree; an export is masked unless the clerk ticks 不脱敏 (offered
only to a role that may reveal), and that choice is audited under its own Chinese-named action."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QComboBox
from sqlalchemy import select

from app.models import AuditEntry, Member, Unit
from app.security.audit_labels import action_label
from ui.widgets.date_field import DateLine
from ui.widgets.unit_picker import UnitPicker


def _member_list(qtbot, ctx):
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.list_page import ListPage

    page = ListPage(ctx, MEMBER_BINDING)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=10_000)
    return page


def _a_union_with_members(db):
    with db.read_session() as s:
        union_id = s.scalar(select(Member.union_id).where(Member.deleted.is_(False)).limit(1))
        return union_id, s.get(Unit, union_id).name


def _answer(monkeypatch, qtbot, answer, out):
    """The export dialog is answered by ``answer(dialog)`` once its unit tree is there; the file
    dialog by ``out``."""
    from ui.dialogs.files import Files
    from ui.dialogs.options_dialog import OptionsDialog

    shown = []

    def fake_exec(self):
        shown.append(self)
        picker = self.edits.get("union")
        if isinstance(picker, UnitPicker):
            qtbot.waitUntil(lambda: picker.is_loaded, timeout=10_000)
        answer(self)
        return True

    monkeypatch.setattr(OptionsDialog, "exec", fake_exec)
    monkeypatch.setattr(Files, "save_path", classmethod(lambda cls, *a, **k: out))
    return shown


def _exports(db):
    with db.read_session() as s:
        return [(e.action, json.loads(e.detail)) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action.like("export%")).order_by(AuditEntry.seq))]


def test_export_offers_picks_starting_from_the_list_and_masks_unless_revealed(
        qtbot, db, clerk_ctx, monkeypatch, tmp_path):
    union_id, union_name = _a_union_with_members(db)
    page = _member_list(qtbot, clerk_ctx)
    page.filters.set_values({"status": "1"})  # 正常, chosen in the list's filter bar
    page.set_scope({}, union_name, options={"union": union_id}, unit=union_id)  # the tree's node
    qtbot.waitUntil(lambda: not page.model.loading, timeout=10_000)
    seen = {}

    def look_then_export_masked(d):
        union, status = d.edits["union"], d.edits["status"]
        seen.update(union=(type(union), union.value(), union.text()),
                    status=(type(status), status.currentData(),
                            [status.itemText(i) for i in range(status.count())]),
                    dates=[type(d.edits[k]) for k in ("from", "to")],
                    reveal=(d.reveal.isVisibleTo(d), d.reveal.isChecked(), d.reveal.text()),
                    masked=d.masked())

    _answer(monkeypatch, qtbot, look_then_export_masked, tmp_path / "masked.xlsx")
    page.file_actions.export_excel("members")
    qtbot.waitUntil(lambda: hasattr(page.file_actions, "last_export"), timeout=30_000)
    assert seen["union"] == (UnitPicker, union_id, union_name)
    status_type, status_value, status_items = seen["status"]
    assert status_type is QComboBox and status_value == "1"
    assert status_items[:3] == ["不限", "正常", "转出"]
    assert seen["dates"] == [DateLine, DateLine]
    visible, ticked, text = seen["reveal"]
    assert visible and not ticked and text.startswith("不脱敏")
    assert seen["masked"] is True
    assert page.file_actions.last_export.masked  # nothing ticked: the copy is masked
    (action, detail), = _exports(db)
    assert action == "export" and detail["masked"] is True
    assert detail["options"] == {"union": union_id, "status": "1"}

    del page.file_actions.last_export

    def reveal(d):
        d.reveal.setChecked(True)

    _answer(monkeypatch, qtbot, reveal, tmp_path / "full.xlsx")
    page.file_actions.export_excel("members")
    qtbot.waitUntil(lambda: hasattr(page.file_actions, "last_export"), timeout=30_000)
    assert not page.file_actions.last_export.masked
    action, detail = _exports(db)[-1]
    assert action == "export_unmasked" and detail["masked"] is False
    assert action_label(action) == "导出(不脱敏)"


def test_the_tree_picker_changes_the_unit_and_its_root_means_any(qtbot, db, clerk_ctx, monkeypatch, tmp_path):
    union_id, union_name = _a_union_with_members(db)
    page = _member_list(qtbot, clerk_ctx)
    picked = {}

    def pick(d):
        picker = d.edits["union"]
        picked["start"] = picker.value()  # no node chosen in the list: 不限
        picker.choose(union_id)
        picked["chosen"] = (picker.value(), picker.text())
        d.edits["status"].setCurrentIndex(d.edits["status"].findText("保留会籍"))

    _answer(monkeypatch, qtbot, pick, tmp_path / "a.xlsx")
    page.file_actions.export_excel("members")
    qtbot.waitUntil(lambda: hasattr(page.file_actions, "last_export"), timeout=30_000)
    assert picked == {"start": "", "chosen": (union_id, union_name)}
    _action, detail = _exports(db)[-1]
    assert detail["options"] == {"union": union_id, "status": "3"}


def test_a_role_that_may_not_reveal_is_not_offered_unmasked(qtbot, db, clerk_ctx, monkeypatch, tmp_path):
    import ui.widgets.file_actions as file_actions

    monkeypatch.setattr(file_actions, "may_reveal", lambda actor: False)
    page = _member_list(qtbot, clerk_ctx)
    offered = {}

    def try_to_reveal(d):
        offered["visible"] = d.reveal.isVisibleTo(d)
        d.reveal.setChecked(True)  # even ticked behind the scenes, it cannot unmask
        offered["masked"] = d.masked()

    _answer(monkeypatch, qtbot, try_to_reveal, tmp_path / "m.xlsx")
    page.file_actions.export_excel("members")
    qtbot.waitUntil(lambda: hasattr(page.file_actions, "last_export"), timeout=30_000)
    assert offered == {"visible": False, "masked": True}
    assert page.file_actions.last_export.masked
