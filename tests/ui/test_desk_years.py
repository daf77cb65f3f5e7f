"""Issue 12, point 4: pickers list the current year first — a 年度 filter opens on this year's
row, next year (campaigns are planned ahead) after it, then the past."""

from app.clock import today


def test_year_order_puts_the_current_year_first():
    from app.kit.options import year_order

    assert year_order(2026, back=3) == [2026, 2025, 2024]
    assert year_order(2026, back=2, ahead=1) == [2026, 2027, 2025]
    assert year_order(2026, [2027, 2019], back=1) == [2026, 2027, 2019]


def test_a_year_filter_lists_this_year_first(qtbot, clerk_ctx):
    from app.fields.registry import spec
    from ui.widgets.filter_bar import FilterBar

    bar = FilterBar(clerk_ctx, spec("hardship_campaign"))
    qtbot.addWidget(bar)
    combo = bar.widgets["year"]
    years = [combo.itemData(i) for i in range(1, combo.count())]  # after 全部
    this = today().year
    assert years[:3] == [this, this + 1, this - 1]
    assert years[3:] == sorted(years[3:], reverse=True)


def test_the_archive_list_year_filter_starts_at_this_year(qtbot, clerk_ctx):
    from ui.pages.hardship.lists import ArchiveListPage

    page = ArchiveListPage(clerk_ctx)
    qtbot.addWidget(page)
    combo = page.filters.widgets["year"]
    assert combo.itemData(1) == today().year
