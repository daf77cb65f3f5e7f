"""Re-importing the app's own export never makes a second payout or a second archive: lines and
households already here are recognised as such (与已有记录相同), near-copies are held back."""

from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.clock import today
from app.excel.export import export_kind
from app.excel.importer import check_file, import_file
from app.models import HardshipArchive, ReliefEntry
from app.services.hardship import ledger, workflow
from tests.app.hardship.helpers import drive, id_number, make_archive

TODAY = today()
WANG = id_number("341122", date(1982, 2, 3), 17)


def _enterprise_payout(county, union="a", cash="5000", **extra):
    """送温暖 to a 困难企业: no archive, no ID number — the recipient is the enterprise's union."""
    with county.session("clerk") as s:
        return ledger.record_relief(s, county.actors["clerk"], {
            "paid_on": TODAY.isoformat(), "kind": "warmth", "recipient_kind": "enterprise",
            "unit_id": county.ids[union], "cash_fen": cash, "fund_source": "county", **extra})[0].id


def _worker_payout(county, archive_id, cash="800"):
    with county.session("clerk") as s:
        return ledger.record_relief(s, county.actors["clerk"], {
            "paid_on": TODAY.isoformat(), "kind": "living", "recipient_kind": "worker",
            "archive_id": archive_id, "cash_fen": cash, "fund_source": "county"})[0].id


def _ledger_size(db) -> tuple[int, int]:
    with db.read_session() as s:
        return (s.scalar(select(func.count()).select_from(ReliefEntry)),
                s.scalar(select(func.coalesce(func.sum(ReliefEntry.cash_fen), 0))))


def _edit(path, sheet_title, header: str, row: int, value) -> None:
    """Overwrite one cell of an exported sheet, found by its column label."""
    wb = load_workbook(path)
    ws = wb[sheet_title] if sheet_title in wb.sheetnames else wb.worksheets[0]
    head_row = next(r for r in range(1, 7) if any(c.value == header for c in ws[r]))
    col = next(c.column for c in ws[head_row] if c.value == header)
    ws.cell(head_row + row, col).value = value
    wb.save(path)


# -- relief ------------------------------------------------------------------------------------------
def test_reimported_enterprise_and_worker_lines_are_the_lines_already_in_the_ledger(county, tmp_path):
    a = make_archive(county)
    drive(county, a)
    _worker_payout(county, a)
    _enterprise_payout(county, "a")
    _enterprise_payout(county, "b", "3000")
    clerk = county.actors["clerk"]
    out = tmp_path / "relief.xlsx"
    assert export_kind(county.db, clerk, "relief", out).rows == 3
    before = _ledger_size(county.db)
    report = check_file(county.db, clerk, "relief", out)
    assert (len(report.valid), len(report.unchanged), report.problems) == (0, 3, [])
    assert "与已有记录相同 3 行" in report.lines()[0]
    done = import_file(county.db, clerk, "relief", out, accept_valid=True)
    assert done.written == 0 and _ledger_size(county.db) == before


def test_a_near_copy_of_an_enterprise_line_waits_for_its_own_confirmation(county, tmp_path):
    _enterprise_payout(county, "a")
    clerk = county.actors["clerk"]
    out = tmp_path / "relief.xlsx"
    export_kind(county.db, clerk, "relief", out)
    _edit(out, "救助发放", "备注", 1, "另一次发放")  # same day, union, kind and amount; another note
    before = _ledger_size(county.db)
    report = import_file(county.db, clerk, "relief", out, accept_valid=True)
    assert report.written == 0 and _ledger_size(county.db) == before
    assert len(report.doubtful_rows) == 1 and "疑似重复" in report.problems[0].reason
    row = report.doubtful_rows[0]
    done = import_file(county.db, clerk, "relief", out, accept_valid=True, confirm_rows=frozenset({row}))
    assert done.written == 1 and _ledger_size(county.db) == (before[0] + 1, before[1] + 500000)


def test_new_lines_of_a_reimported_list_still_import(county, tmp_path):
    _enterprise_payout(county, "a")
    clerk = county.actors["clerk"]
    out = tmp_path / "relief.xlsx"
    export_kind(county.db, clerk, "relief", out)
    _edit(out, "救助发放", "现金(元)", 1, 600)  # another amount: another payout
    report = import_file(county.db, clerk, "relief", out, accept_valid=True)
    assert report.written == 1 and not report.unchanged and not report.doubtful_rows


def test_a_file_repeating_a_ledger_line_twice_brings_in_neither(county, tmp_path):
    _enterprise_payout(county, "a")
    clerk = county.actors["clerk"]
    out = tmp_path / "relief.xlsx"
    export_kind(county.db, clerk, "relief", out)
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    data = [c.value for c in ws[3]]
    ws.insert_rows(4)
    for col, v in enumerate(data, 1):
        ws.cell(4, col).value = v
    wb.save(out)
    before = _ledger_size(county.db)
    report = import_file(county.db, clerk, "relief", out, accept_valid=True)
    assert report.written == 0 and _ledger_size(county.db) == before
    assert len(report.unchanged) == 1 and len(report.doubtful_rows) == 1


# -- archives ----------------------------------------------------------------------------------------
def _close(county, archive_id, step="exit", reason="12"):
    with county.session("reviewer") as s:
        workflow.act(s, county.actors["reviewer"], archive_id, step, {"close_reason": reason, "opinion": "已就业"})


def _archives(db) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count()).select_from(HardshipArchive))


def test_reimported_archives_are_the_archives_already_here_closed_ones_included(county, tmp_path):
    open_ = make_archive(county)
    drive(county, open_)
    exited = make_archive(county, "c", name="王五", id_no=WANG,
                          members=[], expenses=[], income="900")
    drive(county, exited)
    _close(county, exited)
    clerk = county.actors["clerk"]
    out = tmp_path / "archives.xlsx"
    assert export_kind(county.db, clerk, "archives", out).rows == 2
    before = _archives(county.db)
    report = import_file(county.db, clerk, "archives", out, accept_valid=True)
    assert report.written == 0 and _archives(county.db) == before
    assert len(report.unchanged) == 2 and report.problems == []


def test_a_changed_row_of_a_closed_archive_is_refused_naming_the_archive(county, tmp_path):
    exited = make_archive(county, "c", name="王五", id_no=WANG,
                          members=[], expenses=[], income="900")
    drive(county, exited)
    _close(county, exited)
    clerk = county.actors["clerk"]
    out = tmp_path / "archives.xlsx"
    export_kind(county.db, clerk, "archives", out)
    _edit(out, "困难职工档案", "手机号码", 1, "13800000000")
    before = _archives(county.db)
    report = import_file(county.db, clerk, "archives", out, accept_valid=True)
    assert report.written == 0 and _archives(county.db) == before
    (problem,) = report.problems
    assert "王五" in problem.reason and "已脱困" in problem.reason and "手机号码" in problem.reason
