"""The drawing surface of the form engine: text with per-string font choice, CJK line breaking,
lines, boxes and QR codes on a reportlab canvas.

Every primitive can also be recorded (``Surface(recorder=[])``): the print benchmark replays the
recorded calls on a bare reportlab canvas to measure what the engine itself costs.
"""

from __future__ import annotations

from app.printing.fonts import BODY, FontSet, LoadedFont, Mixed

# Chinese line-breaking rules (避头尾): these never start a line, those never end one.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’,.;:?!)]}%％·…—～")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{¥￥")


def text_width(font: LoadedFont, text: str, size: float) -> float:
    widths, default = font.widths, font.default_width
    return sum(widths.get(ord(c), default) for c in text) * size / 1000.0


def _tokens(text: str) -> list[str]:
    """Break points: every CJK character stands alone; runs of Latin letters, digits and their
    punctuation (an ID number, 2020-07-10, e-mail) stay together; a space is its own token."""
    out: list[str] = []
    run = ""
    for c in text:
        if c.isascii() and not c.isspace():
            run += c
            continue
        if run:
            out.append(run)
            run = ""
        out.append(c)
    if run:
        out.append(run)
    return out


def wrap(text: str, font: LoadedFont, size: float, width: float) -> list[str]:
    """Greedy line breaking for mixed Chinese and Latin text, honouring 避头尾 and hard newlines."""
    lines: list[str] = []
    widths, default, scale = font.widths, font.default_width, size / 1000.0

    def w(s: str) -> float:
        return sum(widths.get(ord(c), default) for c in s) * scale

    for para in text.split("\n"):
        toks: list[str] = []
        for tok in _tokens(para):  # a word longer than the line is cut into characters
            toks.extend(tok if len(tok) > 1 and w(tok) > width else (tok,))
        line, used = "", 0.0
        for tok in toks:
            tw = w(tok)
            if not line or used + tw <= width:
                line += tok
                used += tw
                continue
            # ``tok`` starts a new line, unless the rules say otherwise
            carry = ""
            # take characters along until the new line starts with one allowed there (max 3)
            while (carry or tok)[0] in NO_LINE_START and len(line) > 1 and len(carry) < 3:
                carry, line = line[-1] + carry, line[:-1]
            while len(line) > 1 and line[-1] in NO_LINE_END and len(carry) < 4:
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip(" "))
            line = (carry + tok).lstrip(" ")
            used = w(line)
        lines.append(line.rstrip(" "))
    return lines


class Surface:
    """One PDF being drawn. Coordinates are reportlab points from the bottom-left corner."""

    def __init__(self, canvas, fonts: FontSet, *, recorder: list | None = None):
        self.canvas = canvas
        self.fonts = fonts
        self.recorder = recorder
        self._font_state: tuple[str, float] | None = None
        self._mode: int | None = None  # text render mode of a heavy title

    # -- measuring ------------------------------------------------------------------------
    def font_for(self, text: str, role: str = BODY) -> LoadedFont:
        return self.fonts.pick(text, role)

    def width(self, text: str, size: float, role: str = BODY) -> float:
        return text_width(self.fonts.pick(text, role), text, size)

    def wrap(self, text: str, size: float, width: float, role: str = BODY
             ) -> tuple[list[str], LoadedFont]:
        font = self.fonts.pick(text.replace("\n", ""), role)
        return wrap(text, font, size, width), font

    def fit(self, text: str, size: float, width: float, min_size: float, role: str = BODY
            ) -> tuple[list[str], LoadedFont, float]:
        """(lines, font, size): a one-line text that is slightly too wide is set smaller, down to
        ``min_size`` in half points, rather than broken (an ID number, a date, a phone number)."""
        if text and "\n" not in text:
            font = self.fonts.pick(text, role)
            wide = text_width(font, text, size)
            if wide > width and size * width / wide >= min_size:
                size = int(size * width / wide * 2) / 2
                return [text], font, size
        lines, font = self.wrap(text, size, width, role)
        return lines, font, size

    # -- drawing --------------------------------------------------------------------------
    def text(self, x: float, y: float, text: str, size: float, *, role: str = BODY,
             align: str = "left", font: LoadedFont | Mixed | None = None, heavy: bool = False,
             char_space: float = 0.0) -> None:
        """Draw one line with its baseline at ``y``; ``align`` is relative to ``x``. ``heavy``
        strokes the outlines too: a title set in a light face reads as the heavy face it stands for.
        ``char_space`` (points) is added after every character (a 公文's fixed character grid)."""
        if not text:
            return
        font = font or self.fonts.pick(text, role)
        if heavy:
            self.canvas.setLineWidth(size * 0.035)
            self._mode = 2  # fill and stroke
        if isinstance(font, Mixed):  # run by run, each in the font that has its characters
            if align != "left":
                wide = text_width(font, text, size)
                x -= wide / 2 if align == "center" else wide
            for run_font, run in font.runs(text):
                self._draw(x, y, run, size, run_font, "left", char_space)
                x += text_width(run_font, run, size) + char_space * len(run)
        else:
            self._draw(x, y, text, size, font, align, char_space)
        self._mode = None

    def _draw(self, x: float, y: float, text: str, size: float, font: LoadedFont, align: str,
              char_space: float = 0.0) -> None:
        if self.recorder is not None:
            self.recorder.append(("text", font.name, size, x, y, text, align))
        c = self.canvas
        if self._font_state != (font.name, size):
            c.setFont(font.name, size)
            self._font_state = (font.name, size)
        if char_space:
            t = c.beginText(x, y)
            t.setFont(font.name, size)
            t.setCharSpace(char_space)
            if self._mode is not None:
                t.setTextRenderMode(self._mode)
            t.textOut(text)
            c.drawText(t)
            return
        if align == "center":
            c.drawCentredString(x, y, text, mode=self._mode)
        elif align == "right":
            c.drawRightString(x, y, text, mode=self._mode)
        else:
            c.drawString(x, y, text, mode=self._mode)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.6) -> None:
        if self.recorder is not None:
            self.recorder.append(("line", x1, y1, x2, y2, width))
        c = self.canvas
        c.setLineWidth(width)
        c.line(x1, y1, x2, y2)

    def rect(self, x: float, y: float, w: float, h: float, *, width: float = 0.6,
             fill: bool = False, stroke: bool = True) -> None:
        if self.recorder is not None:
            self.recorder.append(("rect", x, y, w, h, width, fill, stroke))
        c = self.canvas
        c.setLineWidth(width)
        c.rect(x, y, w, h, stroke=int(stroke), fill=int(fill))

    def qr(self, payload: str, x: float, y: float, size: float) -> None:
        """A QR code whose quiet zone included is ``size`` square, bottom-left at (x, y)."""
        from app.printing.qr import qr_runs

        if self.recorder is not None:
            self.recorder.append(("qr", payload, x, y, size))
        count, runs = qr_runs(payload)
        border = 2  # modules of quiet zone (white) each side
        box = size / (count + 2 * border)
        c = self.canvas
        c.setFillGray(0)
        path = c.beginPath()
        for row, col, length in runs:
            path.rect(x + (col + border) * box, y + size - (row + border + 1) * box, length * box, box)
        c.drawPath(path, stroke=0, fill=1)

    def page_size(self, size: tuple[float, float]) -> None:
        if self.recorder is not None:
            self.recorder.append(("size", size))
        self.canvas.setPageSize(size)

    def new_page(self) -> None:
        self.canvas.showPage()
        self._font_state = None
        if self.recorder is not None:
            self.recorder.append(("page",))
