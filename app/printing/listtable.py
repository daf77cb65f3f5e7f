"""A list table (名册, 公示名单, 签收表): column headers repeated on every page, "本页小计" at the
foot of each page of a table that runs over several, "合计" with the amount in figures and 大写 on
the last page, and the signatures that must stay with the total.

Money is integer fen. The grand total is checked (figures against 大写, rows against any declared
total) before anything is drawn, and the page subtotals are checked against it as the pages are
drawn, so a total that does not add up is never printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.units import mm

from app.printing.amounts import PrintRefused, Total, sum_checked
from app.printing.blocks import LEADING, Block, baseline
from app.printing.fonts import TITLE
from app.printing.grid import PAD_Y
from app.validation import format_yuan

PAD_X = 1.2 * mm  # list columns are narrow
MIN_FIT = 0.82  # a cell's text shrinks to this share of the table's size before it wraps
LINE_FLOOR = 5.0  # a one-line column shrinks its text down to this size (pt) before it would wrap


@dataclass(frozen=True)
class Column:
    title: str
    weight: float = 1.0
    align: str = "center"
    money: bool = False  # integer fen, printed 1,234.50, summed per page and in total
    words: bool = False  # also print this column's grand total in 大写
    number: bool = False  # a quantity (斤, 份) summed like money but printed as it is
    # how a text too wide for the column is set: "auto" shrinks a little (to MIN_FIT) and wraps
    # beyond; "line" always stays on one line, set smaller as needed (an ID or phone number, which
    # must never break); "wrap" keeps the table's size and wraps (names of units: every row alike)
    fit: str = "auto"


@dataclass
class _Shared:
    """What every piece of one table shares once it is split over pages."""

    columns: list[Column]
    rows: list[tuple]
    totals: dict[int, Total | int]
    drawn: dict[int, int] = field(default_factory=dict)  # sums of the page subtotals so far
    width: float | None = None


class ListTable(Block):
    def __init__(self, columns: list[Column], rows: list[tuple], *, size: float = 10.5,
                 min_row: float = 8 * mm, totals: bool = True, subtotals: bool = True,
                 count_unit: str = "人", declared: dict[int, int] | None = None,
                 tail: list[Block] = (), min_rows: int = 0,
                 count: Callable[[range], str] | None = None):
        """``min_rows`` pads a short list with blank rows, struck through under "以下空白" so
        that nothing can be added to a signed sheet (授权委托书, 签收表). The subtotal and total
        rows say how many rows they add up: ``count(indices of those rows)`` ("6人、3家企业")
        when given, else the number and ``count_unit`` ("9人"), or nothing."""
        if any(len(r) != len(columns) for r in rows):
            raise ValueError("every row needs one value per column")
        self.real_rows = len(rows)
        rows = list(rows) + [(None,) * len(columns)] * max(0, min_rows - len(rows))
        sums: dict[int, Total | int] = {}
        for i, col in enumerate(columns):
            if col.money:
                sums[i] = sum_checked((r[i] for r in rows), declared=(declared or {}).get(i),
                                      what=f"{col.title}合计")
            elif col.number:
                sums[i] = sum(r[i] or 0 for r in rows)
        self._s = _Shared(list(columns), list(rows), sums)
        self.size, self.min_row, self.totals, self.count_unit = size, min_row, totals, count_unit
        self.count = count
        self.subtotals = subtotals
        self.tail = list(tail)
        self._start, self._end = 0, len(rows)
        self._continued, self._split = False, False

    @property
    def grand_totals(self) -> dict[int, Total | int]:
        return self._s.totals

    # -- layout ---------------------------------------------------------------------------
    def _text(self, i: int, value) -> str:
        col = self._s.columns[i]
        if value is None or value == "":
            return ""
        if col.money:
            return format_yuan(value)
        return str(value)

    def _layout(self, s, width: float) -> None:
        sh = self._s
        if sh.width == width:
            return
        total = sum(c.weight for c in sh.columns)
        xs = [0.0]
        for c in sh.columns:
            xs.append(xs[-1] + width * c.weight / total)
        size, low = self.size, self.size * MIN_FIT
        inner = [xs[i + 1] - xs[i] - 2 * PAD_X for i in range(len(sh.columns))]
        header = [s.fit(c.title, size, inner[i], low, TITLE) for i, c in enumerate(sh.columns)]
        header_h = max(self.min_row, max(len(ln) * sz * LEADING for ln, _, sz in header) + 2 * PAD_Y)
        cells, heights = [], []
        for row in sh.rows:
            fitted = [_set(s, sh.columns[i].fit, self._text(i, v), size, inner[i], low)
                      if v not in (None, "") else ([], None, size) for i, v in enumerate(row)]
            cells.append(fitted)
            heights.append(max(self.min_row, max(len(ln) * sz * LEADING for ln, _, sz in fitted)
                               + 2 * PAD_Y))
        sh.xs, sh.header, sh.header_h, sh.cells, sh.heights = xs, header, header_h, cells, heights
        sh.words_cols = [i for i, c in enumerate(sh.columns) if c.money and c.words]
        sh.width = width

    def _final_h(self, s, width) -> float:
        h = 0.0
        if self.totals:
            h += self.min_row + len(self._s.words_cols) * self.min_row
        return h + sum(b.wrap(s, width) for b in self.tail)

    def _height(self, s, width, start, end, continued, split) -> float:
        sh = self._s
        h = sh.header_h + sum(sh.heights[start:end])
        if self.subtotals and (continued or split):
            h += self.min_row  # 本页小计
        if not split:
            h += self._final_h(s, width)
        return h

    def wrap(self, s, width):
        self._layout(s, width)
        return self._height(s, width, self._start, self._end, self._continued, self._split)

    def split(self, s, width, avail):
        self._layout(s, width)
        if self._height(s, width, self._start, self._end, self._continued, False) <= avail:
            return self, None
        used, k = self._s.header_h + (self.min_row if self.subtotals else 0), 0
        for i in range(self._start, self._end):
            if used + self._s.heights[i] > avail:
                break
            used += self._s.heights[i]
            k += 1
        if k == self._end - self._start:
            k -= 1  # the total must not stand alone on a page: carry the last row over
        if k <= 0:
            return None, self
        return (self._piece(self._start, self._start + k, self._continued, True),
                self._piece(self._start + k, self._end, True, False))

    def _piece(self, start, end, continued, split) -> ListTable:
        t = ListTable.__new__(ListTable)
        t.__dict__.update(self.__dict__)
        t._start, t._end, t._continued, t._split = start, end, continued, split
        return t

    # -- drawing --------------------------------------------------------------------------
    def draw(self, s, x, top, width):
        self._layout(s, width)
        sh, size, lead = self._s, self.size, self.size * LEADING
        y = top
        self._row(s, x, y, sh.header_h, [(ln, f, sz, "center") for ln, f, sz in sh.header])
        y -= sh.header_h
        blank_tops = []
        for r in range(self._start, self._end):
            h = sh.heights[r]
            self._row(s, x, y, h, [(ln, f, sz, sh.columns[i].align)
                                   for i, (ln, f, sz) in enumerate(sh.cells[r])])
            if r >= self.real_rows:
                blank_tops.append(y)
            y -= h
        if blank_tops:  # "以下空白" in the first blank row, one stroke through the others
            first = blank_tops[0]
            s.text(x + sh.xs[1] + PAD_X, baseline(first - (self.min_row - lead) / 2, size, lead),
                   "以下空白", size)
            if len(blank_tops) > 1:
                s.line(x + sh.xs[1], blank_tops[1], x + width, y, 0.6)
        if self.subtotals and (self._continued or self._split):
            page = self._page_sums()
            for i, v in page.items():
                sh.drawn[i] = sh.drawn.get(i, 0) + v
            self._sum_row(s, x, y, "本页小计", range(self._start, min(self._end, self.real_rows)), page)
            y -= self.min_row
        if self._split:
            return
        if self.totals:
            self._check_pages()
            grand = {i: (t.fen if isinstance(t, Total) else t) for i, t in sh.totals.items()}
            self._sum_row(s, x, y, "合计", range(self.real_rows), grand)
            y -= self.min_row
            for i in sh.words_cols:
                t = sh.totals[i]
                s.rect(x, y - self.min_row, width, self.min_row, width=0.5)
                by = baseline(y - (self.min_row - lead) / 2, size, lead)
                title = "合计金额" if len(sh.words_cols) == 1 else re.sub(  # several: each by name
                    r"[((][^()()]*[))]$", "", sh.columns[i].title) + "合计"
                s.text(x + PAD_X, by, f"{title}(大写):{t.words}", size)
                s.text(x + width - PAD_X, by, f"(小写){t.figures}", size, align="right")
                y -= self.min_row
        s.rect(x, y, width, top - y, width=1.0)
        for b in self.tail:
            h = b.wrap(s, width)
            b.draw(s, x, y, width)
            y -= h

    def _count_text(self, rows: range) -> str:
        if self.count is not None:
            return self.count(rows)
        return f"{len(rows)}{self.count_unit}" if self.count_unit else ""

    def _page_sums(self) -> dict[int, int]:
        sh = self._s
        return {i: sum(sh.rows[r][i] or 0 for r in range(self._start, self._end))
                for i in sh.totals}

    def _check_pages(self) -> None:
        """The page subtotals drawn so far plus this page's must give the grand total."""
        sh = self._s
        if not self._continued or not self.subtotals:
            return
        for i, t in sh.totals.items():
            fen = t.fen if isinstance(t, Total) else t
            if sh.drawn.get(i, 0) != fen:
                raise PrintRefused(f"{sh.columns[i].title}各页小计之和与合计不一致,已拒绝打印")

    def _row(self, s, x, top, h, cells) -> None:
        sh = self._s
        for i, (lines, font, size, align) in enumerate(cells):
            cx, cw = x + sh.xs[i], sh.xs[i + 1] - sh.xs[i]
            s.rect(cx, top - h, cw, h, width=0.5)
            lead = size * LEADING
            y = top - (h - len(lines) * lead) / 2
            for line in lines:
                by = baseline(y, size, lead)
                if align == "center":
                    s.text(cx + cw / 2, by, line, size, align="center", font=font)
                elif align == "right":
                    s.text(cx + cw - PAD_X, by, line, size, align="right", font=font)
                else:
                    s.text(cx + PAD_X, by, line, size, font=font)
                y -= lead

    def _sum_row(self, s, x, top, label: str, rows: range, sums: dict[int, int]) -> None:
        sh, size, h = self._s, self.size, self.min_row
        lead = size * LEADING
        first = min(sums, default=len(sh.columns))
        count = self._count_text(rows)
        text = f"{label}({count})" if count else label
        cells, i, n = [(0, first, text, "center")], first, len(sh.columns)
        while i < n:
            if i in sums:
                v = sums[i]
                cells.append((i, i + 1, format_yuan(v) if sh.columns[i].money else str(v),
                              sh.columns[i].align))
                i += 1
                continue
            j = i
            while j < n and j not in sums:
                j += 1
            cells.append((i, j, "", "center"))
            i = j
        by = baseline(top - (h - lead) / 2, size, lead)
        for a, b, content, align in cells:
            if b <= a:
                continue
            cx, cw = x + sh.xs[a], sh.xs[b] - sh.xs[a]
            s.rect(cx, top - h, cw, h, width=0.5)
            if align == "right":
                s.text(cx + cw - PAD_X, by, content, size, align="right")
            else:
                s.text(cx + cw / 2, by, content, size, align="center")


def _set(s, fit: str, text: str, size: float, width: float, low: float):
    """(lines, font, size) of a cell's text by its column's ``fit``."""
    if fit == "line":
        return s.fit(text, size, width, LINE_FLOOR)
    if fit == "wrap":
        lines, font = s.wrap(text, size, width)
        return lines, font, size
    return s.fit(text, size, width, low)
