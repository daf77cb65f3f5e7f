"""The figures of seed section (六) for one period and unit: the declared figures
(``app.services.hardship.figures``) computed by the kit, for the area's page, the CLI
(``stats hardship``) and the half-year summary."""

from __future__ import annotations

from datetime import date

from app.kit.figures import AreaStats, area_stats


def hardship_stats(session, actor, date_from: date, date_to: date, unit: str | None = None) -> AreaStats:
    return area_stats(session, actor, "hardship", date_from, date_to, unit)
