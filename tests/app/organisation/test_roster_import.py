"""A township's member roster as townships send it — a merged title row, a subtitle, headers in
their own words (身份证号码, 入会时间, 工作单位, 文化程度), ID numbers of 15 digits, in full-width
digits or as numbers, dates written 2020.3.5 and 2020年3月5日, a 合计 row at the foot — read by
the members' import: the dry run reports row, column and reason, the 合计 row is recognised and
skipped (not reported as a bad member), and the accepted rows become members with their 入会."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from app.excel.importer import import_file
from app.models import Member, Unit
from app.services.organisation import membership
from tests.app.syncnet import id_number

HEADERS = ["序号", "姓名", "性别", "身份证号码", "民族", "文化程度", "政治面貌", "工作单位", "入会时间",
           "联系电话", "备注"]


def _sheet(path, union_name: str, enterprise: str) -> dict[str, str]:
    """The roster file, and the ID numbers it should give (name -> 18 digits)."""
    fifteen = id_number("341122", date(1968, 4, 9), 35)  # 34112268040903 + 5 as a 15-digit number
    legacy = fifteen[:6] + fifteen[8:17]
    full_width = id_number("341122", date(1990, 1, 2), 37)
    rows = [
        [1, "赵一", "男", id_number("341122", date(1985, 6, 1), 31), "汉族", "大学本科", "群众", union_name,
         "2020.3.5", "13800000001", ""],
        [2, "钱二", "女", "".join(chr(ord(c) + 0xFEE0) for c in full_width), "汉族", "高中", "中共党员",
         enterprise, "2020年3月5日", "13800000002", ""],
        [3, "孙三", "男", int(legacy), "回族", "初中", "群众", union_name, "2019-11-20", "", "15位旧号"],
        [4, "李四", "男", id_number("341122", date(1985, 6, 1), 33), "汉族", "大学本科", "群众", union_name, "2020.13.5", "", ""],
        [None, "合  计", None, None, None, None, None, None, None, None, "共 4 人"],
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "会员名册"
    ws.append([f"城关镇{enterprise}工会会员名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append(["填报单位(盖章):城关镇工会", None, None, None, None, None, None, None, "2026年6月"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return {"赵一": rows[0][3], "钱二": full_width, "孙三": fifteen}


def test_a_township_roster_imports_with_its_own_headers_and_total_row(db, clerk, tmp_path):
    with db.read_session() as s:
        union_id, union_name, enterprise = s.execute(
            select(Unit.id, Unit.name, Unit.enterprise_name).where(
                Unit.kind == "grassroots", Unit.enterprise_name.is_not(None)).order_by(Unit.name).limit(1)).one()
        before = s.scalar(select(Member.id).order_by(Member.id.desc()).limit(1))
    path = tmp_path / "城关镇会员名册.xlsx"
    expected = _sheet(path, union_name, enterprise)
    dry = import_file(db, clerk, "members", path, dry_run=True)
    assert dry.total == 4 and dry.totals == [8]  # the 合计 row: recognised, skipped, said so
    assert [(p.row, p.column) for p in dry.problems] == [(7, "入会日期")]  # only 李四's 2020.13.5
    assert "已跳过合计行:第 8 行" in dry.lines()
    assert dry.ignored_columns == ["序号"]  # 身份证号码, 入会时间, 工作单位 … read as the fields they name
    assert len(dry.valid) == 3 and not dry.written
    with db.read_session() as s:
        assert s.scalar(select(Member.id).order_by(Member.id.desc()).limit(1)) == before
    report = import_file(db, clerk, "members", path, accept_valid=True)
    assert report.written == 3
    with db.read_session() as s:
        made = {m.name: m for m in s.scalars(select(Member).where(Member.name.in_(list(expected))))}
        assert {n: m.id_number for n, m in made.items()} == expected  # 15 digits and full width normalised
        assert {m.union_id for m in made.values()} == {union_id}  # by union name or enterprise name
        assert made["赵一"].joined_on == made["钱二"].joined_on == date(2020, 3, 5)
        assert made["钱二"].education == "60" and made["孙三"].ethnicity == "03"  # 文化程度, labels
        for m in made.values():
            [join] = membership.events_of(s, m.id)
            assert (join.kind, join.union_id, join.event_date) == ("join", union_id, m.joined_on)
