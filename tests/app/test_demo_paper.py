"""Issue 13 point 9: demo data that looks real on paper — 会员证号 carry the county's own code, and
family members' employment status and income agree."""

from __future__ import annotations

from sqlalchemy import select

from app.models import HardshipArchive, HardshipFamilyMember, Member
from app.services.units import root_unit


def test_card_numbers_carry_the_county_code(db):
    with db.read_session() as s:
        code = root_unit(s).code
        cards = s.scalars(select(Member.card_no).where(Member.deleted.is_(False))).all()
    assert code and len(cards) > 100
    strangers = [c for c in cards if not c.startswith(code)]
    assert not strangers, strangers[:5]  # once the member's birthplace (341221…, 110102…)


def test_family_members_status_and_income_agree(db):
    with db.read_session() as s:
        rows = s.execute(select(HardshipFamilyMember.identity, HardshipFamilyMember.work_status,
                                HardshipFamilyMember.monthly_income_fen)
                         .join(HardshipArchive, HardshipArchive.id == HardshipFamilyMember.archive_id)
                         .where(HardshipFamilyMember.deleted.is_(False))).all()
    assert len(rows) > 10
    for identity, work, income in rows:
        if identity == "1":  # 在职职工: at work
            assert work == "1", (identity, work, income)
        if identity in ("3", "7"):  # 失业人员, 无业人员: out of work, no wage
            assert work == "3" and not income, (identity, work, income)
        if income:  # an income comes from work or a pension
            assert work in ("1", "4"), (identity, work, income)
        if identity in ("4", "5"):  # pupils and small children earn nothing
            assert not income, (identity, work, income)
    assert any(income for *_, income in rows) and any(w == "4" and i for _, w, i in rows)
