"""Issue 13 point 7, the slips on the hardship paper: dates always 2026年1月1日 (the 签收表's period
too), F2's 填表日期, its 申请事由 from 提交申请 and the explanation of a 主要致困原因 "其他", an exited
archive's status and date, and a reversed payout printed as a reversal with its reason."""

from __future__ import annotations

import re
from datetime import date

from app.printing.registry import PrintRequest
from app.printing.service import print_form
from app.services.hardship import ledger, workflow
from app.validation import format_cn_date
from tests.app import pdf_tools
from tests.app.hardship.helpers import drive, id_number, make_archive
from tests.app.hardship.test_hardship_printing import _pay

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(county, form, tmp_path, **request) -> str:
    out = tmp_path / f"{form}.pdf"
    print_form(county.db, county.actors["clerk"], form, PrintRequest(**request), out)
    return pdf_tools.squeezed(out)


def test_the_signoff_sheet_writes_its_period_as_on_paper(county, tmp_path):
    a = make_archive(county)
    drive(county, a)
    _pay(county, a, "300")
    year = date.today().year
    flat = _text(county, "relief_signoff", tmp_path, options={"from": f"{year}-01-01", "to": f"{year}-12-31"})
    assert f"{year}年1月1日至{year}年12月31日" in flat
    assert not ISO.search(flat), ISO.search(flat)


def test_f2_has_its_date_the_reason_typed_at_submit_and_what_other_means(county, tmp_path):
    a = make_archive(county, main_cause="10", cause_other_text="房屋失火,家当尽毁")
    with county.session("clerk") as s:
        workflow.act(s, county.actors["clerk"], a, "submit", {"opinion": "丈夫重病住院,家中无其他收入来源"})
    flat = _text(county, "aid_application", tmp_path, ids=[a])
    assert re.search(r"填表日期:\d{4}年\d{1,2}月\d{1,2}日编号:341122-困申-", flat)
    assert "申请事由:丈夫重病住院,家中无其他收入来源" in flat
    assert "其他(房屋失火,家当尽毁)" in flat


def test_an_exited_archive_prints_its_status_and_date(county, tmp_path):
    a = make_archive(county, id_no=id_number("341122", date(1970, 3, 3), 15))
    drive(county, a)
    with county.session("reviewer") as s:
        workflow.act(s, county.actors["reviewer"], a, "exit", {"close_reason": "12", "opinion": "已稳定就业"})
    for form in ("archive_form", "aid_application"):
        flat = _text(county, form, tmp_path, ids=[a])
        assert f"档案状态:已脱困({format_cn_date(date.today())};原因:实现就业;已稳定就业)" in flat, form


def test_a_reversed_payout_prints_as_a_reversal_with_its_reason(county, tmp_path):
    a = make_archive(county)
    drive(county, a)
    entry = _pay(county, a, "300")[0]
    with county.session("clerk") as s:
        reversal = ledger.reverse_entry(s, county.actors["clerk"], entry.id, "重复登记")
    flat = _text(county, "relief_entry_card", tmp_path, ids=[reversal.id])
    assert "【冲正记录】冲正" in flat and "(现金300.00元)" in flat and "冲正原因:重复登记" in flat
    assert "-300.00" in flat and not ISO.search(flat)  # the generated note too: 冲正2026年1月1日…
    flat = _text(county, "relief_entry_card", tmp_path, ids=[entry.id])
    assert "【已冲正】本笔发放已于" in flat and "冲正原因:重复登记" in flat
