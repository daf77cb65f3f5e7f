"""How each 困难职工帮扶 record type reaches the core: the registers' bindings (the generic record
service with each register's rules and permissions); the archive form edits 家庭成员 and 刚性支出
as sub-tables (its scans have a tab of their own)."""

from __future__ import annotations

from app.services.hardship.workflow import waiting_text
from ui.widgets.binding import RecordBinding

ARCHIVE_BINDING = RecordBinding.of("hardship_archive", "hardship.archive",
                                   subtables=("members", "expenses"), waiting=waiting_text)
LEDGER_BINDING = RecordBinding.of("relief_entry", "hardship.ledger",
                                  no_void="发放记录不能作废,如有错误请用“冲正”")
CAMPAIGN_BINDING = RecordBinding.of("hardship_campaign", "hardship.campaign", void=None)
VISIT_BINDING = RecordBinding.of("hardship_visit", "hardship.visit", void=None)
AID_BINDING = RecordBinding.of("hardship_study_aid", "hardship.aid", void=None)
PLAN_BINDING = RecordBinding.of("hardship_plan", "hardship.plan", void=None)
