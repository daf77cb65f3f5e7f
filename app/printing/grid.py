"""The bordered grid of an official form: label and value cells that wrap Chinese text and grow,
cells spanning columns and rows (a photo box), and tall opinion cells with signature, date and room
for the round stamp. Rows are kept whole across pages; rows joined by a row-spanning cell move
together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.units import mm

from app.printing.blocks import LEADING, Block, baseline
from app.printing.surface import Surface

PAD_X, PAD_Y = 1.6 * mm, 1.2 * mm
MIN_FIT = 9.0  # a one-line value or label shrinks down to this size before it wraps
STAMP = 45 * mm  # a 公章 is 40–45 mm across: every opinion cell keeps this much free, both ways


def no_orphan(lines: list[str]) -> list[str]:
    """Wrapped label lines with no character alone on the last line ("所属基层工/会" becomes
    "所属基层/工会"): the line before gives up its last character, so every line still fits."""
    if len(lines) > 1 and len(lines[-1].strip()) == 1 and len(lines[-2].rstrip()) >= 3:
        head = lines[-2].rstrip()
        return [*lines[:-2], head[:-1], head[-1] + lines[-1].strip()]
    return lines


@dataclass
class Cell:
    text: str = ""
    span: int = 1
    rowspan: int = 1
    kind: str = "value"  # label | value | opinion | photo
    align: str | None = None  # default: centre for labels, left for values
    size: float | None = None
    min_height: float = 0.0
    min_fit: float | None = None  # shrink this one-line cell further before it wraps (a long name)


def Label(text: str, span: int = 1, **kw) -> Cell:  # noqa: N802 - reads like a cell type
    return Cell(text, span=span, kind="label", **kw)


def Value(text: str, span: int = 1, **kw) -> Cell:  # noqa: N802
    return Cell(text, span=span, kind="value", **kw)


def Photo(rowspan: int, text: str = "照片\n(一寸免冠)") -> Cell:  # noqa: N802
    return Cell(text, rowspan=rowspan, kind="photo", align="center")


@dataclass
class Opinion(Cell):
    """"XX意见:" with free text, then "(盖章)" / "负责人签字:" and "年  月  日" bottom right."""

    signer_label: str = "负责人签字:"
    signer: str = ""  # who signed in the app: never printed — the paper is signed by hand
    date_text: str = "年    月    日"
    stamp: bool = True

    def __post_init__(self):
        self.kind = "opinion"
        if not self.min_height:
            self.min_height = 30 * mm


@dataclass
class _Placed:
    cell: Cell
    row: int
    col: int
    lines: list
    font: object
    size: float
    need: float  # height the content needs


class Grid(Block):
    """Rows of cells over columns whose widths are relative ``weights``."""

    def __init__(self, weights: list[float], rows: list[list[Cell]], *, size: float = 12,
                 min_row: float = 9 * mm, pad: float = PAD_X, pad_y: float = PAD_Y,
                 min_fit: float = MIN_FIT):
        """``pad``, ``pad_y`` and ``min_fit`` can be lowered for a table of many narrow columns
        (the family table of the 档案表), so a phone or ID number still fits on one line."""
        self.weights, self.rows, self.size, self.min_row = weights, rows, size, min_row
        self.pad, self.pad_y, self.min_fit = pad, pad_y, min_fit
        self._range: tuple[int, int] | None = None
        self._width: float | None = None

    # -- layout ---------------------------------------------------------------------------
    def _layout(self, s: Surface, width: float) -> None:
        if self._width == width:
            return
        total = sum(self.weights)
        xs = [0.0]
        for w in self.weights:
            xs.append(xs[-1] + width * w / total)
        self._xs = xs
        n_cols = len(self.weights)
        busy: set[tuple[int, int]] = set()
        placed: list[_Placed] = []
        for r, row in enumerate(self.rows):
            c = 0
            for k, cell in enumerate(row):
                while (r, c) in busy:
                    c += 1
                if c + cell.span > n_cols:
                    raise ValueError(f"grid row {r + 1} is wider than {n_cols} columns")
                if k == len(row) - 1 and cell.rowspan == 1:  # the last cell fills the row
                    free = c + cell.span
                    while free < n_cols and (r, free) not in busy:
                        free += 1
                    if free > c + cell.span:
                        cell = replace(cell, span=free - c)
                for dr in range(cell.rowspan):
                    for dc in range(cell.span):
                        busy.add((r + dr, c + dc))
                inner = xs[c + cell.span] - xs[c] - 2 * self.pad
                size = cell.size or self.size
                if cell.kind in ("label", "value"):
                    lines, font, size = s.fit(cell.text, size, inner, min(cell.min_fit or self.min_fit, size))
                    if cell.kind == "label":
                        lines = no_orphan(lines)
                else:
                    lines, font = s.wrap(cell.text, size, inner) if cell.text else ([], None)
                need = len(lines) * size * LEADING + 2 * self.pad_y
                if isinstance(cell, Opinion):
                    # under the text: the free square for the round stamp, pressed over the
                    # signature, (盖章) and date lines as offices stamp; never less than they need
                    need += max(STAMP if cell.stamp else 0.0, size * LEADING * 3.5)
                placed.append(_Placed(cell, r, c, lines, font, size, max(need, cell.min_height)))
                c += cell.span
        heights = [self.min_row] * len(self.rows)
        for p in placed:
            if p.cell.rowspan == 1:
                heights[p.row] = max(heights[p.row], p.need)
        for p in placed:  # a row-spanning cell that needs more grows its last row
            if p.cell.rowspan > 1:
                end = p.row + p.cell.rowspan
                short = p.need - sum(heights[p.row:end])
                if short > 0:
                    heights[end - 1] += short
        # a page may break after row i only if no cell spans across that boundary
        breakable = [True] * len(self.rows)
        for p in placed:
            for i in range(p.row, p.row + p.cell.rowspan - 1):
                breakable[i] = False
        self._placed, self._heights, self._breakable = placed, heights, breakable
        self._width = width
        if self._range is None:
            self._range = (0, len(self.rows))

    def wrap(self, s, width):
        self._layout(s, width)
        a, b = self._range
        return sum(self._heights[a:b])

    def split(self, s, width, avail):
        self._layout(s, width)
        a, b = self._range
        used, cut = 0.0, None
        for i in range(a, b):
            used += self._heights[i]
            if used > avail:
                break
            if self._breakable[i]:
                cut = i + 1
        if cut is None:
            return None, self
        if cut >= b:
            return self, None
        return self._slice(a, cut), self._slice(cut, b)

    def split_first(self, s, width):
        self._layout(s, width)
        a, b = self._range
        cut = next((i + 1 for i in range(a, b) if self._breakable[i]), b)
        return (self, None) if cut >= b else (self._slice(a, cut), self._slice(cut, b))

    def _slice(self, a: int, b: int) -> Grid:
        g = Grid.__new__(Grid)
        g.__dict__.update(self.__dict__)
        g._range = (a, b)
        return g

    # -- drawing --------------------------------------------------------------------------
    def draw(self, s, x, top, width):
        self._layout(s, width)
        a, b = self._range
        tops = {a: top}
        for i in range(a, b):
            tops[i + 1] = tops[i] - self._heights[i]
        for p in self._placed:
            if not a <= p.row < b:
                continue
            end = min(p.row + p.cell.rowspan, b)
            cx, cw = x + self._xs[p.col], self._xs[p.col + p.cell.span] - self._xs[p.col]
            ctop, cbottom = tops[p.row], tops[end]
            s.rect(cx, cbottom, cw, ctop - cbottom, width=0.5)
            self._draw_content(s, p, cx, ctop, cw, ctop - cbottom)
        s.rect(x, tops[b], width, top - tops[b], width=1.0)  # heavier outer border

    def _draw_content(self, s: Surface, p: _Placed, x: float, top: float, w: float, h: float):
        cell, size = p.cell, p.size
        lead = size * LEADING
        if isinstance(cell, Opinion):
            y = top - self.pad_y
            for line in p.lines:
                s.text(x + self.pad, baseline(y, size, lead), line, size, font=p.font)
                y -= lead
            right = x + w - 6 * mm
            date_y = baseline(top - h + self.pad_y + lead, size, lead)
            s.text(right, date_y, cell.date_text, size, align="right")
            above = date_y + lead * 1.15
            if cell.stamp:
                s.text(right, above, "(盖章)", size, align="right")
                above += lead * 1.15
            label = cell.signer_label
            if label:
                s.text(max(x + self.pad, right - max(s.width(label, size), 40 * mm)), above, label, size)
            return
        align = cell.align or ("center" if cell.kind in ("label", "photo") else "left")
        block_h = len(p.lines) * lead
        y = top - (h - block_h) / 2  # vertically centred
        for line in p.lines:
            by = baseline(y, size, lead)
            if align == "center":
                s.text(x + w / 2, by, line, size, align="center", font=p.font)
            elif align == "right":
                s.text(x + w - self.pad, by, line, size, align="right", font=p.font)
            else:
                s.text(x + self.pad, by, line, size, font=p.font)
            y -= lead
