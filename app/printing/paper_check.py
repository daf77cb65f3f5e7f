"""Paper back to its record (B1): the QR payload typed or scanned off a printed form (a USB scanner
types like a keyboard) finds the record, and says whether the paper is stale — "此表打印后,记录于
2026年12月3日 被 张三 修改" — with what changed since.

The print's audit entry keeps the digest of each record form it printed, so the print a paper
comes from is found by its digest; the record's changes after that print are read from the audit
log (each change carries its before and after, sensitive numbers already masked there). A paper
older than the digests in the audit log is compared with the record's last change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from app.clock import to_local
from app.models import AuditEntry, User
from app.printing.qr import parse_payload
from app.printing.service import PaperMatch, match_paper
from app.validation import format_cn_date


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class PaperCheck:
    """What a scanned paper is: its record, and whether the record changed after it was printed."""

    match: PaperMatch
    printed_on: date | None = None  # the print the paper comes from, when the audit log has it
    changed_on: date | None = None
    changed_by: str = ""  # the person (display name) who changed it last
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        return not self.match.unchanged

    @property
    def message(self) -> str:
        what = f"{self.match.title}“{self.match.label}”"
        if not self.stale:
            return f"找到{what}:纸质表与记录一致。"
        when = format_cn_date(self.changed_on) if self.changed_on else "打印之后"
        who = f" 被 {self.changed_by}" if self.changed_by else ""
        text = f"{what}:此表打印后,记录于{when}{who} 修改"
        if self.changes:
            text += ",改动:" + ";".join(f"{c.label} “{c.before}” → “{c.after}”" for c in self.changes)
        return text + "。纸质表已过期,请以记录为准,需要时重新打印。"


def is_paper_payload(text: str) -> bool:
    """Whether a search box's text is a form's QR payload rather than a search."""
    return parse_payload(text or "") is not None


def check_paper(db, actor, scanned: str) -> PaperCheck | None:
    """The record a scanned paper belongs to and what changed since it was printed; None when
    the text is not a record form's QR payload (a search, a list's code)."""
    found = match_paper(db, actor, scanned)
    if found is None:
        return None
    result = PaperCheck(found)
    if found.unchanged:
        return result
    digest = parse_payload(scanned).digest
    with db.read_session() as s:
        printed = s.scalar(select(AuditEntry).where(
            AuditEntry.action == "print", AuditEntry.detail.like(f"%{digest}%"))
            .order_by(AuditEntry.seq.desc()).limit(1))
        after_seq = printed.seq if printed is not None else 0
        edits = list(s.scalars(select(AuditEntry).where(
            AuditEntry.object_id == found.record_id, AuditEntry.action.in_(("update", "delete")),
            AuditEntry.seq > after_seq).order_by(AuditEntry.seq)))
        if printed is None:
            edits = edits[-1:]  # an older paper: the last change is what can be said
        if printed is not None:
            result.printed_on = _local_date(printed.ts)
        if edits:
            last = edits[-1]
            result.changed_on = _local_date(last.ts)
            result.changed_by = s.scalar(select(User.display_name).where(
                User.username == last.username)) or last.username
        result.changes = _changes(s, found.kind, edits)
    return result


def _local_date(ts: str) -> date:
    return to_local(datetime.fromisoformat(ts.rstrip("Z"))).date()


def _changes(session, kind: str, edits: list[AuditEntry]) -> list[FieldChange]:
    """Each field changed over the edits: its value before the first and after the last."""
    from app.fields.registry import spec
    from app.services.records import codebook

    s_ = spec(kind)
    first: dict[str, object] = {}
    last: dict[str, object] = {}
    for entry in edits:
        detail = json.loads(entry.detail or "{}")
        for key, value in (detail.get("before") or {}).items():
            first.setdefault(key, value)
        last.update(detail.get("after") or {})
    book = codebook(session)
    out = []
    for f in s_.fields:
        if f.key in last and first.get(f.key) != last[f.key]:
            out.append(FieldChange(f.label, _shown(f, first.get(f.key), book),
                                   _shown(f, last[f.key], book)))
    return out


def _shown(f, value, book) -> str:
    from app.fields.spec import Kind, display_value

    if value in (None, ""):
        return "空"
    if f.kind == Kind.DATE and isinstance(value, str):
        try:
            return format_cn_date(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    try:
        return str(display_value(f, value, book))
    except (KeyError, ValueError, TypeError):  # a value the code table no longer knows
        return str(value)
