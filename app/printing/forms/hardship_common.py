"""What the 困难职工帮扶 forms share: finding archives by id, 档案编号 or ID number, the batch a
filter chooses, the 编号 of an archive not yet numbered, the QR code of a record, and small layout
helpers (■/□ choices, money in 元, the continuation header of page 2).

The QR payload of a record form is ``common.qr_of`` (kind: the spec key upper-cased).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from sqlalchemy import or_, select

from app.fields.hardship import ARCHIVE
from app.models import HardshipArchive, Unit
from app.printing.blocks import Block, Together, baseline  # noqa: F401 (Together: its forms)
from app.printing.forms.common import batch_stem, qr_of  # noqa: F401 (qr_of)
from app.services import listing
from app.services.form_numbers import ARCHIVE_KIND
from app.services.hardship import options as opts
from app.validation import format_yuan, normalize_id_number

CHECKED, UNCHECKED = "■", "□"
CLOSED = ("exited", "cancelled")


def archive_number(ctx, archive: HardshipArchive) -> str:
    """The 编号 of a form of this archive: the form's office number (341122-困档-2026-0012). The
    档案表's is the 档案编号 itself, given at 审批建档 or when the 档案表 is first printed."""
    if ctx.form is not None and ctx.form.number_kind == ARCHIVE_KIND:
        return archive.archive_no or ctx.office_number(archive.id)
    return ctx.office_number(archive.id)


def closed_line(ctx, archive: HardshipArchive) -> Block | None:
    """On the paper of an exited or cancelled archive, under its header: the status, the date
    and the reason ("档案状态:已脱困(2026年3月1日;原因:…)"); None for an open archive."""
    from app.services.hardship.archives import STATUS_LABELS

    if archive.status not in CLOSED:
        return None
    what = [ctx.shown(ARCHIVE.field("closed_on"), archive.closed_on) or "日期未记录"]
    if archive.close_reason:
        what.append("原因:" + ctx.shown(ARCHIVE.field("close_reason"), archive.close_reason))
    if (archive.close_note or "").strip():
        what.append(archive.close_note.strip())
    return KeyLine([("档案状态", f"{STATUS_LABELS[archive.status]}({';'.join(what)})")], size=11)


def load_archives(session, ids: list[str]) -> list[HardshipArchive]:
    rows = {a.id: a for a in session.scalars(select(HardshipArchive).where(
        HardshipArchive.id.in_(ids), HardshipArchive.deleted.is_(False)))}
    return [rows[i] for i in ids if i in rows]


def lookup_archive(session, text: str) -> list[str]:
    """Archives whose id or 档案编号 is ``text``, or whose head has that ID number (an open archive
    first: a closed one only when there is no other)."""
    text = text.strip()
    if text.upper().startswith("SQ") and len(text) == 12:  # the provisional number of a draft
        prefix = text[2:].lower()
        rows = session.scalars(select(HardshipArchive.id).where(
            HardshipArchive.deleted.is_(False), HardshipArchive.archive_no.is_(None),
            HardshipArchive.id.like(f"{prefix[:8]}-{prefix[8:]}%")))
        return list(rows)
    conds = [HardshipArchive.id == text, HardshipArchive.archive_no == text]
    try:
        conds.append(HardshipArchive.id_number == normalize_id_number(text))
    except ValueError:
        pass
    rows = session.execute(select(HardshipArchive.id, HardshipArchive.status).where(
        HardshipArchive.deleted.is_(False), or_(*conds)).limit(10)).all()
    open_ = [i for i, status in rows if status not in CLOSED]
    return open_ or [i for i, _ in rows]


def select_archives(session, options: dict) -> list[str]:
    """The ids of a filtered batch (``--union``, ``--status``, ``--from``/``--to``), in name order."""
    query = opts.archive_selection(session, options).query
    return list(session.scalars(listing.rows_select(session, query, [HardshipArchive.id])))


def archive_stem(title: str):
    return batch_stem(title, lambda archive: archive.name)


def union_name(session, unit_id: str | None) -> str:
    unit = session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else ""


def yuan(fen: int | None, unit: str = "元") -> str:
    return "" if fen is None else f"{format_yuan(fen)}{unit}"


def choice(options, chosen) -> str:
    """"■是 □否", "□深度困难 ■相对困难…": every option printed, the chosen one filled."""
    return "  ".join((CHECKED if value == chosen else UNCHECKED) + label for value, label in options)


def yes_no(value: bool | None) -> str:
    return choice(((True, "是"), (False, "否")), value)


class KeyLine(Block):
    """A line of "label:value" pairs spread over the width (the 职工编号 / 姓名 header repeated on
    the top of page 2, and the applicant's line on an attachment)."""

    def __init__(self, pairs: list[tuple[str, str]], *, size: float = 10.5, rule: bool = True):
        self.pairs, self.size, self.rule = pairs, size, rule

    def wrap(self, s, width):
        return self.size * 1.45 + 2.5 * mm

    def draw(self, s, x, top, width):
        y = baseline(top, self.size, self.size * 1.45)
        col = width / max(len(self.pairs), 1)
        for i, (label, value) in enumerate(self.pairs):
            s.text(x + i * col, y, f"{label}:{value}", self.size)
        if self.rule:
            s.line(x, top - self.wrap(s, width) + 1.5 * mm, x + width, top - self.wrap(s, width) + 1.5 * mm,
                   0.5)


def archive_label(f_key: str) -> str:
    f = ARCHIVE.field(f_key)
    return ("*" if f.required else "") + f.label
