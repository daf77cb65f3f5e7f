"""The form engine's own rules: which font prints which string, how Chinese text breaks into lines,
and how grids and list tables flow over pages."""

import shutil
from pathlib import Path

import reportlab
from reportlab.lib.units import mm

from app.printing import document, fonts
from app.printing.blocks import Notes, Title
from app.printing.grid import Grid, Label, Opinion, Photo, Value
from app.printing.listtable import Column, ListTable
from app.printing.surface import NO_LINE_START, text_width, wrap
from tests.app import pdf_tools

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # Latin only, ships with reportlab
QR = "UD1:TEST:ABC:0123456789ABCDEF"


def test_each_character_gets_the_first_font_that_has_it(tmp_path):
    fs = fonts.fontset_from([("UD-TestVera", VERA, 0)])
    assert fs.pick("No. 12345").name == "UD-TestVera"
    assert fs.pick("张三").name == fonts.BUNDLED[0]  # one font has it all: no mixing
    mixed = fs.pick("张三 12345")  # the hanzi from the bundled font, the digits from the first font
    assert [(f.name, run) for f, run in mixed.runs("张三 12345")] == [
        (fonts.BUNDLED[0], "张三"), ("UD-TestVera", " 12345")]
    assert not fs.missing
    fs.pick("𠮷")  # outside both fonts (CJK Extension B)
    assert fs.missing == {"𠮷"}
    doc = document.FormDoc("t", [Title("Form 表格"), Title("Latin only")], "N1", QR)
    out = tmp_path / "two.pdf"
    document.render_pdf([doc], out, title="t", fonts=fs)
    embedded = {f["name"].split("+")[-1]: f["emb"] for f in pdf_tools.fonts(out)}
    assert embedded.get("BitstreamVeraSans-Roman") == "yes"
    assert any(name.startswith("WenQuanYi") and emb == "yes" for name, emb in embedded.items())


def test_office_fonts_in_the_font_folders_come_first(tmp_path):
    shutil.copy(VERA, tmp_path / "simhei.ttf")  # stands in for 黑体 in a Windows fonts folder
    fs = fonts.default_fontset([tmp_path])
    assert fs.primary(fonts.TITLE).name == "UD-SimHei"
    assert fs.pick("ABC", fonts.TITLE).name == "UD-SimHei"
    assert fs.pick("标题", fonts.TITLE).name == fonts.BUNDLED_SONG[0]  # the stand-in has no hanzi
    assert fs.primary(fonts.BODY).name == fonts.BUNDLED_SONG[0]


def test_chinese_text_wraps_within_the_width_and_keeps_numbers_whole():
    font = fonts.bundled_font()
    text = "本人承认《中国工会章程》,自愿加入中国工会,身份证号110105194912310021,遵守工会章程,执行工会决议,履行会员义务。" * 2
    width = 60 * mm
    lines = wrap(text, font, 12, width)
    assert "".join(lines) == text
    assert all(text_width(font, ln, 12) <= width + 12 for ln in lines)  # at most one hung mark
    assert any("110105194912310021" in ln for ln in lines)
    assert not any(ln[0] in NO_LINE_START for ln in lines if ln)
    assert wrap("第一行\n第二行", font, 12, width) == ["第一行", "第二行"]


def test_grid_rows_move_whole_to_the_next_page_with_row_spans_kept_together(tmp_path):
    rows = []
    for i in range(30):
        rows.append([Label(f"项目{i}"), Value("内容" * (i % 7 + 1), span=2),
                     Photo(2) if i % 2 == 0 else Label("备注")] if i % 2 == 0 else
                    [Label(f"项目{i}"), Value("内容" * 3, span=2)])
    rows.append([Opinion("审核意见:\n同意。", span=4)])
    doc = document.FormDoc("grid", [Title("网格"), Grid([1, 1, 1, 1], rows)], "G1", QR)
    out = tmp_path / "grid.pdf"
    result = document.render_pdf([doc], out, title="t")
    assert result.pages == pdf_tools.pages(out) >= 2
    text = pdf_tools.squeezed(out)
    assert all(f"项目{i}" in text for i in range(30)) and "审核意见" in text


def test_list_table_total_never_stands_alone_on_a_page(tmp_path):
    for n in range(20, 40):  # one of these row counts fills the first page exactly
        table = ListTable([Column("序号"), Column("姓名", 2)], [(str(i), f"姓名{i}") for i in range(n)],
                          tail=[Notes([], title="", copies="本表一式三份")])
        doc = document.FormDoc("list", [Title("名单")], "L1", QR)
        doc.blocks.append(table)
        out = tmp_path / f"l{n}.pdf"
        document.render_pdf([doc], out, title="t")
        last = pdf_tools.text(out).split("\f")[pdf_tools.pages(out) - 1]
        assert f"合计({n}人)" in last.replace(" ", "")
        assert f"姓名{n - 1}" in last  # at least the last row goes with the total


def test_pdf_and_excel_libraries_stay_off_the_start_path():
    import subprocess
    import sys

    script = ("import sys\nfrom app.cli.main import build_parser\nbuild_parser()\n"
              "import app.services.members, app.printing.registry, app.excel.registry\n"
              "heavy = [m for m in sys.modules if m.startswith(('openpyxl', 'lxml', 'reportlab.pdfgen',"
              " 'reportlab.pdfbase', 'reportlab.graphics'))]\nprint(heavy)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                         check=True)
    assert out.stdout.strip() == "[]"


def test_short_signature_list_is_padded_and_struck_through(tmp_path):
    cols = [Column("序号", 0.6), Column("姓名"), Column("慰问金(元)", align="right", money=True, words=True),
            Column("领取人签字", 1.5)]
    rows = [("1", "张三", 50000, ""), ("2", "李四", 30000, "")]
    ops: list = []
    table = ListTable(cols, rows, min_rows=8)
    doc = document.FormDoc("list", [Title("签收表"), table], "L2", QR)
    out = tmp_path / "sign.pdf"
    document.render_pdf([doc], out, title="t", recorder=ops)
    flat = pdf_tools.squeezed(out)
    assert "以下空白" in flat and "合计(2人)" in flat and "人民币捌佰元整" in flat
    strokes = [op for op in ops if op[0] == "line"]
    assert len(strokes) == 1 and strokes[0][1] < strokes[0][3] and strokes[0][2] > strokes[0][4]


def test_a_cell_taller_than_a_page_overflows_alone_and_the_rest_flows_on(tmp_path):
    rows = [[Label("备注"), Value("很长的备注。" * 900, span=3)], [Label("下一项"), Value("内容", span=3)]]
    doc = document.FormDoc("g", [Grid([1, 1, 1, 1], rows)], "G2", QR)
    out = tmp_path / "tall.pdf"
    assert document.render_pdf([doc], out, title="t").pages == 2
    assert "下一项" in pdf_tools.text(out).split("\f")[1]


def test_list_columns_keep_a_number_on_one_line_and_wrap_names_alike(tmp_path):
    """fit="line": a phone number in a column far too narrow is set smaller, never broken;
    fit="wrap": every name keeps the table's size, the long one on two lines; ``count`` words the
    total's count."""
    cols = [Column("序号", 0.5), Column("单位", 1.5, fit="wrap"), Column("电话", 0.35, fit="line"),
            Column("电话(auto)", 0.35), Column("金额", 1, money=True)]
    rows = [("1", "城关镇工会", "133****6693", "133****6693", 100),
            ("2", "示例县腾飞环保科技股份有限公司第二分厂工会委员会", "157****3064", "157****3064", 200)]
    ops: list = []
    table = ListTable(cols, rows, size=10, count=lambda r: f"{len(r)}户")
    out = tmp_path / "fit.pdf"
    document.render_pdf([document.FormDoc("list", [table], "L3", QR)], out, title="t", recorder=ops)
    texts = [op for op in ops if op[0] == "text"]
    whole = [op for op in texts if op[5] in ("133****6693", "157****3064")]
    assert len(whole) == 2 and all(5 <= op[2] < 10 for op in whole)  # the "line" column only
    assert any(op[5].startswith("133*") and op[5] != "133****6693" for op in texts)  # auto broke it
    names = [op for op in texts if op[5] == "城关镇工会" or op[5].startswith("示例县腾飞")
             or op[5].endswith("工会委员会")]
    assert len(names) == 3 and {op[2] for op in names} == {10}
    assert "合计(2户)" in pdf_tools.squeezed(out)
