"""The county's 文号 register (发文登记): outgoing documents numbered 机关代字〔年份〕N号 per series
and year, never reused — a voided document keeps its number, and the next is one more than the
highest ever given.

Two PCs of one county must never give the same number. The rule: **a series is numbered on one
PC only**, the one that owns it (``DocSeries.owner_device_id``, like the 发文登记簿 kept in one
office). Any PC may register a document; only the owner numbers it, and another PC is told
which PC does (its documents travel there by bundle, are numbered, and come back). Moving the
numbering to another PC is an explicit 接管 (audited), for a PC that was replaced. Should two
PCs still number at once — a takeover while the old PC is still in use, a restored backup —
the exchange meets two documents with one number: it keeps both and queues a ``number`` clash
(``Document.__number_key__``, as archive numbers are), and 冲突处理 gives one of them the next
free number on the owner's PC (``renumber``); the number stays with the other, never reused.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError, PermissionDenied
from app.fields.organisation import DOC_SERIES, DOCUMENT
from app.kit.register import Item, Register
from app.models import Unit
from app.models.organisation import DocSeries, Document
from app.security import audit
from app.security.roles import Perm
from app.services import records


def doc_no(code: str, year: int, seq: int) -> str:
    """示工〔2026〕15号 (GB/T 9704: the year in 六角括号, no leading zeros)."""
    return f"{code}〔{year}〕{seq}号"


def device_id(session: Session) -> str:
    return session.info.get("device_id") or ""


def numbering_refusal(session: Session, series: DocSeries) -> str | None:
    """Why this PC may not number documents of the series (None: it may)."""
    if not series.active:
        return f"发文字号“{series.code}”已停用"
    if not series.owner_device_id:
        return f"发文字号“{series.code}”尚未指定编号电脑:请在编号的那台电脑上“接管编号”"
    if series.owner_device_id != device_id(session):
        return (f"发文字号“{series.code}”只在编号电脑“{series.owner_label or series.owner_device_id[:8]}”"
                "上编号,以免两台电脑编出相同文号;请在该电脑上编号,或先在本机“接管编号”")
    return None


def next_seq(session: Session, series_id: str, year: int) -> int:
    """One more than the highest number the series ever gave that year (voided ones included)."""
    return (session.scalar(select(func.max(Document.seq)).where(
        Document.series_id == series_id, Document.year == year)) or 0) + 1


def number(session: Session, actor, document_id: str) -> Document:
    """Give a registered document its 文号 (on the series' own PC)."""
    actor.require(Perm.WRITE, "文件编号")
    doc = records.get_live(session, DOCUMENT, document_id)
    if doc.doc_no:
        raise AppError(f"该文件已编号:{doc.doc_no}")
    series = session.get(DocSeries, doc.series_id)
    if (why := numbering_refusal(session, series)) is not None:
        raise PermissionDenied(why)
    year = doc.signed_on.year
    doc.year, doc.seq = year, next_seq(session, series.id, year)
    doc.doc_no = doc_no(series.code, year, doc.seq)
    doc.numbered_on, doc.numbered_device = today(), device_id(session)
    session.flush()
    return doc


def issue(session: Session, actor, values: dict, concerns: tuple[str, str] | None = None) -> Document:
    """Register a document and number it at once (a 批复 the 建会 chain issues); ``concerns``:
    the (table, id) of the record it is about."""
    doc = records.create(session, actor, REGISTER, values)
    if concerns is not None:
        doc.record_table, doc.record_id = concerns
    return number(session, actor, doc.id)


def take_over(session: Session, actor, series_id: str, label: str) -> DocSeries:
    """Make this PC the one that numbers the series (audited). The message to the user says what
    it risks: the old PC must stop numbering and its last documents must have arrived here."""
    actor.require(Perm.WRITE, "接管文件编号")
    series = records.get_live(session, DOC_SERIES, series_id)
    label = (label or "").strip()
    if not label:
        raise AppError("请写明这台电脑的名称(如“办公室 张三的电脑”),以便其他电脑提示到哪里编号")
    before = series.owner_label
    series.owner_device_id, series.owner_label = device_id(session), label[:50]
    audit.append(session, action="update", actor=actor, object_type="doc_series", object_id=series.id,
                 summary=f"发文字号“{series.code}”改由“{series.owner_label}”编号(原为“{before or '未指定'}”)")
    session.flush()
    return series


def renumber(session: Session, actor, document_id: str, reason: str) -> tuple[str, str]:
    """The next free number for a document that shares its 文号 with another one (two PCs
    numbered between exchanges): called by 冲突处理 (``app.sync.conflicts.RENUMBER``)."""
    actor.require(Perm.WRITE, "重新编号")
    doc = records.get_live(session, DOCUMENT, document_id)
    series = session.get(DocSeries, doc.series_id)
    if (why := numbering_refusal(session, series)) is not None:
        raise PermissionDenied(why)
    old = doc.doc_no
    doc.seq = next_seq(session, series.id, doc.year)
    doc.doc_no = doc_no(series.code, doc.year, doc.seq)
    doc.numbered_on, doc.numbered_device = today(), device_id(session)
    audit.append(session, action="update", actor=actor, object_type="documents", object_id=doc.id,
                 summary=f"文件“{doc.title}”重新编号:{old} → {doc.doc_no}({reason})")
    session.flush()
    return old, doc.doc_no


def _document_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        series = session.get(DocSeries, it.values.get("series_id") or "")
        if series is None or series.deleted:
            out[i] = {"series_id": "发文字号不存在或已作废"}
        elif it.record is not None and it.record.doc_no and it.touches("signed_on", "series_id") and (
                it.values["signed_on"].year != it.record.year or it.values["series_id"] != it.record.series_id):
            out[i] = {"signed_on": f"已编号为{it.record.doc_no},成文年份和发文字号不能再改"}
    return out


def _document_defaults(session: Session, values: dict, record) -> None:
    if record is None and not values.get("issuer"):
        root = session.get(Unit, session.info.get("root_unit_id") or "")
        values["issuer"] = root.name if root is not None else None


def _document_sample(session: Session, rng, values: dict) -> dict:
    series = session.scalar(select(DocSeries.id).where(DocSeries.deleted.is_(False)).limit(1))
    return {**values, "series_id": series or values.get("series_id")}


def _series_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    codes = [it.values.get("code") for it in items if it.touches("code")]
    own = {it.record.id for it in items if it.record is not None}
    taken = set(session.scalars(select(DocSeries.code).where(
        DocSeries.code.in_(codes), DocSeries.deleted.is_(False), DocSeries.id.notin_(own))))
    seen: set[str] = set()
    for i, it in enumerate(items):
        code = it.values.get("code")
        if it.touches("code") and (code in taken or code in seen):
            out[i] = {"code": f"已有机关代字“{code}”"}
        elif it.record is not None and it.touches("code") and code != it.record.code and \
                session.scalar(select(Document.id).where(Document.series_id == it.record.id,
                                                         Document.doc_no.is_not(None)).limit(1)):
            out[i] = {"code": "该发文字号已编出文号,机关代字不能再改(可停用后新增)"}
        seen.add(code)
    return out


def _series_in_use(session: Session, series: DocSeries) -> None:
    if session.scalar(select(Document.id).where(Document.series_id == series.id).limit(1)):
        raise AppError(f"“{series.code}”已有发文登记,不能作废;不再使用请设为停用")


def _series_sample(session: Session, rng, values: dict) -> dict:
    """The county's 机关代字: the first character of its name, 工, and a suffix per office."""
    root = session.get(Unit, session.info.get("root_unit_id") or "")
    first = (root.name if root is not None else "本")[:1]
    taken = set(session.scalars(select(DocSeries.code)))
    for suffix, name in (("", "县总工会发文"), ("办", "办公室发文"), ("组", "组织部发文"), ("函", "县总工会函")):
        code = f"{first}工{suffix}"
        if code not in taken:
            return {**values, "code": code, "name": name, "active": True}
    return {**values, "code": f"{first}工{rng.randint(10, 99)}"}


SERIES = Register(DOC_SERIES, rule=_series_rule, before_void=_series_in_use, sample=_series_sample,
                  excel_key="doc_series", search_hint="机关代字")
REGISTER = Register(DOCUMENT, rule=_document_rule, prepare=_document_defaults, sample=_document_sample,
                    excel_key="documents", search_hint="文号 / 标题", tag_columns=(),
                    named_by=("doc_no",), importable=False)
