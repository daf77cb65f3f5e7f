"""The printed forms of 困难职工帮扶 (F1–F5 and the 建档公示名单), read back as a person would: their
text (pdftotext), fonts (pdffonts) and pages."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.errors import AppError
from app.models import HardshipArchive, StudyAid
from app.printing.amounts import PrintRefused
from app.printing.document import render_pdf
from app.printing.registry import OptionsNeeded, PrintRequest, all_forms, forms_for
from app.printing.service import build_docs, match_paper, print_form
from app.services import records
from app.services.hardship import aid, ledger, visits, workflow
from app.validation import amount_in_words_with_prefix, format_cn_date
from tests.app import pdf_tools
from tests.app.hardship.helpers import CHILD, HEAD, SPOUSE, drive, id_number, make_archive, member_values

TODDLER = id_number("341122", date(date.today().year - 3, 1, 1), 44)
FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dX](?![\d*])")
MASKED_ID = re.compile(r"\d{6}\*{8}\d{3}[\dX]")


def _print(county, form, out, who="clerk", **request):
    return print_form(county.db, county.actors[who], form, PrintRequest(**request), out)


def _embedded(path):
    fonts = pdf_tools.fonts(path)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts


@pytest.fixture
def archived(county):
    a = make_archive(county)
    drive(county, a)
    with county.db.session() as s:  # objects stay loaded after the session ends
        return s.get(HardshipArchive, a)


def test_the_forms_are_registered_for_their_record_kinds():
    names = {f.name: f for f in all_forms()}
    assert {"archive_form", "aid_application", "authorization_form", "study_aid_form",
            "relief_signoff", "publicity_list"} <= set(names)
    assert {f.name for f in forms_for("hardship_archive")} == {
        "archive_form", "aid_application", "authorization_form", "publicity_list"}
    # F4 stands for the 金秋助学 card; the list is generated (app.printing.record_list)
    assert [f.name for f in forms_for("hardship_study_aid")] == ["study_aid_form", "hardship_study_aid_list"]
    assert names["relief_signoff"].public and names["publicity_list"].public
    assert not names["archive_form"].public  # the office copy


def test_archive_form_two_pages_with_every_part(county, archived, tmp_path):
    out = tmp_path / "f1.pdf"
    r = _print(county, "archive_form", out, ids=[archived.archive_no])
    assert (r.forms, r.pages) == (1, 2) == (1, pdf_tools.pages(out))
    page1, page2 = (re.sub(r"\s+", "", p) for p in pdf_tools.text(out).split("\f")[:2])
    assert "示例县总工会困难职工(家庭)档案表" in page1 and f"编号:{archived.archive_no}" in page1
    for expected in ("张三", HEAD, "甲厂工会", "■深度困难", "家庭经济状况", "家庭月人均收入",
                     "填表说明", "工作状态(身份):在岗", "共2页第1页"):
        assert expected in page1, expected
    # page 2: the header again, the family table (every column), causes, bank, the opinions
    assert "姓名:张三" in page2 and f"档案编号:{archived.archive_no}" in page2
    for expected in ("家庭成员情况", "李四", SPOUSE, "张小明", CHILD, "单位或学校", "入学年份", "当前学历",
                     "患重特大疾病", "子女上学", "五类重点群体", "“四个一批”措施", "银行卡号",
                     "基层党组织或行政意见", "基层工会或办事处意见", "系统工会意见", "负责人签字:",
                     "本表一式三份", "共2页第2页"):
        assert expected in page2, expected
    assert "甲厂工会主席" not in page2 and "城关镇工会主席" not in page2  # signed by hand, not printed
    _embedded(out)


def test_archive_form_qr_names_the_record_and_printed_numbers_find_drafts(county, archived, tmp_path):
    _, docs, _ = build_docs(county.db, county.actors["clerk"], "archive_form",
                            PrintRequest(ids=[HEAD]))  # by the head's ID number too
    found = match_paper(county.db, county.actors["clerk"], docs[0].qr_payload)
    assert (found.kind, found.record_id, found.unchanged) == ("hardship_archive", archived.id, True)
    draft = make_archive(county, "b", name="王五", id_no=id_number("341122", date(1980, 1, 1), 19), members=[], expenses=[],
                         income="600")
    out = tmp_path / "draft.pdf"
    _print(county, "archive_form", out, ids=[draft])
    number = re.search(r"编号:(341122-困档-\d{4}-\d{4})", pdf_tools.squeezed(out))[1]  # given at print
    assert f"编号:{number}" in pdf_tools.squeezed(out) and "无共同生活的家庭成员" in pdf_tools.squeezed(out)
    again = tmp_path / "again.pdf"
    _print(county, "archive_form", again, ids=[number])
    assert again.read_bytes() == out.read_bytes()


def test_a_clerk_prints_full_numbers_a_role_without_reveal_masked(county, archived, tmp_path, monkeypatch):
    from app.security import roles

    monkeypatch.setitem(roles.ROLES, "clerk", ("经办人", roles.ROLES["clerk"][1] - {roles.Perm.REVEAL}))
    out = tmp_path / "masked.pdf"
    _print(county, "archive_form", out, ids=[archived.id])
    text = pdf_tools.text(out)
    assert not FULL_ID.search(text) and HEAD[:6] + "********" + HEAD[-4:] in text


def test_batch_of_demo_archives_by_filter_two_pages_each(db, clerk, tmp_path):
    """Real demo data: every household archived, one PDF, each form two pages."""
    with db.read_session() as s:
        expected = s.scalars(select(HardshipArchive.name).where(
            HardshipArchive.status == "archived", HardshipArchive.deleted.is_(False))).all()
    _, docs, _ = build_docs(db, clerk, "archive_form", PrintRequest(options={"status": "已建档"}))
    result = render_pdf(docs, tmp_path / "batch.pdf", title="t")
    assert len(docs) == len(expected) >= 10
    assert result.pages_per_form == [2] * len(docs) and pdf_tools.pages(tmp_path / "batch.pdf") == result.pages
    text = pdf_tools.squeezed(tmp_path / "batch.pdf")
    assert all(name in text for name in expected)
    with pytest.raises(AppError, match="不能同时使用"):
        build_docs(db, clerk, "archive_form", PrintRequest(ids=[docs[0].record_ids[0]],
                                                            options={"status": "已建档"}))


def test_application_form_working_and_four_opinions(county, archived, tmp_path):
    out = tmp_path / "f2.pdf"
    _print(county, "aid_application", out, ids=[archived.id])
    flat = pdf_tools.squeezed(out)
    for expected in ("困难职工帮扶申请(审批)表", "编号:341122-困申-", "张三", "申请事由:",
                     "申请人签字:", "家庭月人均可支配收入=", "(1倍低保标准)→深度困难职工家庭",
                     "基层工会初审意见:", "入户调查情况:情况属实(调查人:王调查、赵调查", "已签署", "初审意见:同意上报",
                     "公示情况", "公示无异议", "乡镇(街道)/系统工会复审意见:", "县困难职工帮扶中心审核意见:",
                     "民政核对结果:相符(批次2026-01", "审核意见:符合条件", "县总工会党组审批意见:", "同意建档",
                     "负责人签字:", "本表一式三份"):
        assert expected in flat, expected
    assert "reviewer姓名" not in flat and "approver姓名" not in flat  # names are signed by hand
    with county.db.read_session() as s:
        approved = s.scalar(select(workflow.HardshipReview.acted_on).where(
            workflow.HardshipReview.archive_id == archived.id, workflow.HardshipReview.action == "approve"))
    assert format_cn_date(approved) in flat
    _embedded(out)


def test_application_form_of_a_new_application_leaves_the_cells_blank(county, tmp_path):
    a = make_archive(county)
    out = tmp_path / "new.pdf"
    _print(county, "aid_application", out, ids=[a])
    flat = pdf_tools.squeezed(out)
    # four blank opinion cells (申请事由 carries its date), and the 公示 line left for the pen
    assert "公示期:年月日至年月日公示地点:" in flat and "公示结果:" in flat
    assert flat.count("年月日") == 4 + 2
    assert "负责人签字:" in flat and "同意" not in flat


def test_application_form_prints_the_publicity_with_the_county_steps(county, tmp_path):
    """公示 is the county's step after the centre's 审核: its own line between the centre's and the
    党组's cells, never under the grassroots signer and date; objections read as one sentence."""
    a = make_archive(county)
    drive(county, a, "publicize")
    with county.db.read_session() as s:
        archive = s.get(HardshipArchive, a)
        start, end = archive.publicity_start, archive.publicity_end
    with county.session("clerk") as s:
        workflow.act(s, county.actors["clerk"], a, "objection",
                     {"opinion": "有群众反映其有私家车一辆,经核实为借用亲戚车辆。"})
    drive(county, a)
    with county.db.read_session() as s:
        objected = s.scalar(select(workflow.HardshipReview.acted_on).where(
            workflow.HardshipReview.archive_id == a, workflow.HardshipReview.action == "objection"))
    out = tmp_path / "f2.pdf"
    _print(county, "aid_application", out, ids=[a])
    flat = pdf_tools.squeezed(out)
    grassroots = flat[flat.index("基层工会初审意见:"):flat.index("乡镇(街道)/系统工会复审意见:")]
    assert "公示" not in grassroots and "负责人签字:" in grassroots and "甲厂工会主席" not in grassroots
    center, approve = flat.index("县困难职工帮扶中心审核意见:"), flat.index("县总工会党组审批意见:")
    assert center < flat.index("公示情况") < approve  # the row's caption, beside the text
    assert (f"{format_cn_date(start)}至{format_cn_date(end)}(5个工作日)在公示栏公示;"
            f"公示期间异议:{format_cn_date(objected)}有群众反映其有私家车一辆,经核实为借用亲戚车辆;"
            "结果:公示无异议。") in flat[center:approve].replace("公示情况", "", 1)
    assert "。。" not in flat and "。;" not in flat


def test_authorization_lists_adults_and_strikes_the_blank_lines(county, tmp_path):
    a = make_archive(county, members=[
        member_values("李四", "10", SPOUSE, "600", identity="1", marital_status="20"),
        member_values("张小明", "20", CHILD), member_values("张小小", "30", TODDLER, identity="5")])
    drive(county, a)
    with county.db.session() as s:
        archived = s.get(HardshipArchive, a)
    out = tmp_path / "f3.pdf"
    r = _print(county, "authorization_form", out, ids=[archived.id])
    assert r.pages == 1
    text = pdf_tools.text(out)
    flat = re.sub(r"\s+", "", text)
    for expected in ("家庭经济状况核对授权委托书", "户籍、车辆、房产、社保、公积金、存款、证券、纳税、工商登记",
                     "张三", HEAD, "本人(申请人)", "李四", SPOUSE, "配偶", "本人签字", "手印", "以下空白",
                     "编号:341122-授权-"):
        assert expected in flat, expected
    assert "张小明" in flat and "张小小" not in flat  # under 18: not asked to sign
    _embedded(out)


def test_study_aid_form_amount_in_words(county, archived, tmp_path):
    with county.session("clerk") as s:
        app = records.create(s, county.actors["clerk"], "hardship_study_aid", {
            "year": str(date.today().year), "student_name": "张小明", "student_id_number": CHILD,
            "school": "安徽大学", "major": "会计", "level": "本科", "study_years": "4",
            "tuition_fen": "5200", "archive_id": archived.id, "exam_no": "25341101150123",
            "account_name": "张小明", "bank_name": "中国农业银行", "bank_account": "6228480012345678901",
            "grassroots_opinion": "情况属实,同意申报"}).id
    with county.session("reviewer") as s:
        aid.decide(s, county.actors["reviewer"], app, approve=True, opinion="同意资助")
    out = tmp_path / "f4.pdf"
    r = _print(county, "study_aid_form", out, ids=[CHILD])
    with county.db.session() as s:
        a = s.get(StudyAid, app)
    flat = pdf_tools.squeezed(out)
    assert r.pages == 1
    for expected in ("金秋助学申请表", f"({a.year}年度)", "张小明", CHILD, "安徽大学", archived.archive_no,
                     "5,000.00元", amount_in_words_with_prefix(a.granted_fen), "人民币伍仟元整",
                     "6228480012345678901", "同意资助", "录取通知书", "编号:341122-助学-"):
        assert expected in flat, expected
    _embedded(out)


def _pay(county, archive_id, cash, **extra):
    with county.session("clerk") as s:
        return ledger.record_relief(s, county.actors["clerk"], {
            "paid_on": date.today().isoformat(), "kind": "warmth", "recipient_kind": "worker",
            "archive_id": archive_id, "cash_fen": cash, "fund_source": "county", "batch": "第一批",
            **extra}, confirm=True)


def test_signoff_sheet_masks_ids_totals_and_refuses_a_wrong_total(county, archived, tmp_path):
    with county.session("clerk") as s:
        campaign = records.create(s, county.actors["clerk"], "hardship_campaign", {
            "name": "送温暖测试活动", "kind": "spring", "year": str(date.today().year)}).id
    _pay(county, archived.id, "1000", campaign_id=campaign)
    with county.session("clerk") as s:  # a visit to an enterprise with cash and goods
        visits.record_visit(s, county.actors["clerk"], {
            "campaign_id": campaign, "visited_on": date.today().isoformat(), "leader_name": "县领导",
            "leader_level": "county", "target_kind": "enterprise", "unit_id": county.ids["b"]},
            cash="409.50", goods=[{"goods_kind": "rice", "goods_unit": "jin", "goods_qty": "50",
                                  "goods_value_fen": "150"}], fund_source="county", batch="第一批")
    out = tmp_path / "f5.pdf"
    r = _print(county, "relief_signoff", out, options={"campaign": "送温暖测试活动"})
    text = pdf_tools.text(out)
    flat = re.sub(r"\s+", "", text)
    assert pdf_tools.page_size(out)[0] > pdf_tools.page_size(out)[1] and r.pages == 1
    for expected in ("示例县总工会送温暖测试活动慰问金(品)发放签收表", "张三", "乙厂工会",
                     "发放单位(盖章):示例县总工会", "困难职工", "困难企业", "慰问金(元)", "大米(斤)",
                     "领取人签字", "代领人及关系",
                     "合计(1人、1家企业)", "1,409.50", "合计金额(大写):人民币壹仟肆佰零玖元伍角", "(小写)¥1,409.50",
                     "经办人:", "审核人:", "分管领导:", "主要负责人:", "本表一式三份", "共1页第1页"):
        assert expected in flat, expected
    assert not FULL_ID.search(text) and MASKED_ID.search(text)
    assert "139****5678" in flat  # the phone, masked
    with pytest.raises(OptionsNeeded) as none:  # nothing chosen: said in the dialog's words
        _print(county, "relief_signoff", tmp_path / "none.pdf", options={"union": "乙厂工会"})
    assert none.value.message == "请指定要打印的发放:慰问活动、发放批次、发放日期起或发放日期止至少填一项"
    assert none.value.options == ("campaign", "batch", "from", "to")
    bad = tmp_path / "bad.pdf"
    with pytest.raises(PrintRefused, match="明细之和不一致"):
        _print(county, "relief_signoff", bad, options={"campaign": "送温暖测试活动",
                                                       "declared_total": "1409.00"})
    assert not bad.exists()
    _print(county, "relief_signoff", bad, options={"batch": "第一批", "declared_total": "1409.50"})
    assert bad.exists()
    _embedded(out)


def test_signoff_sheet_runs_over_pages_with_subtotals(county, tmp_path):
    ids = []
    for i in range(18):
        a = make_archive(county, name=f"职工{chr(0x4e00 + i)}", id_no=_id(i), members=[], expenses=[],
                         income="600")
        drive(county, a)
        ids.append(a)
    for i, a in enumerate(ids):
        _pay(county, a, str(100 + i))
    out = tmp_path / "many.pdf"
    r = _print(county, "relief_signoff", out, options={"batch": "第一批"})
    pages = [re.sub(r"\s+", "", p) for p in pdf_tools.text(out).split("\f")[:r.pages]]
    assert r.pages >= 2 and all("本页小计" in p for p in pages)
    subtotals = [int(n) for n in re.findall(r"本页小计\((\d+)人\)", "".join(pages))]
    assert sum(subtotals) == 18 and "合计(18人)" in pages[-1]
    total = sum(100 + i for i in range(18)) * 100
    assert amount_in_words_with_prefix(total) in pages[-1] and "合计金额(大写)" not in "".join(pages[:-1])


def test_signoff_sheet_phones_and_ids_never_break_and_unit_names_wrap_alike(county, tmp_path):
    """Four kinds of goods (the narrowest columns the sheet has): every masked phone and ID number
    still on one line; a long union name wraps at the table's size instead of shrinking."""

    with county.session("admin") as s:
        long_union = records.create(s, county.actors["admin"], "unit", {
            "name": "示例县腾飞环保科技股份有限公司第二分厂工会委员会", "kind": "grassroots",
            "parent_id": county.ids["t1"], "enterprise_name": "示例县腾飞环保科技二厂", "industry": "C"}).id
    archive_id = make_archive(county)
    drive(county, archive_id)
    goods = [("rice", "jin", "50"), ("flour", "bag", "2"), ("oil", "jin", "10"), ("oil", "barrel", "1")]
    for kind, unit, qty in goods:
        _pay(county, archive_id, "100", goods_kind=kind, goods_unit=unit, goods_qty=qty,
             goods_value_fen="100")
    _pay(county, None, "300", recipient_kind="enterprise", unit_id=long_union)
    out = tmp_path / "f5.pdf"
    ops: list = []
    _, docs, _ = build_docs(county.db, county.actors["clerk"], "relief_signoff",
                            PrintRequest(options={"batch": "第一批"}))
    render_pdf(docs, out, title="t", recorder=ops)
    drawn = [op for op in ops if op[0] == "text"]
    phones = [op for op in drawn if re.fullmatch(r"139\*{4}5678", op[5])]
    ids = [op for op in drawn if MASKED_ID.fullmatch(op[5])]
    assert phones and ids  # drawn whole, each as one line
    assert all(op[2] >= 9 for op in phones + ids)  # set a little smaller at most
    body = [op for op in drawn if "示例县腾飞环保" in op[5] or "有限公司第二" in op[5]]
    assert len(body) >= 2 and {op[2] for op in body} == {10}  # wrapped, at the table's size
    flat = pdf_tools.squeezed(out)
    assert "合计(1人、1家企业)" in flat


def _id(i: int) -> str:
    return id_number("341122", date(1970 + i, 3, 1), 11 + 2 * i)


def test_publicity_list_masked_with_window_and_its_note(county, tmp_path):
    a = make_archive(county)
    drive(county, a, "center")
    with county.session("clerk") as s:  # a window in a year the holiday table does not know yet
        workflow.act(s, county.actors["clerk"], a, "publicize",
                     {"publicity_start": "2099-12-28", "publicity_place": "厂务公开栏"})
    out = tmp_path / "gs.pdf"
    _print(county, "publicity_list", out, options={"contact": "0557-1234567"})
    text = pdf_tools.text(out)
    flat = re.sub(r"\s+", "", text)
    with county.db.read_session() as s:
        end = s.get(HardshipArchive, a).publicity_end
    for expected in ("困难职工建档公示", "张三", "甲厂工会", "深度困难", "公示期自2099年12月28日起至",
                     format_cn_date(end), "2100年的法定节假日安排尚未载入", "0557-1234567", "示例县总工会"):
        assert expected in flat, expected
    assert not FULL_ID.search(text) and HEAD[:6] + "********" + HEAD[-4:] in flat
    b = make_archive(county, "b", name="王五", id_no=id_number("341122", date(1980, 1, 1), 19), members=[], expenses=[],
                     income="600")
    drive(county, b, "publicize")  # another window
    with pytest.raises(OptionsNeeded, match="公示期不同") as refused:
        _print(county, "publicity_list", tmp_path / "x.pdf")
    # said as the dialog captions the options (the command line adds its flags itself)
    assert "--" not in refused.value.message and "“公示开始日期起”“公示开始日期止”" in refused.value.message
    assert refused.value.options == ("from", "to") and "2 个公示期" in refused.value.question
    # each window a ready choice, the latest first (offered by default)
    with county.db.read_session() as s:
        b_start = s.get(HardshipArchive, b).publicity_start
    texts = [t for t, _o in refused.value.choices]
    assert [o for _t, o in refused.value.choices] == [
        {"from": "2099-12-28", "to": "2099-12-28"}, {"from": b_start.isoformat(), "to": b_start.isoformat()}]
    assert refused.value.default == 0 and texts[0] == f"2099年12月28日至{format_cn_date(end)}(1户)"
    _print(county, "publicity_list", out, options=refused.value.choices[1][1])
    assert "王五" in pdf_tools.squeezed(out) and "张三" not in pdf_tools.squeezed(out)
    _print(county, "publicity_list", out, options={"from": "2099-01-01"})
    assert "王五" not in pdf_tools.squeezed(out)
    with pytest.raises(AppError, match="所选范围内没有正在公示的困难职工档案") as none:
        _print(county, "publicity_list", tmp_path / "x.pdf", options={"from": "2100-06-01"})
    assert "--" not in none.value.message


def test_list_form_options_are_captioned_once_per_form():
    """A dialog captions each option with the form's own label, never the command line's help
    (which joins several forms' meanings under one flag)."""
    from app.excel.registry import all_kinds

    for owner in [*all_forms(), *all_kinds()]:
        labels = [o.label for o in owner.options]
        assert all(labels) and len(set(labels)) == len(labels), (owner.title, labels)
        assert not any("|" in x or ":" in x or "--" in x for x in labels), labels
    names = {f.name: f for f in all_forms()}
    assert [o.label for o in names["publicity_list"].options] == [
        "只含该单位", "公示开始日期起", "公示开始日期止", "受理异议的联系电话"]
    assert [o.label for o in names["relief_signoff"].options] == [
        "只含该单位", "慰问活动", "发放批次", "发放日期起", "发放日期止", "核定慰问金总额(元)"]
    assert [o.label for o in names["archive_form"].options] == ["只含该单位", "档案状态", "建档日期起", "建档日期止"]
    assert names["relief_signoff"].option("campaign").choices is not None  # a picker of campaigns


def test_campaign_choices_by_name_and_by_id_when_two_share_a_name(county):
    from app.services.hardship.options import campaign_choices, campaign_of

    year = date.today().year
    made = {}
    with county.session("clerk") as s:
        for name, y in (("元旦春节送温暖", year - 1), ("元旦春节送温暖", year), ("金秋慰问", year)):
            made.setdefault(name, []).append(records.create(s, county.actors["clerk"], "hardship_campaign", {
                "name": name, "kind": "spring", "year": str(y)}).id)
    with county.db.read_session() as s:
        choices = campaign_choices(s)
        assert ("金秋慰问", "金秋慰问") in choices
        shared = [(v, t) for v, t in choices if t.startswith("元旦春节送温暖")]
        assert [v for v, _t in shared] == made["元旦春节送温暖"][::-1]  # this year's first
        assert f"({year}年," in shared[0][1]
        assert all(campaign_of(s, v).id == v for v, _t in shared)  # each value finds its campaign
