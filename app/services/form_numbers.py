"""Office numbers (编号) of printed forms: one format for every form, ``<county code>-<form kind>-
<year>-<serial>`` (341122-困档-2026-0012), per county, form kind and year.

A number is given once per form kind and subject (the record the form prints, or a list's content
digest): when the record reaches its numbered step (an archive's 审批建档) or when the form is first
printed, whichever comes first. Printing again prints the same number; a number is never given to
anything else (the serial is one more than the highest ever given in its series, voided rows
included). Two PCs of one county that number at once are told apart at exchange: ``form_numbers``
carries ``__number_key__`` and a clash is queued and renumbered (``renumber``), as 档案编号 are.

Printing reads its records in a read-only session: ``NumberBook`` hands out the numbers already
given and reserves the next ones in memory; the print service writes the reserved ones afterwards
in one short write (``NumberBook.save``), and builds again in the rare case another job took them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

import app.models  # noqa: F401  (every table registered)
from app.models.form_numbers import FormNumber

ARCHIVE_KIND = "困档"  # the 困难职工档案表: its number is the archive's 档案编号
APPLICATION_KIND = "困申"  # the 帮扶申请(审批)表: numbered at 提交申请
WIDTH = 4  # serial digits: 9,999 forms of one kind a year before the number grows a digit


def format_number(county_code: str, kind: str, year: int, seq: int) -> str:
    """The one printed format: 341122-困档-2026-0012."""
    return f"{county_code or '000000'}-{kind}-{year}-{seq:0{WIDTH}d}"


def county_code(session) -> str:
    from app.services.units import root_unit

    root = root_unit(session)
    return (root.code if root else "") or "000000"


def given(session, kind: str, subject: str) -> str | None:
    """The live number this subject already has in this form kind."""
    return session.scalar(select(FormNumber.number).where(
        FormNumber.kind == kind, FormNumber.subject == subject, FormNumber.deleted.is_(False))
        .order_by(FormNumber.created_at.desc()).limit(1))


def subjects(session, kind: str, number: str) -> list[str]:
    """What a number printed on a form of this kind was given to (a record id): a paper's 编号
    typed back."""
    return list(session.scalars(select(FormNumber.subject).where(
        FormNumber.kind == kind, FormNumber.number == number.strip(), FormNumber.deleted.is_(False))))


def highest(session, code: str, kind: str, year: int) -> int:
    """The highest serial ever given in a series (voided and renumbered rows count: never reused),
    here or as a record's own number (``HOLDERS``)."""
    top = session.scalar(select(func.max(FormNumber.seq)).where(
        FormNumber.county_code == code, FormNumber.kind == kind, FormNumber.year == year)) or 0
    if kind in HOLDERS:
        model, key = HOLDERS[kind]()
        col = getattr(model, key)
        head = format_number(code, kind, year, 0)[:-WIDTH]
        found = session.scalars(select(col).where(col.like(head + "%"))).all()  # tombstones too
        top = max([top, *(int(v[len(head):]) for v in found if v[len(head):].isdigit())])
    return top


def _archive_holder():
    from app.models import HardshipArchive

    return HardshipArchive, "archive_no"


# form kinds whose number, once the record reaches its numbered step, is the record's own column:
# the 档案编号 is the 困档 number (a register row stays only for an 档案表 printed before approval,
# so a clash of two PCs is queued once, on the archive)
HOLDERS = {ARCHIVE_KIND: _archive_holder}


def issue(session, kind: str, subject: str, year: int, *, form: str = "",
          code: str | None = None) -> str:
    """The number of ``subject`` in ``kind``: the one it has, else the next of the series (written
    in this session)."""
    if (number := given(session, kind, subject)) is not None:
        return number
    code = code if code is not None else county_code(session)
    seq = highest(session, code, kind, year) + 1
    number = format_number(code, kind, year, seq)
    session.add(FormNumber(number=number, county_code=code, kind=kind, year=year, seq=seq,
                           subject=subject, form=form))
    session.flush()
    return number


def void(session, kind: str, subject: str) -> str | None:
    """Void the subject's number in this kind (kept, so never given again); the old number."""
    rows = session.scalars(select(FormNumber).where(
        FormNumber.kind == kind, FormNumber.subject == subject, FormNumber.deleted.is_(False))).all()
    for row in rows:
        row.deleted = True
    session.flush()
    return rows[0].number if rows else None


def reissue(session, kind: str, subject: str, year: int, *, form: str = "") -> tuple[str | None, str]:
    """Void the subject's number and give it the next one (a clash of two PCs): (old, new)."""
    old = void(session, kind, subject)
    return old, issue(session, kind, subject, year, form=form)


def renumber(session, actor, row_id: str, reason: str) -> tuple[str, str]:
    """The conflict queue's renumbering of a clashing form number: the next free one, audited.
    An archive's 困档 number is its 档案编号, renumbered with the archive."""
    from app.errors import NotFound
    from app.security import audit
    from app.security.roles import Perm

    actor.require(Perm.WRITE, "重新编号")
    row = session.get(FormNumber, row_id)
    if row is None or row.deleted:
        raise NotFound("该编号记录不存在或已作废")
    if row.kind == ARCHIVE_KIND:
        from app.services.hardship.workflow import renumber as renumber_archive

        return renumber_archive(session, actor, row.subject, reason)
    old, new = reissue(session, row.kind, row.subject, row.year, form=row.form)
    audit.append(session, action="renumber", actor=actor, object_type="form_numbers", object_id=row.id,
                 summary=f"表格重新编号:{old} → {new}({reason})")
    return old or "", new




@dataclass
class NumberBook:
    """Numbers for one print job, read from a read-only session: given ones as they are, new ones
    reserved in memory (``pending``) until ``save`` writes them."""

    session: object
    year: int
    code: str = ""
    pending: dict[tuple[str, str], FormNumber] = field(default_factory=dict)
    _next: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.code = self.code or county_code(self.session)

    def number(self, kind: str, subject: str, form: str = "") -> str:
        if (kind, subject) in self.pending:
            return self.pending[(kind, subject)].number
        if (number := given(self.session, kind, subject)) is not None:
            return number
        if kind not in self._next:
            self._next[kind] = highest(self.session, self.code, kind, self.year)
        self._next[kind] += 1
        seq = self._next[kind]
        row = FormNumber(number=format_number(self.code, kind, self.year, seq), county_code=self.code,
                         kind=kind, year=self.year, seq=seq, subject=subject, form=form)
        self.pending[(kind, subject)] = row
        return row.number

    def save(self, db, actor) -> bool:
        """Write the reserved numbers; False (nothing written) when another job gave one of them
        or numbered one of the subjects meanwhile: the caller builds again."""
        if not self.pending:
            return True
        with db.session(actor) as s:
            for row in self.pending.values():
                if (given(s, row.kind, row.subject) is not None
                        or highest(s, row.county_code, row.kind, row.year) >= row.seq):
                    return False
            s.add_all(FormNumber(number=r.number, county_code=r.county_code, kind=r.kind, year=r.year,
                                 seq=r.seq, subject=r.subject, form=r.form)
                      for r in self.pending.values())
        return True
