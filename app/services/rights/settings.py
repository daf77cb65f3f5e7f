"""The area's settings (the administrator changes them on 系统管理 → 系统设置; every change is
audited): ticket time limits by complexity, the 信访 timers and how they count, how early a ticket
becomes a to-do, and the legal-aid means-test standard. [K] values: configurable because local
rules differ (records-and-forms.md §A.5, F6, F10)."""

from __future__ import annotations

from app.services.settings import Setting

GROUP = "权益保障与法律援助"
LIMIT_KEYS = {"normal": "rights_limit_normal", "hard": "rights_limit_hard",
              "complex": "rights_limit_complex"}

SETTINGS = (
    Setting("rights_limit_normal", "工单办理时限:一般问题(工作日)", 5, 1, 60, GROUP),
    Setting("rights_limit_hard", "工单办理时限:难点问题(工作日)", 15, 1, 90, GROUP),
    Setting("rights_limit_complex", "工单办理时限:特别复杂问题(工作日)", 30, 1, 180, GROUP),
    Setting("rights_petition_accept_days", "信访事项:受理告知期限(日)", 15, 1, 60, GROUP),
    Setting("rights_petition_handle_days", "信访事项:办理期限(日,自受理起)", 60, 1, 180, GROUP),
    Setting("rights_petition_extend_days", "信访事项:最多可延长(日)", 30, 0, 90, GROUP),
    Setting("rights_petition_working_days",
            "信访期限计算:1 按工作日;0 按自然日(届满日遇节假日顺延)", 1, 0, 1, GROUP),
    Setting("rights_warn_days", "工单到期前几个工作日列入待办", 2, 0, 10, GROUP),
    Setting("rights_aid_income_yuan", "法律援助经济困难标准:家庭月人均收入低于(元)", 2060, 0,
            100_000, GROUP),
)
