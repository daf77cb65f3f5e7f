"""打印 ▾, 导出Excel and 导入Excel on every list page, from the registries of printed forms
(``app.printing.registry.forms_for``) and Excel kinds (``app.excel.registry``): a record kind
gets whatever forms and kinds its area declared, with no code on the page.

- 打印 ▾: each record form for the selected record(s), and for every record of the current query
  (one PDF); each list form (roster, 公示, 签收表) with the current query's conditions. All open
  the print preview.
- 导出Excel: the current query's conditions (editable first, picked: units from the tree, statuses
  and codes from lists); masked unless a role that may reveal chooses 不脱敏 (audited).
- 导入Excel (▾ 下载导入模板): the import wizard.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton

from app.security.abilities import may_export, may_import, may_reveal
from app.services.listing import Range
from ui.dialogs.files import Files
from ui.errors import show_error
from ui.theme import icon
from ui.workers import run_in_background

BATCH_LIMIT = 20_000


def option_values(page, options, period_label: str = "") -> dict[str, str]:
    """The form's or kind's options filled in from what the list shows: the page's scope (a unit
    chosen in a tree), and filters whose key is the option's (or the option's + "_id")."""
    filters = {**page.filters.values(), **page.scope, **page.fixed_filters}
    out = {k: str(v) for k, v in page.scope_options.items()}
    for o in options:
        for key in (o.dest, f"{o.dest}_id"):
            value = filters.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                out.setdefault(o.dest, _shown(page, key, value))
    if period_label:
        for f in page.spec.fields:
            value = filters.get(f.key)
            if f.label == period_label and isinstance(value, Range):
                if value.low:
                    out.setdefault("from", value.low.isoformat())
                if value.high:
                    out.setdefault("to", value.high.isoformat())
    return out


def option_choices(ctx, options, spec=None) -> dict[str, list[tuple[str, str]]]:
    """What each option offers to pick from: the ones that declare ``choices`` (the campaigns
    for 慰问活动), read now; with the list's ``spec``, an option on a coded field (a status, a code
    value) its values and the option's words (有效, 在办), and a year the recent years, this
    one first."""
    out: dict[str, list[tuple[str, str]]] = {}
    wanted = [o for o in options if o.choices is not None]
    if wanted:
        with ctx.read() as s:
            out = {o.dest: list(o.choices(s)) for o in wanted}
    if spec is None:
        return out
    from app.clock import today
    from app.fields.spec import Kind, offered_choices

    for o in options:
        if o.dest in out or not o.field or not spec.has(o.field):
            continue
        f = spec.field(o.field)
        if f.is_coded:
            out[o.dest] = (offered_choices(f, ctx.codes)
                           + [(w, w) for w in (o.words or {})])
        elif f.kind == Kind.YEAR or (o.kind == "int" and o.dest == "year"):
            from app.kit.options import year_order

            out[o.dest] = [(str(y), f"{y}年") for y in year_order(today().year, back=10)]
    return out


def _shown(page, key: str, value) -> str:
    """A code as its label (the options accept either), a reference as the record's name."""
    from app.fields.spec import Kind
    from app.services import listing

    if not page.spec.has(key):
        return str(value)
    f = page.spec.field(key)
    if f.kind == Kind.REF and f.ref:
        with page.ctx.read() as s:
            return listing.ref_labels(s, f.ref, [value]).get(value, str(value))
    return listing.cell_text(f, value, page.ctx.codes) or str(value)


class FileActions:
    def __init__(self, page):
        from app.excel.registry import all_kinds
        from app.printing.registry import forms_for

        self.page, self.ctx = page, page.ctx
        self.forms = forms_for(page.spec.key) if may_export(self.ctx.actor) else []
        self.kinds = [k for k in all_kinds() if k.spec.key == page.spec.key]
        self.import_action = self.export_action = self.print_action = None
        importable = [k for k in self.kinds if k.importer is not None and may_import(self.ctx.actor, k)]
        if importable:
            self.import_action = QAction(icon("import"), "导入Excel", page)
            self.import_action.triggered.connect(lambda: self.import_excel(importable[0].key))
            menu = QMenu(page)
            for k in importable:
                menu.addAction(icon("import"), f"导入{k.title}…").triggered.connect(
                    lambda _c=False, k=k: self.import_excel(k.key))
                menu.addAction(icon("export"), f"下载{k.title}导入模板…").triggered.connect(
                    lambda _c=False, k=k: self.download_template(k.key))
            self.import_action.setMenu(menu)
            page.add_action(self.import_action)
        if self.kinds and may_export(self.ctx.actor):
            self.export_action = QAction(icon("export"), "导出Excel", page)
            self.export_action.setToolTip("把当前查询的记录导出为 Excel")
            self.export_action.triggered.connect(lambda: self.export_excel(self.kinds[0].key))
            page.add_action(self.export_action)
        if self.forms:
            self.print_menu = QMenu(page)
            self.print_menu.aboutToShow.connect(self._fill_print_menu)
            self.print_action = QAction(icon("print"), "打印", page)
            self.print_action.setMenu(self.print_menu)
            page.add_action(self.print_action)
            button = page.toolbar.widgetForAction(self.print_action)
            if isinstance(button, QToolButton):
                button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        if self.import_action is not None:
            button = page.toolbar.widgetForAction(self.import_action)
            if isinstance(button, QToolButton):
                button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

    # -- printing ----------------------------------------------------------------------------------
    def _fill_print_menu(self) -> None:
        menu, page = self.print_menu, self.page
        menu.clear()
        selected = page.selected_ids()
        total = page.model.total
        for fd in self.forms:
            if fd.is_list:
                continue
            one = menu.addAction(icon("print"), f"{fd.title}(所选 {len(selected)} 条)…")
            one.setEnabled(bool(selected))
            one.triggered.connect(lambda _c=False, fd=fd: self.print_records(fd, page.selected_ids()))
            count = f"{total:,} 条" if total is not None else "全部"
            batch = menu.addAction(icon("print"), f"{fd.title}(当前查询 {count},合并为一个 PDF)…")
            batch.setEnabled(bool(page.model.rows))
            batch.triggered.connect(lambda _c=False, fd=fd: self.print_query(fd))
        lists = [fd for fd in self.forms if fd.is_list]
        if lists and not menu.isEmpty():
            menu.addSeparator()
        for fd in lists:
            menu.addAction(icon("document"), f"{fd.title}(按当前查询)…").triggered.connect(
                lambda _c=False, fd=fd: self.print_list(fd))

    def actions_for_test(self) -> list[QAction]:
        self._fill_print_menu()
        return self.print_menu.actions()

    def print_records(self, fd, ids: list[str]) -> None:
        from app.printing.registry import PrintRequest

        if ids:
            self.preview(fd, PrintRequest(ids=list(ids)))

    def print_query(self, fd) -> None:
        ctx, query = self.ctx, self.page.current_query()

        def work(_progress):
            from app.services import listing

            with ctx.read() as s:
                return listing.all_ids(s, ctx.actor, query, limit=BATCH_LIMIT + 1)

        def got(ids: list[str]) -> None:
            if len(ids) > BATCH_LIMIT:
                show_error(self.page, _too_many())
                return
            self.print_records(fd, ids)

        run_in_background(self.page, work, got, title="正在查找记录")

    def print_list(self, fd) -> None:
        from app.printing.registry import PrintRequest
        from ui.dialogs.options_dialog import OptionsDialog

        dialog = OptionsDialog(f"打印{fd.title}", fd.options, option_values(self.page, fd.options),
                               self.page, action="预览", note=self._search_note(),
                               choices=option_choices(self.ctx, fd.options, self.page.spec),
                               check=fd.check_options, ctx=self.ctx)
        if dialog.exec():
            self.preview(fd, PrintRequest(options=dialog.values()))

    def preview(self, fd, request):
        from ui.dialogs.print_preview import PrintPreviewDialog

        dialog = PrintPreviewDialog(self.ctx, fd.name, request, self.page, title=fd.title)
        dialog.open()
        self.last_preview = dialog
        return dialog

    # -- Excel -------------------------------------------------------------------------------------
    def export_excel(self, kind_key: str) -> None:
        from app.excel.registry import kind

        k = kind(kind_key)
        reveal = may_reveal(self.ctx.actor)
        dialog = self.export_dialog(kind_key)
        if not dialog.exec():
            return
        options, mask = dialog.values(), dialog.masked() or not reveal
        from app.clock import today

        out = Files.save_path(self.page, f"导出{k.title}", f"{k.title}名单_{today().isoformat()}.xlsx",
                              "Excel 文件 (*.xlsx)")
        if out is not None:
            self.export_to(kind_key, options, mask, out)

    def export_dialog(self, kind_key: str):
        """The export's options, filled in from the list (its filters, the tree's unit)."""
        from app.excel.registry import kind
        from ui.dialogs.options_dialog import OptionsDialog

        k = kind(kind_key)
        return OptionsDialog(f"导出{k.title}到 Excel", k.options,
                             option_values(self.page, k.options, k.period), self.page,
                             action="导出", note=self._search_note(),
                             reveal_choice=may_reveal(self.ctx.actor),
                             choices=option_choices(self.ctx, k.options, k.spec), ctx=self.ctx)

    def export_to(self, kind_key: str, options: dict[str, Any], mask: bool, out) -> None:
        ctx = self.ctx

        def work(progress):
            from app.excel.export import export_kind

            return export_kind(ctx.db, ctx.actor, kind_key, out, options=options, mask=mask,
                               progress=progress)

        def done(result) -> None:
            self.last_export = result
            ctx.status_message.emit(f"已导出 {result.rows:,} 条到 {result.path.name}"
                                    + ("(已脱敏)" if result.masked else ""))

        run_in_background(self.page, work, done, title="正在导出 Excel")

    def import_excel(self, kind_key: str):
        from ui.dialogs.excel_import import ImportWizard

        wizard = ImportWizard(self.ctx, kind_key, self.page)
        wizard.accepted.connect(self.page.reload)
        wizard.open()
        self.last_import = wizard
        return wizard

    def download_template(self, kind_key: str) -> None:
        from app.excel.registry import kind
        from ui.dialogs.excel_import import save_template

        save_template(self.page, self.ctx, kind(kind_key))

    def _search_note(self) -> str:
        text = self.page.search.text().strip()
        return (f"搜索框中的“{text}”不作为条件,将按下列条件输出:" if text else "将按下列条件输出:")

    # -- smoke test --------------------------------------------------------------------------------
    def smoke_dialogs(self) -> list:
        from app.printing.registry import PrintRequest
        from ui.dialogs.excel_import import ImportWizard
        from ui.dialogs.print_preview import PrintPreviewDialog

        out = []
        if self.kinds and self.import_action is not None:
            out.append((f"导入{self.kinds[0].title}",
                        lambda: ImportWizard(self.ctx, self.kinds[0].key, self.page)))
        records = [fd for fd in self.forms if not fd.is_list]
        if records and self.page.model.rows:
            first = self.page.model.rows[0].id
            out.append((f"打印预览:{records[0].title}",
                        lambda: PrintPreviewDialog(self.ctx, records[0].name,
                                                   PrintRequest(ids=[first]), self.page)))
        return out


def _too_many():
    from app.errors import AppError

    return AppError(f"当前查询超过 {BATCH_LIMIT:,} 条,请用查询条件缩小范围后分批打印")


def record_print_button(ctx, record_kind: str, current_id, parent) -> QToolButton | None:
    """打印 ▾ inside a record's form: the kind's record forms for this record (``current_id()``
    gives its id; disabled until it is saved). None when the kind has no form or the role may
    not print."""
    from app.printing.registry import PrintRequest, forms_for

    forms = [fd for fd in forms_for(record_kind) if not fd.is_list] if may_export(ctx.actor) else []
    if not forms:
        return None
    button = QToolButton(parent)
    button.setText("打印")
    button.setIcon(icon("print"))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)

    def open_preview(fd):
        from ui.dialogs.print_preview import PrintPreviewDialog

        record_id = current_id()
        if record_id:
            dialog = PrintPreviewDialog(ctx, fd.name, PrintRequest(ids=[record_id]), parent,
                                        title=fd.title)
            dialog.open()
            button.last_preview = dialog

    for fd in forms:
        menu.addAction(icon("print"), f"{fd.title}…").triggered.connect(
            lambda _c=False, fd=fd: open_preview(fd))
    button.setMenu(menu)
    button.setEnabled(current_id() is not None)
    return button
