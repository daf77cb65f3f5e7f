"""困难职工帮扶 to and from Excel: real .xlsx files written and read back with openpyxl."""

import re
import shutil
import sqlite3
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.clock import today
from app.excel.export import export_kind
from app.excel.importer import check_file, import_file
from app.excel.registry import kind
from app.excel.template import write_template
from app.fields.hardship import EXPENSE, FAMILY_MEMBER
from app.models import AuditEntry, HardshipArchive, HardshipExpense, HardshipFamilyMember, ReliefEntry
from app.services import records
from app.services.hardship import ledger, visits, workflow
from tests.app.hardship.helpers import CHILD, HEAD, SPOUSE, STEP_ACTOR, STEP_INPUTS, drive, id_number, make_archive, member_values
from tests.app.test_cli import cli
from tests.conftest import PASSWORDS

TODAY = today()
FULL_ID = re.compile(r"^\d{17}[\dX]$")
ARCHIVE_KEYS = [f.key for f in kind("archives").import_fields]
MEMBER_KEYS = [f.key for f in FAMILY_MEMBER.fields if not f.readonly]
EXPENSE_KEYS = [f.key for f in EXPENSE.fields if not f.readonly]
RELIEF_KEYS = list(kind("relief").columns)


@pytest.fixture
def other(hardship_template, tmp_path):
    """A second copy of the same county (same units, users and parameters), as a fresh database."""
    from app.db.engine import open_database
    from app.models import User
    from app.security.users import actor_for

    dest = tmp_path / "other.db"
    shutil.copyfile(hardship_template[0], dest)
    db = open_database(dest)
    with db.session() as s:
        clerk = actor_for(s.query(User).filter_by(username="clerk").one())
    yield db, clerk
    db.close()


def _households(db) -> dict:
    """Every archive by its head's ID number: the importable fields, members and expenses."""
    with db.read_session() as s:
        out = {}
        for a in s.scalars(select(HardshipArchive).where(HardshipArchive.deleted.is_(False))):
            members = s.scalars(select(HardshipFamilyMember).where(
                HardshipFamilyMember.archive_id == a.id, HardshipFamilyMember.deleted.is_(False))
                .order_by(HardshipFamilyMember.sort_order)).all()
            expenses = s.scalars(select(HardshipExpense).where(HardshipExpense.archive_id == a.id)
                                 .order_by(HardshipExpense.item)).all()
            out[a.id_number] = (
                {k: getattr(a, k) for k in ARCHIVE_KEYS},
                [{k: getattr(m, k) for k in MEMBER_KEYS} for m in members],
                [{k: getattr(e, k) for k in EXPENSE_KEYS} for e in expenses],
                (a.household_size, a.family_annual_income_fen, a.per_capita_fen, a.proposed_category))
        return out


def _counts(db):
    with db.read_session() as s:
        return (s.scalar(select(func.count()).select_from(HardshipArchive)),
                s.scalar(select(func.count()).select_from(ReliefEntry)),
                s.scalar(select(func.max(AuditEntry.seq))))


def test_archives_round_trip_into_a_fresh_database_of_the_same_unit(county, other, tmp_path):
    a = make_archive(county, accident_event="是", accident_costs_fen="30000", accident_note="工伤",
                     minor_causes="子女上学、无劳动能力", bank_name="农商银行", bank_account="6228480012345678901")
    drive(county, a)
    make_archive(county, "c", name="王五", id_no=id_number("341122", date(1982, 2, 3), 17),
                 members=[member_values("赵六", "10", id_number("341122", date(1983, 4, 5), 28), "300")],
                 expenses=[{"item": "3", "amount_fen": "2400.50", "note": "康复"}], income="900")
    out = tmp_path / "archives.xlsx"
    r = export_kind(county.db, county.actors["clerk"], "archives", out)
    assert r.rows == 2 and not r.masked
    wb = load_workbook(out)
    assert wb.sheetnames == ["困难职工档案", "家庭成员", "刚性支出"]
    members_sheet = [list(row) for row in wb["家庭成员"].iter_rows(values_only=True)]
    assert members_sheet[1][:3] == ["户主身份证号", "户主姓名", "姓名"] and len(members_sheet) == 2 + 3
    assert all(FULL_ID.match(row[0]) and FULL_ID.match(row[5]) for row in members_sheet[2:])
    db, clerk = other
    report = import_file(db, clerk, "archives", out)
    assert report.ok and report.written == 2 and report.children == {"家庭成员": 3, "刚性支出": 3}
    assert _households(db) == _households(county.db)
    with db.session() as s:
        assert {x.status for x in s.scalars(select(HardshipArchive))} == {"draft"}
        entries = [e.summary for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "import"))]
    assert len(entries) == 1 and "2 户" in entries[0]


def test_relief_round_trip_into_a_copy_taken_before_the_payouts(county, tmp_path):
    from app.db.engine import open_database
    from app.models import User
    from app.security.users import actor_for

    a, b = make_archive(county), make_archive(county, "c", name="王五", income="600", members=[],
                                              expenses=[], id_no=id_number("341122", date(1982, 2, 3), 17))
    drive(county, a)
    drive(county, b)
    with county.session("clerk") as s:
        campaign = records.create(s, county.actors["clerk"], "hardship_campaign", {
            "name": "春节送温暖", "kind": "spring", "year": str(TODAY.year)}).id
    target = tmp_path / "target.db"
    with sqlite3.connect(county.path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    clerk = county.actors["clerk"]
    with county.session("clerk") as s:
        ledger.record_relief(s, clerk, {"paid_on": TODAY.isoformat(), "kind": "warmth",
                                        "recipient_kind": "worker", "archive_id": a, "cash_fen": "800",
                                        "fund_source": "county", "campaign_id": campaign, "batch": "第一批"},
                             goods=[{"goods_kind": "rice", "goods_unit": "jin", "goods_qty": "50",
                                     "goods_value_fen": "150"},
                                    {"goods_kind": "oil", "goods_unit": "barrel", "goods_qty": "1",
                                     "goods_value_fen": "80"}])
        ledger.record_relief(s, clerk, {"paid_on": TODAY.isoformat(), "kind": "living", "recipient_kind": "worker", "archive_id": b,
                                        "cash_fen": "1200.50", "fund_source": "city",
                                        "signed_by": "王小五", "proxy_relation": "子", "note": "代领"})
        ledger.record_relief(s, clerk, {"paid_on": TODAY.isoformat(), "kind": "accident",
                                        "recipient_kind": "worker", "recipient_name": "钱七",
                                        "recipient_id_number": id_number("341122", date(1990, 1, 2), 33),
                                        "unit_id": county.ids["d"], "cash_fen": "3000",
                                        "fund_source": "county", "reason": "火灾"})
    out = tmp_path / "relief.xlsx"
    assert export_kind(county.db, clerk, "relief", out).rows == 4  # cash with rice, oil, two more
    db = open_database(target)
    try:
        with db.session() as s:
            actor = actor_for(s.query(User).filter_by(username="clerk").one())
        report = import_file(db, actor, "relief", out)
        assert report.ok and not report.warnings and report.written == 4
        assert _ledger(db) == _ledger(county.db)
    finally:
        db.close()


def _ledger(db):
    with db.read_session() as s:
        rows = s.execute(select(*[getattr(ReliefEntry, k) for k in RELIEF_KEYS])).all()
    return sorted(tuple(map(str, r)) for r in rows)


def test_visits_and_aid_exports_with_unit_period_and_masking(county, tmp_path):
    a = make_archive(county)
    drive(county, a)
    clerk = county.actors["clerk"]
    with county.session("clerk") as s:
        visits.record_visit(s, clerk, {"visited_on": TODAY.isoformat(), "leader_name": "县领导",
                                       "leader_level": "county", "target_kind": "worker", "archive_id": a},
                            cash="500", fund_source="county")
        records.create(s, clerk, "hardship_study_aid", {"year": str(TODAY.year), "student_name": "张小明",
                                          "student_id_number": CHILD, "school": "安徽大学", "level": "本科",
                                          "archive_id": a, "bank_account": "6228480012345678901",
                                          "applied_on": TODAY.isoformat()})
    v, g = tmp_path / "v.xlsx", tmp_path / "g.xlsx"
    period = {"from": (TODAY - timedelta(days=5)).isoformat(), "to": TODAY.isoformat()}
    assert export_kind(county.db, clerk, "visits", v, options=period).rows == 1
    assert export_kind(county.db, clerk, "aid", g, options=period, mask=True).rows == 1
    ws = load_workbook(v).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == f"示例县总工会走访慰问名单(走访日期 {period['from']} 至 {period['to']})"
    row = dict(zip(rows[1], rows[2]))
    assert (row["慰问领导"], row["领导级别"], row["慰问对象类别"], row["慰问对象"], row["身份证号"]) == (
        "县领导", "县级", "困难职工", "张三", HEAD)
    assert ws.cell(3, rows[1].index("身份证号") + 1).data_type == "s"
    rows = [list(r) for r in load_workbook(g).worksheets[0].iter_rows(values_only=True)]
    row = dict(zip(rows[1], rows[2]))
    assert "申请日期" in rows[0][0] and row["学生姓名"] == "张小明" and row["银行卡号"] == "**** 8901"
    assert re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", row["学生身份证号"])


def _fill(path, sheet: str, rows: list[dict]) -> None:
    wb = load_workbook(path)
    ws = wb[sheet]
    headers = [str(c.value).lstrip("*") for c in ws[2]]
    for r in rows:
        unknown = set(r) - set(headers)
        assert not unknown, unknown
        ws.append([r.get(h) for h in headers])
    wb.save(path)


def _household(name, id_no, union="甲厂工会", **extra):
    row = {"所属基层工会": union, "姓名": name, "身份证号": id_no, "民族": "汉族", "政治面貌": "群众",
           "婚姻状况": "已婚", "户口类型": "非农业", "手机号码": "13912345678", "家庭住址": "城关镇1号",
           "劳模类型": "非劳模", "工作状态(身份)": "在岗", "所属行业": "制造业", "工作时间": "2001.9.1",
           "住房类型": "租房", "健康状况": "良好", "医保状况": "城镇职工医保", "本人月平均收入": "900",
           "家庭其他(非薪资)年收入": "0", "户口所在地行政区划": "341122", "主要致困原因": "患重特大疾病",
           "申请日期": TODAY.isoformat()}
    row.update(extra)
    return row


def _member(head_id, head_name, name, id_no, relation="配偶", **extra):
    row = {"户主身份证号": head_id, "户主姓名": head_name, "姓名": name, "与户主关系": relation,
           "民族": "汉族", "身份证号": id_no, "月收入": "0", "劳模类型": "非劳模", "健康状况": "良好",
           "医保状况": "城乡居民医保", "婚姻状况": "已婚", "户口类型": "农业", "人员身份": "在职职工"}
    row.update(extra)
    return row


def test_archive_import_reports_bad_rows_by_row_and_column_and_writes_nothing(county, tmp_path):
    existing = make_archive(county, "c")  # 张三 (HEAD) with 李四 (SPOUSE), filed in 丙厂工会
    path = tmp_path / "in.xlsx"
    write_template(county.db, county.actors["clerk"], "archives", path)
    good = id_number("341122", date(1979, 3, 5), 15)
    fifteen = "341122790305015"  # the same person written with the old 15-digit number
    legacy = id_number("341122", date(1966, 7, 8), 21)
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in legacy)
    bad_check = HEAD[:-1] + ("0" if HEAD[-1] != "0" else "1")
    _fill(path, "困难职工档案", [
        _household("孙八", good, 工作时间="2001年9月1日"),                                  # row 3: valid
        _household("周九", bad_check),                                                      # 4: check digit
        _household("吴十", id_number("341122", date(1975, 1, 1), 31), 民族="火星族"),        # 5: unknown code
        _household("郑一", id_number("341122", date(1976, 1, 1), 41), 申请日期="2020.2.30"),  # 6: no such day
        _household("张三", HEAD, union="乙厂工会"),                                          # 7: filed in 丙厂 already
        _household("冯二", wide, 工作时间="2003.3.5"),                                      # 8: valid, full-width digits
    ])
    _fill(path, "家庭成员", [
        _member(good, "孙八", "孙小八", id_number("341122", date(2008, 5, 5), 13), "子", 婚姻状况="未婚"),
        _member(legacy, "冯二", "陈三", SPOUSE),                    # 4: already 李四 in 张三's archive
        _member(fifteen, "孙八", "孙妻", id_number("341122", date(1980, 2, 2), 24)),  # 5: 15-digit key
        _member(id_number("341122", date(1999, 9, 9), 19), "无名", "某人",
                id_number("341122", date(2001, 1, 1), 26)),         # 6: no such household in the file
    ])
    before = _counts(county.db)
    report = import_file(county.db, county.actors["clerk"], "archives", path)
    got = {(p.sheet, p.row, p.column): p.reason for p in report.problems}
    assert "校验位" in got["", 4, "身份证号"]
    assert "火星族" in got["", 5, "民族"] and "不在代码表" in got["", 5, "民族"]
    assert "申请日期" == next(c for s, r, c in got if r == 6 and not s)
    assert "丙厂工会" in got["", 7, "身份证号"] and "同一人只能在一个有效档案中" in got["", 7, "身份证号"]
    assert "(李四)已是“张三”困难职工档案(丙厂工会,草稿)的家庭成员" in got["", 8, "家庭成员"]
    assert "没有身份证号为" in got["家庭成员", 6, "户主身份证号"]
    assert ("", 8, "身份证号") not in got  # full-width digits are read as digits
    assert report.refused_rows == [4, 5, 6, 7, 8] and [r for r, _ in report.valid] == [3]
    valid = report.valid[0][1]
    assert [m["name"] for m in valid["members"]] == ["孙小八", "孙妻"]  # the 15-digit key matched
    assert valid["work_started_on"] == date(2001, 9, 1)
    assert report.written == 0 and _counts(county.db) == before  # refused rows: nothing written
    dry = import_file(county.db, county.actors["clerk"], "archives", path, dry_run=True, accept_valid=True)
    assert dry.written == 0 and _counts(county.db) == before
    done = import_file(county.db, county.actors["clerk"], "archives", path, accept_valid=True)
    assert done.written == 1 and _counts(county.db)[0] == before[0] + 1
    assert existing in {a for a in _ids(county.db)}


def test_a_duplicate_in_the_file_names_the_sheet_row_of_the_other_household(county, tmp_path):
    path = tmp_path / "dup.xlsx"
    write_template(county.db, county.actors["clerk"], "archives", path)
    sun = id_number("341122", date(1979, 3, 5), 15)
    feng = id_number("341122", date(1966, 7, 8), 21)
    _fill(path, "困难职工档案", [
        _household("周九", HEAD[:-1] + ("0" if HEAD[-1] != "0" else "1")),  # row 3: refused on its own
        _household("孙八", sun),                                             # row 4
        _household("冯二", feng),                                            # row 5
    ])
    _fill(path, "家庭成员", [_member(feng, "冯二", "孙八", sun)])  # 孙八 again, as 冯二's family
    report = import_file(county.db, county.actors["clerk"], "archives", path)
    got = {(p.row, p.column): p.reason for p in report.problems if not p.sheet}
    assert got[5, "家庭成员"] == "家庭成员“孙八”的身份证号与本文件第 4 行的户主重复"


def _ids(db):
    with db.read_session() as s:
        return s.scalars(select(HardshipArchive.id)).all()


def test_relief_import_refuses_a_household_without_an_archive_and_asks_to_confirm_warnings(
        county, tmp_path):
    a = make_archive(county)
    drive(county, a, "publicize", days_ago=10)
    for step, back in (("end_publicity", 5), ("approve", 4)):  # archived some days ago
        who = STEP_ACTOR[step]
        with county.session(who) as s:
            workflow.act(s, county.actors[who], a, step, {**STEP_INPUTS[step],
                                                          "acted_on": (TODAY - timedelta(days=back)).isoformat()})
    make_archive(county, "c", name="王五", income="600", members=[], expenses=[],
                 id_no=id_number("341122", date(1982, 2, 3), 17))  # a draft: not 已建档
    with county.session("clerk") as s:
        records.create(s, county.actors["clerk"], "hardship_campaign", {"name": "春节送温暖", "kind": "spring",
                                                           "year": str(TODAY.year)})
        number = s.get(HardshipArchive, a).archive_no
    path = tmp_path / "relief.xlsx"
    write_template(county.db, county.actors["clerk"], "relief", path)
    day = TODAY.isoformat()
    base = {"帮扶类型": "送温暖慰问", "对象类别": "困难职工", "资金来源": "县总", "发放日期": day}
    _fill(path, "救助发放", [
        {**base, "档案编号": number, "领取人(户主)": "张三", "现金(元)": "500", "慰问活动": "春节送温暖"},
        {**base, "领取人(户主)": "王五", "身份证号": id_number("341122", date(1982, 2, 3), 17),
         "现金(元)": "300"},                                                            # 4: no archive
        {**base, "身份证号": HEAD, "领取人(户主)": "张三", "现金(元)": "200", "慰问活动": "春节送温暖",
         "发放日期": (TODAY - timedelta(days=1)).isoformat()},                           # 5: again, campaign
        {**base, "档案编号": number, "领取人(户主)": "张三", "现金(元)": "19800", "帮扶类型": "生活救助"},  # 6: cap
    ])
    before = _counts(county.db)
    report = check_file(county.db, county.actors["clerk"], "relief", path)
    problems = {(p.row, p.column): p.reason for p in report.problems}
    assert list(problems) == [(4, "档案编号")] and "先建档,后帮扶" in problems[4, "档案编号"]
    warned = {(p.row, p.column): p.reason for p in report.warnings}
    assert "重复慰问" in warned[5, "慰问活动"] and "年度上限" in warned[6, "现金(元)"]
    assert [r for r, _ in report.valid] == [3, 5, 6]
    assert import_file(county.db, county.actors["clerk"], "relief", path).written == 0
    assert _counts(county.db) == before
    done = import_file(county.db, county.actors["clerk"], "relief", path, accept_valid=True)
    assert done.written == 3
    with county.db.read_session() as s:
        summary, detail = s.execute(select(AuditEntry.summary, AuditEntry.detail).where(
            AuditEntry.action == "import").order_by(AuditEntry.seq.desc())).first()
        linked = s.scalars(select(ReliefEntry.archive_id).where(ReliefEntry.cash_fen == 20000)).all()
    assert "已确认提示 2 条" in summary and "重复慰问" in detail
    assert linked == [a]  # named by the head's ID number only: linked to the archive


def test_cli_export_list_import_exit_codes_and_prints(hardship_template, tmp_path):
    path = tmp_path / "county.db"
    shutil.copyfile(hardship_template[0], path)
    pw = PASSWORDS["clerk"]
    r = cli("--db", path, "excel", "export", "--list")
    assert r.returncode == 0 and {"archives  困难职工档案", "relief  救助发放", "visits  走访慰问",
                                  "aid  金秋助学"} <= set(r.stdout.splitlines())
    r = cli("--db", path, "print", "--list")
    assert {"archive_form  困难职工(家庭)档案表", "relief_signoff  送温暖慰问金(品)发放签收表"} <= set(
        r.stdout.splitlines())
    template = tmp_path / "t.xlsx"
    r = cli("--db", path, "--user", "clerk", "excel", "template", "archives", "--out", template, password=pw)
    assert r.returncode == 0, r.stderr
    _fill(template, "困难职工档案", [_household("孙八", "341122197903050150")])  # a wrong check digit
    r = cli("--db", path, "--user", "clerk", "excel", "import", "archives", template, password=pw)
    assert r.returncode == 2 and "第 3 行  身份证号" in r.stdout and "未写入任何数据" in r.stdout
    out = tmp_path / "a.xlsx"
    r = cli("--db", path, "--user", "clerk", "excel", "export", "archives", "--out", out,
            "--from", "2020-01-01", "--to", "2020-12-31", "--status", "已建档", password=pw)
    assert r.returncode == 0, r.stderr
    assert load_workbook(out).worksheets[0]["A1"].value == (
        "示例县总工会困难职工档案名单(状态:已建档 · 建档日期 2020-01-01 至 2020-12-31)")


def test_template_never_offers_the_head_of_household_as_a_family_row(county, tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(county.db, county.actors["clerk"], "archives", path)
    wb = load_workbook(path)
    lists = wb["代码表"]
    column = next(c for c in lists[1] if c.value == "与户主关系").column
    offered = [r[0] for r in lists.iter_rows(min_row=2, min_col=column, max_col=column, values_only=True)
               if r[0]]
    assert "配偶" in offered and "本人" not in offered and "户主" not in offered
    help_row = next(r for r in wb["填写说明"].iter_rows(values_only=True) if r[0] == "与户主关系")
    assert "配偶" in help_row[3] and "本人" not in help_row[3]


def _pay_twice_and_reverse_one(county):
    """Two payouts to an archived household (one with goods), the second then reversed."""
    a = make_archive(county)
    drive(county, a)
    clerk = county.actors["clerk"]
    with county.session("clerk") as s:
        ledger.record_relief(s, clerk, {"paid_on": TODAY.isoformat(), "kind": "warmth",
                                        "recipient_kind": "worker", "archive_id": a, "cash_fen": "800",
                                        "fund_source": "county"},
                             goods=[{"goods_kind": "rice", "goods_unit": "jin", "goods_qty": "50",
                                     "goods_value_fen": "150"}])
        second = ledger.record_relief(s, clerk, {"paid_on": TODAY.isoformat(), "kind": "living",
                                                 "recipient_kind": "worker", "archive_id": a,
                                                 "cash_fen": "300", "fund_source": "county"})[0].id
    return a, second


def test_reimporting_the_exported_ledger_doubles_no_payout(county, tmp_path):
    _, second = _pay_twice_and_reverse_one(county)
    clerk = county.actors["clerk"]
    with county.session("clerk") as s:
        ledger.reverse_entry(s, clerk, second, "金额有误")
    out = tmp_path / "relief.xlsx"
    assert export_kind(county.db, clerk, "relief", out).rows == 3
    before = _ledger(county.db)
    report = import_file(county.db, clerk, "relief", out, accept_valid=True)
    assert report.written == 0 and _ledger(county.db) == before
    assert len(report.unchanged) == 3 and report.problems == []  # the lines already in the ledger
    wb = load_workbook(out)  # the same payouts written down by another hand: probable duplicates
    ws = wb.worksheets[0]
    col = next(c.column for c in ws[2] if str(c.value).lstrip("*") == "经办人")
    for row in range(3, 3 + 3):
        ws.cell(row, col).value = "另一经办人"
    wb.save(out)
    report = import_file(county.db, clerk, "relief", out, accept_valid=True)
    assert report.written == 0 and _ledger(county.db) == before and not report.unchanged
    problems = {p.row: p.reason for p in report.problems}
    assert len(problems) == 3 and report.doubtful_rows == sorted(
        r for r, why in problems.items() if "疑似重复" in why)
    assert len(report.doubtful_rows) == 2  # the payout and the reversed one
    assert any("已经冲正过" in why for why in problems.values())
    one = report.doubtful_rows[0]  # confirmed row by row: that row alone goes in
    done = import_file(county.db, clerk, "relief", out, accept_valid=True, confirm_rows=frozenset({one}))
    assert done.written == 1 and len(_ledger(county.db)) == len(before) + 1


def test_an_exported_reversal_line_imports_as_the_reversal_of_its_original(county, tmp_path):
    _, second = _pay_twice_and_reverse_one(county)
    clerk = county.actors["clerk"]
    target = tmp_path / "target.db"
    with sqlite3.connect(county.path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)  # the ledger before the reversal
    with county.session("clerk") as s:
        ledger.reverse_entry(s, clerk, second, "金额有误")
    out = tmp_path / "relief.xlsx"
    export_kind(county.db, clerk, "relief", out)
    from app.db.engine import open_database
    from app.models import User
    from app.security.users import actor_for

    db = open_database(target)
    try:
        with db.session() as s:
            actor = actor_for(s.query(User).filter_by(username="clerk").one())
        report = import_file(db, actor, "relief", out, accept_valid=True)
        assert report.written == 1 and len(report.unchanged) == 2 and not report.doubtful_rows
        with db.read_session() as s:
            rev = s.scalars(select(ReliefEntry).where(ReliefEntry.reverses_id.is_not(None))).one()
            assert rev.reverses_id == second and rev.cash_fen == -30000 and rev.reason == "金额有误"
        again = import_file(db, actor, "relief", out, accept_valid=True)
        assert again.written == 0 and len(again.unchanged) == 3 and not again.problems
    finally:
        db.close()
