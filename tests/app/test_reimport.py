"""Issue 13, point 1a and 1c: importing the app's own member export again makes no second member,
recognises unchanged rows, offers changed ones as updates in the 更新已有记录 mode, and a 会员证号
names one member in the county."""

from collections import Counter

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.clock import today
from app.errors import ValidationFailed
from app.excel.export import export_kind
from app.excel.importer import import_file
from app.models import AuditEntry, Member
from app.services import records
from app.services.organisation import membership


def _live_ids(db) -> Counter:
    with db.read_session() as s:
        return Counter(s.scalars(select(Member.id_number).where(Member.deleted.is_(False))))


def _transfer_out(db, actor, n: int) -> list[str]:
    """Set ``n`` members to 转出 (as a year of 会籍 work would), returning their ids."""
    with db.session(actor) as s:
        ids = list(s.scalars(select(Member.id).where(Member.deleted.is_(False))
                             .order_by(Member.id).limit(n)))
        for rid in ids:
            records.create(s, actor, membership.REGISTER, {"member_id": rid, "kind": "transfer_out",
                                                           "event_date": today().isoformat(), "to_place": "外省某公司"})
    return ids


def test_reimporting_an_export_makes_no_second_member_even_when_transferred_out(db, clerk, tmp_path):
    _transfer_out(db, clerk, 9)
    out = tmp_path / "members.xlsx"
    export_kind(db, clerk, "members", out)
    before = _live_ids(db)
    report = import_file(db, clerk, "members", out, accept_valid=True)
    assert report.written == 0
    assert len(report.unchanged) == report.total == sum(before.values())
    assert not report.problems
    after = _live_ids(db)
    assert after == before and max(after.values()) == 1


def test_a_new_member_with_the_id_of_a_transferred_out_one_is_refused(db, clerk):
    rid = _transfer_out(db, clerk, 1)[0]
    with db.session(clerk) as s:
        old = s.get(Member, rid)
        values = {"name": "新记录", "id_number": old.id_number, "union_id": old.union_id}
        with pytest.raises(ValidationFailed) as exc:
            records.create(s, clerk, "member", values)
    assert "已有会员记录" in str(exc.value) and "转出" in str(exc.value)


def _edit_export(path, changes: dict[int, dict[str, str]]):
    """Change cells of the exported sheet by data-row index and column label."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    labels = [c.value for c in ws[2]]
    for index, cells in changes.items():
        for label, value in cells.items():
            ws.cell(row=3 + index, column=labels.index(label) + 1, value=value)
    wb.save(path)
    return labels


def test_changed_rows_are_refused_unless_updating_and_then_written_with_a_diff(db, clerk, tmp_path):
    out = tmp_path / "members.xlsx"
    export_kind(db, clerk, "members", out)
    _edit_export(out, {0: {"部门": "质检科甲"}, 4: {"手机号码": "13900001111", "岗位": "班组长乙"}})
    ws = load_workbook(out).worksheets[0]
    labels = [c.value for c in ws[2]]
    id_col = labels.index("身份证号")
    changed_ids = {ws.cell(row=3, column=id_col + 1).value, ws.cell(row=7, column=id_col + 1).value}

    plain = import_file(db, clerk, "members", out, dry_run=True)
    assert sorted(p.row for p in plain.problems) == [3, 7]
    assert all("更新已有记录" in p.reason for p in plain.problems)
    assert "部门" in plain.problems[0].reason

    seq = _audit_seq(db)
    report = import_file(db, clerk, "members", out, update=True)
    assert not report.problems and report.written == 0 and report.updated == 2
    assert len(report.unchanged) == report.total - 2
    diffs = {row: m.changes for row, m in report.updates.items()}
    assert [c[0] for c in diffs[3]] == ["部门"] and diffs[3][0][2] == "质检科甲"
    assert {c[0] for c in diffs[7]} == {"手机号码", "岗位"}
    assert any("第 7 行" in line and "岗位" in line for line in report.lines())
    with db.read_session() as s:
        got = {m.id_number: m for m in s.scalars(select(Member).where(Member.id_number.in_(changed_ids)))}
        assert {m.department for m in got.values()} >= {"质检科甲"}
        assert {m.phone for m in got.values()} >= {"13900001111"}
        entries = [(e.action, e.detail) for e in s.scalars(select(AuditEntry).where(AuditEntry.seq > seq))]
    assert [a for a, _ in entries] == ["update"] * 3  # each record's change, then the batch's source
    assert '"count":2' in entries[-1][1] and "members.xlsx" in entries[-1][1]


def _audit_seq(db) -> int:
    from sqlalchemy import func

    with db.read_session() as s:
        return s.scalar(select(func.max(AuditEntry.seq)))


def test_card_numbers_typed_as_numbers_are_one_number_and_unique_in_the_county(db, clerk, tmp_path):
    with db.read_session() as s:
        union = s.scalar(select(Member.union_id).limit(1))
        taken = s.scalar(select(Member.card_no).where(Member.card_no.is_not(None)).limit(1))
    from app.models import Unit

    with db.read_session() as s:
        union_name = s.get(Unit, union).name
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "所属基层工会", "会籍状态", "会员证号"])
    ws.append(["甲一", "110101199003070011", union_name, "正常", 2026000123])
    ws.append(["乙二", "110101199003070038", union_name, "正常", 2026000123.0])
    ws.append(["丙三", "110101199003070054", union_name, "正常", taken])
    path = tmp_path / "cards.xlsx"
    wb.save(path)
    report = import_file(db, clerk, "members", path, dry_run=True)
    problems = {p.row: (p.column, p.reason) for p in report.problems}
    assert problems[3][0] == "会员证号" and "重复" in problems[3][1]
    assert problems[4][0] == "会员证号" and "已属于" in problems[4][1]
    assert [row for row, _ in report.valid] == [2]
