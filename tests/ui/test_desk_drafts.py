"""Issue 12, point 3 (first half): a 草稿 keeps only what is known — the union, 姓名 and 身份证号 —
and every required field is asked for when the archive is submitted."""

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.models import HardshipArchive, Unit
from tests.app.syncnet import id_number


def test_a_draft_saves_with_only_what_is_known_and_submitting_names_the_rest(qtbot, db, clerk_ctx,
                                                                             answer):
    from app.services.hardship import workflow
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    answer(unsaved="discard")
    with db.read_session() as s:
        union_id = s.scalars(select(Unit.id).where(Unit.kind == "grassroots")).first()
    form = ArchiveFormDialog(clerk_ctx)
    qtbot.addWidget(form)
    form.cells["union_id"].editor.set_stored(union_id)
    form.cells["name"].editor.line.setText("陈草稿")
    form.cells["id_number"].editor.line.setText(id_number("341122", date(1980, 5, 6), 17))
    form.cells["phone"].editor.left.emit()  # left empty: no 必填 while it is a draft
    assert form.cells["phone"].error.text() == ""
    form.accept()
    assert form.saved_id and form.record_id == form.saved_id  # saved; the form stays on it
    with db.read_session() as s:
        archive = s.get(HardshipArchive, form.saved_id)
        assert (archive.status, archive.name, archive.phone, archive.political_status) == (
            "draft", "陈草稿", None, None)
    with pytest.raises(ValidationFailed) as refused, clerk_ctx.write() as s:
        workflow.act(s, clerk_ctx.actor, form.saved_id, "submit", {"acted_on": date.today()})
    message = next(iter(refused.value.errors.values()))
    assert message.startswith("提交前请补全:") and "政治面貌" in message and "手机号码" in message
