"""Issue 12, point 3: a record about a person started from a member takes what the member
register knows; the full ID and phone numbers it hands over are logged like any reveal."""

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied
from app.models import AuditEntry, Member
from app.services import member_prefill


def _member(db):
    from types import SimpleNamespace

    with db.read_session() as s:
        m = s.scalars(select(Member).where(Member.deleted.is_(False), Member.phone.is_not(None),
                                           Member.status == "1").limit(1)).first()
        return SimpleNamespace(id=m.id, name=m.name, id_number=m.id_number, phone=m.phone,
                               union_id=m.union_id)


def test_an_archive_takes_what_the_member_register_knows_and_the_reveal_is_logged(db, actors):
    m = _member(db)
    with db.session(actors["clerk"]) as s:
        got = member_prefill.prefill(s, actors["clerk"], "hardship_archive", m.id)
    assert {k: got.values[k] for k in ("name", "id_number", "phone", "union_id")} == \
        {"name": m.name, "id_number": m.id_number, "phone": m.phone, "union_id": m.union_id}
    assert got.values["employer"]  # the member's union's enterprise
    assert got.origins == {"id_number": ("member", m.id, "id_number"), "phone": ("member", m.id, "phone")}
    with db.read_session() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
        assert (entry.action, entry.object_type, entry.object_id) == ("reveal", "members", m.id)
        assert "身份证号" in entry.summary and "困难职工档案" in entry.summary


def test_every_person_register_may_declare_it(db, actors):
    m = _member(db)
    assert {k for k, _ in member_prefill.person_registers(actors["clerk"])} >= {
        "hardship_archive", "rights_aid_case", "rights_consultation"}
    with db.session(actors["clerk"]) as s:
        aid = member_prefill.prefill(s, actors["clerk"], "rights_aid_case", m.id)
    assert (aid.values["applicant_name"], aid.values["id_number"]) == (m.name, m.id_number)


def test_the_lookup_keeps_numbers_masked_and_a_reader_may_not_start_a_record(db, actors):
    m = _member(db)
    with db.read_session() as s:
        found = member_prefill.find_members(s, actors["clerk"], m.phone[-4:])
    mine = next(c for c in found if c.id == m.id)
    assert "*" in mine.id_number and mine.id_number != m.id_number
    assert "*" in mine.phone and mine.phone != m.phone
    with db.session(actors["readonly"]) as s, pytest.raises(PermissionDenied):
        member_prefill.prefill(s, actors["readonly"], "hardship_archive", m.id)


def test_without_reveal_the_numbers_are_left_to_type(db, actors, monkeypatch):
    from app.security.roles import Perm

    m = _member(db)
    clerk = actors["clerk"]
    monkeypatch.setattr(type(clerk), "can", lambda self, p: p != Perm.REVEAL)
    with db.session(clerk) as s:
        got = member_prefill.prefill(s, clerk, "hardship_archive", m.id)
    assert "id_number" not in got.values and "phone" not in got.values
    assert set(got.withheld) == {"身份证号", "手机号码"} and got.values["name"] == m.name
