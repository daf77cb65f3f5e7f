"""One printed form (``FormDoc``: its blocks, 编号 and QR payload), the paginator that stacks the
blocks on A4 pages, and the renderer that writes many forms into one deterministic PDF.

Every page gets the same footer: 编号 on the left, "共X页 第X页" (counted per form, not per
batch) in the middle, the QR code on the right. ``invariant=1`` makes reportlab write the same bytes
for the same input (no creation time, fixed document id), so tests can hash a PDF.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from app.fileio import atomic_output
from app.printing.blocks import Block, PageBreak
from app.printing.fonts import FontSet, default_fontset
from app.printing.surface import Surface

log = logging.getLogger(__name__)

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 16 * mm, 10 * mm
FOOTER_H = 17 * mm  # band at the foot of every page: 编号, page count, QR
QR_SIZE = 15 * mm


@dataclass
class FormDoc:
    title: str  # the form's Chinese title (PDF metadata, file names)
    blocks: list[Block]
    number: str  # 编号, printed on every page
    qr_payload: str
    landscape: bool = False
    continuation: Block | None = None  # repeated at the top of pages 2.. ("职工编号 / 姓名")
    record_ids: tuple[str, ...] = ()  # what this form prints, for the audit log
    # a document that lays out its own pages on another geometry (a 公文 on GB/T 9704): draws
    # them on the surface, the first without starting a new page unless told, and returns how
    # many it drew; ``blocks`` then only name what it shows (its title), they are not drawn
    draw: Callable[[Surface, bool], int] | None = None


class MissingGlyphs(Exception):
    """Characters no font of the chain can draw: (the form, the character, the text it was in).
    The print service turns it into a refusal naming the record and the field."""

    def __init__(self, found: list[tuple[FormDoc, str, str]]):
        super().__init__("no font has " + "".join(c for _, c, _ in found))
        self.found = found


@dataclass
class RenderResult:
    path: Path
    pages: int
    pages_per_form: list[int]
    missing_chars: set[str] = field(default_factory=set)  # characters no font could print


def page_size(doc: FormDoc) -> tuple[float, float]:
    return landscape(A4) if doc.landscape else A4


def paginate(doc: FormDoc, s: Surface) -> list[list[tuple[Block, float]]]:
    """Place the blocks on pages: a list of pages, each a list of (block, top y)."""
    pw, ph = page_size(doc)
    width = pw - 2 * MARGIN_X
    top_y, floor = ph - MARGIN_TOP, MARGIN_BOTTOM + FOOTER_H
    pages: list[list[tuple[Block, float]]] = [[]]
    y = top_y

    def new_page() -> float:
        pages.append([])
        ny = top_y
        if doc.continuation is not None:
            pages[-1].append((doc.continuation, ny))
            ny -= doc.continuation.wrap(s, width)
        return ny

    queue = list(doc.blocks)
    while queue:
        block = queue.pop(0)
        if isinstance(block, PageBreak):
            fresh = y == top_y or (doc.continuation is not None and len(pages[-1]) == 1
                                   and pages[-1][0][0] is doc.continuation)
            if not fresh:  # a page that has just begun (the last one ran over) is kept
                y = new_page()
            continue
        h = block.wrap(s, width)
        if y - h >= floor - 0.01:
            pages[-1].append((block, y))
            y -= h
            continue
        head, rest = block.split(s, width, y - floor)
        fresh = y == top_y or (doc.continuation is not None and len(pages[-1]) == 1
                               and pages[-1][0][0] is doc.continuation)
        if head is None and fresh:  # even its first part is taller than a page: it overflows
            log.warning("block %s does not fit on one page", type(block).__name__)
            head, rest = block.split_first(s, width)
        if head is not None:
            pages[-1].append((head, y))
            y -= head.wrap(s, width)
        if rest is not None:
            queue.insert(0, rest)
            y = new_page()
    return pages


def _footer(s: Surface, doc: FormDoc, page_no: int, total: int) -> None:
    pw, _ = page_size(doc)
    size = 9
    y = MARGIN_BOTTOM + 3 * mm
    s.text(MARGIN_X, y, f"编号:{doc.number}", size)
    s.text(pw / 2, y, f"共{total}页 第{page_no}页", 10.5, align="center")
    s.qr(doc.qr_payload, pw - MARGIN_X - QR_SIZE, MARGIN_BOTTOM, QR_SIZE)


def draw_docs(s: Surface, docs, progress=None) -> list[int]:
    """Draw every form on the surface's canvas; returns the page count of each."""
    counts = []
    first = True
    for n, doc in enumerate(docs, 1):
        known = set(s.fonts.missing)
        if doc.draw is not None:
            counts.append(doc.draw(s, not first))
            first = False
        else:
            pages = paginate(doc, s)
            pw, ph = page_size(doc)
            width = pw - 2 * MARGIN_X
            for i, placed in enumerate(pages, 1):
                if not first:
                    s.new_page()
                first = False
                s.page_size((pw, ph))
                for block, top in placed:
                    block.draw(s, MARGIN_X, top, width)
                _footer(s, doc, i, len(pages))
            counts.append(len(pages))
        if s.fonts.missing - known:  # the first form with a character no font has
            raise MissingGlyphs([(doc, c, s.fonts.missing_in.get(c, ""))
                                 for c in sorted(s.fonts.missing - known)])
        if progress is not None and n % 20 == 0:
            progress.update(n, None, f"已排版 {n:,} 份")
    return counts


def render_pdf(docs, path: Path | str, *, title: str, author: str = "工会工作台",
               fonts: FontSet | None = None, recorder: list | None = None,
               progress=None) -> RenderResult:
    """Write ``docs`` into one PDF at ``path``, atomically (a temporary file renamed at the end,
    so a refused or cancelled print leaves no half-written file)."""
    from reportlab.pdfgen.canvas import Canvas

    path = Path(path)
    fonts = fonts or default_fontset()
    with atomic_output(path) as tmp:
        canvas = Canvas(str(tmp), pagesize=A4, invariant=1, pageCompression=1,
                        initialFontName=fonts.primary().name)
        canvas.setTitle(title)
        canvas.setAuthor(author)
        canvas.setCreator("UnionDesk 工会工作台")
        s = Surface(canvas, fonts, recorder=recorder)
        counts = draw_docs(s, docs, progress)
        if not counts:
            from app.errors import AppError

            raise AppError("没有要打印的记录")
        canvas.save()
    return RenderResult(path, sum(counts), counts, set(fonts.missing))
