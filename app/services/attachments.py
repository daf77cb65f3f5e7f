"""Content-addressed attachment bytes (``attachment_blobs``): put once, referenced by SHA-256.

Only JPEG, PNG and PDF are accepted, recognised by their first bytes (not by the file name), up to
``MAX_BYTES``; bundles carry each blob once, by hash, and check it on import.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from app.errors import AppError, NotFound
from app.models import AttachmentBlob

MAX_BYTES = 10 * 1024 * 1024
MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"%PDF-", "application/pdf"))


def sniff(data: bytes) -> str:
    for magic, mime in MAGIC:
        if data.startswith(magic):
            return mime
    raise AppError("附件只接受 JPG、PNG 图片或 PDF 文件(按文件内容识别)")


def put_blob(session: Session, data: bytes) -> AttachmentBlob:
    if not data:
        raise AppError("附件是空文件")
    if len(data) > MAX_BYTES:
        raise AppError(f"附件不能超过 {MAX_BYTES // 1024 // 1024} MB,请压缩或分页扫描")
    mime = sniff(data)
    digest = hashlib.sha256(data).hexdigest()
    blob = session.get(AttachmentBlob, digest)
    if blob is None:
        blob = AttachmentBlob(sha256=digest, size=len(data), mime=mime, data=data)
        session.add(blob)
        session.flush()
    return blob


def get_blob(session: Session, sha256: str) -> bytes:
    blob = session.get(AttachmentBlob, sha256)
    if blob is None:
        raise NotFound("附件内容不在本机(可能尚未随数据包传来)")
    data = blob.data
    if hashlib.sha256(data).hexdigest() != sha256:
        raise AppError("附件内容与其哈希不符,文件已损坏")
    return data


# -- files of any register's records (a 普法 event's photos) ----------------------------------------
def _record(session: Session, actor, key: str, record_id: str, perm_of, what: str):
    """The live record and its register, after the register's permission and the unit scope."""
    from app.kit.register import register
    from app.services import records
    from app.services.units import require_in_chain

    reg = register(key)
    actor.require(perm_of(reg), f"{what}{reg.name}的附件")
    obj = records.get_live(session, reg.spec, record_id)
    unit = records.unit_of(session, reg, records.stored_values(reg.spec, obj))
    if unit and perm_of(reg) == reg.write:
        require_in_chain(session, actor, unit, f"{what}该{reg.name}的附件")
    return reg, obj


def attach(session: Session, actor, key: str, record_id: str, file_name: str, data: bytes,
           note: str | None = None):
    """A file (JPEG, PNG or PDF) attached to a record of the register ``key``; the bytes are
    stored once by their hash and travel with the record in bundles."""
    from sqlalchemy import select

    from app.models import Attachment

    reg, obj = _record(session, actor, key, record_id, lambda r: r.write, "上传")
    name = (file_name or "").strip()[:200]
    if not name:
        raise AppError("请填写文件名")
    blob = put_blob(session, data)
    table = reg.spec.model.__tablename__
    if session.scalar(select(Attachment.id).where(
            Attachment.record_table == table, Attachment.record_id == obj.id,
            Attachment.sha256 == blob.sha256, Attachment.deleted.is_(False))):
        raise AppError("该文件已经上传过")
    row = Attachment(record_table=table, record_id=obj.id, file_name=name, mime=blob.mime,
                     size=blob.size, sha256=blob.sha256, note=(note or "").strip() or None)
    session.add(row)
    session.flush()
    return row


def files_of(session: Session, actor, key: str, record_id: str) -> list:
    from sqlalchemy import select

    from app.models import Attachment

    reg, obj = _record(session, actor, key, record_id, lambda r: r.read, "查看")
    return list(session.scalars(select(Attachment).where(
        Attachment.record_table == reg.spec.model.__tablename__, Attachment.record_id == obj.id,
        Attachment.deleted.is_(False)).order_by(Attachment.created_at)))


def file_bytes(session: Session, actor, key: str, attachment_id: str):
    """(the attachment, its bytes) for opening it."""
    from app.models import Attachment

    row = session.get(Attachment, attachment_id)
    if row is None or row.deleted:
        raise NotFound("找不到该附件")
    _record(session, actor, key, row.record_id, lambda r: r.read, "查看")
    return row, get_blob(session, row.sha256)


def detach(session: Session, actor, key: str, attachment_id: str) -> None:
    """Tombstone the reference (the bytes stay: another record may share them)."""
    from app.models import Attachment

    row = session.get(Attachment, attachment_id)
    if row is None or row.deleted:
        raise NotFound("找不到该附件")
    _record(session, actor, key, row.record_id, lambda r: r.write, "删除")
    row.deleted = True
    session.flush()
