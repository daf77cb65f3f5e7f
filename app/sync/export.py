"""Export: a signed, encrypted bundle for one trusted peer, streamed (never the whole bundle in
memory), written on local disk, then copied to the destination, flushed and read back.

Incremental: the rows in the peer's scope changed here since the bundle the peer is known to have
(its receipt, or our last bundle on the channel), except rows that are exactly as the peer itself
sent them (no echo). Full: every row in scope.
"""

from __future__ import annotations

import os
import shutil
import uuid
import zlib
from bisect import bisect_right
from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson
from sqlalchemy import select

from app import __version__
from app.clock import now_local, utcnow
from app.crashpoints import crashpoint
from app.db.migrate import head_revision
from app.errors import AppError, os_error_text
from app.fileops import FileBusy, discard, replace_file
from app.models import Installation, SyncBundle, SyncPeer, Unit
from app.progress import NO_PROGRESS, Progress
from app.security import audit
from app.security.roles import Perm
from app.sync import anchors, container, crypto, fieldversions, keys, keyslots, policy
from app.sync.canonical import dumps
from app.sync.errors import BundleError

BATCH = 2000
ZLEVEL = 1


@dataclass(frozen=True)
class BundleShape:
    """The schema a bundle is written in: this program's by default. The exchange tests pass
    another to write, through the same signing and encryption, what an older or newer program
    would send: columns left out (``drop``), columns added with a value computed from each row
    (``add``), whole tables this program does not have (``tables``: name → (columns, rows)), and
    the schema version the manifest names."""

    schema_version: str | None = None
    drop: Mapping[str, Collection[str]] = field(default_factory=dict)
    add: Mapping[str, Mapping[str, Callable[[dict], object]]] = field(default_factory=dict)
    tables: Mapping[str, tuple[list[str], list[list]]] = field(default_factory=dict)

    def columns(self, table) -> list[str]:
        return [c for c in policy.bundle_columns(table) if c not in self.drop.get(table.name, ())]


CURRENT = BundleShape()


@dataclass
class ExportResult:
    path: Path  # the file at the destination
    local_copy: Path
    bundle_id: str
    sha256: str
    size: int
    channel_seq: int
    basis_seq: int
    full: bool
    peer_name: str
    counts: dict = field(default_factory=dict)
    attachments: int = 0

    @property
    def total_rows(self) -> int:
        return sum(c["rows"] for c in self.counts.values())

    def as_dict(self) -> dict:
        d = asdict(self)
        d["path"], d["local_copy"] = str(self.path), str(self.local_copy)
        return d


def bundles_dir(db, which: str) -> Path:
    folder = Path(db.path).resolve().parent / "bundles" / which
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _merge_ranges(ranges: list[list[int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


@dataclass
class _Channel:
    peer: SyncPeer
    seq: int
    prev_sha256: str
    basis_seq: int
    basis_watermark: int
    basis_vv: dict
    echo: list[list[int]]  # local change_seq ranges holding rows exactly as the peer sent them


def _channel(session, peer: SyncPeer, full: bool) -> _Channel:
    from app.sync.enrol import own_sign_key_id

    basis_seq = 0 if full else peer.out_basis_seq
    wm, vv = 0, {}
    if basis_seq:  # a bundle this PC sent under its own key (not one a copied history holds)
        b = session.scalar(select(SyncBundle).where(
            SyncBundle.peer_id == peer.id, SyncBundle.direction == "out",
            SyncBundle.kind == "data", SyncBundle.channel_seq == basis_seq,
            SyncBundle.local_key_id.in_((own_sign_key_id(session), ""))))
        if b is None:  # the record of that bundle is gone (restored database): send everything
            basis_seq = 0
        else:
            wm, vv = b.watermark, orjson.loads(b.counts).get("_upto", {})
    echo = []
    if not full:
        for (ranges,) in session.execute(select(SyncBundle.verbatim).where(
                SyncBundle.peer_id == peer.id, SyncBundle.direction == "in")):
            echo += [r for r in orjson.loads(ranges) if r[1] > wm]
    return _Channel(peer, peer.out_seq + 1, peer.out_prev_sha256, basis_seq, wm, vv,
                    _merge_ranges(echo))


def _scope_sql(session, peer: SyncPeer, level: str, own_code: str, root_id: str):
    if policy.same_unit(own_code, peer.unit_code):
        return "1=1", []
    ids = {root_id} | set(session.scalars(select(Unit.id).where(Unit.code == own_code,
                                                                Unit.kind == level)))
    sql = f"owner_unit_id IN ({','.join('?' * len(ids))})"
    if level == "city":
        sql = f"({sql} OR owner_unit_id IS NULL)"
    return sql, sorted(ids)


def table_scope(table_name: str, where: str, params: list, peer: tuple[str, str], own_code: str
                ) -> tuple[str, list]:
    """The channel's scope narrowed for one table (not between two PCs of one unit): rows routed
    to one unit (``route_column``, by unit id) go to that unit only, rows addressed to units by
    region code (``recipients``) only to a peer they name. ``peer``: its (unit code, root unit id)."""
    if policy.same_unit(own_code, peer[0]):
        return where, params
    if route := policy.route_column(table_name):
        where, params = f"({where}) AND {route} = ?", [*params, peer[1]]
    if cols := policy.recipients(table_name):
        where = f"({where}) AND ({' OR '.join(f'{c} = ?' for c in cols)})"
        params = [*params, *([peer[0]] * len(cols))]
    return where, params


def _echoed(echo: list[list[int]], seq: int) -> bool:
    i = bisect_right(echo, [seq, float("inf")]) - 1
    return i >= 0 and echo[i][0] <= seq <= echo[i][1]


def _unit_depths(conn) -> dict[str, int]:
    parent = dict(conn.execute("SELECT id, parent_id FROM units"))
    depth: dict[str, int] = {}

    def d(uid, guard=0):
        if uid not in depth:
            p = parent.get(uid)
            depth[uid] = 0 if p is None or p not in parent or guard > 64 else d(p, guard + 1) + 1
        return depth[uid]

    for uid in parent:
        d(uid)
    return depth


class _MemberWriter:
    """rows → JSON lines → zlib → AES-GCM chunks → a zip member (hashed on the way)."""

    def __init__(self, zf, name: str, key: bytes, bundle_id: str, index: int):
        self.name = name
        self._stream = container.member_stream(zf, name)
        self._hash = container.HashingWriter(self._stream)
        self._enc = crypto.ChunkWriter(self._hash, key, bundle_id=bundle_id, name=name,
                                       member_index=index)
        self._z = zlib.compressobj(ZLEVEL)
        self.plain = 0
        self.index = index

    def write(self, data: bytes) -> None:
        self.plain += len(data)
        if out := self._z.compress(data):
            self._enc.write(out)

    def close(self) -> dict:
        self._enc.write(self._z.flush())
        self._enc.close()
        self._stream.close()
        return {"name": self.name, "size": self._hash.size, "sha256": self._hash.sha.hexdigest(),
                "plain_size": self.plain, "encoding": "zlib", "index": self.index}


def _dump_table(conn, zf, table, index: int, where: str, params: list, ch: _Channel, key: bytes,
                bundle_id: str, upto: dict, progress: Progress,
                shape: BundleShape = CURRENT) -> tuple[dict | None, list[str]]:
    cols = shape.columns(table)
    ci = {c: i for i, c in enumerate(cols)}
    added = list(shape.add.get(table.name, {}).items())
    sql = (f"SELECT {', '.join(cols)}, change_seq FROM {table.name} WHERE {where} "
           f"AND change_seq > ? ORDER BY change_seq")
    cur = conn.execute(sql, [*params, ch.basis_watermark])
    rows_iter = iter(lambda: cur.fetchmany(BATCH), [])
    if table.name == "units":  # parents before children
        depth = _unit_depths(conn)
        everything = [r for batch in rows_iter for r in batch]
        everything.sort(key=lambda r: (depth.get(r[0], 0), r[-1]))
        rows_iter = iter([everything[i:i + BATCH] for i in range(0, len(everything), BATCH)])
    writer = None
    n = dead = 0
    sha_list: list[str] = []
    i_id, i_rev, i_vv, i_del = ci["id"], ci["revision"], ci["vv"], ci["deleted"]
    blob = policy.blob_column(table.name)
    i_sha = ci[blob] if blob else None
    for batch in rows_iter:
        rows = [r for r in batch if not _echoed(ch.echo, r[-1])] if ch.echo else batch
        if not rows:
            continue
        edited = [r[i_id] for r in rows if r[i_rev] > 1]
        dots = fieldversions.read_many(conn, table.name, edited) if edited else {}
        if dropped := shape.drop.get(table.name):
            dots = {rid: {k: v for k, v in d.items() if k not in dropped} for rid, d in dots.items()}
        parts = []
        for r in rows:
            vals = list(r[:-1])
            vals += [value(dict(zip(cols, r))) for _, value in added]
            vals.append(dots.get(r[i_id]))
            parts.append(orjson.dumps(vals))
            try:
                vv = orjson.loads(r[i_vv])
            except orjson.JSONDecodeError:  # stored so by an earlier version: the receiver's row
                vv = {}  # check refuses the row and lists it; the start-up repairs it (sync.repair)
            for dev, c in vv.items() if type(vv) is dict else ():
                if type(c) is int and c > upto.get(dev, 0):
                    upto[dev] = c
            if r[i_del]:
                dead += 1
            elif i_sha is not None:
                sha_list.append(r[i_sha])
        if writer is None:
            writer = _MemberWriter(zf, f"rows/{table.name}.jsonl", key, bundle_id, index)
        writer.write(b"\n".join(parts) + b"\n")
        n += len(rows)
        progress.update(progress.done + len(rows), None, f"正在导出{table.name} {n:,} 条")
        crashpoint("export.rows")
    if writer is None:
        return None, []
    member = writer.close()
    member.update({"table": str(table.name), "columns": cols + [c for c, _ in added], "rows": n,
                   "tombstones": dead})
    return member, sha_list


def _dump_rows(zf, name: str, columns: list[str], rows: list[list], index: int, key: bytes,
               bundle_id: str) -> dict:
    """A table given as rows (``BundleShape.tables``), written like any other."""
    writer = _MemberWriter(zf, f"rows/{name}.jsonl", key, bundle_id, index)
    writer.write(b"".join(orjson.dumps([*r, None]) + b"\n" for r in rows))
    member = writer.close()
    dead = sum(1 for r in rows if "deleted" in columns and r[columns.index("deleted")])
    member.update({"table": name, "columns": list(columns), "rows": len(rows), "tombstones": dead})
    return member


def build_bundle(db, actor, peer_id: str, out_path: Path, *, full: bool,
                 progress: Progress = NO_PROGRESS,
                 shape: BundleShape = CURRENT) -> tuple[dict, _Channel, int]:
    """Write the bundle file at ``out_path``. Returns (manifest, channel, watermark)."""
    dk = keyslots.data_key(db, actor)
    with db.session(actor) as s:
        peer = s.get(SyncPeer, peer_id)
        if peer is None or not peer.trusted or peer.revoked:
            raise AppError("只能向已核对指纹并信任的单位导出数据")
        ukeys = keys.load_keys(s, dk)
        inst = s.scalar(select(Installation))
        root = s.get(Unit, inst.root_unit_id)
        ch = _channel(s, peer, full)
        where, params = _scope_sql(s, peer, inst.level, root.code or "", root.id)
        recipients = [peer.enc_pub]
        if inst.level == "county":
            recipients += [r for r in keys.recovery_recipients(s) if r not in recipients]
        sender = {"unit_id": root.id, "unit_code": root.code or "", "unit_name": root.name,
                  "level": inst.level, "device_id": inst.device_id,
                  "previous_device_ids": orjson.loads(inst.previous_device_ids or "[]"),
                  "sign_key_id": ukeys.sign_key_id}
        peer_level, peer_unit = peer.level, (peer.unit_code, peer.unit_id)
        from app.sync.enrol import cards_to_send

        cards = cards_to_send(s, peer, root.code or "")  # the unit's other PCs, vouched for
        audit_head = anchors.head_for_bundle(s, peer.id, inst.device_id)  # the receiver's witness
        peer_info = {"unit_id": peer.unit_id, "unit_code": peer.unit_code,
                     "unit_name": peer.unit_name, "enc_key_id": crypto.key_id(peer.enc_pub)}
    bundle_id = str(uuid.uuid4())
    content_key = os.urandom(32)
    members, counts, upto, shas = [], {}, dict(ch.basis_vv), []
    with db.read_session() as rs:
        conn = rs.connection().connection.driver_connection
        watermark = int(conn.execute("SELECT value FROM local_state WHERE key='change_seq'")
                        .fetchone()[0])
        progress.update(0, None, "正在导出")
        with container.open_writer(out_path) as zf:
            order = policy.export_order()
            for index, table in enumerate(order, start=1):
                if not policy.travels(table.name, inst.level, peer_level):
                    continue
                twhere, tparams = table_scope(table.name, where, params, peer_unit, sender["unit_code"])
                member, sha_list = _dump_table(conn, zf, table, index, twhere, tparams, ch,
                                               content_key, bundle_id, upto, progress, shape)
                if member:
                    members.append(member)
                    counts[str(table.name)] = {"rows": member["rows"], "tombstones": member["tombstones"]}
                    shas += sha_list
            for index, (name, (columns, rows)) in enumerate(shape.tables.items(), start=len(order) + 1):
                member = _dump_rows(zf, name, columns, rows, index, content_key, bundle_id)
                members.append(member)
                counts[name] = {"rows": member["rows"], "tombstones": member["tombstones"]}
            blobs = _write_attachments(conn, zf, sorted(set(shas)), content_key, bundle_id,
                                       len(members) + 1000)
            members += blobs
            manifest = {
                "format": container.FORMAT, "format_version": container.FORMAT_VERSION,
                "min_reader_version": 1, "kind": "data", "app_version": __version__,
                "schema_version": shape.schema_version or head_revision(), "bundle_id": bundle_id,
                "created_at": utcnow().isoformat(timespec="seconds") + "Z",
                "sender": sender, "recipient": peer_info, "full": bool(full),
                "channel": {"seq": ch.seq, "prev_sha256": ch.prev_sha256 or None,
                            "basis_seq": ch.basis_seq},
                "basis": {"seq": ch.basis_seq, "vv": ch.basis_vv},
                "upto": {"seq": ch.seq, "vv": upto},
                "counts": counts, "attachments": len(blobs), "cards": cards,
                "cipher": {"alg": "AES-256-GCM", "chunk": crypto.CHUNK, "wrap": "X25519-HKDF-SHA256"},
                "recipients": [crypto.wrap_key(content_key, pub, bundle_id=bundle_id,
                                               sender_kid=ukeys.sign_key_id) for pub in recipients],
                "members": [{k: m[k] for k in ("name", "size", "sha256", "plain_size", "encoding", "index")}
                            | ({"table": m["table"], "columns": m["columns"], "rows": m["rows"],
                                "tombstones": m["tombstones"]} if "table" in m else {})
                            for m in members],
            }
            if audit_head:  # (an older reader ignores a key it does not know)
                manifest["audit"] = audit_head
            raw = dumps(manifest)
            container.write_member(zf, container.MANIFEST, raw)
            container.write_member(zf, container.SIGNATURE, crypto.sign(ukeys.sign_priv, raw))
    return manifest, ch, watermark


def _write_attachments(conn, zf, shas: list[str], key: bytes, bundle_id: str, first_index: int):
    out = []
    for n, sha in enumerate(shas):
        row = conn.execute("SELECT data FROM attachment_blobs WHERE sha256 = ?", (sha,)).fetchone()
        if row is None:
            continue  # the record travels; its file follows when this office has it
        w = _MemberWriter(zf, f"att/{sha}.bin", key, bundle_id, first_index + n)
        w.write(row[0])
        out.append(w.close())
    return out


def copy_verified(src: Path, dest: Path, sha256: str) -> None:
    """Copy to the destination (a USB stick), flush it to the device, read it back and compare."""
    part = dest.with_name(dest.name + ".part")
    try:
        with open(src, "rb") as fin, open(part, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
            fout.flush()
            os.fsync(fout.fileno())
        replace_file(part, dest)
        if hasattr(os, "O_DIRECTORY"):
            fd = os.open(dest.parent, os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except FileBusy:
        discard(part)
        raise
    except OSError as exc:
        discard(part)
        raise BundleError("E_COPY_VERIFY", f"写入 {dest} 失败:{os_error_text(exc)}。请检查U盘是否已满或写保护",
                          technical=exc) from None
    if container.file_sha256(dest) != sha256:
        raise BundleError("E_COPY_VERIFY", f"写入 {dest} 后读回的校验值与原文件不同:U盘可能有故障"
                          "(或是扩容盘),请换一个U盘重新导出")


def suggest_name(sender_code: str, sender_kid: str, peer: SyncPeer, seq: int, kind: str = "") -> str:
    """UD-<from>-<from's key id>-<to>-<to's key id>-<date>-[receipt-]<seq>: the key ids tell two
    PCs of one unit apart (each numbers its own bundles, so both write a 第 2 号 to one stick)."""
    return (f"UD-{sender_code}-{sender_kid[:6]}-{peer.unit_code}-{peer.sign_key_id[:6]}-"
            f"{now_local():%Y%m%d}-{kind + '-' if kind else ''}{seq:04d}.udbx")


def export_bundle(db, actor, peer_id: str, dest: Path | str, *, full: bool = False,
                  progress: Progress = NO_PROGRESS, shape: BundleShape = CURRENT) -> ExportResult:
    """Export to ``dest`` (a file path, or a folder such as a USB stick's root)."""
    from app.sync import identity
    from app.sync.enrol import own_sign_key_id, require_enrolled

    actor.require(Perm.SYNC, "导出数据包")
    identity.check_identity(db)
    require_enrolled(db)
    with db.session(actor) as s:
        peer = s.get(SyncPeer, peer_id)
        if peer is None:
            raise AppError("找不到该单位的密钥卡")
        own_code = s.get(Unit, db.root_unit_id).code or ""
        own_kid = own_sign_key_id(s)
        name = suggest_name(own_code, own_kid, peer, peer.out_seq + 1)
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / name
    local = bundles_dir(db, "out") / name
    tmp = local.with_name(local.name + ".part")
    try:
        manifest, ch, watermark = build_bundle(db, actor, peer_id, tmp, full=full, progress=progress,
                                               shape=shape)
        replace_file(tmp, local)
    finally:
        discard(tmp)
    sha = container.file_sha256(local)
    if dest.resolve() != local.resolve():
        progress.update(progress.done, None, f"正在写入 {dest}")
        copy_verified(local, dest, sha)
    crashpoint("export.before_record")
    counts = dict(manifest["counts"])
    with db.session(actor) as s:
        peer = s.get(SyncPeer, peer_id)
        s.add(SyncBundle(bundle_id=manifest["bundle_id"], direction="out", kind="data",
                         peer_id=peer.id, channel_seq=ch.seq, basis_seq=ch.basis_seq, full=full,
                         file_name=dest.name, file_sha256=sha, file_size=local.stat().st_size,
                         username=actor.username, watermark=watermark, local_key_id=own_kid,
                         counts=dumps(counts | {"_upto": manifest["upto"]["vv"],
                                                "_attachments": manifest["attachments"],
                                                "_audit_seq": manifest.get("audit", {}).get("seq")}
                                    ).decode()))
        peer.out_seq, peer.out_prev_sha256, peer.out_basis_seq = ch.seq, sha, ch.seq
        total = sum(c["rows"] for c in counts.values())
        audit.append(s, action="bundle_export", actor=actor, object_type="sync_bundles",
                     object_id=manifest["bundle_id"],
                     summary=f"导出数据包给{peer.unit_name}({peer.unit_code}):第 {ch.seq} 号,"
                             f"{'完整' if full else '增量'},{total:,} 条记录,"
                             f"{manifest['attachments']} 个附件",
                     detail={"file": dest.name, "sha256": sha, "counts": counts,
                             "basis_seq": ch.basis_seq})
    identity.note_export(db, watermark)
    try:  # the head, export entry included, signed outside the database file
        anchors.anchor_after_export(db, actor)
    except OSError:  # the bundle is made and recorded; the next export or login anchors again
        pass
    return ExportResult(path=dest, local_copy=local, bundle_id=manifest["bundle_id"], sha256=sha,
                        size=local.stat().st_size, channel_seq=ch.seq, basis_seq=ch.basis_seq,
                        full=full, peer_name=peer.unit_name, counts=counts,
                        attachments=manifest["attachments"])

