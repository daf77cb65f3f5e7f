"""Excel kinds from the registers' declarations: every register has one, references are named
through the spec they refer to, rows of a file may name each other in any order, and number-like
text stays text. Real .xlsx files, read back with openpyxl."""

from __future__ import annotations

import sqlite3

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.errors import ValidationFailed
from app.excel import refs, registry
from app.excel.export import export_kind
from app.excel.importer import check_file, import_file
from app.excel.template import HELP_SHEET, write_template
from app.fields.spec import Field, Kind
from app.models import AuditEntry, HardshipArchive, HelpPlan, Unit
from app.services import records
from app.services.records import BatchRef
from tests.conftest import UNIT_NAME


def _fill(path, sheet: str, rows: list[dict]):
    wb = load_workbook(path)
    ws = wb[sheet]
    headers = [str(c.value).lstrip("*") for c in ws[2]]
    for r in rows:
        assert set(r) <= set(headers), set(r) - set(headers)
        ws.append([r.get(h) for h in headers])
    wb.save(path)
    return path


def _audits(db) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def _town(db):
    with db.read_session() as s:
        return s.execute(select(Unit.id, Unit.name).where(Unit.kind == "township")
                         .order_by(Unit.name).limit(2)).all()


def test_every_register_has_a_kind_and_the_old_names_stay():
    from app.kit.register import all_registers

    kinds = {k.key: k for k in registry.all_kinds()}
    assert {"units", "members", "campaigns", "plans"} <= set(kinds)
    assert {r.key for r in all_registers()} <= {k.spec.key for k in kinds.values()}
    assert kinds["units"].import_perm == "manage_units" and kinds["members"].period == "入会日期"
    assert [o.dest for o in kinds["members"].options] == ["union", "status", "from", "to"]
    assert kinds["visits"].importer is None and kinds["plans"].importer is not None


def test_units_import_in_any_order_parents_first_with_one_audit_entry(db, clerk, tmp_path):
    path = write_template(db, clerk, "units", tmp_path / "u.xlsx")
    _fill(path, "单位", [
        {"单位名称": "新设某公司工会", "单位类型": "基层工会", "上级单位": "新设街道工会"},     # row 3: parent on row 5
        {"单位名称": "新设某厂工会", "单位类型": "基层工会", "上级单位": "341122119"},         # row 4: by region code
        {"单位名称": "新设街道工会", "单位类型": "街道工会", "上级单位": UNIT_NAME, "区划代码": "341122119"},
    ])
    before = _audits(db)
    report = import_file(db, clerk, "units", path)
    assert report.ok and report.written == 3, report.lines()
    assert _audits(db) == before + 1  # one entry for the file, none per row
    with db.read_session() as s:
        street = s.scalars(select(Unit).where(Unit.name == "新设街道工会")).one()
        children = set(s.scalars(select(Unit.name).where(Unit.parent_id == street.id)))
        summary = s.scalar(select(AuditEntry.summary).order_by(AuditEntry.seq.desc()).limit(1))
    assert children == {"新设某公司工会", "新设某厂工会"} and "批量登记单位 3 条" in summary


def test_rows_naming_a_refused_row_or_each_other_are_refused(db, clerk, tmp_path):
    path = write_template(db, clerk, "units", tmp_path / "u.xlsx")
    _fill(path, "单位", [
        {"单位名称": "甲工会", "单位类型": "基层工会", "上级单位": "乙工会"},       # row 3 and 4: a circle
        {"单位名称": "乙工会", "单位类型": "基层工会", "上级单位": "甲工会"},
        {"单位名称": "丙工会", "单位类型": "火星工会", "上级单位": UNIT_NAME},     # row 5: no such kind
        {"单位名称": "丁工会", "单位类型": "基层工会", "上级单位": "丙工会"},       # row 6: under row 5
    ])
    before = _audits(db)
    report = check_file(db, clerk, "units", path)
    got = {(p.row, p.column): p.reason for p in report.problems}
    assert "循环" in got[3, "上级单位"] and "循环" in got[4, "上级单位"]
    assert "火星工会" in got[5, "单位类型"]
    assert got[6, "上级单位"] == "所指的本文件第 5 行未通过检查"
    assert not report.valid and _audits(db) == before
    with db.read_session() as s:  # checking wrote nothing (the rows were tried in a savepoint)
        assert not s.scalar(select(func.count()).select_from(Unit).where(Unit.name.in_(("甲工会", "乙工会"))))


def test_a_reference_names_one_record_through_the_spec_it_refers_to(db, clerk, tmp_path):
    (town_a, name_a), (town_b, _) = _town(db)
    with db.session(clerk) as s:  # two unions of one name, under two townships
        coded = records.create(s, clerk, "unit", {"name": "同名工会", "kind": "grassroots",
                                                  "parent_id": town_a, "code": "341122101001"}).id
        records.create(s, clerk, "unit", {"name": "同名工会", "kind": "grassroots", "parent_id": town_b})
    path = write_template(db, clerk, "members", tmp_path / "m.xlsx")
    _fill(path, "会员", [
        {"姓名": "甲", "身份证号": "11010519491231002X", "所属基层工会": "同名工会"},
        {"姓名": "乙", "身份证号": "110105195001010012", "所属基层工会": "341122101001"},
        {"姓名": "丙", "身份证号": "110105195001020018", "所属基层工会": name_a},  # a township
    ])
    report = check_file(db, clerk, "members", path)
    got = {(p.row, p.column): p.reason for p in report.problems}
    assert got[3, "所属基层工会"].startswith("有多个名为“同名工会”的单位")
    assert got[5, "所属基层工会"].startswith(f"找不到单位“{name_a}”")  # only grassroots unions
    assert [(n, v["union_id"]) for n, v in report.valid] == [(4, coded)]


def test_an_export_writes_the_key_that_finds_the_record_again(db, clerk, tmp_path):
    (town_a, _), (town_b, _) = _town(db)
    with db.session(clerk) as s:
        twins = [records.create(s, clerk, "unit", {"name": "同名工会", "kind": "grassroots", "parent_id": t,
                                                   **({"code": "341122101001"} if t == town_a else {})}).id
                 for t in (town_a, town_b)]
        for union, number in zip(twins, ("11010519491231002X", "110105195001010012")):
            records.create(s, clerk, "member", {"name": "某", "id_number": number, "union_id": union})
    out = tmp_path / "m.xlsx"
    export_kind(db, clerk, "members", out)
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[2]]
    by_number = {r[header.index("身份证号")]: r[header.index("所属基层工会")]
                 for r in ws.iter_rows(min_row=3, values_only=True)}
    texts = [by_number["11010519491231002X"], by_number["110105195001010012"]]
    assert texts == ["341122101001", twins[1]]  # the code, else the id: never the shared name
    with db.read_session() as s:
        found = refs.matches(s, Field("u", "工会", Kind.REF, ref="unit"), texts)
    assert [found[t] for t in texts] == [{twins[0]}, {twins[1]}]


def test_plans_import_names_households_by_archive_number_or_head_id(db, clerk, tmp_path):
    with db.read_session() as s:
        (a, number), (b, _) = s.execute(select(HardshipArchive.id, HardshipArchive.archive_no).where(
            HardshipArchive.status == "archived").order_by(HardshipArchive.archive_no).limit(2)).all()
        head = s.get(HardshipArchive, b).id_number
        plans = s.scalar(select(func.count()).select_from(HelpPlan))
    path = write_template(db, clerk, "plans", tmp_path / "p.xlsx")
    _fill(path, "帮扶计划", [
        {"困难职工档案": number, "帮扶责任人": "王干部", "帮扶措施": "就业帮扶"},
        {"困难职工档案": head, "帮扶责任人": "李干部", "帮扶措施": "就业帮扶、助学"},
        {"困难职工档案": "341122-2099-99999", "帮扶责任人": "赵干部", "帮扶措施": "就业帮扶"},
    ])
    report = import_file(db, clerk, "plans", path, accept_valid=True)
    assert [(p.row, p.column) for p in report.problems] == [(5, "困难职工档案")]
    assert "找不到困难职工档案“341122-2099-99999”" in report.problems[0].reason
    assert "档案编号或身份证号" in report.problems[0].reason
    with db.read_session() as s:
        made = dict(s.execute(select(HelpPlan.cadre_name, HelpPlan.archive_id).where(
            HelpPlan.cadre_name.in_(("王干部", "李干部")))).all())
        assert s.scalar(select(func.count()).select_from(HelpPlan)) == plans + 2
    assert made == {"王干部": a, "李干部": b}


def test_number_like_text_stays_text_in_templates_and_exports(db, clerk, tmp_path):
    template = write_template(db, clerk, "members", tmp_path / "t.xlsx")
    wb = load_workbook(template)
    ws = wb["会员"]
    letters = {str(c.value).lstrip("*"): c.column_letter for c in ws[2]}
    for label in ("身份证号", "手机号码", "会员证号"):
        assert ws.column_dimensions[letters[label]].number_format == "@", label
    help_text = [" ".join(str(v) for v in row if v) for row in wb[HELP_SHEET].iter_rows(values_only=True)]
    assert any("身份证号、手机号码、会员证号所在列已设为文本格式" in line for line in help_text)
    assert any(line.startswith("所属基层工会 是 填写单位的单位名称或区划代码") for line in help_text)
    with db.session(clerk) as s:
        union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots").limit(1))
        records.create(s, clerk, "member", {"name": "零", "id_number": "11010519491231002X",
                                            "union_id": union, "card_no": "0012345678901234567"})
    out = tmp_path / "m.xlsx"
    export_kind(db, clerk, "members", out)
    ws = load_workbook(out).worksheets[0]
    col = [c.value for c in ws[2]].index("会员证号") + 1
    cell = next(ws.cell(r, col) for r in range(3, ws.max_row + 1) if ws.cell(r, col).value == "0012345678901234567")
    assert cell.data_type == "s"
    _fill(template, "会员", [{"姓名": "甲", "身份证号": "110105195001010012", "会员证号": 1.2345678901234567e18,
                              "所属基层工会": union}])
    report = check_file(db, clerk, "members", template)
    assert [(p.row, p.column) for p in report.problems] == [(3, "会员证号")]
    assert "存成了数字" in report.problems[0].reason


def test_units_export_lists_what_is_below_a_unit(db, clerk, tmp_path):
    (town, name), _ = _town(db)
    with db.read_session() as s:
        below = s.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == town,
                                                                       Unit.deleted.is_(False)))
        everything = s.scalar(select(func.count()).select_from(Unit).where(Unit.deleted.is_(False)))
    assert export_kind(db, clerk, "units", tmp_path / "a.xlsx", options={"union": name}).rows == below > 0
    assert export_kind(db, clerk, "units", tmp_path / "b.xlsx").rows == everything - 1  # not the root


def test_drop_downs_never_list_personal_numbers(db):
    with db.read_session() as s:
        assert refs.choices(s, Field("m", "会员", Kind.REF, ref="member")) is None  # by ID number
        names = refs.choices(s, Field("u", "工会", Kind.REF, ref="unit", ref_filter={"kind": ("township",)}))
        assert names == sorted(s.scalars(select(Unit.name).where(Unit.kind == "township")))


def test_a_batch_whose_rows_name_each_other_is_written_parents_first(db, admin):
    root = db.root_unit_id
    rows = [{"name": "子工会", "kind": "grassroots", "parent_id": BatchRef(1)},
            {"name": "母街道工会", "kind": "street", "parent_id": root}]
    with db.session(admin) as s:
        assert records.check_many(s, admin, "unit", rows) == {}
        assert not s.scalar(select(Unit.id).where(Unit.name == "母街道工会"))  # undone
        itself = records.check_many(s, admin, "unit", [{**rows[0], "parent_id": BatchRef(0)}])
        assert "循环" in itself[0]["parent_id"]
        missing = records.check_many(s, admin, "unit", [{**rows[0], "parent_id": BatchRef(5)}])
        assert missing == {0: {"parent_id": "所指的本批第 6 条记录未通过检查"}}
        with pytest.raises(ValidationFailed, match="循环"):
            records.add_many(s, admin, "unit", [{**rows[0], "parent_id": BatchRef(0)}], source="测试")
    with db.session(admin) as s:
        assert records.add_many(s, admin, "unit", rows, source="测试") == 2
    con = sqlite3.connect(db.path)
    try:
        (parent,) = con.execute("SELECT p.name FROM units u JOIN units p ON p.id = u.parent_id "
                                "WHERE u.name = '子工会'").fetchone()
    finally:
        con.close()
    assert parent == "母街道工会"
