"""A clerk's trial: the archive list cut 档案编号 (130102-困档-2026-0…) and the status tag
(待帮扶中…). Codes and status tags are shown whole — the columns widen to the rows shown — and
what is still too long for its column (a very long name) is elided with its tooltip whole."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

from app.models import HardshipArchive
from tests.app.hardship.helpers import make_archive
from tests.ui.hardship_support import wait_list


def test_archive_numbers_and_status_tags_are_never_cut(qtbot, county, ctx_of):
    from ui.pages.hardship.lists import ArchiveListPage
    from ui.widgets.record_table_view import CELL_PADDING, TAG_EXTRA

    archive_id = make_archive(county, "a")
    with county.session("clerk") as s:
        archive = s.get(HardshipArchive, archive_id)
        archive.archive_no, archive.status = "130102-困档-2026-0001", "township_ok"
        archive.employer = "示例县某某某某某某某某某某某某某某某某某某某某某某某有限责任公司第一分厂"
    page = ArchiveListPage(ctx_of("clerk"))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_list(qtbot, page)
    view, model = page.view, page.model
    keys = [c.key for c in model.columns]
    metrics = QFontMetrics(view.font())
    for key in ("archive_no", "status", "id_number"):
        c = keys.index(key)
        text = model.index(0, c).data()
        extra = TAG_EXTRA if key == "status" else CELL_PADDING
        assert text and metrics.horizontalAdvance(text) + extra <= view.columnWidth(c), (key, text)
        assert view.cell_tooltip(model.index(0, c)) in ("", text) or key == "status"
    if "employer" in keys:  # too long for any column: elided, the tooltip reads it whole
        c = keys.index("employer")
        assert view.cell_tooltip(model.index(0, c)) == model.index(0, c).data()
