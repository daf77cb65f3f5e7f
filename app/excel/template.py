"""The downloadable import template of a kind: the same title and header rows as an export (so an
export can be imported back), drop-down lists for coded and yes/no columns, text format for ID and
bank numbers, a sheet per child table (家庭成员), an instructions sheet, and a hidden sheet with the
code lists.
"""

from __future__ import annotations

from pathlib import Path

from app.excel import cells, refs, writing
from app.excel.export import styles, write_heading
from app.excel.registry import kind
from app.fields.spec import Kind, offered_choices
from app.fileio import atomic_output

TEMPLATE_ROWS = 5000  # rows that carry the drop-down validation
CODES_SHEET = "代码表"
HELP_SHEET = "填写说明"

FORMAT_HELP = {
    Kind.DATE: "日期,如 2020-03-05、2020.3.5 或 2020年3月5日",
    Kind.MONEY: "金额(元),最多两位小数",
    Kind.INT: "整数",
    Kind.YEAR: "四位数的年份,如 2026",
    Kind.DECIMAL: "数字",
    Kind.BOOL: "是 / 否",
    Kind.ID_NUMBER: "18 位公民身份号码(15 位旧号码自动升级),本列为文本格式",
    Kind.BANK_ACCOUNT: "银行卡号,本列为文本格式",
    Kind.PHONE: "手机号或固定电话",
    Kind.MOBILE: "11 位手机号",
    Kind.USCC: "18 位统一社会信用代码",
    Kind.CODE: "从下拉列表中选择",
    Kind.CODES: "可填多项,用顿号或逗号分隔",
}


def format_help(f) -> str:
    """How a column is filled in (the 填写说明 sheet and the cell's input prompt)."""
    if f.kind == Kind.REF and f.ref:
        return f"填写{refs.how_named(f)}(与系统中的一致),或从下拉列表中选择"
    if cells.is_text_number(f) and f.kind == Kind.TEXT:
        return "数字编号,本列为文本格式"
    return FORMAT_HELP.get(f.kind, "文字")


def write_template(db, actor, kind_key: str, out: Path | str) -> Path:
    """Write the template of ``kind_key`` to ``out`` (no personal data, so no audit entry)."""
    from openpyxl import Workbook

    from app.services.records import codebook
    from app.services.units import root_unit

    k = kind(kind_key)
    if k.importer is None:
        from app.errors import AppError

        raise AppError(f"{k.title}不支持从 Excel 导入,没有导入模板")
    out = Path(out)
    fields = k.import_fields
    with db.read_session() as s:
        codes = codebook(s)
        root = root_unit(s)
        unit_name = root.name if root else ""
        every = [*fields, *(f for c in k.children for f in c.import_fields)]
        ref_names = {f.key: refs.choices(s, f) for f in every if f.kind == Kind.REF and f.ref}
    wb = Workbook()
    ws = wb.active
    ws.title = k.title
    write_heading(ws, k, fields, f"{unit_name}{k.title}导入模板", required_marks=True)
    lists = wb.create_sheet(CODES_SHEET)
    col = _validations(ws, fields, lists, 0, codes, ref_names)
    child_fields = []
    for c in k.children:  # 家庭成员: a sheet of its own, linked by the parent's key
        cws = wb.create_sheet(c.title, index=wb.index(lists))
        cf = [*c.link_fields(k.spec), *c.import_fields]
        write_heading(cws, k, cf, f"{unit_name}{k.title}导入模板 — {c.title}", required_marks=True)
        col = _validations(cws, cf, lists, col, codes, ref_names)
        child_fields.append((c, cf))
    lists.sheet_state = "hidden"
    _help_sheet(wb.create_sheet(HELP_SHEET), k, fields, codes, child_fields)
    with atomic_output(out) as tmp:
        wb.save(tmp)
    return out


def _validations(ws, fields, lists, col: int, codes, ref_names) -> int:
    """Drop-down lists for coded, yes/no and reference columns (their labels in the hidden code
    sheet, from column ``col`` + 1); returns the last code-sheet column used."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = TEMPLATE_ROWS + 2
    for i, f in enumerate(fields, 1):
        letter = get_column_letter(i)
        rng = f"{letter}3:{letter}{last}"
        if f.kind == Kind.BOOL:
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        elif f.kind == Kind.CODE or (f.kind == Kind.REF and ref_names.get(f.key)):
            if f.kind == Kind.REF:  # the names of the records it may point at (基层工会)
                labels = ref_names[f.key]
            else:
                labels = [label for _, label in offered_choices(f, codes)]
            col += 1
            code_col = get_column_letter(col)
            writing.put(lists, 1, col, f.label)
            for r, label in enumerate(labels, 2):
                writing.put(lists, r, col, label)
            dv = DataValidation(type="list", allow_blank=True,
                                formula1=f"'{CODES_SHEET}'!${code_col}$2:${code_col}${len(labels) + 1}")
        else:
            continue
        dv.error, dv.errorTitle = f"请从下拉列表中选择{f.label}", "输入有误"
        if f.kind == Kind.REF:  # another key (a region code) or a row of this sheet is allowed too
            dv.errorStyle = "warning"
        dv.prompt, dv.promptTitle = format_help(f)[:255], f.label
        dv.showErrorMessage = dv.showInputMessage = True
        ws.add_data_validation(dv)
        dv.add(rng)
    return col


def _help_sheet(ws, k, fields, codes, children=()) -> None:
    title_font, _ = styles()["title"]
    sheets = [(k.title, fields)] + [(c.title, cf) for c, cf in children]
    texts = list(dict.fromkeys(f.label for _, fs in sheets for f in fs if cells.is_text_number(f)))
    writing.append_row(ws, [f"{k.title}导入说明"])
    ws["A1"].font = title_font
    general = [
        f"在“{k.title}”工作表中从第 3 行起每行填写一条记录;请勿修改第 2 行的列名,列的顺序可以调整,不需要的非必填列可以删除。",
        "列名前带 * 的为必填项。",
        "日期可写 2020-03-05、2020.3.5 或 2020年3月5日;全角数字可以识别。",
        *([f"{'、'.join(texts)}所在列已设为文本格式,请勿改为数字格式(否则 Excel 会丢失开头的 0 或后几位)。"]
          if texts else []),
        "导入前程序会逐行检查,列出每一行有问题的列和原因;确认后才导入检查通过的行,一次导入全部写入或全部不写入。",
    ]
    general += [f"每户的{c.title}填在“{c.title}”工作表中,每行一人,用“{c.key_label}”写明属于“{k.title}”表中的哪一户"
                f"(与该户的{k.spec.field(c.parent_key).label}一致);某户{c.title}有问题时,整户不导入。"
                for c, _ in children]
    for n, line in enumerate(general, 1):
        writing.append_row(ws, [f"{n}. {line}"])
    for line in getattr(k.importer, "HELP", ()):
        writing.append_row(ws, [line])
    for title, sheet_fields in sheets:
        writing.append_row(ws, [])
        writing.append_row(ws, [f"“{title}”工作表", "必填", "格式", "说明 / 可选值"])
        for f in sheet_fields:
            allowed = ""
            if f.kind == Kind.CODE:
                allowed = "、".join(label for _, label in offered_choices(f, codes))
            writing.append_row(ws, [f.label, "是" if f.required else "", format_help(f),
                                    (f.help + (";" if f.help and allowed else "") + allowed)[:2000]])
    for letter, width in (("A", 22), ("B", 6), ("C", 40), ("D", 80)):
        ws.column_dimensions[letter].width = width
