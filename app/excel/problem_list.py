"""保存问题清单: the rows an import refused, as an Excel file to correct and import again.

The first sheet, named like the kind's sheet, holds the header and each refused row exactly as
the clerk's file had them, with a last column 问题 saying what to correct (the importer ignores
that column when the corrected file comes back). The sheet 全部问题 lists every problem, one a
line, with its sheet, row, column and whole reason — child sheets' problems and whole-file ones
included.
"""

from __future__ import annotations

from pathlib import Path

from app.excel.importer import HEADER_SCAN, ImportReport, find_header
from app.excel.registry import kind

PROBLEM_COLUMN = "问题"
ALL_SHEET = "全部问题"


def write_problem_list(report: ImportReport, source: Path | str, out: Path | str) -> Path:
    """Write the refused rows of ``source`` (the file ``report`` checked) to ``out``."""
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Alignment, Font

    k = kind(report.kind)
    reasons: dict[int, list[str]] = {}
    for p in report.problems:
        if not p.sheet and p.row:
            reasons.setdefault(p.row, []).append(f"{p.column}:{p.reason}" if p.column else p.reason)
    src = load_workbook(source, read_only=True, data_only=True)
    try:
        ws = src[k.title] if k.title in src.sheetnames else src.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    finally:
        src.close()
    idx, _mapping, _unknown = find_header(rows[:HEADER_SCAN], k.fields)
    header = list(rows[idx]) if idx >= 0 else []
    while header and header[-1] in (None, ""):
        header.pop()

    book = Workbook()
    sheet = book.active
    sheet.title = k.title[:31]
    sheet.append([*header, PROBLEM_COLUMN])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number in sorted(reasons):
        values = list(rows[number - 1]) if 0 < number <= len(rows) else []
        values = (values + [None] * len(header))[:len(header)]
        sheet.append([*values, ";".join(reasons[number])])
    for c, _label in enumerate(header, 1):
        sheet.cell(1, c).number_format = "@"
    sheet.column_dimensions[sheet.cell(1, len(header) + 1).column_letter].width = 60
    sheet.freeze_panes = "A2"

    every = book.create_sheet(ALL_SHEET)
    every.append(["表", "行号", "列", "原因"])
    for cell in every[1]:
        cell.font = Font(bold=True)
    for p in report.problems:
        every.append([p.sheet or k.title, p.row or "整个文件", p.column or "", p.reason])
    for letter, width in zip("ABCD", (14, 10, 16, 80), strict=True):
        every.column_dimensions[letter].width = width
    for row in every.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    out = Path(out)
    book.save(out)
    return out
