"""The generic list page every record type uses:

    会员                                                              共 12,345 条
    [新增] [修改] [作废] | (area actions)
    [ 姓名 / 身份证号 / 拼音首字母 ... ]  性别[全部▾] 会籍状态[全部▾] …  [重置]
    ┌────┬──────┬────────────────┬ …

Lazy rows (``RecordTableModel``), filters from the spec, one search box, sorting by a header
click; Enter or double-click opens the form, Delete asks and voids (作废). Search and filters are
remembered per page (QSettings). A ``scope`` (e.g. the unit chosen in a tree) narrows the list
without being remembered.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolBar, QToolButton, QVBoxLayout, QWidget

from app.security.abilities import may_reveal
from app.services import listing
from app.services.listing import ListQuery
from ui.dialogs.ask import Ask
from ui.errors import show_error
from ui.theme import icon, settings
from ui.widgets.binding import RecordBinding
from ui.widgets.column_memory import ColumnMemory
from ui.widgets.filter_bar import FilterBar, decode_filters, encode_filters
from ui.widgets.record_table_model import RecordTableModel
from ui.widgets.record_table_view import RecordTableView
from ui.widgets.search_box import SearchBox

REVEAL_SECONDS = 60


class ListPage(QWidget):
    record_saved = Signal(str)  # id of a record created or changed through this page
    picked = Signal(str, str)  # pick mode: (id, label) on Enter / double-click

    def __init__(self, ctx, binding: RecordBinding, parent: QWidget | None = None, *,
                 title: str | None = None, pick_mode: bool = False,
                 fixed_filters: dict[str, Any] | None = None, remember: bool = True,
                 file_actions: bool = True):
        super().__init__(parent)
        self.ctx, self.binding, self.spec = ctx, binding, binding.spec
        self.pick_mode = pick_mode
        self.fixed_filters = dict(fixed_filters or {})
        self.scope: dict[str, Any] = {}
        self.scope_unit: str | None = None  # a unit chosen in a tree: its whole subtree
        self.scope_options: dict[str, Any] = {}  # the scope as print/export options ({"union": 名称})
        self.new_values: dict[str, Any] = {}  # initial values of a new record (the chosen unit)
        self.remember = remember and not pick_mode
        self._select_after_load: str | None = None
        self._stale = False
        self._acting = False  # this page's own save or void: it updates its rows itself
        self._missed = False  # a change to its records while its form was open (a chain step)
        columns = listing.list_columns(self.spec, binding.columns)
        # at the city: which county each record is from, and a filter by county (every list)
        self.by_county = ctx.is_city and listing.has_county(self.spec)
        if self.by_county:
            columns = [listing.county_column(), *columns]
        # dated lists open newest first (the spec's ``newest_first``): what was just entered is on top
        first = ListQuery.of(self.spec.key, sort=self.spec.default_sort, descending=True) \
            if self.spec.newest_first else ListQuery.of(self.spec.key)
        self.model = RecordTableModel(ctx, first, columns, self)
        self.view = RecordTableView(self)
        self.view.setModel(self.model)
        self.view.setup_columns(columns, binding.tag_columns)
        # widths and order as this user left them (dragging a header's edge or the header itself)
        # (a picker keeps the list's declared layout)
        self.column_memory = ColumnMemory(self.view, [c.key for c in columns], binding.key,
                                          getattr(ctx.actor, "username", ""), enabled=self.remember)
        self.column_memory.restore()
        self.view.refit = self._fit_columns
        if binding.waiting is not None:  # the status tag says whose step the record waits for
            self.view.row_note = self._waiting_note
        header = self.view.horizontalHeader()
        header.setSortIndicatorShown(True)
        # the arrow starts on the column the rows really are in order of (Qt puts it on column 0)
        default = next((i for i, c in enumerate(columns) if c.key == self.spec.default_sort), -1)
        header.setSortIndicator(default, Qt.SortOrder.DescendingOrder if self.spec.newest_first
                                else Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort)
        self.view.open_requested.connect(self.open_current)
        self.view.void_requested.connect(self.void_current)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())

        self.title_label = QLabel(title if title is not None else self.spec.title)
        self.title_label.setObjectName("pageTitle")
        self.count_label = QLabel("")
        self.count_label.setObjectName("countLabel")
        self.hint = QLabel("")
        self.hint.setObjectName("muted")
        self.search = SearchBox(binding.search_placeholder)
        self.search.search_changed.connect(lambda _t: self._query_changed())
        self.search.paper_scanned.connect(self.open_paper)
        self.filters = FilterBar(ctx, self.spec)
        self.filters.filters_changed.connect(lambda _f: self._query_changed())
        if self.by_county:
            from app.services.city import county_choices

            with ctx.read() as s:
                self.filters.add_choice(listing.COUNTY.key, listing.COUNTY.label, county_choices(s))
        reset = QToolButton()
        reset.setText("重置")
        reset.setIcon(icon("reset"))
        reset.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        reset.setToolTip("清除查询条件")
        reset.clicked.connect(self.reset_query)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_action = self._action("新增", "add", self.new_record, QKeySequence.StandardKey.New)
        self.edit_action = self._action("修改", "edit", self.open_current)
        self.void_action = self._action("作废", "void", self.void_current)
        self.refresh_action = self._action("刷新", "refresh", self.reload, QKeySequence.StandardKey.Refresh)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)
        for a in (self.new_action, self.edit_action, self.void_action):
            self.toolbar.addAction(a)
        self.toolbar.addSeparator()
        self._area_separator = self.toolbar.addSeparator()
        self._area_separator.setVisible(False)
        self.toolbar.addAction(self.refresh_action)
        if pick_mode:
            self.toolbar.hide()
        self.file_actions = None
        if not pick_mode and file_actions:
            from ui.widgets.file_actions import FileActions

            self.file_actions = FileActions(self)  # 导入 / 导出Excel, 打印 ▾ from the registries

        # the search box beside the title, so the buttons have the page's whole width
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.title_label)
        head.addStretch(1)
        if not pick_mode:
            self.search.setMaximumWidth(460)  # room for the whole hint where the page has it
            head.addWidget(self.search, 2)
        head.addWidget(self.count_label)
        actions_row = QHBoxLayout()
        actions_row.setSpacing(8)
        actions_row.addWidget(self.toolbar)
        actions_row.addStretch(1)
        filter_row = QHBoxLayout()
        filter_row.setSpacing(8)
        filter_row.addWidget(self.filters, 1)
        filter_row.addWidget(reset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        if pick_mode:
            filter_row.insertWidget(0, self.search)
        else:
            layout.addLayout(head)
            layout.addLayout(actions_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)

        self.model.loading_changed.connect(lambda _on: self._render_count())
        self.model.counted.connect(lambda _n: self._render_count())
        self.model.page_loaded.connect(self._page_loaded)
        self.model.failed.connect(lambda msg: self.hint.setText(f"查询失败:{msg}"))
        ctx.data_changed.connect(self._data_changed)
        self._restore()
        self._update_actions()
        self.reload()

    # -- actions -------------------------------------------------------------------------------
    def _action(self, text: str, icon_name: str, slot, shortcut=None) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def add_action(self, action: QAction) -> None:
        """An area's own action (导入, 导出, 打印 ▾ …) after the record actions."""
        self._area_separator.setVisible(True)
        self.toolbar.insertAction(self._area_separator, action)

    def _update_actions(self) -> None:
        writable = self.binding.can_write(self.ctx.actor)
        has_row = self.current_id() is not None
        self.new_action.setEnabled(writable and self.binding.create is not None)
        self.edit_action.setEnabled(has_row and self.binding.load is not None)
        self.edit_action.setText("修改" if writable and self.binding.update else "查看")
        self.void_action.setEnabled(writable and has_row and self.binding.void is not None)
        self.void_action.setText("请求作废" if self.by_county and has_row and not self._owned_current()
                                 else "作废")
        # a greyed button says why (never just its own name again)
        self.void_action.setToolTip(
            (self.binding.no_void or f"{self.spec.title}不能作废") if self.binding.void is None
            else "没有修改权限,不能作废" if not writable
            else "请先在列表中选中一条记录" if not has_row else self.void_action.text())

    # -- query ---------------------------------------------------------------------------------
    def current_query(self) -> ListQuery:
        filters = {**self.filters.values(), **self.scope, **self.fixed_filters}
        unit = filters.pop("unit", None) or self.scope_unit  # a home figure's unit, or the tree's
        return ListQuery.of(self.spec.key, filters=filters, search=self.search.text(),
                            sort=self.model.query.sort, descending=self.model.query.descending,
                            unit=unit)

    def _query_changed(self) -> None:
        self._save()
        self.model.set_query(self.current_query())

    def reload(self) -> None:
        self._stale = False
        self.model.set_query(self.current_query())

    def set_scope(self, filters: dict[str, Any], label: str = "", *,
                  options: dict[str, Any] | None = None, unit: str | None = None) -> None:
        """Narrow the list (a unit chosen in a tree: ``unit`` for its whole subtree); shown in the
        title, not remembered. ``options``: the same narrowing for printing and exports
        ({"union": "城关镇工会"})."""
        self.scope = dict(filters)
        self.scope_unit = unit
        self.scope_options = dict(options or {})
        base = self.spec.title
        self.title_label.setText(f"{base} · {label}" if label else base)
        self.reload()

    def apply_filters(self, filters: dict[str, Any], search: str = "") -> None:
        """Show exactly these filters (a home-page figure opening the records it counts)."""
        self.filters.set_values(filters)
        self.search.set_text_silently(search)
        self._query_changed()

    def reset_query(self) -> None:
        self.filters.clear()
        self.search.set_text_silently("")
        self._query_changed()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_toolbar()

    def fit_toolbar(self) -> None:
        """Buttons with their names while they fit; on a narrow screen icons with tooltips —
        never Qt's overflow arrow, which hides 打印 and 导出Excel where nobody finds them."""
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        if self.toolbar.sizeHint().width() > self.width():
            self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def _sort(self, column: int, order) -> None:
        if 0 <= column < len(self.model.columns) and self.model.columns[column].sortable:
            self.model.sort(column, order)
        else:
            self.view.horizontalHeader().blockSignals(True)
            self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.view.horizontalHeader().blockSignals(False)

    def _render_count(self) -> None:
        m = self.model
        if m.loading and not m.rows:
            self.count_label.setText("正在查询……")
        elif m.total is None:
            self.count_label.setText(f"已显示 {len(m.rows):,} 条")
        else:
            self.count_label.setText(f"共 {m.total:,} 条")
        if not m.loading and not m.rows:
            self.hint.setText("没有符合条件的记录" + ("(可点“重置”清除查询条件)" if self._has_conditions() else ""))
        elif m.capped:
            self.hint.setText(f"已显示前 {len(m.rows):,} 条,请用查询条件缩小范围")
        else:
            self.hint.setText("")
        self._update_actions()

    def _has_conditions(self) -> bool:
        return bool(self.search.text().strip() or self.filters.values())

    def _page_loaded(self) -> None:
        self._render_count()
        self._fit_columns()
        if self._select_after_load:
            record_id, self._select_after_load = self._select_after_load, None
            if not self.select_record(record_id):  # not among the rows loaded: shown on top
                self.model.pin_record(record_id, lambda row: row >= 0 and self.select_record(record_id))
        elif not self.view.currentIndex().isValid() and self.model.rows:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _fit_columns(self) -> None:
        """Codes and status tags shown whole; a width the user dragged is kept and stays theirs
        (the fit is not remembered as the user's layout)."""
        memory, self.column_memory._restoring = self.column_memory._restoring, True
        try:
            self.view.fit_to_rows(skip=self.column_memory.user_sized)
        finally:
            self.column_memory._restoring = memory

    def select_record(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def current_id(self) -> str | None:
        row = self.model.row_at(self.view.currentIndex().row())
        return row.id if row else None

    def selected_ids(self) -> list[str]:
        """The selected records in list order (the current one when nothing else is selected)."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        ids = [r.id for n in rows if (r := self.model.row_at(n)) is not None]
        if not ids and (current := self.current_id()) is not None:
            ids = [current]
        return ids

    def _owned_current(self) -> bool:
        """Whether the current row is this unit's own (its 县(区) column names this unit)."""
        row = self.model.row_at(self.view.currentIndex().row())
        return row is None or row.values[0] in (None, self.ctx.db.root_unit_id)

    def current_label(self) -> str:
        row = self.model.row_at(self.view.currentIndex().row())
        if row is None:
            return ""
        keys = [c.key for c in self.model.columns]
        key = self.spec.display_key
        return row.texts[keys.index(key)] if key in keys else row.id

    # -- record actions ------------------------------------------------------------------------
    def make_form(self, record_id: str | None):
        from ui.widgets.record_form import RecordFormDialog

        return RecordFormDialog(self.ctx, self.binding, record_id, parent=self,
                                initial=None if record_id else dict(self.new_values))

    def new_record(self) -> None:
        if not self.new_action.isEnabled():
            return
        dialog = self.make_form(None)
        # saved (then maybe 提交 in the form and closed with 关闭): the new row shows either way
        if (self._exec(dialog) or self._missed) and dialog.saved_id:
            self._select_after_load = dialog.saved_id
            self.model.reload()
            self.record_saved.emit(dialog.saved_id)

    def open_paper(self, scanned: str) -> None:
        """A printed form's QR code in the search box: say whether the paper still matches its
        record (and what changed since), then open the record."""
        from PySide6.QtWidgets import QMessageBox

        from app.errors import AppError
        from app.printing.paper_check import check_paper

        try:
            found = check_paper(self.ctx.db, self.ctx.actor, scanned)
        except AppError as exc:
            QMessageBox.warning(self, "核对纸质表格", exc.message)
            return
        if found is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning if found.stale else QMessageBox.Icon.Information,
                          "纸质表已过期" if found.stale else "核对纸质表格", found.message,
                          parent=self)
        open_button = box.addButton("打开记录", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        self._exec(box)
        if box.clickedButton() is open_button:
            self.open_record(found.match.kind, found.match.record_id)

    def open_record(self, kind: str, record_id: str) -> None:
        """A record's form by its kind: this list's own, else the generic form of its register."""
        from ui.widgets.binding import RecordBinding
        from ui.widgets.record_form import RecordFormDialog

        if kind == self.spec.key:
            self.select_record(record_id)
            dialog = self.make_form(record_id)
        else:
            try:
                binding = RecordBinding.of(kind, f"paper.{kind}")
            except KeyError:
                return
            dialog = RecordFormDialog(self.ctx, binding, record_id, parent=self)
        if self._exec(dialog) and dialog.saved_id:
            self.model.refresh_record(record_id)
            self.record_saved.emit(record_id)

    def open_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        if self.pick_mode:
            self.picked.emit(record_id, self.current_label())
            return
        if self.binding.load is None:
            return
        dialog = self.make_form(record_id)
        accepted = self._exec(dialog)
        if (accepted and dialog.saved_id) or self._missed:  # saved, or a step taken in the form
            self.model.refresh_record(record_id)
            self.record_saved.emit(record_id)

    def void_current(self) -> None:
        record_id = self.current_id()
        if record_id is None or not self.void_action.isEnabled():
            return
        label = self.current_label()
        if self.by_county and self.binding.ownership is not None:
            with self.ctx.read() as s:
                owner = self.binding.ownership(s, self.ctx.actor, record_id)
            if not owner.owned:
                return self.request_void(record_id, label, owner)
        if not Ask.confirm(self, f"作废{self.spec.title}",
                           f"作废{self.spec.title}“{label}”?\n作废后不再出现在列表和统计中,"
                           "修改历史仍保留在审计日志里。", "作废", danger=True):
            return
        try:
            with self.ctx.write() as s:
                self.binding.void(s, self.ctx.actor, record_id)
        except Exception as exc:  # noqa: BLE001 — shown to the user in Chinese
            show_error(self, exc)
            return
        self.model.remove_record(record_id)
        self._acting = True
        try:
            self.ctx.notify_saved(self.spec.key, f"已作废{self.spec.title}“{label}”")
        finally:
            self._acting = False

    def request_void(self, record_id: str, label: str, owner) -> None:
        """Another unit's record: a 作废 request to it, with a reason (nothing changes here)."""
        if not owner.may_request or self.binding.request is None:
            Ask.info(self, f"作废{self.spec.title}", owner.notice)
            return
        reason = Ask.text(self, f"请求作废{self.spec.title}",
                          f"“{label}”属于{owner.owner_name},只能由该单位作废。\n"
                          f"请写明作废的理由,请求随下一个数据包发给{owner.owner_name}:")
        if not reason:
            return
        try:
            with self.ctx.write() as s:
                self.binding.request(s, self.ctx.actor, record_id, "void", reason=reason)
        except Exception as exc:  # noqa: BLE001 — shown to the user in Chinese
            show_error(self, exc)
            return
        self.ctx.notify_saved("change_request", f"已向{owner.owner_name}提出作废请求:{label}")

    def _exec(self, dialog) -> bool:
        """Run this page's own dialog; changes announced meanwhile are noted in ``_missed`` and
        the caller refreshes the row once it closes, however it was closed."""
        self._acting = True
        self._missed = False
        try:
            return bool(dialog.exec())
        finally:
            self._acting = False

    def _context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        if self.void_action.isEnabled():
            menu.addAction(self.void_action)
        column = self.model.columns[index.column()]
        row = self.model.row_at(index.row())
        if column.masked and row is not None and row.values[index.column()]:
            reveal = menu.addAction(icon("eye"), f"显示完整{column.label}(将记入审计日志)")
            reveal.setEnabled(may_reveal(self.ctx.actor))
            reveal.triggered.connect(lambda: self.reveal(row.id, column.key))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def reveal(self, record_id: str, key: str) -> None:
        """Show a masked value in full: needs the REVEAL permission, and is audited."""
        from app.services.records import reveal

        try:
            with self.ctx.write() as s:
                value = reveal(s, self.ctx.actor, self.spec, record_id, key)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.model.show_revealed(record_id, key, str(value or ""))
        QTimer.singleShot(REVEAL_SECONDS * 1000, self.model.hide_revealed)

    def _waiting_note(self, row: int) -> str:
        record = self.model.row_at(row)
        if record is None:
            return ""
        try:
            with self.ctx.read() as s:
                return self.binding.waiting(s, self.ctx.actor, record.id) or ""
        except Exception:  # noqa: BLE001 — a tooltip never fails the list (voided meanwhile)
            return ""

    def _data_changed(self, key: str) -> None:
        """The bus (``ctx.data_changed``): every open list of a changed record type (or of a
        type its rows name) shows the new state — at once if shown, else when next shown."""
        related = {self.spec.key} | {f.ref for f in self.spec.fields if f.ref}
        if key in related and self._acting:
            self._missed = True
        elif key in related:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    # -- remembering search and filters --------------------------------------------------------
    def _settings_key(self) -> str:
        # per user: what one user searched for is not shown to the next on the same PC
        return f"lists/{self.ctx.actor.username}/{self.binding.key}"

    def _save(self) -> None:
        if not self.remember:
            return
        s = settings()
        s.setValue(self._settings_key() + "/search", self.search.text())
        s.setValue(self._settings_key() + "/filters", encode_filters(self.filters.values()))

    def _restore(self) -> None:
        if not self.remember:
            return
        s = settings()
        self.search.set_text_silently(str(s.value(self._settings_key() + "/search", "") or ""))
        raw = s.value(self._settings_key() + "/filters", "")
        try:
            self.filters.set_values(decode_filters(str(raw)) if raw else {})
        except (ValueError, TypeError, KeyError):
            self.filters.set_values({})

    # -- smoke test ----------------------------------------------------------------------------
    def smoke_dialogs(self) -> list:
        """Dialogs reachable from this list, as factories (the smoke test opens and closes them)."""
        out = []
        if self.new_action.isEnabled():
            out.append(("新增" + self.spec.title, lambda: self.make_form(None)))
        if self.binding.load is not None and self.model.rows:
            first = self.model.rows[0].id
            out.append(("查看" + self.spec.title, lambda: self.make_form(first)))
        if self.file_actions is not None:
            out += self.file_actions.smoke_dialogs()
        return out
