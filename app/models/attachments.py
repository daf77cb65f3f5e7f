"""Attachment bytes, content-addressed by SHA-256 (scans of certificates, ID cards, bank cards).

Records point at a blob by its hash; bundles carry each blob once, by hash. The table is local
storage, not a travelling record: a blob never changes (its id is its content).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db.base import Base


class AttachmentBlob(Base):
    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    # server defaults: bundle imports insert blobs with plain SQL (sha256, size, data)
    mime: Mapped[str] = mapped_column(String(50), server_default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow,
                                                 server_default=text("CURRENT_TIMESTAMP"))
