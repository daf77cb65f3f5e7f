"""The table view of a record list: 序号 column, sensible widths, status shown as a small coloured
tag, Enter and double-click open, Delete voids, keyboard-first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QStyledItemDelegate, QTableView, QToolTip

from app.fields.masking import mask
from app.fields.spec import Kind, Mask
from ui.theme import COLORS

CELL_PADDING = 20  # the style's margins either side of a cell's text (item padding 4 + Qt's 3, twice), and air
TAG_EXTRA = 36  # a tag's dot, rounded ends and the cell's margins (``TagDelegate.paint``)
FIT_ROWS = 500  # the rows a column is widened to fit (the first pages: what the clerk sees)
FIT_CAP_CHARS = 22  # wider than this many 汉字 a cell is elided with “…” (its tooltip reads it whole)
# the widest value a number column shows (digits are the widest characters of these), whole or
# masked: a masked ID is never cut to lose its first digit
WIDEST = {Kind.ID_NUMBER: "8" * 17 + "X", Kind.PHONE: "0888-88888888", Kind.MOBILE: "8" * 11,
          Kind.BANK_ACCOUNT: "8" * 19, Kind.USCC: "8" * 18, Kind.DATE: "2088-08-08"}


def widest_text(col) -> str:
    """The widest text a column of this kind shows (whole, or masked as lists mask it)."""
    sample = WIDEST.get(col.kind, "")
    masked = mask(col.field.mask, sample) if sample and col.field.mask != Mask.NONE else ""
    return max((sample, str(masked or "")), key=len)

# Tag colours by the words a status label carries (green done, amber waiting, red returned,
# grey closed — UI.md). Unknown labels are neutral.
TAG_TONES = (
    (("作废", "停用", "注销", "转出", "退会", "死亡", "关闭", "否", "已脱困"), COLORS["closed"]),
    (("退回", "开除", "锁定", "驳回", "不通过"), COLORS["error"]),
    (("待", "中", "保留", "草稿", "申请"), COLORS["warn"]),
    (("正常", "启用", "通过", "已建档", "完成", "是", "有效"), COLORS["ok"]),
)


def tag_color(label: str) -> str:
    for words, color in TAG_TONES:
        if any(w in label for w in words):
            return color
    return COLORS["muted"]


class TagDelegate(QStyledItemDelegate):
    """Draws the cell text as a small rounded tag in its tone colour."""

    def paint(self, painter: QPainter, option, index) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        if not text:
            return
        color = QColor(tag_color(text))
        metrics = QFontMetrics(option.font)
        room = option.rect.width() - 12 - 16 - metrics.height() / 3.2
        if metrics.horizontalAdvance(text) > room:  # too narrow: “…”, and the tooltip says it whole
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(max(room, 0)))
        width = metrics.horizontalAdvance(text) + 16
        height = metrics.height() + 4
        rect = QRectF(option.rect.x() + 6, option.rect.center().y() - height / 2 + 1, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background = QColor(color)
        background.setAlpha(28)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setBrush(color)
        dot = height / 3.2
        painter.drawEllipse(QRectF(rect.x() + 6, rect.center().y() - dot / 2, dot, dot))
        painter.setPen(color.darker(115))
        painter.drawText(rect.adjusted(6 + dot, 0, 0, 0), Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 28, size.height())


class RecordTableView(QTableView):
    open_requested = Signal()
    void_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSortingEnabled(False)  # the model sorts in SQL; the header click is wired below
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vh = self.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        vh.setMinimumWidth(44)
        self.doubleClicked.connect(lambda _i: self.open_requested.emit())
        self._tag_delegate = TagDelegate(self)
        self._tag_columns: set[int] = set()
        self.row_note = None  # fn(row) -> more to say on a row's status tag (whose step it waits for)
        self.refit = None  # fn() fitting the columns to the rows again (a new font measures anew)

    def setup_columns(self, columns, tag_keys: tuple[str, ...]) -> None:
        """Widths from the field definitions (in characters) and tag delegates for status columns."""
        metrics = QFontMetrics(self.font())
        char = metrics.horizontalAdvance("中")
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 12)
        self._tag_columns = set()
        self._columns = list(columns)
        for i, col in enumerate(columns):
            self.setColumnWidth(i, int(max(col.width * char * 0.62 + 24,
                                          metrics.horizontalAdvance(col.label) + 28,
                                          self._needed(col, metrics))))
            if col.key in tag_keys:
                self.setItemDelegateForColumn(i, self._tag_delegate)
                self._tag_columns.add(i)
            else:
                self.setItemDelegateForColumn(i, None)

    @staticmethod
    def _needed(col, metrics: QFontMetrics) -> int:
        return metrics.horizontalAdvance(widest_text(col)) + CELL_PADDING if widest_text(col) else 0

    def fit_to_rows(self, skip: set[int] | frozenset = frozenset()) -> None:
        """Widen (never narrow) each column to its widest cell among the rows loaded — a code
        like 130102-困档-2026-0001, a status tag like 待帮扶中心审核 — up to ``FIT_CAP_CHARS``
        汉字; a longer name is elided with “…” and its tooltip reads it whole."""
        model = self.model()
        if model is None:
            return
        metrics = QFontMetrics(self.font())
        cap = metrics.horizontalAdvance("中") * FIT_CAP_CHARS
        rows = min(model.rowCount(), FIT_ROWS)
        for c in range(model.columnCount()):
            if self.isColumnHidden(c) or c in skip:
                continue
            extra = TAG_EXTRA if c in self._tag_columns else CELL_PADDING
            widest = max((metrics.horizontalAdvance(str(model.index(r, c).data() or ""))
                          for r in range(rows)), default=0)
            want = min(widest + extra, max(cap, self._needed(self._columns[c], metrics))
                       if c < len(getattr(self, "_columns", ())) else cap)
            if widest and want > self.columnWidth(c):
                self.setColumnWidth(c, want)

    def changeEvent(self, event) -> None:
        """A larger font (大字体, or the stylesheet's once polished) widens the number columns that
        would otherwise lose digits; wider columns stay as the user left them."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and getattr(self, "_columns", None):
            metrics = QFontMetrics(self.font())
            self.verticalHeader().setDefaultSectionSize(metrics.height() + 12)
            for i, col in enumerate(self._columns):
                if self.columnWidth(i) < self._needed(col, metrics):
                    self.setColumnWidth(i, self._needed(col, metrics))
            if self.refit is not None:
                self.refit()

    def cell_tooltip(self, index) -> str:
        """A cell's whole text when its column is too narrow to show it (a long union name, a
        status tag): lists elide with “…”, and the tooltip reads it whole; "" when it fits."""
        if not index.isValid():
            return ""
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if index.column() in self._tag_columns and self.row_note is not None:
            note = self.row_note(index.row())
            if note:
                return f"{text}\n{note}" if text else note
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        if tip and str(tip) != text:  # a model's own note says more than the cell
            return str(tip)
        extra = TAG_EXTRA if index.column() in self._tag_columns else CELL_PADDING
        needed = QFontMetrics(self.font()).horizontalAdvance(text) + extra
        return text if text and needed > self.columnWidth(index.column()) else ""

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            tip = self.cell_tooltip(self.indexAt(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and self.currentIndex().isValid():
            self.void_requested.emit()
            return
        super().keyPressEvent(event)
