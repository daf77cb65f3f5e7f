"""The figures of seed section (七) the unit tree and the member register give at a point in time
(declared: ``app.kit.figures``); the period's changes are in ``app.services.organisation.figures``."""

from __future__ import annotations

from app.kit.figures import Count, FigureDef
from app.services.members import ACTIVE_STATUSES as ACTIVE

FIGURES = (
    FigureDef("county_unions", "县(区)总工会", "个", "unit", Count(), {"kind": ("county",)},
              period=False, home="县(区)总工会", city_only=True,
              note="本市各县(区)总工会(随其数据包到达)"),
    FigureDef("township_unions", "乡镇(街道)工会", "个", "unit", Count(),
              {"kind": ("street", "township")}, period=False, home="乡镇(街道)工会"),
    FigureDef("system_unions", "系统(产业)工会", "个", "unit", Count(), {"kind": ("system",)},
              period=False, home="系统(产业)工会"),
    FigureDef("grassroots_unions", "基层工会", "个", "unit", Count(),
              {"kind": ("federation", "grassroots")}, period=False, home="基层工会"),
    FigureDef("members", "在册会员", "人", "member", Count(), {"status": ACTIVE}, period=False,
              note="会籍正常或保留会籍", home="在册会员"),
    FigureDef("migrant_members", "农民工会员", "人", "member", Count(),
              {"status": ACTIVE, "is_migrant_worker": True}, period=False, home="农民工会员"),
    FigureDef("female_members", "女会员", "人", "member", Count(), {"status": ACTIVE, "gender": "2"},
              period=False, home="女会员"),
)
