"""The lists of the 困难职工帮扶 tabs: the kit's ``FormListPage`` with the area's own form and
actions (档案's extra filters; 救助发放's 新增发放 and 冲正; 助学's 审核 and 发放; 计划's 进展)."""

from __future__ import annotations

from app.clock import today
from app.services.hardship import list_filters
from ui.kit.form_list import FormListPage


class ArchiveListPage(FormListPage):
    """档案: the spec's filters (status, grade, main cause, union …) plus 乡镇, 年度, 一年未更新,
    从未帮扶, and the search."""

    def __init__(self, ctx, **kw):
        from ui.pages.hardship.archive_form import ArchiveFormDialog
        from ui.pages.hardship.bindings import ARCHIVE_BINDING

        super().__init__(ctx, ARCHIVE_BINDING, ArchiveFormDialog, **kw)
        with ctx.read() as s:
            townships = list_filters.township_choices(s)
            years = list_filters.year_choices(s)
        from app.kit.options import year_order

        years = year_order(today().year, years, back=1)  # this year first, then the years archives have
        self.filters.add_choice("township_id", "乡镇(街道)", townships)
        self.filters.add_choice("year", "年度", [(y, f"{y}年") for y in years])
        self.filters.add_choice("stale", "一年未更新", [(True, "是")])
        self.filters.add_choice("never_helped", "从未帮扶", [(True, "是")])

    def smoke_dialogs(self) -> list:
        """The list's dialogs, and the review actions' dialogs of the first archive's form."""
        out = super().smoke_dialogs()
        if self.model.rows:
            self._smoke_form = self.make_form(self.model.rows[0].id)  # kept: its dialogs need it
            out += self._smoke_form.smoke_dialogs()
        return out
