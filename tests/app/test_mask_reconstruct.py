"""Issue 13, point 2: a masked export or public copy carries nothing that rebuilds the digits the
mask hides. Tested by reconstructing: the masked ID (address code … last 4) and every date-like
value of the same row are put together, and no row may give back its member's real ID number."""

from __future__ import annotations

import re
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from app.excel.export import export_kind
from app.models import HardshipArchive, Member
from app.validation import mask_id_number

MASKED = re.compile(r"^(\d{6})\*{8}(\d{3}[\dX])$")
DATES = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")


def _birth_digits(value) -> set[str]:
    """Every YYYYMMDD a cell's value spells."""
    if isinstance(value, (date, datetime)):
        return {value.strftime("%Y%m%d")}
    return {f"{y}{int(m):02d}{int(d):02d}" for y, m, d in DATES.findall(str(value or ""))}


def rebuilt(cells: list) -> set[str]:
    """The ID numbers a row's cells give back: each masked ID filled with each date of the row."""
    masks = [m for c in cells if isinstance(c, str) and (m := MASKED.match(c.strip()))]
    dates = set().union(*(_birth_digits(c) for c in cells))
    return {m[1] + d + m[2] for m in masks for d in dates}


def test_a_masked_member_export_does_not_give_back_the_hidden_digits(db, clerk, tmp_path):
    out = tmp_path / "m.xlsx"
    export_kind(db, clerk, "members", out, mask=True)
    with db.read_session() as s:
        real = set(s.scalars(select(Member.id_number).where(Member.deleted.is_(False))))
    rows = list(load_workbook(out).worksheets[0].iter_rows(min_row=3, values_only=True))
    assert rows and all(any(isinstance(c, str) and MASKED.match(c) for c in r) for r in rows)
    assert not set().union(*(rebuilt(list(r)) for r in rows)) & real


def test_a_masked_archive_export_does_not_give_back_heads_or_family_members(db, clerk, tmp_path):
    out = tmp_path / "a.xlsx"
    export_kind(db, clerk, "archives", out, mask=True)
    from app.models import HardshipFamilyMember

    with db.read_session() as s:
        real = set(s.scalars(select(HardshipArchive.id_number))) | set(
            s.scalars(select(HardshipFamilyMember.id_number)))
    wb = load_workbook(out)
    found = set()
    for ws in wb.worksheets:
        for r in ws.iter_rows(min_row=3, values_only=True):
            found |= rebuilt(list(r))
    assert not found & real


def test_a_public_copy_of_a_generated_list_does_not_give_back_the_hidden_digits(db, clerk, tmp_path):
    from app.kit.register import register
    from app.printing.document import render_pdf
    from app.printing.record_list import list_form
    from app.printing.registry import PrintContext
    from app.services.records import codebook
    from tests.app import pdf_tools

    fd = list_form(register("member"))  # members print the 花名册; the generated list still builds
    with db.read_session() as s:
        ctx = PrintContext(s, clerk, codebook(s), "示例县总工会", reveal=False, printed_on=date.today())
        doc = fd.build(ctx, {"public": True})
        real = set(s.scalars(select(Member.id_number).where(Member.deleted.is_(False))))
    out = tmp_path / "list.pdf"
    render_pdf([doc], out, title=fd.title)
    text = pdf_tools.text(out)
    lines = text.splitlines()
    found = set()
    for i, line in enumerate(lines):  # a row's cells may be set on neighbouring text lines
        cells = re.split(r"\s{2,}", " ".join(lines[max(0, i - 1):i + 2]))
        found |= rebuilt(cells + [w for c in cells for w in c.split()])
    assert any(mask_id_number(n) in text for n in real)
    assert not found & real
