"""Printing as a use case: check the permission, build the forms from the records, write one PDF,
and log the print in the audit chain.

The records are read in a read-only session and the PDF is drawn with no database lock held; only
the audit entry takes the writer, for a moment, after the file is complete. A print the audit log
cannot record is removed again: no unlogged paper copy of personal data.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.clock import today
from app.errors import AppError, NotFound
from app.printing.document import FormDoc, MissingGlyphs, render_pdf
from app.printing.registry import FormDef, PrintContext, PrintRequest, form
from app.progress import NO_PROGRESS, Progress
from app.security import audit
from app.security.roles import Perm

MAX_BATCH = 20_000
AUDIT_IDS = 500  # list the ids in the audit entry up to this many, else their hash


@dataclass
class PrintResult:
    path: Path
    form: str
    forms: int
    pages: int
    suggested_name: str  # "工会会员登记表_张三.pdf"
    missing_chars: set[str] = field(default_factory=set)


def resolve_ids(session, fd: FormDef, texts) -> list[str]:
    """Record ids from what the user typed: an id, or a number the form knows (会员证号, 档案编号)."""
    from app.services.form_numbers import subjects

    out: list[str] = []
    for text in texts:
        found = subjects(session, fd.number_kind, text) or (fd.lookup(session, text) if fd.lookup
                                                            else [text])
        if not found:
            raise NotFound(f"找不到“{text}”对应的记录(可写记录编号或{fd.title}上的编号)")
        if len(found) > 1:
            raise AppError(f"“{text}”对应 {len(found)} 条记录,请改用记录编号")
        out.append(found[0])
    return list(dict.fromkeys(out))


def build_docs(db, actor, form_name: str, request: PrintRequest, *,
               printed_on: date | None = None, progress: Progress = NO_PROGRESS
               ) -> tuple[FormDef, list[FormDoc], str]:
    """(form, documents, suggested file stem): the forms to print, not yet drawn. The office
    numbers they are first given are written once they are built (``form_numbers``); built again
    when another job took one of them meanwhile."""
    for _ in range(3):
        fd, docs, stem, ctx = _build_docs(db, actor, form_name, request, printed_on, progress)
        if ctx.numbers is None or ctx.numbers.save(db, actor):
            return fd, docs, stem
    raise AppError("表格编号正被其他打印任务占用,请稍后重新打印")


def _build_docs(db, actor, form_name, request, printed_on, progress):
    from app.services.records import codebook
    from app.services.units import root_unit

    fd = form(form_name)
    actor.require(Perm.EXPORT, f"打印{fd.title}")
    with db.read_session() as s:
        root = root_unit(s)
        ctx = PrintContext(s, actor, codebook(s), root.name if root else "",
                           reveal=actor.can(Perm.REVEAL) and not fd.public_copy(request.options),
                           printed_on=printed_on or today(), form=fd)
        if fd.is_list:
            fd.check_options(request.options)
            doc = fd.build(ctx, dict(request.options))
            stem = fd.file_stem(request.options) if fd.file_stem else fd.title
            return fd, [doc], stem, ctx
        if request.ids and request.options:
            raise AppError("指定的记录与筛选条件不能同时使用,请只用其中一种")
        if request.ids:
            ids = resolve_ids(s, fd, request.ids)
        elif request.options and fd.select is not None:
            ids = fd.select(s, dict(request.options))
            if not ids:
                raise AppError(f"没有符合条件的记录,未打印{fd.title}")
        else:
            raise AppError(f"请指定要打印{fd.title}的记录")
        if len(ids) > MAX_BATCH:
            raise AppError(f"一次最多打印 {MAX_BATCH:,} 份,请分批打印")
        items = fd.load(s, ids)
        if len(items) != len(ids):
            raise NotFound(f"有 {len(ids) - len(items)} 条记录找不到或已作废")
        docs = []
        for n, item in enumerate(items, 1):
            docs.append(fd.build(ctx, item))
            if n % 50 == 0:
                progress.update(n, len(items), f"正在准备 {n:,}/{len(items):,} 份")
        stem = fd.file_stem(items) if fd.file_stem else fd.title
        return fd, docs, stem, ctx


def print_form(db, actor, form_name: str, request: PrintRequest, out: Path | str, *,
               printed_on: date | None = None, progress: Progress = NO_PROGRESS,
               fonts=None, preview: bool = False) -> PrintResult:
    """Print ``form_name`` for the request into the PDF ``out``; audited as action "print"."""
    fd, docs, stem = build_docs(db, actor, form_name, request, printed_on=printed_on,
                                progress=progress)
    out = Path(out)
    try:
        result = render_pdf(docs, out, title=fd.title, fonts=fonts, progress=progress)
    except MissingGlyphs as exc:
        raise _refusal(db, fd, exc) from None
    masked = fd.public_copy(request.options) or not actor.can(Perm.REVEAL)
    try:
        _audit(db, actor, fd, docs, result.pages, out, preview, masked)
    except BaseException:
        from app.fileops import discard

        discard(out)
        raise
    return PrintResult(out, fd.name, len(docs), result.pages,
                       f"{stem}_{(printed_on or today()).isoformat()}.pdf", result.missing_chars)


def _refusal(db, fd: FormDef, exc: MissingGlyphs) -> AppError:
    """A print refused for a character no font has: which record, which field, which character."""
    from app.fields.registry import spec
    from app.printing.amounts import PrintRefused

    doc, char, text = exc.found[0]
    where = f"{doc.title}(编号 {doc.number})"
    try:
        s_ = spec(fd.record_kind)
    except KeyError:
        s_ = None
    if s_ is not None:
        with db.read_session() as s:
            for rid in doc.record_ids[:2000]:
                obj = s.get(s_.model, rid)
                hit = next((f for f in s_.fields if obj is not None
                            and char in str(getattr(obj, f.key, None) or "")), None)
                if hit is not None:
                    where = f"{s_.title}“{s_.describe(obj)}”的“{hit.label}”"
                    break
    others = "".join(c for _, c, _ in exc.found[1:])
    return PrintRefused(f"未打印:{where}中的字“{char}”(U+{ord(char):04X})本机没有任何字体能显示"
                        + (f"(另有“{others}”)" if others else "")
                        + (f",所在内容:“{text}”" if text and len(text) <= 40 else "")
                        + "。请安装含该字的字体(如 Windows 的 SimSun-ExtB)后再打印,不要打印成空白。")


def print_to_temp(db, actor, form_name: str, request: PrintRequest, **kw) -> PrintResult:
    """Render into a new temporary file and return its path (the UI previews it with QtPdf or the
    system viewer; the caller deletes the file when the preview closes)."""
    folder = Path(tempfile.mkdtemp(prefix="uniondesk-preview-"))
    return print_form(db, actor, form_name, request, folder / "preview.pdf", preview=True, **kw)


def _audit(db, actor, fd: FormDef, docs: list[FormDoc], pages: int, out: Path,
           preview: bool, masked: bool) -> None:
    import hashlib

    from app.printing.qr import parse_payload

    ids = [i for d in docs for i in d.record_ids]
    detail = {"form": fd.name, "title": fd.title, "forms": len(docs), "pages": pages,
              "numbers": [d.number for d in docs][:AUDIT_IDS], "file": out.name,
              "masked": masked, "preview": preview}
    if len(ids) <= AUDIT_IDS:
        detail["ids"] = ids
        # the digest each record form printed: a scanned paper finds its print (paper_check)
        digests = {d.record_ids[0]: p.digest for d in docs if d.record_ids
                   and (p := parse_payload(d.qr_payload)) is not None and p.record_id == d.record_ids[0]}
        if digests:
            detail["digests"] = digests
    else:
        detail["ids_count"] = len(ids)
        detail["ids_sha256"] = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    what = "预览" if preview else "打印"
    with db.session(actor) as s:
        audit.append(s, action="print", actor=actor, object_type=fd.record_kind,
                     object_id=ids[0] if len(ids) == 1 else "",
                     summary=f"{what}{fd.title} {len(docs)} 份,共 {pages} 页", detail=detail)


@dataclass
class PaperMatch:
    """The record a printed form belongs to, found from the QR code on the paper."""

    kind: str  # spec key ("member")
    record_id: str
    title: str  # "会员"
    label: str  # "张三"
    unchanged: bool  # the record still holds what was printed


def match_paper(db, actor, scanned: str) -> PaperMatch | None:
    """Read a QR payload off a signed paper copy (record forms: ``UD1:<SPEC KEY>:<ID>:<HASH>``).
    None when the text is not one of ours or names a list (rosters, notices)."""
    from app.fields.registry import spec
    from app.printing.forms.common import record_digest
    from app.printing.qr import parse_payload

    actor.require(Perm.READ, "核对纸质表格")
    payload = parse_payload(scanned)
    if payload is None:
        return None
    try:
        s_ = spec(payload.kind)
    except KeyError:
        return None
    with db.read_session() as s:
        obj = s.get(s_.model, payload.record_id)
        if obj is None:
            raise NotFound(f"二维码对应的{s_.title}记录不存在(可能来自另一个单位的数据库)")
        return PaperMatch(s_.key, obj.id, s_.title, s_.describe(obj),
                          record_digest(s_, obj) == payload.digest)
