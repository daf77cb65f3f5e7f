"""How each 困难职工帮扶 record type reaches its service (``RecordBinding``s for the generic lists
and forms). Services that take their parts as keyword arguments are adapted here."""

from __future__ import annotations

from app.fields.hardship import ARCHIVE, EXPENSE, FAMILY_MEMBER
from app.fields.hardship_relief import CAMPAIGN, HELP_PLAN, LEDGER, STUDY_AID, VISIT
from app.security.roles import Perm
from app.services import members as members_service
from app.services import records
from app.services.hardship import aid, archives, plans, visits
from ui.widgets.binding import RecordBinding


def _members(session, actor, archive_id):
    return [_row(m, FAMILY_MEMBER) for m in archives.family_members(session, archive_id)]


def _expenses(session, actor, archive_id):
    return [_row(e, EXPENSE) for e in archives.expenses(session, archive_id)]


def _row(obj, spec) -> dict:
    """A stored sub-table row as the form's sub-table holds it (its id kept for the update)."""
    return {"id": obj.id, **{f.key: getattr(obj, f.key, None) for f in spec.editable_fields}}


def _split(values):
    values = dict(values)
    return values, values.pop("members", None), values.pop("expenses", None)


def create_archive(session, actor, values):
    head, members, expense_items = _split(values)
    return archives.create_archive(session, actor, head, members=members or (),
                                   expense_items=expense_items or ())


def update_archive(session, actor, archive_id, values):
    head, members, expense_items = _split(values)
    return archives.update_archive(session, actor, archive_id, head, members=members,
                                   expense_items=expense_items)


def _getter(spec, what):
    def load(session, actor, record_id):
        actor.require(Perm.READ, f"查看{what}")
        return records.get_live(session, spec, record_id)
    return load


def _load_entry(session, actor, entry_id):
    from app.errors import NotFound
    from app.models import ReliefEntry

    actor.require(Perm.READ, "查看救助发放记录")
    entry = session.get(ReliefEntry, entry_id)
    if entry is None:
        raise NotFound("找不到该救助发放记录")
    return entry


ARCHIVE_BINDING = RecordBinding(
    ARCHIVE, key="hardship.archive", load=archives.get_archive, create=create_archive,
    update=update_archive, void=archives.void_archive,
    load_children={"members": _members, "expenses": _expenses}, subtables=("members", "expenses"),
    derive=members_service.derive,
    search_placeholder="姓名 / 身份证号 / 拼音首字母 / 档案编号")

LEDGER_BINDING = RecordBinding(
    LEDGER, key="hardship.ledger", load=_load_entry,
    tag_columns=(), search_placeholder="领取人 / 身份证号")

CAMPAIGN_BINDING = RecordBinding(
    CAMPAIGN, key="hardship.campaign", load=_getter(CAMPAIGN, "慰问活动"),
    create=visits.create_campaign, update=visits.update_campaign, search_placeholder="活动名称")

VISIT_BINDING = RecordBinding(
    VISIT, key="hardship.visit", load=_getter(VISIT, "走访慰问"),
    search_placeholder="慰问对象 / 慰问领导")

AID_BINDING = RecordBinding(
    STUDY_AID, key="hardship.aid", load=_getter(STUDY_AID, "金秋助学申请"),
    create=aid.create_application, update=aid.update_application,
    search_placeholder="学生 / 家长姓名 / 身份证号")

PLAN_BINDING = RecordBinding(
    HELP_PLAN, key="hardship.plan", load=_getter(HELP_PLAN, "帮扶计划"),
    create=plans.create_plan, update=plans.update_plan, search_placeholder="帮扶责任人")
