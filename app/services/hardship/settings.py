"""The area's settings (the administrator changes them on 系统管理 → 系统设置; every change is
audited): the floor under every 公示 of a hardship archive. The year's parameter (set by a 审核人 or
审批人) may not go below it, and a 公示 started on an archive may not be shorter than the year's
parameter — so a 公示 of one day cannot slip through where the policy says five."""

from __future__ import annotations

from app.services.settings import Setting

GROUP = "困难职工帮扶"
PUBLICITY_FLOOR = "hardship_publicity_min_days"

SETTINGS = (
    Setting(PUBLICITY_FLOOR, "困难职工建档公示最少工作日数(下限)", 5, 1, 30, GROUP),
)


def publicity_floor(session) -> int:
    from app.services import settings

    return int(settings.get(session, PUBLICITY_FLOOR))
