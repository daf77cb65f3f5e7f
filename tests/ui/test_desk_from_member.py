"""Issue 12, point 3 (second half): starting an archive (or any record about a person) from a
member fills in what the member register knows — in the new archive's form (从会员带入…, the
lookup showing numbers masked) and from the member list (从会员新建档案)."""

from types import SimpleNamespace

from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from app.models import AuditEntry, HardshipArchive, Member


def _member(db):
    with db.read_session() as s:
        taken = select(HardshipArchive.id_number)
        m = s.scalars(select(Member).where(Member.deleted.is_(False), Member.phone.like("1%"),
                                           Member.status == "1", Member.id_number.notin_(taken))
                      .limit(1)).first()
        return SimpleNamespace(id=m.id, name=m.name, id_number=m.id_number, phone=m.phone,
                               union_id=m.union_id, gender=m.gender, birth_date=m.birth_date)


def _reveals(db, member_id):
    with db.read_session() as s:
        return s.scalars(select(AuditEntry.summary).where(
            AuditEntry.action == "reveal", AuditEntry.object_id == member_id)).all()


def test_the_new_archive_form_takes_the_member_picked_in_its_lookup(qtbot, db, clerk_ctx, answer,
                                                                     monkeypatch):
    from ui.pages.hardship.archive_form import ArchiveFormDialog
    from ui.widgets import member_picker

    answer(unsaved="discard")
    m = _member(db)
    form = ArchiveFormDialog(clerk_ctx)
    qtbot.addWidget(form)
    assert form.member_button is not None and form.member_button.text() == "从会员带入…"

    shown = {}

    def pick(self):  # the clerk types the phone's tail and picks the member
        self.search.setText(m.phone[-4:])
        self.find()
        row = next(r for r, c in enumerate(self.choices) if c.id == m.id)
        shown["cells"] = [self.table.item(row, c).text() for c in range(self.table.columnCount())]
        self.table.selectRow(row)
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(member_picker.MemberPickerDialog, "exec", pick)
    assert form.pick_member()
    name, id_shown, phone_shown = shown["cells"][:3]
    assert name == m.name and "*" in id_shown and "*" in phone_shown  # the lookup stays masked
    assert m.id_number not in id_shown and m.phone not in phone_shown

    cells = form.cells
    assert cells["name"].editor.raw() == m.name
    assert cells["union_id"].editor.raw() == m.union_id
    assert cells["employer"].editor.raw()
    assert cells["gender"].editor.raw() == m.gender  # derived from the ID, as when typed
    assert str(cells["birth_date"].editor.raw()) == m.birth_date.isoformat()
    id_editor = cells["id_number"].editor  # filled in, shown masked until 显示 (logged)
    assert id_editor.inner.isHidden() and not id_editor.masked.isHidden()
    assert "*" in id_editor.masked.text() and m.id_number not in id_editor.masked.text()
    assert any("带入" in t for t in _reveals(db, m.id))

    form.accept()  # a draft: what the register knew is saved
    assert form.saved_id and form.record_id == form.saved_id  # saved; the form stays on it
    with db.read_session() as s:
        a = s.get(HardshipArchive, form.saved_id)
        assert (a.name, a.id_number, a.phone, a.union_id, a.member_id) == (
            m.name, m.id_number, m.phone, m.union_id, m.id)


def test_the_member_list_starts_an_archive_for_the_chosen_member(qtbot, db, clerk_ctx, answer,
                                                                  monkeypatch):
    from ui.pages.organisation import MemberList

    answer(unsaved="discard")
    m = _member(db)
    page = MemberList(clerk_ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    page.search.setText(m.id_number)
    page.search.commit()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.row_of(m.id) >= 0, timeout=10_000)
    page.select_record(m.id)
    action = page.member_start_actions["hardship_archive"]
    assert action.text() == "从会员新建档案"
    opened = []
    monkeypatch.setattr(page, "_exec", lambda dialog: opened.append(dialog) or False)
    action.trigger()
    (form,) = opened
    qtbot.addWidget(form)
    assert form.record_id is None and form.cells["name"].editor.raw() == m.name
    assert form.cells["id_number"].editor.raw() == m.id_number  # saved as it is, shown masked
    assert form.origins["id_number"] == ("member", m.id, "id_number")


def test_a_member_lookup_in_the_legal_aid_form_too(qtbot, db, clerk_ctx, answer):
    from ui.widgets.member_picker import start_from_member

    answer(unsaved="discard")
    m = _member(db)
    form = start_from_member(clerk_ctx, "rights_aid_case", m.id)
    qtbot.addWidget(form)
    assert form.member_button is not None
    assert form.cells["applicant_name"].editor.raw() == m.name
