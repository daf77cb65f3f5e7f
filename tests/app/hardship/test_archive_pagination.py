"""Issue 13 point 5: the 困难职工档案表 (F1) stays two pages for households of up to 8 (the family
rows adapt; a 9th person goes to a 续表 page), its opinions never stand alone on a page apart from
the data they approve, every opinion cell leaves at least 4.5 cm × 4.5 cm for a round stamp, and a
label never wraps with one character alone on its line."""

from __future__ import annotations

from datetime import date

import pytest
from reportlab.lib.units import mm

from app.printing.document import render_pdf
from app.printing.grid import no_orphan
from app.printing.registry import PrintRequest
from app.printing.service import build_docs, print_form
from tests.app import pdf_tools
from tests.app.hardship.helpers import drive, id_number, make_archive, member_values

RELATIONS = ["10", "20", "20", "30", "30", "20", "20", "20", "20"]


def household(county, n: int) -> str:
    """An approved archive of ``n`` people (the head and n − 1 family members)."""
    members = [member_values(f"成员{chr(0x4e00 + i)}", RELATIONS[i],
                             id_number("341122", date(1950 + 5 * i, 1, 1 + n), 40 + i), "300")
               for i in range(n - 1)]
    a = make_archive(county, id_no=id_number("341122", date(1970, 1, 1), 10 + n), members=members)
    drive(county, a)
    return a


@pytest.mark.parametrize("people", [3, 5, 8])
def test_households_up_to_8_print_on_two_pages_with_the_opinions_beside_their_data(county, tmp_path, people):
    a = household(county, people)
    out = tmp_path / "f1.pdf"
    r = print_form(county.db, county.actors["clerk"], "archive_form", PrintRequest(ids=[a]), out)
    assert r.pages == pdf_tools.pages(out) == 2
    page2 = pdf_tools.text(out).split("\f")[1].replace(" ", "")
    assert f"成员{chr(0x4e00 + people - 2)}" in page2  # the last family member
    assert "基层工会或办事处意见" in page2 and "建档人" in page2 and "备注" in page2


def test_a_household_of_9_gets_a_continuation_page(county, tmp_path):
    a = household(county, 9)
    out = tmp_path / "f1.pdf"
    print_form(county.db, county.actors["clerk"], "archive_form", PrintRequest(ids=[a]), out)
    pages = [p.replace(" ", "") for p in pdf_tools.text(out).split("\f")[:pdf_tools.pages(out)]]
    assert len(pages) == 3 and "档案表(续表)" in pages[2] and "成员万" not in pages[1]
    assert "成员万" in pages[2] and "系统工会意见" in pages[1]  # the opinions stay with the data


def test_every_opinion_cell_keeps_a_45mm_square_free_for_the_stamp(county, tmp_path):
    a = household(county, 8)
    for form in ("archive_form", "aid_application"):
        _, docs, _ = build_docs(county.db, county.actors["clerk"], form, PrintRequest(ids=[a]))
        ops: list = []
        render_pdf(docs, tmp_path / f"{form}.pdf", title="t", recorder=ops)
        cells = 0
        for i, op in enumerate(ops):
            if op[0] != "rect":
                continue
            _, x, y, w, h = op[:5]
            content = []
            for nxt in ops[i + 1:]:
                if nxt[0] == "rect":
                    break
                content.append(nxt)
            signer = [t for t in content if t[0] == "text" and str(t[5]).endswith("签字:")]
            if not signer or "申请人" in signer[0][5]:
                continue
            cells += 1
            sy = signer[0][4]
            body = [t for t in content if t[0] == "text" and t[4] > sy + 2 * t[2]]
            under_text = (min(t[4] - 0.3 * t[2] for t in body) if body else y + h) - y
            assert w >= 45 * mm and under_text >= 45 * mm, (form, body, under_text / mm, w / mm)
        assert cells >= 3, form


def test_a_label_never_leaves_one_character_alone():
    assert no_orphan(["所属基层工", "会"]) == ["所属基层", "工会"]
    assert no_orphan(["家庭住址"]) == ["家庭住址"]


def test_f2_wraps_its_labels_without_a_lone_character(county, tmp_path):
    a = household(county, 3)
    out = tmp_path / "f2.pdf"
    print_form(county.db, county.actors["clerk"], "aid_application", PrintRequest(ids=[a]), out)
    lines = [ln.strip() for ln in pdf_tools.text(out).splitlines()]
    assert "所属基层工" not in lines  # was "所属基层工" / "会"
