"""Receipts (a small signed bundle back to the sender: what arrived) and ``inspect``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app import __version__
from app.clock import utcnow
from app.db.migrate import head_revision
from app.errors import AppError
from app.models import Installation, SyncBundle, SyncPeer, Unit
from app.security import audit
from app.security.roles import Perm
from app.sync import container, crypto, keys, keyslots
from app.sync.canonical import dumps
from app.sync.errors import BundleError


def write_receipt(db, actor, dest: Path | str, *, peer_id: str | None = None) -> Path:
    """A receipt for the last data bundle imported (from ``peer_id``, or from anyone)."""
    from app.sync.enrol import require_enrolled
    from app.sync.export import bundles_dir, copy_verified, suggest_name

    actor.require(Perm.SYNC, "生成回执")
    require_enrolled(db)
    dk = keyslots.data_key(db, actor)
    with db.session(actor) as s:
        q = select(SyncBundle).where(SyncBundle.direction == "in", SyncBundle.kind == "data")
        if peer_id:
            q = q.where(SyncBundle.peer_id == peer_id)
        last = s.scalar(q.order_by(SyncBundle.id.desc()).limit(1))
        if last is None:
            raise AppError("还没有导入过数据包,无需回执")
        peer = s.get(SyncPeer, last.peer_id)
        ukeys = keys.load_keys(s, dk)
        inst = s.scalar(select(Installation))
        root = s.get(Unit, inst.root_unit_id)
        manifest = {
            "format": container.FORMAT, "format_version": container.FORMAT_VERSION,
            "min_reader_version": 1, "kind": "receipt", "app_version": __version__,
            "schema_version": head_revision(),
            "bundle_id": str(uuid.uuid4()), "created_at": utcnow().isoformat(timespec="seconds") + "Z",
            "sender": {"unit_id": root.id, "unit_code": root.code or "", "unit_name": root.name,
                       "level": inst.level, "device_id": inst.device_id,
                       "sign_key_id": ukeys.sign_key_id},
            "recipient": {"unit_id": peer.unit_id, "unit_code": peer.unit_code,
                          "unit_name": peer.unit_name, "enc_key_id": crypto.key_id(peer.enc_pub)},
            "receipt": {"covered_seq": peer.in_seq, "last_bundle_id": last.bundle_id,
                        "last_seq": last.channel_seq,
                        "imported_at": last.at.isoformat(timespec="seconds") + "Z"},
            "members": [],
        }
        raw = dumps(manifest)
        name = suggest_name(root.code or "", ukeys.sign_key_id, peer, peer.in_seq, "receipt")
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / name
        local = bundles_dir(db, "out") / name
        with container.open_writer(local) as zf:
            container.write_member(zf, container.MANIFEST, raw)
            container.write_member(zf, container.SIGNATURE, crypto.sign(ukeys.sign_priv, raw))
        sha = container.file_sha256(local)
        if dest.resolve() != local.resolve():
            copy_verified(local, dest, sha)
        s.add(SyncBundle(bundle_id=manifest["bundle_id"], direction="out", kind="receipt",
                         peer_id=peer.id, channel_seq=peer.in_seq, file_name=dest.name,
                         local_key_id=ukeys.sign_key_id,
                         file_sha256=sha, file_size=local.stat().st_size, username=actor.username,
                         counts=dumps(manifest["receipt"]).decode()))
        audit.append(s, action="bundle_receipt", actor=actor, object_type="sync_bundles",
                     object_id=manifest["bundle_id"],
                     summary=f"生成给{peer.unit_name}的回执:已收到其第 {peer.in_seq} 号及以前的数据包")
    return dest


@dataclass
class Inspection:
    manifest: dict
    signature_ok: bool | None  # None: the signer is not among this installation's cards
    signer: str
    trusted: bool
    file_sha256: str
    problem: str = ""


def inspect_bundle(db, path: Path | str) -> Inspection:
    """The plain manifest and whether its signature checks (nothing is decrypted or written)."""
    path = Path(path)
    reader = container.BundleReader(path)
    try:
        raw, m, sig = reader.manifest()
        sender = m.get("sender") or {}
        signer = f"{sender.get('unit_name', '?')}({sender.get('unit_code', '?')})"
        ok, trusted, problem = None, False, ""
        if db is not None and db.initialised:
            with db.read_session() as s:
                peer = s.scalar(select(SyncPeer).where(
                    SyncPeer.sign_key_id == str(sender.get("sign_key_id"))))
                if peer is not None:
                    ok = crypto.verify(peer.sign_pub, sig, raw)
                    trusted = peer.trusted and not peer.revoked
        if ok is not False:
            try:
                reader.check_hashes(m.get("members") or [])
            except BundleError as err:
                problem = err.message
        return Inspection(m, ok, signer, trusted, container.file_sha256(path), problem)
    finally:
        reader.close()
