"""Issue 13 point 6: every printed form's 编号 is an office number — county code, form kind, year
and a serial (341122-困档-2026-0012) — given when the record reaches its numbered step or is first
printed, the same on every reprint, never given again, and safe when two PCs of one county number
at once (the clash is queued at exchange and renumbered, as 档案编号 are)."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models import SyncConflict, Unit
from app.models.form_numbers import FormNumber
from app.printing.registry import PrintRequest
from app.printing.service import build_docs, print_form
from app.services import form_numbers
from app.sync import service
from tests.app import pdf_tools

OFFICE = re.compile(r"^341122-[\u4e00-\u9fff]{2,4}-\d{4}-\d{4}$")


def _number(db, actor, form, **request) -> str:
    _, docs, _ = build_docs(db, actor, form, PrintRequest(**request))
    return docs[0].number


def _units(db, n=2) -> list[str]:
    with db.read_session() as s:
        return list(s.scalars(select(Unit.id).where(Unit.deleted.is_(False), Unit.kind != "county")
                              .order_by(Unit.code, Unit.id).limit(n)))


def test_the_format_is_one_for_every_kind():
    assert form_numbers.format_number("341122", "困档", 2026, 12) == "341122-困档-2026-0012"
    assert form_numbers.format_number("341122", "签收", 2026, 12345) == "341122-签收-2026-12345"


def test_a_form_keeps_its_number_the_next_record_gets_the_next_and_the_paper_number_finds_it(
        db, clerk, tmp_path):
    u1, u2 = _units(db)
    first = _number(db, clerk, "unit_card", ids=[u1])
    assert OFFICE.match(first), first  # not a slice of the record id any more
    assert first.endswith("-0001") and "-单位-" in first
    assert _number(db, clerk, "unit_card", ids=[u1]) == first  # reprinted: the same number
    second = _number(db, clerk, "unit_card", ids=[u2])
    assert second == first[:-4] + "0002"
    out = tmp_path / "again.pdf"
    print_form(db, clerk, "unit_card", PrintRequest(ids=[second]), out)  # typed off the paper
    assert f"编号:{second}" in pdf_tools.squeezed(out)


def test_a_voided_number_is_never_given_again(db, clerk):
    u1, u2 = _units(db)
    number = _number(db, clerk, "unit_card", ids=[u1])
    with db.session(clerk) as s:
        old, new = form_numbers.reissue(s, "单位", u1, int(number.split("-")[2]))
    assert old == number and new == number[:-4] + "0002"
    assert _number(db, clerk, "unit_card", ids=[u2]) == number[:-4] + "0003"


def test_every_list_and_card_prints_an_office_number(db, clerk, tmp_path):
    out = tmp_path / "roster.pdf"
    print_form(db, clerk, "member_roster", PrintRequest(options={}), out)
    found = re.search(r"编号:(\S+?)(共|$)", pdf_tools.squeezed(out).split("会员花名册", 1)[1])
    assert found and OFFICE.match(found[1].split("姓名")[0][:19]), found
    assert "HMC-" not in pdf_tools.squeezed(out)


def test_two_pcs_numbering_alike_are_queued_and_renumbered(net):
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    u1, u2 = _units(a1.db)
    n1 = _number(a1.db, a1.clerk, "unit_card", ids=[u1])
    n2 = _number(a2.db, a2.clerk, "unit_card", ids=[u2])
    assert n1 == n2  # each PC gave the first serial of the year to a different form
    assert a2.recv(a1.send(a2)).count("conflicts") == 1
    clash = next(c for c in service.conflicts(a2.db, a2.clerk) if c.table == "form_numbers")
    assert (clash.kind_label, clash.title) == ("表格编号重复", "打印表格编号")
    old, new = service.resolve_number(a2.db, a2.clerk, clash.id, "renumber_existing")
    assert old == n2 and new == n2[:-4] + "0002"
    assert _number(a2.db, a2.clerk, "unit_card", ids=[u2]) == new  # the paper is printed again
    a1.recv(a2.send(a1))  # the new number travels: nothing clashes any more
    with a1.db.read_session() as s:
        assert not s.scalars(select(SyncConflict).where(SyncConflict.kind == "number",
                                                        SyncConflict.status == "open")).all()
        assert s.scalar(select(FormNumber.number).where(FormNumber.subject == u2,
                                                        FormNumber.deleted.is_(False))) == new
