"""The 批复 printed as a 公文 on GB/T 9704 geometry, read back from the PDF: its text (发文机关标志,
文号 in 〔〕, title, 主送机关, body, 署名, 成文日期, 版记, page number), its fonts (小标宋 or its
fallback for the title, 仿宋 三号 for the body, all embedded) and its geometry by
``pdftotext -bbox`` (版心 156 × 225 mm from 28 mm left and 37 mm top, 22 lines, the date four
characters from the right edge, the 署名 centred over it, the seal over both)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from app.printing import fonts, official_doc
from app.printing.document import render_pdf
from app.printing.registry import PrintRequest
from app.printing.service import build_docs, print_form
from app.services import records
from app.services.organisation import documents
from tests.app import pdf_tools

BODY = ("你单位《关于成立示例新材料有限公司工会的请示》收悉。经研究,同意成立“示例新材料有限公司工会”,"
        "并成立工会筹备组。\n此复。")


def _reply(db, clerk, body: str = BODY, cc: str = "") -> str:
    with db.session(clerk) as s:
        series = records.create(s, clerk, documents.SERIES, {"code": "测工", "name": "测试发文"})
        documents.take_over(s, clerk, series.id, "办公室电脑")
        doc = documents.issue(s, clerk, {
            "series_id": series.id, "doc_kind": "03", "title": "关于同意示例新材料有限公司成立工会的批复",
            "addressee": "城关镇工会", "body": body, "signed_on": "2026-03-02", "cc": cc})
        return doc.doc_no


def _words(pdf: Path, page: int = 1) -> list[dict]:
    """Every word pdftotext finds on a page with its box (points, from the top-left corner)."""
    html = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                          capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    return [{"x0": float(a), "y0": float(b), "x1": float(c), "y1": float(d), "text": t}
            for a, b, c, d, t in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                            r'yMax="([\d.]+)">([^<]*)</word>', html)]


def _lines(words: list[dict]) -> list[dict]:
    """Words on one baseline joined into a line (a CJK text comes out word by word)."""
    out: list[dict] = []
    for w in sorted(words, key=lambda w: (round(w["y1"]), w["x0"])):
        if out and abs(out[-1]["y1"] - w["y1"]) < 2:
            line = out[-1]
            line["text"] += w["text"]
            line["x0"], line["x1"] = min(line["x0"], w["x0"]), max(line["x1"], w["x1"])
            line["y0"] = min(line["y0"], w["y0"])
        else:
            out.append(dict(w))
    return out


def _line(lines, start: str) -> dict:
    return next(ln for ln in lines if ln["text"].startswith(start))


def test_the_reply_prints_as_a_gb9704_document(db, clerk, tmp_path):
    number = _reply(db, clerk)
    out = tmp_path / "reply.pdf"
    r = print_form(db, clerk, "official_document", PrintRequest(ids=[number]), out)
    assert r.pages == pdf_tools.pages(out) == 1
    w, h = pdf_tools.page_size(out)
    assert (round(w), round(h)) == (595, 842)  # A4
    flat = pdf_tools.squeezed(out)
    for text in ("示例县总工会文件", number, "关于同意示例新材料有限公司成立工会的批复", "城关镇工会：",
                 "此复。", "2026年3月2日", "示例县总工会办公室", "印发", "—1—"):
        assert text in flat, text
    assert re.fullmatch(r"测工〔2026〕\d+号", number)  # 六角括号, no leading zeros
    assert all(f["emb"] == "yes" for f in pdf_tools.fonts(out))

    lines = _lines(_words(out))
    left, right, top = 28 * mm, 28 * mm + 156 * mm, 37 * mm
    start, end = _line(lines, "城关镇工会")["y1"], _line(lines, "此复")["y1"]
    body = [ln for ln in lines if start <= ln["y1"] <= end]  # 主送机关 to 此复
    assert len(body) >= 4
    # flush with the 版心's left edge, a paragraph's first line two characters in
    assert all(min(abs(ln["x0"] - left), abs(ln["x0"] - left - 2 * official_doc.CHAR)) < 1.5 for ln in body)
    full = [ln for ln in body if ln["x1"] > right - 20]
    assert full and all(abs(ln["x1"] - right) < 8 for ln in full)  # a full line fills the 版心
    pitches = {round(b["y1"] - a["y1"], 1) for a, b in zip(body, body[1:])}
    assert all(abs(p - official_doc.PITCH) < 0.6 for p in pitches)  # 22 lines to 225 mm
    assert all(27.2 < ln["x1"] - ln["x0"] for ln in full)
    height = max(ln["y1"] - ln["y0"] for ln in body)
    assert 14 < height < 19  # 三号 (16 pt)
    para = _line(lines, "你单位")
    assert abs(para["x0"] - (left + 2 * official_doc.CHAR)) < 2  # 左空二字
    mark = _line(lines, "示例县总工会文件")
    assert abs((mark["x0"] + mark["x1"]) / 2 - (left + right) / 2) < 2 and mark["y0"] > top + 33 * mm
    title = _line(lines, "关于同意")
    assert 20 < title["y1"] - title["y0"] < 26  # 二号 (22 pt)
    date = _line(lines, "2026年3月2日")
    assert abs(date["x1"] - (right - 4 * official_doc.CHAR)) < 2  # 右空四字
    issuer = next(ln for ln in lines if ln["text"] == "示例县总工会" and ln["y1"] < date["y1"])
    assert abs((issuer["x0"] + issuer["x1"]) / 2 - (date["x0"] + date["x1"]) / 2) < 2  # centred over it
    assert 0 < date["y1"] - issuer["y1"] < official_doc.PITCH + 1
    printed = _line(lines, "示例县总工会办公室")
    assert abs(printed["y1"] - (top + 225 * mm)) < official_doc.PITCH  # 版记 at the foot of the 版心
    page_no = next(ln for ln in lines if ln["text"].replace(" ", "") == "—1—")
    assert page_no["x1"] <= right and page_no["y0"] > top + 225 * mm  # under the 版心, on the right


def test_the_seal_sits_over_the_issuer_and_the_date(db, clerk, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from app.printing.forms.official_reply import official
    from app.printing.registry import PrintContext
    from app.printing.surface import Surface

    number = _reply(db, clerk)
    _, [doc], _ = build_docs(db, clerk, "official_document", PrintRequest(ids=[number]))
    recorded = []
    render_pdf([doc], tmp_path / "seal.pdf", title="t", recorder=recorded)
    texts = {t[5]: t for t in recorded if t[0] == "text"}  # (…, font, size, x, y, text, align)
    with db.read_session() as s:
        paper = s.get(documents.Document, doc.record_ids[0])
        page = official(PrintContext(s, clerk, None, "示例县总工会", True, paper.signed_on), paper)
    placed = official_doc.layout(Surface(Canvas(str(tmp_path / "x.pdf")), fonts.default_fontset()), page)
    _, cx, cy = placed.seal
    name, date = texts["示例县总工会"], texts["2026年3月2日"]
    assert abs(cx - name[3]) < 1  # the 署名 is centred on the seal's centre line
    assert name[4] < cy and date[4] < cy < name[4] + official_doc.PITCH  # both a little below its centre
    _, last_bottom = placed.last_body
    # its top within a line under the text, clear of the last line's characters (the em box is
    # centred in its line: more than a tenth of a line is white under it)
    assert -0.1 * official_doc.PITCH < last_bottom - (cy + official_doc.SEAL_R) < official_doc.PITCH
    page.seal_guide = True  # the guide circle, when asked, is drawn there in red
    out = tmp_path / "guide.pdf"
    render_pdf([type(doc)(doc.title, [], doc.number, doc.qr_payload,
                          draw=lambda surface, new: official_doc.draw(surface, page, new))], out, title="t")
    from PIL import Image

    png = pdf_tools.render(out, 1, 72, tmp_path / "guide")
    img = Image.open(png).convert("RGB")
    r, g, b = img.getpixel((round(cx), round(842 - cy - official_doc.SEAL_R)))
    assert r > 150 and g < 100 and b < 100


def test_the_title_and_body_take_the_office_fonts_when_installed(db, clerk, tmp_path):
    bundled = Path(fonts.bundled_font().path)
    folder = tmp_path / "fonts"
    folder.mkdir()
    shutil.copy(bundled, folder / "STZHONGS.TTF")  # stands in for 华文中宋 (小标宋's fallback)
    shutil.copy(bundled, folder / "simfang.ttf")  # stands in for 仿宋
    number = _reply(db, clerk)
    _, docs, _ = build_docs(db, clerk, "official_document", PrintRequest(ids=[number]))
    recorded = []
    render_pdf(docs, tmp_path / "fonts.pdf", title="t", fonts=fonts.default_fontset([folder]),
               recorder=recorded)
    drawn = {t[5]: (t[1], t[2]) for t in recorded if t[0] == "text"}
    assert drawn["关于同意示例新材料有限公司成立工会的批复"] == ("UD-STZhongsong", 22.0)
    assert drawn["示例县总工会文件"][0] == "UD-STZhongsong"
    body = [v for k, v in drawn.items() if k.startswith("\u3000\u3000你单位")]
    assert body == [("UD-FangSong", 16.0)]


def test_a_reply_too_long_for_its_seal_signs_on_the_next_page(db, clerk, tmp_path):
    """Six full lines and 此复 end the first page where the seal no longer fits: the 署名 and
    date go to the next page under "(此页无正文)", the 版记 to its foot."""
    number = _reply(db, clerk, body="甲" * 166 + "\n此复。", cc="城关镇党委")
    out = tmp_path / "long.pdf"
    assert print_form(db, clerk, "official_document", PrintRequest(ids=[number]), out).pages == 2
    first, second = [re.sub(r"\s+", "", p) for p in pdf_tools.text(out).split("\f")[:2]]
    assert first.endswith("此复。—1—")
    assert second.startswith("(此页无正文)示例县总工会2026年3月2日")
    assert "抄送：城关镇党委。" in second and second.endswith("印发—2—")
    lines = _lines(_words(out, 2))
    number_two = next(ln for ln in lines if ln["text"].replace(" ", "") == "—2—")
    assert number_two["x0"] < 28 * mm + 2 * 14  # an even page: on the left, one character in


def test_an_unnumbered_document_does_not_print_as_a_gb9704_document(db, clerk, tmp_path):
    with db.session(clerk) as s:
        series = records.create(s, clerk, documents.SERIES, {"code": "测工", "name": "测试发文"})
        doc = records.create(s, clerk, documents.REGISTER, {
            "series_id": series.id, "doc_kind": "02", "title": "未编号的通知", "signed_on": "2026-03-02"})
    from app.errors import AppError

    with pytest.raises(AppError, match="尚未编号"):
        print_form(db, clerk, "official_document", PrintRequest(ids=[doc.id]), tmp_path / "x.pdf")
