"""Excel exports, templates and imports, read back with openpyxl from real .xlsx files."""

import re
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text

from app.errors import AppError, PermissionDenied
from app.excel import registry
from app.excel.export import export_kind
from app.excel.importer import apply_import, check_file, import_file
from app.excel.template import CODES_SHEET, HELP_SHEET, write_template
from app.fields.members import MEMBER
from app.fields.spec import Field, Kind, RecordSpec
from app.models import AuditEntry, Member, Unit
from app.security import roles
from app.security.actor import Actor
from tests.conftest import PASSWORDS, UNIT_NAME

FULL_ID = re.compile(r"^\d{17}[\dX]$")
MEMBER_KEYS = [f.key for f in MEMBER.fields]


def _sheet_rows(path, sheet=None):
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return ws, [list(r) for r in ws.iter_rows(values_only=True)]


def _members_by_id_number(db):
    with db.session() as s:
        rows = s.execute(select(Member, Unit.name).join(Unit, Unit.id == Member.union_id)
                         .where(Member.deleted.is_(False))).all()
        return {m.id_number: tuple(u if k == "union_id" else getattr(m, k) for k in MEMBER_KEYS)
                for m, u in rows}


def _counts(db):
    with db.read_session() as s:
        return (s.scalar(select(func.count()).select_from(Member)),
                s.scalar(select(func.max(AuditEntry.seq))))


def _clerk_in(db):
    """A 经办人 account in a fresh database (made by its administrator)."""
    from app.models import User
    from app.security.users import actor_for, authenticate, create_user

    admin = authenticate(db, "admin", PASSWORDS["admin"])
    with db.session(admin) as s:
        create_user(s, admin, "clerk", "clerk", password=PASSWORDS["clerk"])
        s.query(User).filter_by(username="clerk").one().must_change_password = False
    with db.session() as s:
        return actor_for(s.query(User).filter_by(username="clerk").one())


def test_export_then_import_into_a_fresh_database_gives_the_same_rows(db, clerk, fresh_db, tmp_path):
    units, people = tmp_path / "units.xlsx", tmp_path / "members.xlsx"
    assert export_kind(db, clerk, "units", units).rows > 100
    assert export_kind(db, clerk, "members", people).rows == 300
    other = _clerk_in(fresh_db)
    report = import_file(fresh_db, other, "units", units)
    assert report.ok and report.written == report.total
    report = import_file(fresh_db, other, "members", people)
    assert report.ok and report.written == 300
    assert _members_by_id_number(fresh_db) == _members_by_id_number(db)
    tree = text("SELECT u.name, u.kind, p.name, u.code, u.union_uscc, u.enterprise_uscc, u.industry,"
                " u.founded_on, u.worker_count, u.chair_phone, u.active FROM units u"
                " LEFT JOIN units p ON p.id = u.parent_id")
    with db.read_session() as a, fresh_db.read_session() as b:
        assert sorted(a.execute(tree).all()) == sorted(b.execute(tree).all())


def test_export_sheet_title_headers_text_ids_and_dates(db, clerk, tmp_path):
    out = tmp_path / "m.xlsx"
    r = export_kind(db, clerk, "members", out, options={"from": "2000-01-01", "to": "2020.12.31"})
    ws, rows = _sheet_rows(out)
    assert rows[0][0] == f"{UNIT_NAME}会员名单(入会日期 2000-01-01 至 2020-12-31)"
    assert rows[1] == [f.label for f in MEMBER.fields]
    assert ws.freeze_panes == "A3" and "A1" in str(ws.merged_cells)
    id_col, joined_col = MEMBER_KEYS.index("id_number"), MEMBER_KEYS.index("joined_on")
    data = rows[2:]
    assert len(data) == r.rows > 0
    for row in data:
        assert isinstance(row[id_col], str) and FULL_ID.match(row[id_col])
        assert isinstance(row[joined_col], datetime) and date(2000, 1, 1) <= row[joined_col].date() <= date(2020, 12, 31)
        assert row[MEMBER_KEYS.index("status")] in ("正常", "保留会籍", "转出", "退会")  # labels, not codes
    cell = ws.cell(3, id_col + 1)
    assert cell.data_type == "s"
    assert ws.column_dimensions["B"].width >= 20  # 身份证号


def test_money_exported_as_numbers_with_two_decimals(db, clerk, tmp_path, monkeypatch):
    spec = RecordSpec("fee", "会费", Member, (Field("name", "姓名"), Field("amount", "金额", Kind.MONEY),
                                              Field("paid_on", "缴费日期", Kind.DATE)))
    kind = registry.ExcelKind("fees", "会费", spec, ("name", "amount", "paid_on"),
                              lambda s, o: ([("张三", 123450, date(2020, 3, 5)), ("李四", 5, None)], ""))
    monkeypatch.setattr(registry, "all_kinds", lambda: (kind,))
    out = tmp_path / "fees.xlsx"
    export_kind(db, clerk, "fees", out)
    ws, rows = _sheet_rows(out)
    assert rows[2][:2] == ["张三", 1234.5] and rows[3][:2] == ["李四", 0.05]
    assert ws["B3"].number_format == "#,##0.00" and ws["C3"].number_format == "yyyy-mm-dd"


def test_exports_are_masked_unless_the_role_may_reveal(db, actors, tmp_path, monkeypatch):
    def id_cells(path):
        _, rows = _sheet_rows(path)
        col = MEMBER_KEYS.index("id_number")
        return [r[col] for r in rows[2:]]

    full, masked = tmp_path / "full.xlsx", tmp_path / "masked.xlsx"
    export_kind(db, actors["clerk"], "members", full)
    assert all(FULL_ID.match(v) for v in id_cells(full))
    r = export_kind(db, actors["clerk"], "members", masked, mask=True)
    assert r.masked and all(re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", v) for v in id_cells(masked))
    # a role that may export but not reveal gets a masked copy whatever it asks
    monkeypatch.setitem(roles.ROLES, "exporter", ("导出员", frozenset({roles.Perm.READ, roles.Perm.EXPORT})))
    exporter = Actor("x", "exporter", "exporter")
    r = export_kind(db, exporter, "members", tmp_path / "e.xlsx")
    assert r.masked and not any(FULL_ID.match(v) for v in id_cells(tmp_path / "e.xlsx"))
    _, rows = _sheet_rows(tmp_path / "e.xlsx")
    phone = rows[2][MEMBER_KEYS.index("phone")]
    assert "****" in phone
    for role in ("readonly", "auditor", "admin"):
        with pytest.raises(PermissionDenied):
            export_kind(db, actors[role], "members", tmp_path / "no.xlsx")
    assert not (tmp_path / "no.xlsx").exists()


def test_every_export_is_audited(db, clerk, tmp_path):
    export_kind(db, clerk, "members", tmp_path / "a.xlsx", options={"status": "正常"}, mask=True)
    with db.session() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
        assert e.username == "clerk" and e.object_type == "members"
        assert "导出会员" in e.summary and "脱敏" in e.summary
        assert '"masked":true' in e.detail and '"status":"正常"' in e.detail


def test_template_has_drop_downs_text_columns_and_instructions(db, clerk, tmp_path):
    out = write_template(db, clerk, "members", tmp_path / "t.xlsx")
    wb = load_workbook(out)
    ws = wb["会员"]
    headers = [c.value for c in ws[2]]
    assert headers[0] == "*姓名" and "*身份证号" in headers and "性别" not in headers  # derived
    letters = {h.lstrip("*"): chr(ord("A") + i) for i, h in enumerate(headers)}
    formulas = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    ethnicity = formulas[f"{letters['民族']}3:{letters['民族']}5002"]
    assert ethnicity.startswith(f"'{CODES_SHEET}'!")
    assert formulas[f"{letters['农民工']}3:{letters['农民工']}5002"] == '"是,否"'
    assert wb[CODES_SHEET].sheet_state == "hidden"
    codes = [c.value for c in wb[CODES_SHEET]["A"] if c.value]
    assert "汉族" in codes
    assert ws.column_dimensions[letters["身份证号"]].number_format == "@"
    unions = formulas[f"{letters['所属基层工会']}3:{letters['所属基层工会']}5002"]
    column = unions.split("!")[1].split(":")[0].strip("$")[0]
    names = [c.value for c in wb[CODES_SHEET][column][1:] if c.value]
    with db.read_session() as s:
        assert set(names) == set(s.scalars(select(Unit.name).where(Unit.kind == "grassroots")))
    help_text = " ".join(str(c.value) for row in wb[HELP_SHEET] for c in row if c.value)
    assert "2020年3月5日" in help_text and "必填" in help_text


def _fill(template, rows):
    wb = load_workbook(template)
    ws = wb["会员"]
    headers = [c.value.lstrip("*") for c in ws[2]]
    for r, values in enumerate(rows, 3):
        for label, value in values.items():
            ws.cell(r, headers.index(label) + 1, value)
    out = template.with_name("filled.xlsx")
    wb.save(out)
    return out


def _a_union(db):
    with db.read_session() as s:
        return s.scalar(select(Unit.name).where(Unit.kind == "grassroots").order_by(Unit.name).limit(1))


def test_bad_rows_are_reported_by_row_column_and_reason_and_nothing_is_written(db, clerk, tmp_path):
    from datetime import date

    from tests.app.syncnet import id_number

    union = _a_union(db)
    wu = id_number("110105", date(1950, 1, 6), 11)
    ok = {"姓名": "张三", "身份证号": "11010519491231002X", "所属基层工会": union, "入会日期": "2020.3.5"}
    rows = [
        ok,
        {**ok, "姓名": "李四", "身份证号": "110105194912310021"},  # row 4: check digit
        {**ok, "姓名": "王五", "身份证号": "110105195001010012", "民族": "火星族"},  # row 5
        {**ok, "姓名": "赵六", "身份证号": "110105195001020018", "入会日期": "2020年2月30日"},  # row 6
        {**ok, "姓名": "钱七"},  # row 7: same ID as row 3
        {**ok, "姓名": None, "身份证号": "110105195001030013"},  # row 8: name missing
        {**ok, "姓名": "孙八", "身份证号": 1.10105195001040e17},  # row 9: Excel ate the digits
        {**ok, "姓名": "周九", "身份证号": "110105195001050014", "所属基层工会": "不存在的工会"},  # row 10
        {**ok, "姓名": "吴十", "身份证号": wu},  # row 11: valid, the 2nd row of the checked batch
        {**ok, "姓名": "郑一", "身份证号": wu},  # row 12: same ID as row 11
    ]
    before = _counts(db)
    report = check_file(db, clerk, "members", _fill(write_template(db, clerk, "members", tmp_path / "t.xlsx"), rows))
    got = {(p.row, p.column): p.reason for p in report.problems}
    assert set(got) == {(4, "身份证号"), (5, "民族"), (6, "入会日期"), (7, "身份证号"), (8, "姓名"),
                        (9, "身份证号"), (10, "所属基层工会"), (12, "身份证号")}
    assert got[(4, "身份证号")] == "校验位不正确,请对照证件逐位核对"
    assert "火星族" in got[(5, "民族")] and "日期不存在" in got[(6, "入会日期")]
    # a duplicate names the earlier row by the number the report uses (the sheet's row)
    assert got[(7, "身份证号")] == "与本文件第 3 行的身份证号重复" and got[(8, "姓名")] == "必填"
    assert got[(12, "身份证号")] == "与本文件第 11 行的身份证号重复"
    assert "存成了数字" in got[(9, "身份证号")] and "找不到" in got[(10, "所属基层工会")]
    assert [r for r, _ in report.valid] == [3, 11] and report.total == 10
    assert _counts(db) == before  # checking wrote nothing, not even an audit entry
    assert any("第 4 行  身份证号" in line for line in report.lines())
    written = apply_import(db, clerk, report)  # the user accepts the valid rows
    assert written == 2 and _counts(db)[0] == before[0] + 2
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert entry.action == "import" and "批量登记会员 2 条" in entry.summary


def test_dry_run_and_refused_rows_write_nothing(db, clerk, tmp_path):
    union = _a_union(db)
    good = {"姓名": "张三", "身份证号": "11010519491231002X", "所属基层工会": union}
    bad = {"姓名": "李四", "身份证号": "110105194912310021", "所属基层工会": union}
    path = _fill(write_template(db, clerk, "members", tmp_path / "t.xlsx"), [good, bad])
    before = _counts(db)
    assert import_file(db, clerk, "members", path, dry_run=True).written == 0
    assert import_file(db, clerk, "members", path).written == 0  # refused rows, not accepted
    assert _counts(db) == before
    good_only = _fill(write_template(db, clerk, "members", tmp_path / "t2.xlsx"), [good])
    assert import_file(db, clerk, "members", good_only, dry_run=True).ok
    assert _counts(db) == before


def test_office_ways_of_writing_dates_and_numbers_are_accepted(db, clerk, tmp_path):
    union = _a_union(db)
    rows = [
        {"姓名": "甲", "身份证号": "１１０１０５１９４９１２３１００２ｘ", "所属基层工会": union,
         "入会日期": "2020年3月5日", "民族": "回族", "农民工": "是"},
        {"姓名": "乙", "身份证号": "110105491231001", "所属基层工会": union, "入会日期": "2020.3.6",
         "手机号码": 13912345678},
        {"姓名": "丙", "身份证号": "110105195001010012", "所属基层工会": union,
         "入会日期": datetime(2020, 3, 7)},
    ]
    report = check_file(db, clerk, "members", _fill(write_template(db, clerk, "members", tmp_path / "t.xlsx"), rows))
    assert report.ok, report.lines()
    got = {v["name"]: v for _, v in report.valid}
    assert got["甲"]["id_number"] == "11010519491231002X" and got["甲"]["ethnicity"] == "03"
    assert got["甲"]["joined_on"] == date(2020, 3, 5) and got["甲"]["is_migrant_worker"] is True
    assert got["乙"]["id_number"] == "110105194912310011" and got["乙"]["phone"] == "13912345678"
    assert got["乙"]["joined_on"] == date(2020, 3, 6) and got["丙"]["joined_on"] == date(2020, 3, 7)


def test_units_import_takes_parents_defined_earlier_in_the_file(db, clerk, tmp_path):
    template = write_template(db, clerk, "units", tmp_path / "u.xlsx")
    wb = load_workbook(template)
    ws = wb["单位"]
    headers = [c.value.lstrip("*") for c in ws[2]]
    rows = [{"单位名称": "新设街道工会", "单位类型": "街道工会", "上级单位": UNIT_NAME},
            {"单位名称": "新设街道某公司工会", "单位类型": "基层工会", "上级单位": "新设街道工会"},
            {"单位名称": "错误上级的工会", "单位类型": "乡镇工会", "上级单位": "新设街道某公司工会"}]
    for r, values in enumerate(rows, 3):
        for label, value in values.items():
            ws.cell(r, headers.index(label) + 1, value)
    wb.save(template)
    report = import_file(db, clerk, "units", template, accept_valid=True)
    assert [p.row for p in report.problems] == [5] and "上级" in report.problems[0].reason
    assert report.written == 2
    with db.read_session() as s:
        child = s.scalars(select(Unit).where(Unit.name == "新设街道某公司工会")).one()
        assert s.get(Unit, child.parent_id).name == "新设街道工会"


def test_kinds_registry_lists_every_area_s_kinds():
    keys = [k.key for k in registry.all_kinds()]
    # the areas' order in the seed: 权益保障 (五) before 困难帮扶 (六)
    assert keys[:12] == ["tickets", "duty_roster", "aid_cases", "law_events", "consultations",
                         "safety_checks", "law_firms", "lawyers", "archives", "relief", "visits", "aid"]
    assert {"archives", "relief", "visits", "aid"} <= set(keys) and len(keys) == len(set(keys))
    assert all(k.key.isascii() for k in registry.all_kinds())
    importable = {k.key for k in registry.all_kinds() if k.importer is not None}
    assert {"units", "members", "archives", "relief"} <= importable
    with pytest.raises(AppError, match="没有名为"):
        registry.kind("nothing")


def test_a_file_that_is_not_a_workbook_is_refused_plainly(db, clerk, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("not excel", encoding="ascii")
    with pytest.raises(AppError, match="无法读取 Excel 文件") as exc:
        check_file(db, clerk, "members", bad)
    assert "不是 .xlsx 格式的 Excel 文件" in exc.value.message
    assert "zip" not in exc.value.message.lower()  # openpyxl's English stays in the log
    empty = tmp_path / "e.xlsx"
    Workbook().save(empty)
    with pytest.raises(AppError, match="找不到会员的列名"):
        check_file(db, clerk, "members", empty)


def test_rows_are_checked_again_only_when_the_database_changed_since(db, clerk, tmp_path, monkeypatch):
    """Writing what was just checked skips the second check (the state it passed on is the same);
    a member registered between the check and the write is caught by the check that then runs."""
    from app.services import records

    union = _a_union(db)
    rows = [{"姓名": "张三", "身份证号": "11010519491231002X", "所属基层工会": union},
            {"姓名": "李四", "身份证号": "110105195001010012", "所属基层工会": union}]
    path = _fill(write_template(db, clerk, "members", tmp_path / "t.xlsx"), rows)
    rule_runs = []
    real = records.check_items
    monkeypatch.setattr(records, "check_items", lambda *a, **k: rule_runs.append(1) or real(*a, **k))
    report = check_file(db, clerk, "members", path)
    assert report.ok and report.checked_state
    checked_runs = len(rule_runs)
    assert apply_import(db, clerk, report) == 2 and len(rule_runs) == checked_runs

    path2 = _fill(write_template(db, clerk, "members", tmp_path / "t2.xlsx"),
                  [{"姓名": "王五", "身份证号": "11010519500202001X", "所属基层工会": union}])
    report = check_file(db, clerk, "members", path2)
    assert report.ok
    with db.session(clerk) as s:  # meanwhile a colleague registers the same person
        records.create(s, clerk, "member", {"name": "王五", "id_number": "11010519500202001X",
                                             "union_id": s.scalar(select(Unit.id).where(Unit.name == union))})
    rule_runs.clear()
    with pytest.raises(AppError):
        apply_import(db, clerk, report)
    assert rule_runs  # checked again, and refused
