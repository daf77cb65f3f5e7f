"""A clerk's trial of the archive form's looks: a help note sits right under its own value (not
above the next row, where it read as that row's label); a yes/no shown read-only is a box, not
“否”; every field a reviewer cannot change looks read-only alike; a new record's chain strip shows
nothing done."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from app.models import HardshipArchive
from tests.app.hardship.helpers import make_archive


def test_a_help_note_sits_under_its_own_value_and_a_yes_no_is_a_box(qtbot, county, ctx_of, answer):
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    answer(unsaved="discard")
    form = ArchiveFormDialog(ctx_of("clerk"))
    qtbot.addWidget(form)
    form.show()
    cell = form.cells["archive_no"]
    assert cell.note is not None and "编号" in cell.note.text()
    layout = cell.layout()
    assert layout.indexOf(cell.note) == layout.indexOf(cell.editor) + 1  # before the error line
    assert cell.note.geometry().top() - cell.editor.geometry().bottom() <= 4
    overridden = form.cells["category_overridden"].editor
    assert isinstance(overridden.input, QCheckBox) and not overridden.input.isEnabled()
    assert not overridden.input.isChecked()


def test_a_new_records_strip_shows_nothing_done(qtbot, county, ctx_of, answer):
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    answer(unsaved="discard")
    form = ArchiveFormDialog(ctx_of("clerk"))
    qtbot.addWidget(form)
    strip = form.strip
    assert strip.done_upto == -1 and strip.pending == 0  # 草稿: being filled in
    assert all(step.toolTip() != "已办理" for step in strip.steps)
    from ui.theme import COLORS

    assert all(COLORS["ok"] not in step.styleSheet() for step in strip.steps)  # nothing green


def test_what_a_reviewer_cannot_change_looks_read_only_alike(qtbot, county, ctx_of):
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    archive_id = make_archive(county, "a")
    with county.session("clerk") as s:
        s.get(HardshipArchive, archive_id).status = "township_ok"
    form = ArchiveFormDialog(ctx_of("reviewer"), archive_id)
    qtbot.addWidget(form)
    assert not form.editable
    looks = {key: cell.editor.input.property("look") for key, cell in form.cells.items()
             if cell.editor.input is not None and not isinstance(cell.editor.input, QCheckBox)}
    assert looks and all(look == "readonly" for look in looks.values()), \
        {k: v for k, v in looks.items() if v != "readonly"}

    clerk_form = ArchiveFormDialog(ctx_of("clerk"))  # a new one: what may be filled looks so
    qtbot.addWidget(clerk_form)
    assert clerk_form.cells["union_id"].editor.input.property("look") == "editable"
    assert clerk_form.cells["archive_no"].editor.input.property("look") == "readonly"
