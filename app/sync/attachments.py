"""Attachments: files attached to a record, stored once by SHA-256 and sent in bundles with the
record that names them. Only scans and photos are accepted (checked by their first bytes)."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from app.errors import AppError, NotFound
from app.models import Attachment, AttachmentBlob
from app.security.roles import Perm

MAX_SIZE = 20 << 20
MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
         (b"\xff\xd8\xff", "image/jpeg"))


def sniff(data: bytes) -> str | None:
    return next((mime for magic, mime in MAGIC if data.startswith(magic)), None)


def add_attachment(session, actor, record_table: str, record_id: str, file_name: str,
                   data: bytes, note: str | None = None) -> Attachment:
    actor.require(Perm.WRITE, "添加附件")
    if len(data) > MAX_SIZE:
        raise AppError(f"附件不能超过 {MAX_SIZE >> 20} MB")
    mime = sniff(data)
    if mime is None:
        raise AppError("附件只能是 PDF、PNG 或 JPEG 文件")
    sha = hashlib.sha256(data).hexdigest()
    if session.get(AttachmentBlob, sha) is None:
        session.add(AttachmentBlob(sha256=sha, size=len(data), data=data))
    att = Attachment(record_table=record_table, record_id=record_id, file_name=file_name[:200],
                     mime=mime, size=len(data), sha256=sha, note=note)
    session.add(att)
    session.flush()
    return att


def attachment_data(session, actor, attachment_id: str) -> bytes:
    actor.require(Perm.READ, "查看附件")
    att = session.get(Attachment, attachment_id)
    if att is None or att.deleted:
        raise NotFound("找不到该附件")
    blob = session.get(AttachmentBlob, att.sha256)
    if blob is None:
        raise NotFound("该附件的文件尚未从其他单位传来")
    return blob.data


def attachments_of(session, record_table: str, record_id: str) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(
        Attachment.record_table == record_table, Attachment.record_id == record_id,
        Attachment.deleted.is_(False))))
