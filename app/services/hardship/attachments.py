"""Documents of an archive (ID cards, 户口本, certificates, invoices, bank card), by content hash."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationFailed
from app.fields.hardship import ARCHIVE, ATTACHMENT
from app.models import HardshipAttachment
from app.security.roles import Perm
from app.services import attachments, records
from app.services.hardship import scope


def may_change(actor) -> bool:
    """Whether the user may add and remove an archive's documents (``add_attachment``,
    ``remove_attachment`` require it)."""
    return actor.can(Perm.WRITE)


def add_attachment(session: Session, actor, archive_id: str, kind: str, name: str,
                   data: bytes) -> HardshipAttachment:
    actor.require(Perm.WRITE, "上传档案附件")
    archive = records.get_live(session, ARCHIVE, archive_id)
    scope.require_in_chain(session, actor, archive.union_id, "上传该档案的附件")
    cleaned = records.clean_or_raise(session, ATTACHMENT, {"kind": kind, "name": name})
    blob = attachments.put_blob(session, data)
    dup = session.scalar(select(HardshipAttachment.id).where(
        HardshipAttachment.archive_id == archive.id, HardshipAttachment.sha256 == blob.sha256,
        HardshipAttachment.deleted.is_(False)))
    if dup:
        raise ValidationFailed({"name": "该文件已经上传过"}, ATTACHMENT.labels)
    row = HardshipAttachment(archive_id=archive.id, sha256=blob.sha256, size=blob.size,
                             mime=blob.mime, **cleaned)
    session.add(row)
    session.flush()
    return row


def list_attachments(session: Session, actor, archive_id: str) -> list[HardshipAttachment]:
    actor.require(Perm.READ, "查看档案附件")
    return list(session.scalars(select(HardshipAttachment).where(
        HardshipAttachment.archive_id == archive_id, HardshipAttachment.deleted.is_(False))
        .order_by(HardshipAttachment.kind, HardshipAttachment.name)))


def attachment_bytes(session: Session, actor, attachment_id: str) -> tuple[HardshipAttachment, bytes]:
    actor.require(Perm.READ, "查看档案附件")
    row = session.get(HardshipAttachment, attachment_id)
    if row is None or row.deleted:
        raise NotFound("找不到该附件")
    return row, attachments.get_blob(session, row.sha256)


def remove_attachment(session: Session, actor, attachment_id: str) -> None:
    """Tombstone the reference (the bytes stay: another record may share them)."""
    actor.require(Perm.WRITE, "删除档案附件")
    row = session.get(HardshipAttachment, attachment_id)
    if row is None or row.deleted:
        raise NotFound("找不到该附件")
    archive = records.get_live(session, ARCHIVE, row.archive_id)
    scope.require_in_chain(session, actor, archive.union_id, "删除该档案的附件")
    row.deleted = True
    session.flush()
