"""Paper made from a register's declaration (``app.printing.record_card`` and ``record_list``): which
registers get it, a list over a period (dates written 2026年1月1日 in its subtitle, header on every
page, page subtotals and the total, landscape because its columns need it), amounts totalled in
大写, a public copy masked for a role that may reveal, and a card found by the 编号 on it."""

from __future__ import annotations

import json
import re
from datetime import date

from sqlalchemy import func, select

from app.printing.registry import PrintRequest, forms_for
from app.printing.service import print_form
from tests.app import pdf_tools
from tests.app.test_cli import cli
from tests.conftest import PASSWORDS

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _print(db, actor, name, out, *, ids=(), **options):
    return print_form(db, actor, name, PrintRequest(ids=list(ids), options=options), out)


def test_a_hand_laid_form_stands_for_the_generated_one_of_its_shape():
    names = {k: [f.name for f in forms_for(k)] for k in (
        "member", "hardship_archive", "relief_entry", "hardship_study_aid", "hardship_visit", "unit")}
    assert names["member"] == ["member_form", "member_roster", "public_list",  # F7 and 花名册
                               "duplicate_report"]  # 重复人员核查表 (members and archives)
    assert names["hardship_archive"] == ["archive_form", "aid_application", "authorization_form",
                                         "publicity_list"]
    assert names["relief_entry"] == ["relief_signoff", "relief_entry_card"]  # F5 is its list
    assert names["hardship_study_aid"] == ["study_aid_form", "hardship_study_aid_list"]  # F4 its card
    assert names["hardship_visit"] == ["hardship_visit_card", "hardship_visit_list"]
    assert names["unit"] == ["union_tree", "unit_card"]  # 工会组织名册 is its list


def _visits_in(db, start: date, end: date) -> tuple[int, list[str]]:
    from app.models import Visit

    with db.read_session() as s:
        live = (Visit.deleted.is_(False), Visit.visited_on.between(start, end))
        count = s.scalar(select(func.count()).select_from(Visit).where(*live))
        ids = [n for n in s.scalars(select(Visit.target_id_number).where(*live)) if n]
    return count, ids


def test_a_list_over_a_period_repeats_its_header_and_adds_up(db, clerk, tmp_path):
    count, numbers = _visits_in(db, *YEAR)
    assert count > 13 and numbers  # more than a page, some people with ID numbers
    out = tmp_path / "visits.pdf"
    r = _print(db, clerk, "hardship_visit_list", out, **{"from": "2025-01-01", "to": "2025年12月31日"})
    assert r.pages == pdf_tools.pages(out) >= 2
    assert pdf_tools.page_size(out)[0] > pdf_tools.page_size(out)[1]  # ten columns: landscape
    flat = pdf_tools.squeezed(out)
    assert "示例县总工会走访慰问名单(走访日期:2025年1月1日至2025年12月31日)" in flat
    assert "2025-01-01" not in flat
    pages = [re.sub(r"\s+", "", p) for p in pdf_tools.text(out).split("\f")[:r.pages]]
    for page in pages:
        assert "序号" in page and "所属工会(企业)" in page and "身份证号" in page
    subtotals = [int(n) for n in re.findall(r"本页小计\((\d+)条\)", flat)]
    assert len(subtotals) == r.pages and sum(subtotals) == count
    assert f"合计({count}条)" in pages[-1] and "合计(" not in "".join(pages[:-1])
    assert all(n in flat for n in numbers)  # a clerk's own copy: full numbers


def test_a_public_copy_masks_numbers_and_says_so(db, clerk, tmp_path):
    from app.models import AuditEntry
    from app.validation import mask_id_number

    _, numbers = _visits_in(db, *YEAR)
    out = tmp_path / "public.pdf"
    _print(db, clerk, "hardship_visit_list", out, public=True, **{"from": "2025-01-01", "to": "2025-12-31"})
    flat = pdf_tools.squeezed(out)
    assert not [n for n in numbers if n in flat]
    assert all(mask_id_number(n) in flat for n in numbers)
    assert "本表为公开副本" in flat
    with db.read_session() as s:
        detail = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "print")
                           .order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert json.loads(detail)["masked"] is True


def test_amounts_total_in_figures_and_words(db, clerk, tmp_path):
    from app.models import StudyAid
    from app.validation import amount_in_words, format_yuan

    with db.read_session() as s:
        requested, granted = s.execute(select(func.sum(StudyAid.requested_fen),
                                              func.sum(StudyAid.granted_fen))
                                       .where(StudyAid.deleted.is_(False))).one()
    out = tmp_path / "aid.pdf"
    _print(db, clerk, "hardship_study_aid_list", out)
    flat = pdf_tools.squeezed(out)
    assert f"申请金额合计(大写):人民币{amount_in_words(requested)}(小写)¥{format_yuan(requested)}" in flat
    assert f"批准金额合计(大写):人民币{amount_in_words(granted)}" in flat
    assert "学制" not in flat  # the register names the columns its printed list has


def test_a_narrow_list_stays_portrait(db, clerk, tmp_path):
    out = tmp_path / "campaigns.pdf"
    _print(db, clerk, "hardship_campaign_list", out)
    assert pdf_tools.page_size(out)[0] < pdf_tools.page_size(out)[1]


def test_a_card_has_its_bands_opinions_and_running_text_last(db, clerk, tmp_path):
    from app.fields.hardship_relief import VISIT
    from app.models import HelpPlan
    from app.printing.record_card import layout

    keys = [item[0] if isinstance(item, tuple) else item for row in layout(VISIT) for item in row
            if not hasattr(item, "kind")]
    assert keys[-1] == "notes" and keys.index("target_id_number") < keys.index("notes")
    with db.read_session() as s:
        plan = s.scalars(select(HelpPlan.id).where(HelpPlan.deleted.is_(False)).limit(1)).one()
    out = tmp_path / "plan.pdf"
    _print(db, clerk, "hardship_plan_card", out, ids=[plan])
    flat = pdf_tools.squeezed(out)
    assert "一户一策帮扶计划表" in flat and "基本信息" in flat
    assert flat.count("负责人签字:") == 2 and "基层工会意见:" in flat and "县困难职工帮扶中心意见:" in flat


def test_cli_lists_and_prints_a_card_by_its_number_and_a_list_by_period(db_path, tmp_path):
    import sqlite3

    r = cli("--db", db_path, "print", "--list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert {"hardship_visit_card  走访慰问登记表", "hardship_visit_list  走访慰问名单",
            "unit_card  工会组织基本信息采集表"} <= set(lines)
    con = sqlite3.connect(db_path)
    try:
        visit_id, target = con.execute("SELECT id, target_name FROM hardship_visits WHERE deleted = 0 "
                                       "ORDER BY id LIMIT 1").fetchone()
    finally:
        con.close()
    first = tmp_path / "first.pdf"
    r = cli("--db", db_path, "--user", "clerk", "print", "hardship_visit_card", "--id", visit_id,
            "--out", first, password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    number = re.search(r"编号:(341122-走访慰问-\d{4}-\d{4})", pdf_tools.squeezed(first))[1]  # given now
    card = tmp_path / "card.pdf"
    r = cli("--db", db_path, "--user", "clerk", "print", "hardship_visit_card", "--id", number,
            "--out", card, password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    assert f"编号:{number}" in pdf_tools.squeezed(card) and target in pdf_tools.squeezed(card)
    roll = tmp_path / "list.pdf"
    r = cli("--db", db_path, "--user", "clerk", "print", "hardship_visit_list", "--from", "2025-01-01",
            "--to", "2025-06-30", "--public", "--out", roll, password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    assert "走访日期:2025年1月1日至2025年6月30日" in pdf_tools.squeezed(roll)
    r = cli("--db", db_path, "--user", "clerk", "print", "hardship_visit_card", "--public", "--id",
            number, "--out", tmp_path / "x.pdf", password=PASSWORDS["clerk"])
    assert r.returncode == 2 and "不使用这些选项:--public" in r.stderr
