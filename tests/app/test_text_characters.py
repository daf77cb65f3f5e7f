"""Characters that break things: one rule for every text field on every path — controls refused
(newline and tab only in multi-line fields), bidi overrides and zero-width characters refused in
names, NFC — with Chinese messages that name the field and never quote its content."""

import os
import sqlite3
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from app.errors import ValidationFailed
from app.excel.export import export_kind
from app.excel.importer import check_file
from app.fields.members import MEMBER
from app.models import Member, Unit
from app.services import records
from app.validation import characters
from tests.conftest import PASSWORDS

ID = "110101199003070011"  # generated, valid check digit
NAME = "王测试"
REFUSED_IN_NAMES = {
    "NUL": f"{NAME}\x00",
    "ESC": f"\x1b[31m{NAME}",
    "BEL": f"{NAME}\x07",
    "DEL": f"{NAME}\x7f",
    "C1": "王\x9b测试",
    "newline": "王\n测试",
    "tab": "王\t测试",
    "RLO": f"{NAME}\u202e",
    "LRE": f"\u202a{NAME}",
    "RLI": "王\u2067测试",
    "PDI": "王\u2069测试",
    "ZWSP": "王\u200b测试",
    "ZWNJ": "王\u200c测试",
    "ZWJ": "王\u200d测试",
    "BOM": "王\ufeff测试",
    "surrogate": "王\udcff测试",
}


@pytest.mark.parametrize("case", sorted(REFUSED_IN_NAMES))
def test_names_refuse_invisible_and_control_characters_without_quoting_them(case):
    raw = REFUSED_IN_NAMES[case]
    cleaned, errors = MEMBER.clean({"name": raw, "id_number": ID, "union_id": "u1"})
    assert "name" in errors and "name" not in cleaned
    message = errors["name"]
    assert NAME not in message and "测试" not in message
    assert all(ch.isprintable() for ch in message)
    full = str(ValidationFailed(errors, MEMBER.labels))
    assert full.startswith("姓名:") and "测试" not in full


def test_multi_line_notes_keep_newlines_and_tabs_but_not_other_controls():
    ok, errors = MEMBER.clean({"notes": "第一行\r\n\t第二行\r第三行"}, partial=True)
    assert not errors and ok["notes"] == "第一行\n\t第二行\n第三行"
    for bad in ("备注\x00", "备注\x1b", "备注\u202e倒"):
        _, errors = MEMBER.clean({"notes": bad}, partial=True)
        assert "notes" in errors and "备注" not in errors["notes"], bad


def test_text_is_nfc_normalised():
    decomposed = "Jose\u0301 测试"
    cleaned, errors = MEMBER.clean({"department": decomposed}, partial=True)
    assert not errors and cleaned["department"] == "Jos\u00e9 测试"


def test_other_kinds_get_the_same_rule():
    _, errors = MEMBER.clean({"joined_on": "2020-01-01\x00", "ethnicity": "汉族\u202e",
                              "id_number": ID[:9] + "\x1b" + ID[9:]}, partial=True)
    assert set(errors) == {"joined_on", "ethnicity", "id_number"}
    assert all("\x00" not in m and "\x1b" not in m and "\u202e" not in m for m in errors.values())


def test_ordinary_names_pass_unchanged():
    for name in ("张三", "欧阳 娜娜", "刘䶮", "𠮷丽", "Ａｌｉ"):
        assert characters.clean(name) == name


def test_the_service_refuses_with_the_field_named(db, clerk):
    with db.session(clerk) as s:
        union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots").limit(1))
        with pytest.raises(ValidationFailed) as exc:
            records.create(s, clerk, "member", {"name": f"{NAME}\u202e", "id_number": ID,
                                                 "union_id": union})
    assert "姓名" in str(exc.value) and NAME not in str(exc.value)


def test_the_cli_refuses_with_a_chinese_line_and_logs_no_content(db_path, tmp_path):
    with sqlite3.connect(db_path) as con:
        union = con.execute("SELECT name FROM units WHERE kind = 'grassroots' LIMIT 1").fetchone()[0]
    env = dict(os.environ, UNIONDESK_PASSWORD=PASSWORDS["clerk"],
               UNIONDESK_DATA_DIR=str(tmp_path / "data"))
    r = subprocess.run([sys.executable, "-m", "app", "--db", str(db_path), "--user", "clerk",
                        "member", "add", "--set", "姓名=王\u200b秘密", "--set", f"身份证号={ID}",
                        "--set", f"所属基层工会={union}"],
                       capture_output=True, text=True, encoding="utf-8", env=env,
                       stdin=subprocess.DEVNULL, timeout=300)
    assert r.returncode not in (0, 70), r.stderr
    assert "姓名" in r.stderr and "秘密" not in r.stderr and "Traceback" not in r.stderr
    logs = list((tmp_path / "data").rglob("*.log"))
    assert all("秘密" not in p.read_text(encoding="utf-8", errors="replace") for p in logs)


def test_excel_import_refuses_the_row_and_names_the_column(db, clerk, tmp_path):
    path = tmp_path / "in.xlsx"
    export_kind(db, clerk, "members", path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for extra in range(ws.max_row, 3, -1):
        ws.delete_rows(extra)
    ws.cell(3, 1 + [c.value for c in ws[2]].index("姓名")).value = "王\u202e秘密"
    wb.save(path)
    report = check_file(db, clerk, "members", path)
    assert not report.valid
    assert [p.column for p in report.problems] == ["姓名"]
    assert all("秘密" not in line for line in report.lines())


def test_export_of_a_row_stored_with_controls_succeeds(db, clerk, tmp_path, caplog):
    """A row stored before the rule (or planted by a bundle) does not fail the whole export."""
    with db.session() as s:
        mid = s.scalar(select(Member.id).where(Member.deleted.is_(False)).limit(1))
        s.execute(text("UPDATE members SET name = :n, notes = :t WHERE id = :i"),
                  {"n": "王\x00秘密\x1b", "t": "备注\x07", "i": mid})
    out = tmp_path / "m.xlsx"
    assert export_kind(db, clerk, "members", out).rows > 0
    values = {c.value for row in load_workbook(out).worksheets[0].iter_rows() for c in row}
    assert "王\ufffd秘密\ufffd" in values and "备注\ufffd" in values
    assert "秘密" not in caplog.text
