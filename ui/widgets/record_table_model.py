"""A thin, lazy Qt table model over ``app.services.listing``.

Rows arrive a page at a time (keyset pages of ``PAGE_SIZE``) through the background worker when
the view scrolls near the end (``canFetchMore``/``fetchMore``), so a million-row table never sits
in memory and the window never waits on a slow query. The total count is fetched separately.
Everything about *which* rows and *how they read* (filters, search, order, masks, labels) is the
core's; this class only holds the rows fetched so far.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from app.services import listing
from app.services.listing import ListColumn, ListQuery, ListRow
from ui.workers import run_in_background

# A list that has grown this long is not being read by a person; ask for a narrower query.
MAX_LOADED_ROWS = 100_000
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2

_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    "center": Qt.AlignmentFlag.AlignCenter,
}


class RecordTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    page_loaded = Signal()  # a page of rows has been added (or the list was found empty)
    counted = Signal(int)  # the total number of rows of the current query
    failed = Signal(str)

    def __init__(self, ctx, query: ListQuery, columns: list[ListColumn] | None = None,
                 parent=None, page_size: int = listing.PAGE_SIZE):
        super().__init__(parent)
        self.ctx = ctx
        self.query = query
        spec = listing.spec_by_key(query.spec_key)
        self.columns = columns if columns is not None else listing.list_columns(spec)
        self.page_size = page_size
        self.rows: list[ListRow] = []
        self.total: int | None = None
        self._more = True
        self._loading = False
        self._generation = 0
        self._revealed: dict[tuple[str, str], str] = {}
        self._pinned: set[str] = set()  # records just saved, shown on top (``pin_record``)
        self._after = None  # the keyset position of the last page fetched

    # -- Qt model interface --------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            revealed = self._revealed.get((row.id, col.key))
            return revealed if revealed is not None else row.texts[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN[col.align]
        if role == ROW_ROLE:
            return row
        if role == VALUE_ROLE:
            return row.values[index.column()]
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return col.label
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _ALIGN[col.align]
            if role == Qt.ItemDataRole.ToolTipRole:
                return col.field.help or col.label
        if orientation == Qt.Orientation.Vertical and self._is_pinned(section):
            if role == Qt.ItemDataRole.DisplayRole:
                return "新"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "刚保存的记录(刷新后按顺序排列)"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1 - sum(1 for r in self.rows[:section] if r.id in self._pinned)  # 序号
        return None

    def _is_pinned(self, row: int) -> bool:
        return 0 <= row < len(self.rows) and self.rows[row].id in self._pinned
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return (not parent.isValid() and self._more and not self._loading
                and len(self.rows) < MAX_LOADED_ROWS)

    def fetchMore(self, parent=QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._fetch(after=self._after)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or not self.columns[column].sortable:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self.query.sorted_by(self.columns[column].key, descending))

    # -- loading -------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def capped(self) -> bool:
        return self._more and len(self.rows) >= MAX_LOADED_ROWS

    def set_query(self, query: ListQuery) -> None:
        self.query = query
        self.reload()

    def reload(self) -> None:
        """Forget the rows and start again from the first page (and count again)."""
        self._generation += 1
        self.beginResetModel()
        self.rows = []
        self.total = None
        self._more = True
        self._loading = False
        self._revealed.clear()
        self._pinned.clear()
        self._after = None
        self.endResetModel()
        self._fetch(after=None)  # the count follows the first page: the rows come first

    def _set_loading(self, on: bool) -> None:
        if self._loading != on:
            self._loading = on
            self.loading_changed.emit(on)

    def _fetch(self, after) -> None:
        generation, query, columns, ctx = self._generation, self.query, self.columns, self.ctx
        codes, actor, size = ctx.codes, ctx.actor, self.page_size
        self._set_loading(True)

        def work(_progress):
            with ctx.read() as s:
                return listing.fetch_page(s, actor, query, after=after, limit=size, codes=codes,
                                          columns=columns)

        def done(page) -> None:
            if generation != self._generation:
                return
            self._set_loading(False)
            if page.rows:
                self._after = page.rows[-1].key
            rows = [r for r in page.rows if r.id not in self._pinned]  # shown on top already
            if rows:
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self.rows.extend(rows)
                self.endInsertRows()
            self._more = page.more
            if after is None:
                self._count()
            self.page_loaded.emit()

        def error(exc, _tb) -> None:
            if generation != self._generation:
                return
            self._set_loading(False)
            self._more = False
            from ui.errors import user_message

            self.failed.emit(user_message(exc)[0])

        run_in_background(self, work, done, error)

    def _count(self) -> None:
        generation, query, ctx = self._generation, self.query, self.ctx

        def work(_progress):
            with ctx.read() as s:
                return listing.count(s, ctx.actor, query)

        def done(total: int) -> None:
            if generation == self._generation:
                self.total = total
                self.counted.emit(total)

        run_in_background(self, work, done, lambda exc, tb: None)

    # -- single rows ---------------------------------------------------------------------------
    def row_at(self, row: int) -> ListRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, record_id: str) -> int:
        for i, r in enumerate(self.rows):
            if r.id == record_id:
                return i
        return -1

    def refresh_record(self, record_id: str) -> None:
        """Re-read one row after an edit, in place (its position in the order is kept)."""
        query, columns, ctx = self.query, self.columns, self.ctx
        generation = self._generation

        def work(_progress):
            with ctx.read() as s:
                only = query.with_filters({**query.filter_map, "id": (record_id,)})
                return listing.fetch_page(s, ctx.actor, only, limit=1, codes=ctx.codes,
                                          columns=columns)

        def done(page) -> None:
            i = self.row_of(record_id)
            if generation != self._generation or i < 0:
                return
            if not page.rows:  # no longer matches the filters (or was voided)
                self.remove_record(record_id)
                return
            old = self.rows[i]
            self.rows[i] = ListRow(old.id, old.key, page.rows[0].values, page.rows[0].texts)
            self._revealed = {k: v for k, v in self._revealed.items() if k[0] != record_id}
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

        run_in_background(self, work, done, lambda exc, tb: None)

    def pin_record(self, record_id: str, then=None) -> None:
        """A record just saved that the rows loaded so far do not hold (it sorts further down a
        long list, or the search and filters leave it out): fetched alone and shown on top, marked
        新, so the clerk sees and has selected what was just saved. ``then(row)`` once it is shown
        (-1: not found, e.g. voided meanwhile)."""
        query, columns, ctx = self.query, self.columns, self.ctx
        generation = self._generation

        def work(_progress):
            with ctx.read() as s:
                only = ListQuery.of(query.spec_key, filters={"id": (record_id,)})
                return listing.fetch_page(s, ctx.actor, only, limit=1, codes=ctx.codes,
                                          columns=columns)

        def done(page) -> None:
            if generation != self._generation:
                return
            row = self.row_of(record_id)
            if row < 0 and page.rows:
                self.beginInsertRows(QModelIndex(), 0, 0)
                self.rows.insert(0, page.rows[0])
                self._pinned.add(record_id)
                self.endInsertRows()
                row = 0
            if then is not None:
                then(row)

        run_in_background(self, work, done, lambda exc, tb: then(-1) if then is not None else None)

    def remove_record(self, record_id: str) -> None:
        i = self.row_of(record_id)
        if i < 0:
            return
        self.beginRemoveRows(QModelIndex(), i, i)
        del self.rows[i]
        self._pinned.discard(record_id)
        self.endRemoveRows()
        if self.total:
            self.total -= 1
            self.counted.emit(self.total)

    def show_revealed(self, record_id: str, key: str, value: str) -> None:
        """Show a revealed (audited) full value in its cell until the list reloads."""
        i = self.row_of(record_id)
        col = next((c for c, column in enumerate(self.columns) if column.key == key), -1)
        if i < 0 or col < 0:
            return
        self._revealed[(record_id, key)] = value
        self.dataChanged.emit(self.index(i, col), self.index(i, col))

    def hide_revealed(self) -> None:
        if not self._revealed:
            return
        self._revealed.clear()
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(self.columns) - 1))
