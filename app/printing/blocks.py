"""Building blocks of a printed form, stacked top to bottom by the paginator.

A block measures itself for a width (``wrap`` → height, layout cached), draws itself with its top
edge at ``top``, and may split into a part that fits the rest of a page and a remainder. Sizes follow
records-and-forms.md §A.0: titles 二号 22 pt (小二 18 pt when long), body 小四 12 pt, notes 五号.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.printing.fonts import BODY, TITLE
from app.printing.surface import Surface

LEADING = 1.45  # line height / font size for body text
EM_TOP = 0.86  # baseline sits this many font sizes below the top of a line's em box
BLANK = 38 * mm  # the line left to write on after "填报单位(盖章):"


def baseline(line_top: float, size: float, leading: float) -> float:
    """Baseline of a line whose box (``leading`` high) starts at ``line_top``."""
    return line_top - (leading - size) / 2 - EM_TOP * size


class Block:
    def wrap(self, s: Surface, width: float) -> float:
        raise NotImplementedError

    def split(self, s: Surface, width: float, avail: float) -> tuple[Block | None, Block | None]:
        """(part that fits in ``avail``, remainder); (None, self) when nothing can go first."""
        return None, self

    def split_first(self, s: Surface, width: float) -> tuple[Block, Block | None]:
        """The smallest first part, for a page that cannot hold even that: it overflows."""
        return self, None

    def draw(self, s: Surface, x: float, top: float, width: float) -> None:
        raise NotImplementedError


class Spacer(Block):
    def __init__(self, height: float):
        self.height = height

    def wrap(self, s, width):
        return self.height

    def draw(self, s, x, top, width):
        pass


class PageBreak(Block):
    """Start a new page here (F1 prints on exactly two pages)."""

    def wrap(self, s, width):
        return 0.0

    def draw(self, s, x, top, width):
        pass


class Title(Block):
    """Centred title in the heavy face, shrinking from 22 to 18 pt before it wraps; a subtitle
    such as "(2020年度)" under it."""

    def __init__(self, text: str, *, subtitle: str = "", size: float = 22, min_size: float = 18,
                 sub_size: float = 14):
        self.text, self.subtitle = text, subtitle
        self.size, self.min_size, self.sub_size = size, min_size, sub_size

    def wrap(self, s, width):
        size = self.size
        if s.width(self.text, size, TITLE) > width:
            size = self.min_size
        self._size = size
        self._lines, self._font = s.wrap(self.text, size, width, TITLE)
        h = len(self._lines) * size * 1.3 + 2 * mm
        if self.subtitle:
            self._sub, self._sub_font = s.wrap(self.subtitle, self.sub_size, width, BODY)
            h += len(self._sub) * self.sub_size * LEADING
        return h + 2 * mm

    def draw(self, s, x, top, width):
        y, size = top, self._size
        for line in self._lines:
            s.text(x + width / 2, baseline(y, size, size * 1.3), line, size, align="center",
                   font=self._font, heavy=self._font.light)
            y -= size * 1.3
        y -= 2 * mm
        if self.subtitle:
            for line in self._sub:
                s.text(x + width / 2, baseline(y, self.sub_size, self.sub_size * LEADING), line,
                       self.sub_size, align="center", font=self._sub_font)
                y -= self.sub_size * LEADING


class HeaderLine(Block):
    """The line under the title: "填报单位(盖章):…" left, "填表日期:  年  月  日" centre,
    "编号:…" right; stacked in two lines when they do not fit side by side."""

    def __init__(self, left: str = "", center: str = "", right: str = "", *, size: float = 12):
        self.parts, self.size = (left, center, right), size

    def wrap(self, s, width):
        left, center, right = (s.width(p, self.size) + (BLANK if p.endswith((":", "\uff1a")) else 0)
                               if p else 0.0 for p in self.parts)
        gap = 4 * mm
        if center:  # the centre part sits around 56 % of the width: it must clear both sides
            mid = width * 0.56
            self._stacked = (left + gap > mid - center / 2) or (mid + center / 2 + gap > width - right)
        else:
            self._stacked = left + right + 2 * gap > width
        return self.size * LEADING * (2 if self._stacked else 1) + 1.5 * mm

    def _part(self, s, x, y, text, align) -> None:
        """Draw one part; a label ending in ":" with nothing after it gets a line to write on."""
        blank = text.endswith((":", "\uff1a"))
        w = s.width(text, self.size) + (BLANK if blank else 0)
        left = x - w if align == "right" else x - w / 2 if align == "center" else x
        s.text(left, y, text, self.size)
        if blank:
            end = left + w
            s.line(end - BLANK + 1 * mm, y - 1.2 * mm, end, y - 1.2 * mm, 0.5)

    def draw(self, s, x, top, width):
        left, center, right = self.parts
        lead = self.size * LEADING
        y = baseline(top, self.size, lead)
        if left:
            self._part(s, x, y, left, "left")
        if self._stacked:
            if right:
                self._part(s, x + width, y, right, "right")
            y -= lead
            if center:
                self._part(s, x + width, y, center, "right")
            return
        if center:
            self._part(s, x + width * 0.56, y, center, "center")
        if right:
            self._part(s, x + width, y, right, "right")


class Paragraph(Block):
    """Running text (a declaration, a notice), first line indented two characters."""

    def __init__(self, text: str, *, size: float = 12, indent: int = 2, align: str = "left",
                 leading: float = LEADING):
        self.text, self.size, self.indent, self.align, self.leading = text, size, indent, align, leading
        self._lines: list[str] | None = None

    def wrap(self, s, width):
        if self._lines is None:
            pad = "\u3000" * self.indent
            text = "\n".join(pad + p for p in self.text.split("\n"))
            self._lines, self._font = s.wrap(text, self.size, width)
        return len(self._lines) * self.size * self.leading

    def split(self, s, width, avail):
        self.wrap(s, width)
        k = int(avail // (self.size * self.leading))
        if k <= 0:
            return None, self
        if k >= len(self._lines):
            return self, None
        head, rest = Paragraph("", size=self.size, leading=self.leading), Paragraph(
            "", size=self.size, leading=self.leading)
        head._lines, head._font = self._lines[:k], self._font
        rest._lines, rest._font = self._lines[k:], self._font
        return head, rest

    def draw(self, s, x, top, width):
        lead = self.size * self.leading
        for i, line in enumerate(self._lines):
            y = baseline(top - i * lead, self.size, lead)
            if self.align == "center":
                s.text(x + width / 2, y, line, self.size, align="center", font=self._font)
            elif self.align == "right":
                s.text(x + width, y, line, self.size, align="right", font=self._font)
            else:
                s.text(x, y, line, self.size, font=self._font)


class Signatures(Block):
    """Signature columns under a table: "经办人:______   审核人:______ …", evenly spaced,
    with room to sign by hand."""

    def __init__(self, labels: list[str], *, size: float = 12, height: float = 14 * mm):
        self.labels, self.size, self.height = labels, size, height

    def wrap(self, s, width):
        return self.height

    def draw(self, s, x, top, width):
        n = max(len(self.labels), 1)
        col = width / n
        y = top - self.height + 4 * mm
        for i, label in enumerate(self.labels):
            left = x + i * col
            s.text(left, y, label, self.size)
            lw = s.width(label, self.size)
            s.line(left + lw + 1 * mm, y - 1.2 * mm, left + col - 4 * mm, y - 1.2 * mm, 0.5)


class Notes(Block):
    """填表说明 1. 2. 3. and "本表一式X份", in 五号 under the form."""

    def __init__(self, items: list[str], *, title: str = "填表说明:", copies: str = "",
                 size: float = 10.5):
        self.items, self.title, self.copies, self.size = items, title, copies, size
        self._lines: list[tuple[str, float]] | None = None

    def wrap(self, s, width):
        if self._lines is None:
            lines: list[tuple[str, float]] = []
            if self.title and self.items:
                lines.append((self.title, 0.0))
            hang = s.width("9. ", self.size)
            for i, item in enumerate(self.items, 1):
                prefix = f"{i}. "
                wrapped, _ = s.wrap(item, self.size, width - hang)
                lines.append((prefix + wrapped[0], 0.0))
                lines.extend((w, hang) for w in wrapped[1:])
            if self.copies:
                lines.append((self.copies, 0.0))
            self._lines = lines
        return len(self._lines) * self.size * 1.35 + 1.5 * mm

    def split(self, s, width, avail):
        self.wrap(s, width)
        k = int((avail - 1.5 * mm) // (self.size * 1.35))
        if k <= 0:
            return None, self
        if k >= len(self._lines):
            return self, None
        head, rest = Notes([], size=self.size), Notes([], size=self.size)
        head._lines, rest._lines = self._lines[:k], self._lines[k:]
        return head, rest

    def draw(self, s, x, top, width):
        lead = self.size * 1.35
        y = top - 1.5 * mm
        for text, indent in self._lines:
            s.text(x + indent, baseline(y, self.size, lead), text, self.size)
            y -= lead


class Closing(Block):
    """The issuer and date at the foot of a notice (公示), right-aligned with four characters of
    space on the right (GB/T 9704), and room above the date for the round stamp."""

    def __init__(self, issuer: str, date_text: str, *, size: float = 14):
        self.issuer, self.date_text, self.size = issuer, date_text, size

    def wrap(self, s, width):
        return 26 * mm

    def draw(self, s, x, top, width):
        # the date ends four characters from the right margin; the issuer is centred above it
        centre = x + width - 4 * self.size - s.width(self.date_text, self.size) / 2
        lead = self.size * LEADING
        y = baseline(top - 8 * mm, self.size, lead)
        s.text(centre, y, self.issuer, self.size, align="center")
        s.text(centre, y - lead, self.date_text, self.size, align="center")


class Together(Block):
    """Blocks kept on one page (the opinion row and the 本表一式三份 line under it): the whole
    stack moves to the next page rather than leave its last line alone."""

    def __init__(self, *blocks: Block):
        self.blocks = blocks

    def wrap(self, s, width):
        return sum(b.wrap(s, width) for b in self.blocks)

    def draw(self, s, x, top, width):
        for b in self.blocks:
            b.draw(s, x, top, width)
            top -= b.wrap(s, width)
