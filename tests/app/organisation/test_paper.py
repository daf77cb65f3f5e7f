"""The area's paper read back from the PDF: F7 入会申请书 with 户籍类型, the member's latest 会籍
changes and the 信息采集员's signature line; F8 基层工会成立登记表 of a founding through its chain
(both 批复 文号 with 〔〕, the 81 credit code); the 工会组织名册 with the new union and its counts."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Unit
from app.printing.registry import PrintRequest
from app.printing.service import print_form
from app.services.organisation import founding
from tests.app import pdf_tools
from tests.app.organisation.helpers import event, new_member, unions
from tests.app.organisation.test_founding import STEPS, _start, _uscc


def test_f7_shows_hukou_type_the_history_and_the_collector_line(db, clerk, tmp_path):
    with db.session(clerk) as s:
        a, b, _ = unions(s)
        m = new_member(s, clerk, a, 301, name="纸面会员", hukou_type="2")
        event(s, clerk, m.id, "transfer_out", "2024-07-01", to_union_id=b)
        event(s, clerk, m.id, "transfer_in", "2024-07-03")
        names = {u.id: u.name for u in s.scalars(select(Unit).where(Unit.id.in_((a, b))))}
        member_id = m.id
    out = tmp_path / "f7.pdf"
    print_form(db, clerk, "member_form", PrintRequest(ids=[member_id]), out)
    text = pdf_tools.squeezed(out)
    assert pdf_tools.pages(out) == 1
    assert "户籍类型" in text and "农业" in text
    assert "会籍变动记录" in text and "入会" in text and "转出" in text and "转入" in text
    assert names[b].replace(" ", "") in text  # the union it moved to, on the history's row
    assert "2024年7月3日" in text
    assert "信息采集员" in text and "采集日期" in text


def test_f8_and_the_union_tree_show_a_founded_union(db, clerk, tmp_path):
    STEPS["register"]["legal_uscc"] = _uscc()
    with db.session(clerk) as s:
        fid = _start(s, clerk)
        for key in STEPS:
            f = founding.act(s, clerk, fid, key, STEPS[key])
        assert f.status == "registered"
        parent = s.get(Unit, f.parent_id).name
    f8 = tmp_path / "f8.pdf"
    print_form(db, clerk, "founding_form", PrintRequest(ids=[fid]), f8)
    text = pdf_tools.squeezed(f8)
    assert pdf_tools.pages(f8) == 1  # the whole form and its notes on one A4 page
    assert "基层工会成立登记表" in text and "示例新材料有限公司工会" in text
    assert "测工〔2026〕1号" in text and "测工〔2026〕2号" in text  # the two 批复
    assert STEPS["register"]["legal_uscc"] in text and "王建国" in text
    assert "信息采集员" in text
    tree = tmp_path / "tree.pdf"
    print_form(db, clerk, "union_tree", PrintRequest(options={"union": parent}), tree)
    lines = pdf_tools.text(tree).splitlines()
    assert any("工会组织名册" in ln for ln in lines)
    row = next(ln for ln in lines if "示例新材料有限公司工会" in ln)
    assert "基层工会" in row and "王建国" in row and "2026年3月6日" in row.replace(" ", "")
