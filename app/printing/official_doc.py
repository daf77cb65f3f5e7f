"""A 公文 (批复, 通知, 决定 …) on the geometry of GB/T 9704-2012 《党政机关公文格式》:

- A4; 版心 156 × 225 mm, 天头 37 mm, 订口 28 mm; 22 lines of 28 characters, body in 三号 (16 pt)
  仿宋, every line on the grid (line pitch 225 / 22 mm, character pitch 156 / 28 mm);
- 版头: the 发文机关标志 in red 小标宋 (or its fallback, ``app.printing.fonts``) centred 35 mm
  below the top of the 版心, the 发文字号 (示工〔2026〕3号) two lines below it, and a red line as
  wide as the 版心 4 mm under the 发文字号;
- the title in 二号 (22 pt) 小标宋 two lines below the red line; the 主送机关 one line below the
  title, flush left, with a full-width colon; paragraphs indented two characters;
- the 发文机关署名 centred over the 成文日期, which stands right-aligned four characters from
  the right edge, both under the seal (印章: 42 mm, its centre a little above them, its top within
  one line of the text); when they do not fit, they go to the next page under "(此页无正文)";
- the 版记 (抄送, 印发机关 and 印发日期, between a heavy, a thin and a heavy line) at the foot of
  the last page, its last line on the lower edge of the 版心;
- page numbers "— 1 —" in 四号 宋体 7 mm under the 版心, odd pages right, even pages left, one
  character in from the edge.

``layout`` says where everything goes (the tests read it, with ``pdftotext -bbox``); ``draw``
puts it on a page. The seal itself is stamped by hand: a guide circle is drawn only when asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.printing.fonts import BODY, SONG, TITLE
from app.printing.surface import Surface
from app.validation import format_cn_date

PAGE_W, PAGE_H = A4
LEFT, TOP, WIDTH, HEIGHT = 28 * mm, 37 * mm, 156 * mm, 225 * mm
LINES, CHARS = 22, 28
BODY_SIZE, TITLE_SIZE, MARK_MAX, RECORD_SIZE, PAGE_NO_SIZE = 16.0, 22.0, 42.0, 14.0, 14.0
PITCH = HEIGHT / LINES  # 10.23 mm
CHAR = WIDTH / CHARS  # 5.57 mm
SEAL_R = 21 * mm  # a 42 mm 公章
SEAL_GAP = 2  # lines from the end of the text to the 署名: the seal's top falls in the first
RED = (0.85, 0.0, 0.0)
RED_RULE = 0.5 * mm  # the 红色分隔线 under the 发文字号
TOP_Y = PAGE_H - TOP  # the 版心's upper edge, in PDF coordinates
BOTTOM_Y = TOP_Y - HEIGHT
RIGHT = LEFT + WIDTH


@dataclass
class OfficialDoc:
    mark: str  # 发文机关标志: "示例县总工会文件"
    doc_no: str
    title: str
    addressee: str
    body: str  # paragraphs separated by newlines
    issuer: str  # 发文机关署名
    signed_on: date
    cc: str = ""  # 抄送机关
    printer: str = ""  # 印发机关
    printed_on: date | None = None
    seal_guide: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    role: str = BODY
    align: str = "left"
    red: bool = False
    grid: bool = False  # on the character grid (28 a line)


@dataclass(frozen=True)
class Rule:
    x1: float
    x2: float
    y: float
    width: float
    red: bool = False


@dataclass
class Layout:
    pages: list[list] = field(default_factory=list)  # per page: Text and Rule items
    seal: tuple[int, float, float] | None = None  # (page index, centre x, centre y)
    last_body: tuple[int, float] | None = None  # (page, bottom y of the last body line)


def slot_top(i: int) -> float:
    return TOP_Y - i * PITCH


def slot_baseline(i: int, size: float = BODY_SIZE) -> float:
    """A line's baseline in grid slot ``i``: the em box centred in the slot."""
    return slot_top(i) - PITCH / 2 - 0.36 * size


def _wrap(s: Surface, text: str, size: float, role: str = BODY) -> list[str]:
    """Body lines of at most 28 characters (drawn on the character grid, they fill the 版心);
    other lines (the title) within the 版心's width."""
    width = CHARS * size if role == BODY and size == BODY_SIZE else WIDTH
    return s.wrap(text, size, width, role)[0]


def layout(s: Surface, doc: OfficialDoc) -> Layout:
    out = Layout(pages=[[]])
    page = out.pages[0]
    # 版头
    mark_size = min(MARK_MAX, WIDTH / max(s.width(doc.mark, 1.0, TITLE), 1.0) * 0.96)
    mark_top = TOP_Y - 35 * mm
    mark_base = mark_top - 0.88 * mark_size
    page.append(Text(LEFT + WIDTH / 2, mark_base, doc.mark, mark_size, TITLE, "center", red=True))
    no_base = mark_base - 0.12 * mark_size - 2 * PITCH - 0.5 * PITCH
    page.append(Text(LEFT + WIDTH / 2, no_base, doc.doc_no, BODY_SIZE, BODY, "center"))
    rule_y = no_base - 0.12 * BODY_SIZE - 4 * mm
    page.append(Rule(LEFT, RIGHT, rule_y, RED_RULE, red=True))
    slot = int((TOP_Y - rule_y) // PITCH) + 1 + 2  # 空二行 under the red line
    # 标题
    for line in _wrap(s, doc.title, TITLE_SIZE, TITLE):
        page.append(Text(LEFT + WIDTH / 2, slot_baseline(slot, TITLE_SIZE), line, TITLE_SIZE, TITLE,
                         "center"))
        slot += 1
    slot += 1  # 空一行
    lines = [(line, False) for line in _wrap(s, doc.addressee + "：", BODY_SIZE)] if doc.addressee else []
    for para in doc.body.split("\n"):
        if para.strip():
            lines += [(line, True) for line in _wrap(s, "\u3000\u3000" + para.strip(), BODY_SIZE)]
    for line, _body in lines:
        if slot >= LINES:
            page = _new_page(out)
            slot = 0
        page.append(Text(LEFT, slot_baseline(slot), line, BODY_SIZE, BODY, grid=True))
        out.last_body = (len(out.pages) - 1, slot_top(slot + 1))
        slot += 1
    slot = _signature(s, out, doc, slot)
    _record(out, doc, slot)
    return out


def _new_page(out: Layout) -> list:
    out.pages.append([])
    return out.pages[-1]


def _signature(s: Surface, out: Layout, doc: OfficialDoc, slot: int) -> int:
    """署名 over 成文日期, under the seal; a new page under "(此页无正文)" when they do not fit."""
    name_slot = slot + SEAL_GAP
    page = out.pages[-1]
    if name_slot + 1 >= LINES:
        page = _new_page(out)
        page.append(Text(LEFT, slot_baseline(0), "(此页无正文)", BODY_SIZE, BODY))
        name_slot = SEAL_GAP
    date_text = format_cn_date(doc.signed_on)
    date_right = RIGHT - 4 * CHAR
    centre = date_right - s.width(date_text, BODY_SIZE) / 2
    page.append(Text(centre, slot_baseline(name_slot), doc.issuer, BODY_SIZE, BODY, "center"))
    page.append(Text(date_right, slot_baseline(name_slot + 1), date_text, BODY_SIZE, BODY, "right"))
    seal_y = slot_top(name_slot)  # the two lines just below its centre, its top under the text
    out.seal = (len(out.pages) - 1, centre, seal_y)
    return name_slot + 2


def _record(out: Layout, doc: OfficialDoc, slot: int) -> None:
    """版记 at the foot of the last page: 抄送 and 印发, between heavy, thin and heavy lines."""
    rows = []
    if doc.cc:
        rows.append(("抄送：" + doc.cc.rstrip("。") + "。", ""))
    if doc.printer:
        rows.append((doc.printer, format_cn_date(doc.printed_on or doc.signed_on) + "印发"))
    if not rows:
        return
    first = LINES - len(rows)
    page = out.pages[-1]
    if slot > first:
        page = _new_page(out)
    heavy, thin = 0.35 * mm, 0.25 * mm
    page.append(Rule(LEFT, RIGHT, slot_top(first), heavy))
    for n, (left, right) in enumerate(rows):
        i = first + n
        page.append(Text(LEFT + RECORD_SIZE, slot_baseline(i, RECORD_SIZE), left, RECORD_SIZE, BODY))
        if right:
            page.append(Text(RIGHT - RECORD_SIZE, slot_baseline(i, RECORD_SIZE), right, RECORD_SIZE, BODY,
                             "right"))
        if n < len(rows) - 1:
            page.append(Rule(LEFT, RIGHT, slot_top(i + 1), thin))
    page.append(Rule(LEFT, RIGHT, BOTTOM_Y, heavy))


def draw(s: Surface, doc: OfficialDoc, new_page: bool) -> int:
    """Draw the document's pages (on a new page first when ``new_page``); the page count."""
    placed = layout(s, doc)
    c = s.canvas
    for n, items in enumerate(placed.pages, 1):
        if new_page or n > 1:
            s.new_page()
        s.page_size(A4)
        for item in items:
            c.setFillColorRGB(*(RED if item.red else (0, 0, 0)))
            c.setStrokeColorRGB(*(RED if item.red else (0, 0, 0)))
            if isinstance(item, Rule):
                s.line(item.x1, item.y, item.x2, item.y, item.width)
            else:
                s.text(item.x, item.y, item.text, item.size, role=item.role, align=item.align,
                       char_space=CHAR - item.size if item.grid else 0.0)
        c.setFillColorRGB(0, 0, 0)
        c.setStrokeColorRGB(0, 0, 0)
        _page_number(s, n)
        if doc.seal_guide and placed.seal and placed.seal[0] == n - 1:
            c.setStrokeColorRGB(*RED)
            c.setDash(2, 2)
            c.circle(placed.seal[1], placed.seal[2], SEAL_R, stroke=1, fill=0)
            c.setDash()
            c.setStrokeColorRGB(0, 0, 0)
    return len(placed.pages)


def _page_number(s: Surface, n: int) -> None:
    text = f"— {n} —"
    y = BOTTOM_Y - 7 * mm - 0.4 * PAGE_NO_SIZE  # the dashes' top 7 mm under the 版心
    if n % 2:
        s.text(RIGHT - PAGE_NO_SIZE, y, text, PAGE_NO_SIZE, role=SONG, align="right")
    else:
        s.text(LEFT + PAGE_NO_SIZE, y, text, PAGE_NO_SIZE, role=SONG)
