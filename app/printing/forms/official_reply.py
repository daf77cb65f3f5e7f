"""A registered document printed as a 公文 on GB/T 9704 geometry (the 批复 of the 建会 chain, a
通知 …): ``app.printing.official_doc`` lays it out. Only a numbered document prints: its 文号 is
on it."""

from __future__ import annotations

from sqlalchemy import select

from app.errors import AppError
from app.fields.organisation import DOCUMENT
from app.models.organisation import Document
from app.printing import official_doc
from app.printing.blocks import Title
from app.printing.document import FormDoc
from app.printing.forms.common import batch_stem, qr_of
from app.printing.registry import FormDef

TITLE = "公文(批复、通知)"


def official(ctx, doc: Document, *, seal_guide: bool = False) -> official_doc.OfficialDoc:
    if not doc.doc_no:
        raise AppError(f"“{doc.title}”尚未编号,编号后才能按公文格式打印")
    issuer = doc.issuer or ctx.unit_name
    return official_doc.OfficialDoc(
        mark=f"{issuer}文件", doc_no=doc.doc_no, title=doc.title, addressee=doc.addressee or "",
        body=doc.body or "", issuer=issuer, signed_on=doc.signed_on, cc=doc.cc or "",
        printer=f"{issuer}办公室", printed_on=ctx.printed_on, seal_guide=seal_guide)


def build(ctx, doc: Document) -> FormDoc:
    page = official(ctx, doc)
    # the pages are drawn on the 公文 geometry; the title block only names what they show
    return FormDoc(doc.title, [Title(doc.title)], doc.doc_no, qr_of(DOCUMENT, doc),
                   record_ids=(doc.id,), draw=lambda s, new_page: official_doc.draw(s, page, new_page))


def load(session, ids: list[str]) -> list[Document]:
    rows = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids),
                                                                     Document.deleted.is_(False)))}
    return [rows[i] for i in ids if i in rows]


def lookup(session, text: str) -> list[str]:
    """A document by its id or its 文号."""
    text = text.strip()
    return list(session.scalars(select(Document.id).where(
        Document.deleted.is_(False), (Document.id == text) | (Document.doc_no == text)).limit(5)))


FORMS = (FormDef("official_document", TITLE, "document", build=build, load=load, lookup=lookup,
                 file_stem=batch_stem("公文", lambda d: d.doc_no or d.title)),)
