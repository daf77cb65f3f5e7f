"""members: the member register to and from Excel."""

from __future__ import annotations

from sqlalchemy import select

from app.excel.registry import ExcelKind
from app.fields.members import MEMBER
from app.models import Member, Unit
from app.kit.options import selection
from app.services import members, records
from app.services.units import MEMBER_UNIT_KINDS

COLUMNS = tuple(f.key for f in MEMBER.fields)


def select_rows(session, options: dict):
    chosen = selection(session, MEMBER.key, options, members.MEMBER_FILTERS)
    q = members.roster_select(session, chosen.query, [getattr(Member, k) for k in COLUMNS])
    rows = session.execute(q.execution_options(yield_per=2000))
    return (tuple(r[:len(COLUMNS)]) for r in rows), chosen.text


def union_names(session) -> dict[str, str]:
    return dict(session.execute(select(Unit.id, Unit.name).where(
        Unit.deleted.is_(False), Unit.kind.in_(MEMBER_UNIT_KINDS))).all())


class MemberImporter:
    def check(self, db, actor, rows):
        with db.read_session() as s:
            errors = records.check_many(s, actor, "member", [r for _, r in rows],
                                        row_numbers=[n for n, _ in rows])
        return {rows[i][0]: e for i, e in errors.items()}

    def write(self, session, actor, rows, *, source):
        return records.add_many(session, actor, "member", [r for _, r in rows], source=source)


KINDS = (ExcelKind("members", "会员", MEMBER, COLUMNS, select_rows, {"union_id": union_names},
                   options=members.MEMBER_FILTERS, importer=MemberImporter(), period="入会日期"),)
