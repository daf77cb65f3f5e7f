"""How each 困难职工帮扶 record type reaches the core: the registers' bindings (the generic record
service with each register's rules), plus the archive form's sub-tables."""

from __future__ import annotations

from app.fields.hardship import EXPENSE, FAMILY_MEMBER
from app.services.hardship import archives
from ui.widgets.binding import RecordBinding


def _members(session, actor, archive_id):
    return [_row(m, FAMILY_MEMBER) for m in archives.family_members(session, archive_id)]


def _expenses(session, actor, archive_id):
    return [_row(e, EXPENSE) for e in archives.expenses(session, archive_id)]


def _row(obj, spec) -> dict:
    """A stored sub-table row as the form's sub-table holds it (its id kept for the update)."""
    return {"id": obj.id, **{f.key: getattr(obj, f.key, None) for f in spec.editable_fields}}


ARCHIVE_BINDING = RecordBinding.of(
    "hardship_archive", "hardship.archive",
    load_children={"members": _members, "expenses": _expenses}, subtables=("members", "expenses"))
LEDGER_BINDING = RecordBinding.of("relief_entry", "hardship.ledger")
CAMPAIGN_BINDING = RecordBinding.of("hardship_campaign", "hardship.campaign", void=None)
VISIT_BINDING = RecordBinding.of("hardship_visit", "hardship.visit", void=None)
AID_BINDING = RecordBinding.of("hardship_study_aid", "hardship.aid", void=None)
PLAN_BINDING = RecordBinding.of("hardship_plan", "hardship.plan", void=None)
