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
