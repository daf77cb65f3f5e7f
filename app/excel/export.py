"""Export a filtered list of any Excel kind to .xlsx, streaming (openpyxl write-only), audited.

Sheet layout: row 1 the title naming the unit, the record kind and the selection (period and
filters); row 2 the field labels; data from row 3, the header frozen and filterable. Sensitive
numbers are masked unless the user's role may reveal them and no masked copy was asked for; an
unmasked copy is audited as its own operation (``export_unmasked``, 导出(不脱敏)).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.clock import today
from app.excel import cells, refs, writing
from app.excel.registry import ExcelKind, kind
from app.fields.spec import Kind
from app.fileio import atomic_output
from app.progress import NO_PROGRESS, Progress
from app.security import audit
from app.security.roles import Perm

PROGRESS_EVERY = 2000


@dataclass
class ExportResult:
    path: Path
    rows: int
    masked: bool
    suggested_name: str  # "会员名单_2020-07-10.xlsx"


def column_width(f) -> float:
    """Field.width in characters, never narrower than its label (a hanzi is two characters)."""
    return max(f.width, len(f.label) * 2 + 2)


def styles():
    """Title, header and border styles shared by exports and templates (openpyxl imported here)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "title": (Font(bold=True, size=14), Alignment(horizontal="center", vertical="center")),
        "header": (Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True),
                   PatternFill("solid", fgColor="DDE6F0"), Border(thin, thin, thin, thin)),
    }


def write_heading(ws, k: ExcelKind, fields, title: str, *, required_marks: bool = False) -> None:
    """Column widths and formats, the title row (merged) and the header row of a sheet (a
    write-only one, or an ordinary one: both take appended cells)."""
    from openpyxl.utils import get_column_letter

    st = styles()
    for i, f in enumerate(fields, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = column_width(f)
        if (fmt := cells.number_format(f)) is not None:
            dim.number_format = fmt  # cells typed later into the column get it too
    ws.freeze_panes = "A3"
    head = writing.new_cell(ws, title)
    head.font, head.alignment = st["title"]
    ws.append([head])
    ws.row_dimensions[1].height = 28
    ws.merged_cells.add(f"A1:{get_column_letter(max(len(fields), 1))}1")
    header = []
    for f in fields:
        c = writing.new_cell(ws, ("*" if required_marks and f.required else "") + f.label)
        c.font, c.alignment, c.fill, c.border = st["header"]
        header.append(c)
    ws.append(header)


def export_kind(db, actor, kind_key: str, out: Path | str, *, options: dict | None = None,
                mask: bool = False, progress: Progress = NO_PROGRESS) -> ExportResult:
    """Write the kind's rows selected by ``options`` to ``out``; ``mask`` forces a masked copy."""
    from openpyxl import Workbook

    from app.services.records import codebook
    from app.services.units import root_unit

    k = kind(kind_key)
    actor.require(Perm.EXPORT, f"导出{k.title}")
    reveal = actor.can(Perm.REVEAL) and not mask
    options = dict(options or {})
    out = Path(out)
    fields = k.fields
    with atomic_output(out) as tmp, db.read_session() as s:
        root = root_unit(s)
        rows, scope = k.select(s, options)
        codes = codebook(s)
        convert = [cells.exporter(f, codes, reveal=reveal) for f in fields]
        rows = refs.named_rows(s, fields, rows, reveal=reveal)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(k.title)
        title = f"{root.name if root else ''}{k.title}名单" + (f"({scope})" if scope else "(全部)")
        write_heading(ws, k, fields, title)
        n = _append_rows(ws, fields, convert, rows, progress)
        _finish(ws, len(fields), n)
        children = {c.title: _child_sheet(wb, s, k, c, options, codes, reveal, title)
                    for c in k.children}
        wb.save(tmp)
    try:
        with db.session(actor) as s:
            audit.append(s, action="export" if not reveal else "export_unmasked", actor=actor, object_type=k.spec.model.__table__.name,
                         summary=f"导出{k.title} {n:,} 条到 Excel"
                                 + ("(敏感信息已脱敏)" if not reveal else "(含完整敏感信息)"),
                         detail={"kind": k.key, "rows": n, "masked": not reveal,
                                 "options": options, "scope": scope, "file": out.name,
                                 **({"children": children} if children else {})})
    except BaseException:
        from app.fileops import discard

        discard(out)  # an export the audit log cannot record is not kept
        raise
    return ExportResult(out, n, not reveal, f"{k.title}名单_{today().isoformat()}.xlsx")


def _finish(ws, n_columns: int, n_rows: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A2:{get_column_letter(n_columns)}{n_rows + 2}"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"


def _append_rows(ws, fields, convert, rows, progress: Progress = NO_PROGRESS) -> int:
    """Append the converted rows; money gets its number format on every cell (one reusable styled
    cell per column: a write-only sheet has no column formats)."""
    money = {}
    for i, f in enumerate(fields):
        if f.kind == Kind.MONEY:
            money[i] = writing.new_cell(ws)
            money[i].number_format = cells.MONEY_FORMAT
    n = 0
    pairs = list(enumerate(convert))
    for row in rows:
        values = [fn(row[i]) for i, fn in pairs]
        for i, c in money.items():
            c.value = values[i]
            values[i] = c
        writing.append_row(ws, values)
        n += 1
        if n % PROGRESS_EVERY == 0:
            progress.update(n, None, f"已导出 {n:,} 条")
    return n


def _child_sheet(wb, session, k: ExcelKind, child, options: dict, codes, reveal: bool,
                 title: str) -> int:
    """A further sheet (家庭成员): the key and name of the parent row, then the child's columns."""
    key_field, name_field = child.link_fields(k.spec)
    fields = [key_field, name_field, *child.fields]
    ws = wb.create_sheet(child.title)
    write_heading(ws, k, fields, f"{title} — {child.title}")
    convert = [cells.exporter(f, codes, reveal=reveal) for f in fields]
    rows = refs.named_rows(session, fields, child.select(session, options), reveal=reveal)
    n = _append_rows(ws, fields, convert, rows)
    _finish(ws, len(fields), n)
    return n
