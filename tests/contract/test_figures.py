"""Every declared figure opens exactly the records it counts: recomputed from its drill-down, it
gives the same number."""

from __future__ import annotations

from datetime import date


def test_the_drill_down_gives_the_figure(db, actors, figure_key):
    from app.kit.figures import all_figures, compute, drill_value

    area, key = figure_key.split(".", 1)
    fig = next(f for a, f in all_figures() if a == area and f.key == key)
    auditor = actors["auditor"]
    with db.read_session() as s:
        values = compute(s, auditor, [fig], date(2000, 1, 1), date(2100, 12, 31))
        assert values or fig.by, "a figure without groups gives one value"
        for v in values:
            assert drill_value(s, auditor, v) == v.value, v.key
            assert v.unit and v.label
