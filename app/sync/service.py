"""What the 数据交换 page calls: one function per thing the page shows or does, each taking the
open database and the acting user and returning plain data classes (no Qt, no SQLAlchemy rows).

- Keys:      ``status``, ``unlock``, ``export_card``, ``read_card`` → ``trust_card``, ``revoke_peer``
- Peers:     ``peers`` (name, code, level, fingerprint, trusted, channel state, last sent/received)
- History:   ``history`` (sent and received, when, counts, by whom, acknowledged)
- Export:    ``export_targets`` → ``removable_drives`` → ``preview_export`` → ``export`` (progress)
- Import:    ``open_import`` (all checks + dry-run report) → ``ImportSession.apply`` / ``.close``
- Receipts:  ``write_receipt`` (after an import; receipts are imported like any bundle)
- Conflicts: ``conflicts`` → ``conflict_detail`` (side by side) → ``resolve_edit`` /
             ``resolve_duplicate`` / ``resolve_number`` / ``acknowledge_alarm``
- City:      ``export_recovery`` / ``import_recovery`` (the recovery key as a passphrase file)
- Home page: ``peers_to_send`` (a session: trusted peers with rows waiting for them)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import orjson
from sqlalchemy import func, select

from app.errors import AppError
from app.fileio import write_atomically
from app.models import SyncBundle, SyncConflict, SyncPeer, Unit
from app.progress import NO_PROGRESS, Progress
from app.security.roles import Perm
from app.sync import conflicts as _conflicts
from app.sync import drives, enrol, inbox, keys, keyslots
from app.sync.export import ExportResult, export_bundle
from app.sync.importer import ImportSession, prepare_import
from app.sync.receipts import inspect_bundle
from app.sync.receipts import write_receipt as _write_receipt

LEVEL_LABELS = {"county": "县(区)总工会", "city": "市总工会"}


@dataclass(frozen=True)
class KeyStatus:
    unit_name: str
    unit_code: str
    level: str
    device_id: str
    has_keys: bool
    unlocked: bool
    fingerprint: str
    sign_key_id: str
    enc_key_id: str
    has_recovery_key: bool
    open_conflicts: int
    device_name: str = ""
    enrol_reason: str | None = None  # a copied database: why it must enrol before exchanging


@dataclass(frozen=True)
class PeerInfo:
    id: str
    unit_name: str
    unit_code: str
    level: str
    level_label: str
    fingerprint: str
    trusted: bool
    revoked: bool
    same_unit: bool
    out_seq: int
    acked_seq: int
    in_seq: int
    last_sent: datetime | None
    last_received: datetime | None
    device_name: str = ""
    sign_key_id: str = ""
    trusted_by: str = ""
    only_pc: bool = False  # the only PC of its unit known here: no key id needed to tell it apart

    @property
    def device_label(self) -> str:
        """The unit and which of its PCs: 示例县总工会(办公室二号机); a unit's only PC unnamed is
        just the unit."""
        from app.sync.enrol import device_label

        if self.only_pc and not self.device_name and not self.same_unit:
            return self.unit_name
        return device_label(self.unit_name, self.device_name, self.sign_key_id)


@dataclass(frozen=True)
class CardPreview:
    peer_id: str
    unit_name: str
    unit_code: str
    level_label: str
    fingerprint: str
    already_trusted: bool


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    direction: str  # "out" | "in"
    kind: str  # "data" | "receipt"
    peer_name: str
    channel_seq: int
    full: bool
    rows: int
    counts: dict
    username: str
    file_name: str
    acked: bool
    device: str = ""  # which PC of the peer's unit sent or received it
    by_other_pc: bool = False  # in a copied history: under the original PC's key, not this one's


@dataclass
class ExportPreview:
    peer: PeerInfo
    full: bool
    basis_seq: int
    tables: dict = field(default_factory=dict)  # title → rows to send

    @property
    def total(self) -> int:
        return sum(self.tables.values())


def status(db, actor) -> KeyStatus:
    from app.models import Installation
    from app.sync import crypto

    with db.read_session() as s:
        s.info["root_unit_id"] = db.root_unit_id
        inst = s.scalar(select(Installation))
        root = s.get(Unit, inst.root_unit_id)
        has = keyslots.keys_exist(s)
        key = keys.own_key(s) if has else None
        n_conf = _conflicts.open_count(s)
        return KeyStatus(root.name, root.code or "", inst.level, inst.device_id, has,
                         keyslots.cached(db, actor.user_id) is not None,
                         keys.own_fingerprint(s) if has else "",
                         crypto.key_id(key.sign_pub) if key else "",
                         crypto.key_id(key.enc_pub) if key else "",
                         bool(key and key.recovery_pub), n_conf, inst.device_name or "",
                         enrol.needs_enrolment(s))


def unlock(db, actor, password: str) -> None:
    from app.sync.anchors import anchor_daily

    keyslots.unlock(db, actor, password)
    anchor_daily(db, actor)  # the day's signed audit checkpoint, if none yet


def _peer_info(s, p: SyncPeer, own_code: str) -> PeerInfo:
    def last(direction):
        return s.scalar(select(func.max(SyncBundle.at)).where(
            SyncBundle.peer_id == p.id, SyncBundle.direction == direction, SyncBundle.kind == "data"))
    return PeerInfo(p.id, p.unit_name, p.unit_code, p.level, LEVEL_LABELS.get(p.level, p.level),
                    p.fingerprint, p.trusted and not p.revoked, p.revoked,
                    p.unit_code == own_code, p.out_seq, p.acked_seq, p.in_seq, last("out"),
                    last("in"), p.device_name, p.sign_key_id, p.trusted_by)


def peers(db, actor, *, trusted_only: bool = False) -> list[PeerInfo]:
    actor.require(Perm.READ, "查看数据交换单位")
    with db.read_session() as s:
        own = s.get(Unit, db.root_unit_id).code or ""
        q = select(SyncPeer).order_by(SyncPeer.level.desc(), SyncPeer.unit_code)
        out = [_peer_info(s, p, own) for p in s.scalars(q)]
    per_unit = Counter(p.unit_code for p in out)
    out = [replace(p, only_pc=per_unit[p.unit_code] == 1) for p in out]
    return [p for p in out if p.trusted] if trusted_only else out


def export_targets(db, actor) -> list[PeerInfo]:
    return peers(db, actor, trusted_only=True)


def export_card(db, actor, dest: Path | str) -> Path:
    dk = keyslots.data_key(db, actor)
    with db.session(actor) as s:
        data = keys.export_card(s, actor, dk)
        unit = s.get(Unit, db.root_unit_id)
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"密钥卡-{unit.name}-{unit.code}.udcard"
    write_atomically(dest, data)
    return dest


PENDING_CARD = "card:"  # a preview's peer_id for a card not stored yet: the card itself follows


def read_card(db, actor, path: Path | str) -> CardPreview:
    """Step one of trusting: read the card and show its fingerprint. Nothing is stored: a card seen
    before is named by its id, a new one travels in the preview (``PENDING_CARD``) to step two.
    Only the administrator may trust: a trusted card is a destination for full-data bundles."""
    import base64

    actor.require(Perm.TRUST_KEYS, "导入对方密钥卡")
    raw = Path(path).read_bytes()
    card = keys.parse_card(raw)
    with db.read_session() as s:
        s.info["root_unit_id"] = db.root_unit_id
        if card.sign_pub == keys.own_key(s).sign_pub:
            raise AppError("这是本机自己的密钥卡,应交给对方导入")
        p = s.scalar(select(SyncPeer).where(SyncPeer.sign_key_id == card.sign_key_id))
        if p is not None:
            return CardPreview(p.id, p.unit_name, p.unit_code, LEVEL_LABELS.get(p.level, p.level),
                               p.fingerprint, p.trusted and not p.revoked)
    b = card.body
    return CardPreview(PENDING_CARD + base64.urlsafe_b64encode(raw).decode("ascii"), b["unit_name"],
                       b["unit_code"], LEVEL_LABELS.get(b["level"], b["level"]), card.fingerprint, False)


def trust_card(db, actor, peer_id: str, fingerprint: str) -> PeerInfo:
    """Step two: the fingerprint as read aloud by the other office (compared digit by digit). The
    card is stored and trusted in one transaction; a wrong fingerprint stores nothing (the refusal
    is audited)."""
    import base64

    actor.require(Perm.TRUST_KEYS, "信任对方密钥卡")
    try:
        with db.session(actor) as s:
            if peer_id.startswith(PENDING_CARD):
                raw = base64.urlsafe_b64decode(peer_id.removeprefix(PENDING_CARD).encode("ascii"))
                peer_id = keys.add_card(s, actor, raw).id
            p = keys.trust(s, actor, peer_id, fingerprint)
            return _peer_info(s, p, s.get(Unit, db.root_unit_id).code or "")
    except keys.FingerprintMismatch as exc:
        with db.session(actor) as s:
            keys.audit_failed_trust(s, actor, exc.unit_name, exc.unit_code)
        raise


def revoke_peer(db, actor, peer_id: str) -> None:
    with db.session(actor) as s:
        keys.revoke(s, actor, peer_id)


def history(db, actor, *, peer_id: str | None = None, limit: int = 200) -> list[HistoryEntry]:
    actor.require(Perm.READ, "查看数据交换记录")
    from app.sync.enrol import device_label, own_sign_key_id

    with db.read_session() as s:
        own = own_sign_key_id(s) if keyslots.keys_exist(s) else ""
        q = select(SyncBundle, SyncPeer).join(SyncPeer, SyncPeer.id == SyncBundle.peer_id)
        if peer_id:
            q = q.where(SyncBundle.peer_id == peer_id)
        out = []
        for b, p in s.execute(q.order_by(SyncBundle.at.desc()).limit(limit)):
            counts = {k: v for k, v in orjson.loads(b.counts).items() if not k.startswith("_")}
            rows = sum(v.get("rows", 0) if "rows" in v else v.get("new", 0) + v.get("updated", 0)
                       for v in counts.values() if isinstance(v, dict))
            out.append(HistoryEntry(b.at, b.direction, b.kind, p.unit_name, b.channel_seq, b.full,
                                    rows, counts, b.username, b.file_name, b.acked,
                                    device_label(p.unit_name, p.device_name, p.sign_key_id),
                                    b.local_key_id not in ("", own)))
        return out


def removable_drives() -> list[drives.Drive]:
    return drives.removable_drives()


def preview_export(db, actor, peer_id: str, *, full: bool = False) -> ExportPreview:
    """Rows the export would send per record type (a quick count; the echo filter may send
    somewhat fewer)."""
    from app.fields.registry import spec_for_table
    from app.models import Installation
    from app.sync import policy
    from app.sync.export import _channel, _scope_sql, table_scope

    actor.require(Perm.SYNC, "导出数据包")
    with db.read_session() as s:
        inst = s.scalar(select(Installation))
        root = s.get(Unit, inst.root_unit_id)
        p = s.get(SyncPeer, peer_id)
        ch = _channel(s, p, full)
        where, params = _scope_sql(s, p, inst.level, root.code or "", root.id)
        conn = s.connection().connection.driver_connection
        tables = {}
        for t in policy.export_order():
            if not policy.travels(t.name, inst.level, p.level):
                continue
            twhere, tparams = table_scope(t.name, where, params, (p.unit_code, p.unit_id), root.code or "")
            n = conn.execute(f"SELECT count(*) FROM {t.name} WHERE {twhere} AND change_seq > ?",
                             [*tparams, ch.basis_watermark]).fetchone()[0]
            if n:
                spec = spec_for_table(t.name)
                tables[spec.title if spec else t.name] = n
        return ExportPreview(_peer_info(s, p, root.code or ""), full, ch.basis_seq, tables)


def export(db, actor, peer_id: str, dest: Path | str, *, full: bool = False,
           progress: Progress = NO_PROGRESS) -> ExportResult:
    return export_bundle(db, actor, peer_id, dest, full=full, progress=progress)


def open_import(db, actor, path: Path | str, progress: Progress = NO_PROGRESS) -> ImportSession:
    """Every check and the dry run; ``.report`` is the DryRunReport (for a receipt: no tables,
    one line saying what it confirms). Then
    ``.apply(progress)`` or ``.close()``. Raises BundleError (``.code``, ``.step``) when refused."""
    return prepare_import(db, actor, path, progress)


def write_receipt(db, actor, dest: Path | str, *, peer_id: str | None = None) -> Path:
    return _write_receipt(db, actor, dest, peer_id=peer_id)


def inspect(db, path: Path | str):
    return inspect_bundle(db, path)


def conflicts(db, actor, *, status: str | None = "open") -> list[_conflicts.ConflictView]:
    with db.read_session() as s:
        devices = _conflicts.device_names(s)
        return [_conflicts.detail(s, actor, c.id, devices=devices)
                for c in _conflicts.list_conflicts(s, actor, status=status)]


def queue(db, actor, *, status: str | None = "open") -> list[_conflicts.ConflictView]:
    """冲突处理's list: the conflicts, the requests to this unit from above (kind ``request``:
    apply or decline) and those this unit sent (``request_out``: their answers), newest first."""
    from app.services import requests as _requests

    items = conflicts(db, actor, status=status)
    with db.read_session() as s:
        pending = None if status in (None, "all") else status == "open"
        for r in _requests.list_requests(s, actor):
            if pending is None or (r.status == "pending") == pending:
                items.append(_conflicts.request_view(r))
    return sorted(items, key=lambda v: v.detected_at, reverse=True)


def answer_request(db, actor, request_id: str, *, accept: bool, note: str = "") -> None:
    from app.services import requests as _requests

    with db.session(actor) as s:
        _requests.answer(s, actor, request_id, accept=accept, note=note)


def conflict_detail(db, actor, conflict_id: str) -> _conflicts.ConflictView:
    with db.read_session() as s:
        return _conflicts.detail(s, actor, conflict_id)


def resolve_edit(db, actor, conflict_id: str, *, keep: str | None = None,
                 choices: dict[str, str] | None = None, seen: str | None = None) -> None:
    """``seen``: the ``current_vv`` of the view the user decided on (raises
    ``app.sync.decisions.ConflictMoved`` when the record changed since: show it again)."""
    with db.session(actor) as s:
        _conflicts.resolve_edit(s, actor, conflict_id, keep=keep, choices=choices, seen=seen)


def resolve_duplicate(db, actor, conflict_id: str, action: str, *, reason: str = "") -> str:
    """Returns what was done (voided here, or a request sent to the record's owner)."""
    with db.session(actor) as s:
        return _conflicts.resolve_duplicate(s, actor, conflict_id, action, reason=reason)


def resolve_number(db, actor, conflict_id: str, action: str) -> tuple[str, str]:
    with db.session(actor) as s:
        return _conflicts.resolve_number(s, actor, conflict_id, action)


def acknowledge_alarm(db, actor, conflict_id: str) -> None:
    with db.session(actor) as s:
        _conflicts.acknowledge(s, actor, conflict_id)


RECOVERY_MIN_PASSPHRASE = 12


def _check_passphrase(passphrase: str) -> None:
    from app.errors import AppError

    if len(passphrase) < RECOVERY_MIN_PASSPHRASE:
        raise AppError(f"恢复密钥口令至少 {RECOVERY_MIN_PASSPHRASE} 个字符")


def export_recovery(db, actor, dest: Path | str, passphrase: str) -> Path:
    """City only: write the recovery key, sealed by ``passphrase``, to ``dest`` (a file or folder)."""
    _check_passphrase(passphrase)
    dk = keyslots.data_key(db, actor)
    with db.session(actor) as s:
        data = keys.export_recovery(s, actor, dk, passphrase)
        unit = s.get(Unit, db.root_unit_id)
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"恢复密钥-{unit.name}-{unit.code}.udrecovery"
    write_atomically(dest, data)
    return dest


def import_recovery(db, actor, path: Path | str, passphrase: str) -> None:
    dk = keyslots.data_key(db, actor)
    raw = Path(path).read_bytes()
    with db.session(actor) as s:
        keys.import_recovery(s, actor, dk, raw, passphrase)


def enrol_device(db, actor, device_name: str) -> str:
    """新增本单位的一台电脑 from a copied database: keys of its own; returns the fingerprint."""
    return enrol.enrol_device(db, actor, device_name)


def declare_moved(db, actor) -> None:
    enrol.declare_moved(db, actor)


def set_device_name(db, actor, name: str) -> None:
    enrol.set_device_name(db, actor, name)


def import_all(db, actor, paths: list[Path], progress: Progress = NO_PROGRESS) -> list[inbox.InboxItem]:
    """Every bundle of a folder or list, per sending PC in channel order (``app.sync.inbox``)."""
    return inbox.import_all(db, actor, paths, progress)


def peers_to_send(session) -> list[str]:
    """Names of trusted peers with rows waiting for them: in their scope, changed after the bundle
    they are known to have, and not exactly as they sent them (an existence check per table)."""
    from app.models import Installation
    from app.sync import policy
    from app.sync.export import _channel, _scope_sql, table_scope

    inst = session.scalar(select(Installation))
    root = session.get(Unit, inst.root_unit_id)
    conn = session.connection().connection.driver_connection
    out = []
    for p in session.scalars(select(SyncPeer).where(SyncPeer.trusted.is_(True),
                                                   SyncPeer.revoked.is_(False))
                             .order_by(SyncPeer.unit_code)):
        ch = _channel(session, p, False)
        where, params = _scope_sql(session, p, inst.level, root.code or "", root.id)
        echo = ch.echo if len(ch.echo) <= 200 else []  # beyond that, an over-estimate is fine
        not_echo = "".join(" AND change_seq NOT BETWEEN ? AND ?" for _ in echo)
        for t in policy.export_order():
            twhere, tparams = table_scope(t.name, where, params, (p.unit_code, p.unit_id), root.code or "")
            args = [ch.basis_watermark, *tparams, *(x for r in echo for x in r)]
            if policy.travels(t.name, inst.level, p.level) and conn.execute(
                    f"SELECT 1 FROM {t.name} WHERE change_seq > ? AND {twhere}{not_echo} LIMIT 1",
                    args).fetchone():
                out.append(p.unit_name)
                break
    return out


__all__ = ["KeyStatus", "PeerInfo", "CardPreview", "HistoryEntry", "ExportPreview", "SyncConflict"]
