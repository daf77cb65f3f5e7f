"""Bundle exchange: this installation's unit keys and their key slots, trusted peers, the history of
bundles sent and received, the conflict queue, per-field change dots, values kept aside from
bundles of other schema versions, and attachments.

Everything here is local to one installation except ``attachments`` (a travelling record that names
a content-addressed blob; the blob itself travels as a member of the bundle).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db.base import Base, SyncMixin, new_id


class SyncKey(Base):
    """The signing (Ed25519) and encryption (X25519) keys of one local unit. Private keys are
    stored only encrypted with the data key (see ``SyncKeySlot``)."""

    __tablename__ = "sync_keys"

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)
    sign_pub: Mapped[bytes] = mapped_column(LargeBinary)
    enc_pub: Mapped[bytes] = mapped_column(LargeBinary)
    sign_priv_enc: Mapped[bytes] = mapped_column(LargeBinary)
    enc_priv_enc: Mapped[bytes] = mapped_column(LargeBinary)
    # City only: the recovery key, a recipient of every county bundle (private part wrapped too).
    recovery_pub: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    recovery_priv_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncKeySlot(Base):
    """The data key wrapped for one user by a key derived from that user's password (LUKS-style)."""

    __tablename__ = "sync_key_slots"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kdf: Mapped[str] = mapped_column(String(200))  # JSON: algorithm and parameters, salt
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)  # nonce ‖ AES-GCM(data key)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncPeer(Base):
    """A key card we imported: another installation (office PC, county or city). Trusted only after
    its fingerprint was confirmed. Also the state of the channels to and from it."""

    __tablename__ = "sync_peers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sign_key_id: Mapped[str] = mapped_column(String(32), unique=True)
    unit_id: Mapped[str] = mapped_column(String(36))
    unit_code: Mapped[str] = mapped_column(String(20), index=True)
    unit_name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    device_id: Mapped[str] = mapped_column(String(36), default="")
    # which PC of its unit this is ("办公室二号机"), from its key card: two PCs of one county are
    # two peers, each with its own keys and channel
    device_name: Mapped[str] = mapped_column(String(50), default="", server_default="")
    sign_pub: Mapped[bytes] = mapped_column(LargeBinary)
    enc_pub: Mapped[bytes] = mapped_column(LargeBinary)
    recovery_pub: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    card: Mapped[bytes] = mapped_column(LargeBinary)  # the card file as received (backed up with the DB)
    fingerprint: Mapped[str] = mapped_column(String(40))
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    trusted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    trusted_by: Mapped[str] = mapped_column(String(32), default="")
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # our channel to the peer
    out_seq: Mapped[int] = mapped_column(Integer, default=0)
    out_prev_sha256: Mapped[str] = mapped_column(String(64), default="")
    out_basis_seq: Mapped[int] = mapped_column(Integer, default=0)
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # the peer's channel to us: every bundle up to in_seq is covered
    in_seq: Mapped[int] = mapped_column(Integer, default=0)
    in_prev_sha256: Mapped[str] = mapped_column(String(64), default="")
    known_devices: Mapped[str] = mapped_column(Text, default="[]")


class SyncBundle(Base):
    """A bundle sent or received (history, replay protection, incremental export watermarks)."""

    __tablename__ = "sync_bundles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_id: Mapped[str] = mapped_column(String(36))
    direction: Mapped[str] = mapped_column(String(3))  # "out" | "in"
    kind: Mapped[str] = mapped_column(String(8), default="data")  # "data" | "receipt"
    peer_id: Mapped[str] = mapped_column(ForeignKey("sync_peers.id"), index=True)
    channel_seq: Mapped[int] = mapped_column(Integer, default=0)
    basis_seq: Mapped[int] = mapped_column(Integer, default=0)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(32), default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON summary per table
    # out: the local change_seq every exported row is at or below (next incremental starts after)
    watermark: Mapped[int] = mapped_column(Integer, default=0)
    # in: local change_seq ranges holding rows exactly as the peer sent them (no echo back)
    verbatim: Mapped[str] = mapped_column(Text, default="[]")
    acked: Mapped[bool] = mapped_column(Boolean, default=False)
    # this installation's signing key when it was sent or received: a copied database that enrols
    # as a PC of its own keeps the original's history, which then no longer counts for its channels
    local_key_id: Mapped[str] = mapped_column(String(32), default="", server_default="")

    __table_args__ = (Index("ix_sync_bundles_bundle_id_direction", "bundle_id", "direction",
                            unique=True),)


class SyncConflict(Base):
    """An item a person must look at: two concurrent versions of a record (``edit``), a possible
    duplicate person (``duplicate``), or a changed immutable ledger row (``immutable``)."""

    __tablename__ = "sync_conflicts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(12))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    other_row_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    fields: Mapped[str] = mapped_column(Text, default="[]")  # keys that differ
    local_version: Mapped[str] = mapped_column(Text, default="{}")  # JSON row (user columns + meta)
    remote_version: Mapped[str] = mapped_column(Text, default="{}")
    winner: Mapped[str] = mapped_column(String(8), default="")  # provisional: "local" | "remote"
    bundle_id: Mapped[str] = mapped_column(String(36), default="")
    peer_name: Mapped[str] = mapped_column(String(100), default="")
    detected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    resolved_by: Mapped[str] = mapped_column(String(32), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    resolution: Mapped[str] = mapped_column(Text, default="")


class SyncResolution(SyncMixin, Base):
    """A person's decision on an ``edit`` conflict, travelling with the record it settled: an
    installation that queued the same conflict (or an older one of the same record: ``base`` is the
    vector the decision was made on) closes it when this arrives. Owned by the record's owner."""

    __tablename__ = "sync_resolutions"
    __immutable__ = True

    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    base: Mapped[str] = mapped_column(Text, default="{}")  # the version vector decided on
    fields: Mapped[str] = mapped_column(Text, default="[]")  # the fields decided
    summary: Mapped[str] = mapped_column(String(200), default="")


class SyncFieldVersion(Base):
    """The change (device, counter) that last set one field of one record, written on every local
    update and carried in bundles, so that edits of different fields made apart can be merged."""

    __tablename__ = "sync_field_versions"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    counter: Mapped[int] = mapped_column(Integer)


class SyncExtra(Base):
    """What a bundle carried that this schema has no place for, kept aside so that nothing sent is
    lost: values of columns this program's table lacks (``whole_row`` false; the sender is newer),
    or a whole record of a table this program does not know (``whole_row`` true). One entry per
    record: the newest version seen (by version vector).

    A later migration that adds such a column or table can re-apply them, e.g. ``UPDATE t SET x =
    json_extract(e.columns, '$.x') FROM sync_extras e WHERE e.table_name = 't' AND e.row_id = t.id
    AND e.vv = t.vv`` (the record is still at the version the values came with)."""

    __tablename__ = "sync_extras"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    whole_row: Mapped[bool] = mapped_column(Boolean, default=False)
    columns: Mapped[str] = mapped_column(Text, default="{}")  # JSON: column → value as sent
    dots: Mapped[str] = mapped_column(Text, default="{}")  # their field dots, as sent
    vv: Mapped[str] = mapped_column(Text, default="{}")  # the record's version vector, as sent
    bundle_id: Mapped[str] = mapped_column(String(36))
    schema_version: Mapped[str] = mapped_column(String(32), default="")  # the sender's
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Attachment(SyncMixin, Base):
    """A file attached to a record (a scanned certificate, a photo), referencing its content by
    SHA-256. The bytes live in ``attachment_blobs`` and travel once per bundle."""

    __tablename__ = "attachments"
    __blob_column__ = "sha256"

    record_table: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)
