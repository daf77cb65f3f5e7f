"""Import in two phases; nothing is written to the data until the last step.

1. ``check_bundle``: copy to local disk → zip safety → manifest and format version → the signature
   of a trusted sender (before anything is decrypted) → recipient is this unit → not imported
   before → no earlier bundle missing on the channel → every member's hash → unwrap the content
   key. Each refusal names its step with a stable code and writes an audit entry (only that).
2. ``ImportSession``: the dry run (the row engine on a read-only connection) gives the report;
   ``apply()`` takes an automatic backup, then runs the same engine in ONE transaction that also
   records the bundle, the channel state, the conflicts and the audit entry.
"""

from __future__ import annotations

import shutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from sqlalchemy import select, update

from app.clock import to_local, utcnow
from app.crashpoints import crashpoint
from app.db.base import synced_tables
from app.errors import AppError, os_error_text
from app.fileops import discard
from app.models import SyncBundle, SyncPeer, Unit
from app.progress import NO_PROGRESS, Progress
from app.security import audit
from app.security.roles import Perm
from app.sync import anchors, container, crypto, extras, keys, keyslots, policy
from app.sync.apply import RowEngine
from app.sync.enrol import adopt_cards
from app.sync.errors import BundleError
from app.sync.report import DryRunReport
from app.sync.rows import TableCodec
from app.sync.shapes import TableShape, column_list_problem

MAX_ATTACHMENT = 64 << 20
ROW_BATCH = 2000
# plain (decompressed) sizes a bundle may declare and hold, checked before anything is decrypted:
# one table's member, all members together, one row (a line of JSON)
MAX_PLAIN_MEMBER = 2 << 30
MAX_PLAIN_TOTAL = 4 << 30
MAX_LINE = 8 << 20


@dataclass
class Checked:
    local_path: Path
    file_name: str
    file_sha256: str
    manifest: dict
    peer_id: str
    peer_name: str
    same_unit: bool
    key: bytes | None = None
    warnings: list[str] = field(default_factory=list)
    local_key_id: str = ""  # this PC's signing key when it checked the bundle

    @property
    def kind(self) -> str:
        return self.manifest.get("kind", "data")


def _refused(db, actor, name: str, sha: str, err: BundleError) -> None:
    try:
        with db.session(actor) as s:
            audit.append(s, action="bundle_refused", actor=actor, success=False,
                         object_type="sync_bundles", object_id="",
                         summary=f"拒收数据包 {name}:[{err.code}] {err.step}",
                         detail={"file": name, "sha256": sha, "code": err.code, "message": err.plain})
    except Exception:  # the refusal itself must reach the user even if the log cannot be written
        pass


def _local_copy(db, src: Path) -> tuple[Path, str]:
    from app.sync.export import bundles_dir

    if not src.is_file():
        raise BundleError("E_IO", f"找不到文件 {src}")
    dest = bundles_dir(db, "in") / f"{utcnow():%Y%m%d%H%M%S%f}-{src.name[-80:]}"
    try:
        shutil.copyfile(src, dest)
    except OSError as exc:
        raise BundleError("E_IO", f"无法把 {src} 复制到本机:{os_error_text(exc)}",
                          technical=exc) from None
    return dest, container.file_sha256(dest)


def check_bundle(db, actor, src: Path | str) -> Checked:
    actor.require(Perm.SYNC, "导入数据包")
    src = Path(src)
    dk = keyslots.data_key(db, actor)
    local, sha = None, ""
    try:
        local, sha = _local_copy(db, src)
        return _check(db, actor, dk, local, src.name, sha)
    except BundleError as err:
        if local is not None:
            discard(local)
        _refused(db, actor, src.name, sha, err)
        raise


def _check(db, actor, dk, local: Path, name: str, sha: str) -> Checked:
    from app.db.migrate import known_revisions

    reader = container.BundleReader(local)
    try:
        raw, m, sig = reader.manifest()
        try:
            sender, recipient = m["sender"], m["recipient"]
            kind = m.get("kind", "data")
            if not isinstance(sender, dict) or not isinstance(recipient, dict) \
                    or not isinstance(m["bundle_id"], str) or not isinstance(m.get("recipients", []), list) \
                    or not all(isinstance(r, dict) for r in m.get("recipients", [])):
                raise TypeError("sender/recipient")
            kid = str(sender["sign_key_id"])
            if kind not in ("data", "receipt"):
                raise BundleError("E_FORMAT_NEWER", f"不认识的数据包类型 {kind!r}:请升级本程序")
        except (KeyError, TypeError) as exc:
            raise BundleError("E_FORMAT", "清单内容不完整:不是本程序生成的数据包,或已被改动",
                              technical=exc) from None
        schema = m.get("schema_version")
        if not isinstance(schema, str) or not 0 < len(schema) <= 32:
            raise BundleError("E_FORMAT", "清单中的数据版本无效:不是本程序生成的数据包,或已被改动")
        # another schema version imports: what this one has no place for is kept aside (shapes)
        newer = schema not in known_revisions()
        with db.session(actor) as s:
            peer = s.scalar(select(SyncPeer).where(SyncPeer.sign_key_id == kid))
            if peer is None or not peer.trusted or peer.revoked:
                who = f"{sender.get('unit_name', '?')}({sender.get('unit_code', '?')})"
                state = "已被撤销信任" if peer is not None and peer.revoked else \
                    "的密钥卡尚未核对指纹" if peer is not None else "不在本机信任的单位中"
                raise BundleError("E_UNTRUSTED", f"发送方 {who}{state}。请先导入对方的密钥卡并电话核对指纹")
            if not crypto.verify(peer.sign_pub, sig, raw):
                raise BundleError("E_SIG_INVALID", "签名不正确:清单在传递中被改动,或不是该单位签发的。不要导入,请对方重新导出")
            if sender.get("unit_code") != peer.unit_code or sender.get("level") != peer.level:
                raise BundleError("E_UNTRUSTED", "清单中的发送单位与签名密钥所属单位不符")
            own = keys.load_keys(s, dk)
            root = s.get(Unit, db.root_unit_id)
            rkid = recipient.get("enc_key_id")
            rec_kid = crypto.key_id(own.recovery_pub) if own.recovery_pub else None
            for_us = recipient.get("unit_code") == root.code and (
                rkid == own.enc_key_id or any(r.get("key_id") == rec_kid for r in m.get("recipients", [])))
            if not for_us:
                raise BundleError("E_WRONG_RECIPIENT", f"这个数据包是发给 {recipient.get('unit_name', '?')}"
                                  f"({recipient.get('unit_code', '?')})的"
                                  + ("另一台电脑" if recipient.get("unit_code") == root.code else "")
                                  + ",不是本机。请找到发给本单位的数据包")
            seen = s.scalar(select(SyncBundle).where(SyncBundle.bundle_id == m["bundle_id"],
                                                     SyncBundle.direction == "in"))
            if seen is not None:
                raise BundleError("E_REPLAY", f"该数据包已于 {to_local(seen.at):%Y-%m-%d %H:%M} 由 "
                                  f"{seen.username} 导入过,本次未做任何改动")
            checked = Checked(local, name, sha, m, peer.id, peer.unit_name,
                              policy.same_unit(root.code or "", peer.unit_code))
            if newer:
                checked.warnings.append(f"数据包来自较新版本的程序(数据版本 {schema}):本程序没有的字段"
                                        "和记录类型另存在本机,其余照常导入;建议升级本程序")
            checked.local_key_id = own.sign_key_id
            if kind == "data":  # the PCs the sender vouches for (its unit's, or ours)
                checked.warnings += adopt_cards(s, peer, m.get("cards", []), root.code or "", write=False)
            if kind == "receipt":
                return checked
            _, _, broken = anchors.witness_check(s, m)  # the sender PC's audit head, as last seen
            if broken:
                checked.warnings.append(broken + "。数据照常导入;请报告单位负责人,核查对方电脑")
            elif note := anchors.identity_note(s, m):
                checked.warnings.append(note)
            try:
                ch = m["channel"]
                seq, basis = int(ch["seq"]), int(ch["basis_seq"])
            except (KeyError, TypeError, ValueError):
                raise BundleError("E_FORMAT", "清单缺少通道序号") from None
            if basis > peer.in_seq:
                missing = list(range(peer.in_seq + 1, basis + 1))
                shown = "、".join(f"第 {n} 号" for n in missing[:10]) + ("等" if len(missing) > 10 else "")
                raise BundleError("E_GAP", f"缺少 {peer.unit_name} 此前发来的 {shown} 数据包:请先导入它们,"
                                  "或请对方重新导出完整数据包", detail={"missing": missing})
            if seq == peer.in_seq + 1 and peer.in_prev_sha256 and ch.get("prev_sha256") \
                    and ch["prev_sha256"] != peer.in_prev_sha256:
                checked.warnings.append("该数据包所接续的上一个数据包与本机导入的不同:对方可能从备份恢复过")
            if seq <= peer.in_seq:
                checked.warnings.append(f"本机已有对方第 {peer.in_seq} 号及以前的数据,这是较早的数据包")
            entries = {r.get("key_id"): r for r in m.get("recipients", [])}
            candidates = [(own.enc_key_id, own.enc_priv)]
            if rec_kid and own.recovery_priv:
                candidates.append((rec_kid, own.recovery_priv))
        members = m.get("members")
        if not isinstance(members, list) or not all(
                isinstance(x, dict) and isinstance(x.get("name"), str) and isinstance(x.get("size"), int)
                and isinstance(x.get("sha256"), str) for x in members):
            raise BundleError("E_FORMAT", "清单中的文件列表格式不符")
        reader.check_hashes(members)
        _check_tables(members)
        _check_sizes(members)
        _check_counts(m, members)
        for key_id, priv in candidates:
            if key_id in entries:
                try:
                    checked.key = crypto.unwrap_key(entries[key_id], priv, bundle_id=m["bundle_id"],
                                                    sender_kid=kid)
                    break
                except (crypto.CryptoError, KeyError, TypeError, ValueError):
                    continue
        if checked.key is None:
            raise BundleError("E_DECRYPT", "无法解开数据包的密钥:它不是用本单位的公钥加密的")
        return checked
    finally:
        reader.close()


def _check_tables(members: list[dict]) -> None:
    """Each table's member is readable: its name, its column list, its counts. Tables and columns
    of another schema version are not refused here (``run_engine`` keeps them aside)."""
    for mem in members:
        if not mem["name"].startswith("rows/"):
            continue
        table = mem.get("table")
        if not isinstance(table, str) or mem["name"] != f"rows/{table}.jsonl":
            raise BundleError("E_FORMAT", f"清单中 {mem['name']} 的记录类型不符")
        if why := column_list_problem(mem.get("columns")):
            raise BundleError("E_FORMAT", f"清单中 {table} 的{why}")
        for k in ("rows", "tombstones", "plain_size", "index"):
            if not isinstance(mem.get(k), int) or mem[k] < 0:
                raise BundleError("E_FORMAT", f"清单中 {mem['name']} 的 {k} 无效")


def _check_sizes(members: list[dict]) -> None:
    """Plain sizes within the caps, refused from the signed manifest before anything is
    decrypted or decompressed (decompression never goes past a declared size)."""
    total = 0
    for mem in members:
        plain = mem.get("plain_size")
        if not isinstance(plain, int) or plain < 0:
            raise BundleError("E_FORMAT", f"清单中 {mem['name']} 的 plain_size 无效")
        cap = MAX_ATTACHMENT if mem["name"].startswith("att/") else MAX_PLAIN_MEMBER
        if plain > cap:
            raise BundleError("E_UNSAFE", f"数据包中 {mem['name']} 解压后有 {_size(plain)},超过上限 "
                              f"{_size(cap)}:不是本程序生成的数据包,或已被改动,未读取其内容")
        total += plain
    if total > MAX_PLAIN_TOTAL:
        raise BundleError("E_UNSAFE", f"数据包解压后共有 {_size(total)},超过上限 {_size(MAX_PLAIN_TOTAL)}:"
                          "未读取其内容")


def _check_counts(m: dict, members: list[dict]) -> None:
    """The manifest's summary (``counts`` per table, ``attachments``) says what its member list
    holds; the rows themselves are counted against the members as they are read."""
    tables = {mem["table"]: {"rows": mem["rows"], "tombstones": mem["tombstones"]}
              for mem in members if mem["name"].startswith("rows/")}
    blobs = sum(1 for mem in members if mem["name"].startswith("att/"))
    counts = m.get("counts")
    if counts != tables or m.get("attachments") != blobs:
        raise BundleError("E_FORMAT", "清单中声明的记录数、作废数或附件数与数据包所含的不符:"
                          "数据包不是本程序生成的,或已被改动")
    for mem in members:
        if mem["name"].startswith("rows/") and mem["tombstones"] > mem["rows"]:
            raise BundleError("E_FORMAT", f"清单中 {mem['name']} 的作废数多于记录数")


# -- payload ------------------------------------------------------------------------------------
def _plain(reader, m: dict, key: bytes, bundle_id: str):
    """Decrypted, decompressed bytes of one member, in pieces of at most 1 MiB."""
    d = zlib.decompressobj()
    left = m["plain_size"]
    try:
        with reader.open_member(m["name"]) as src:
            for chunk in crypto.decrypt_chunks(src, key, bundle_id=bundle_id, name=m["name"],
                                               member_index=m["index"], limit=m["size"]):
                data = chunk
                while data:
                    out = d.decompress(data, min(left + 1, 1 << 20))
                    left -= len(out)
                    if left < 0:
                        raise BundleError("E_ROWS", f"{m['name']} 的内容多于清单所载")
                    if out:
                        yield out
                    data = d.unconsumed_tail
            if not d.eof or left != 0:
                raise BundleError("E_ROWS", f"{m['name']} 的内容不完整")
    except crypto.CryptoError as exc:
        raise BundleError("E_DECRYPT", f"解密 {m['name']} 失败:数据被改动或已损坏,请重新复制",
                          technical=exc) from None
    except zlib.error as exc:
        raise BundleError("E_DECRYPT", f"{m['name']} 已损坏,无法解压:请重新复制",
                          technical=exc) from None


def _lines(pieces, name: str):
    """(line number, complete lines) per piece of plain bytes, in time linear in their size: a
    line's parts are kept in a list and joined once, and a line longer than ``MAX_LINE`` is
    refused as soon as its first ``MAX_LINE`` bytes have been read."""
    parts, held, n = [], 0, 0
    for piece in pieces:
        if piece.find(b"\n") < 0:
            held += len(piece)
            if held > MAX_LINE:
                raise BundleError("E_ROWS", f"{name} 第 {n + 1} 行超过 {_size(MAX_LINE)}:"
                                  "不是本程序生成的数据包,或已被改动")
            parts.append(piece)
            continue
        lines = piece.split(b"\n")
        if parts:
            parts.append(lines[0])
            lines[0] = b"".join(parts)
        tail = lines.pop()
        for k, line in enumerate(lines):
            if len(line) > MAX_LINE:
                raise BundleError("E_ROWS", f"{name} 第 {n + k + 1} 行超过 {_size(MAX_LINE)}:"
                                  "不是本程序生成的数据包,或已被改动")
        yield n, lines
        n += len(lines)
        parts, held = ([tail], len(tail)) if tail else ([], 0)
        if held > MAX_LINE:
            raise BundleError("E_ROWS", f"{name} 第 {n + 1} 行超过 {_size(MAX_LINE)}:"
                              "不是本程序生成的数据包,或已被改动")
    if parts:
        raise BundleError("E_ROWS", f"{name} 末尾不完整")


def _size(n: int) -> str:
    return f"{n >> 20} MB" if n >= 1 << 20 else f"{n:,} 字节"


def _row_batches(reader, m: dict, key: bytes, bundle_id: str):
    """The member's rows, parsed, in batches; its row and tombstone counts checked against the
    manifest at the end."""
    n, dead, batch = 0, 0, []
    i_del = m["columns"].index("deleted")
    for first, lines in _lines(_plain(reader, m, key, bundle_id), m["name"]):
        try:  # one parser call for the whole piece
            rows = orjson.loads(b"[" + b",".join(lines) + b"]")
        except orjson.JSONDecodeError:
            for k, line in enumerate(lines):
                try:
                    orjson.loads(line)
                except orjson.JSONDecodeError:
                    raise BundleError("E_ROWS", f"{m['name']} 第 {first + k + 1} 行不是有效的记录") from None
            raise BundleError("E_ROWS", f"{m['name']} 的记录格式不符") from None
        dead += sum(1 for r in rows if type(r) is list and len(r) > i_del and r[i_del])
        batch += rows
        if len(batch) >= ROW_BATCH:
            n += len(batch)
            yield batch
            batch = []
    n += len(batch)
    if batch:
        yield batch
    if n != m["rows"]:
        raise BundleError("E_ROWS", f"{m['name']} 有 {n} 条记录,清单写的是 {m['rows']} 条")
    if dead != m["tombstones"]:
        raise BundleError("E_ROWS", f"{m['name']} 有 {dead} 条作废记录,清单写的是 {m['tombstones']} 条")


def run_engine(conn, checked: Checked, *, write: bool, progress: Progress = NO_PROGRESS):
    m = checked.manifest
    tables = {t.name: t for t in synced_tables()}
    members = m["members"]
    report = DryRunReport(m["bundle_id"], m["sender"]["unit_name"], m["sender"]["unit_code"],
                          m.get("created_at", ""), int(m["channel"]["seq"]), bool(m.get("full")),
                          warnings=list(checked.warnings))
    reader = container.BundleReader(checked.local_path)
    try:
        shas = set()
        for mem in members:
            if not mem["name"].startswith("att/"):
                continue
            sha = mem["name"][4:-4]
            if mem.get("plain_size", 0) > MAX_ATTACHMENT:
                raise BundleError("E_ROWS", f"附件 {sha[:12]}… 超过 {MAX_ATTACHMENT >> 20} MB")
            data = b"".join(_plain(reader, mem, checked.key, m["bundle_id"]))
            import hashlib

            if hashlib.sha256(data).hexdigest() != sha:
                raise BundleError("E_HASH", f"附件 {sha[:12]}… 的内容与其校验值不符")
            shas.add(sha)
            report.attachments_total += 1
            if conn.execute("SELECT 1 FROM attachment_blobs WHERE sha256 = ?", (sha,)).fetchone() is None:
                report.attachments_new += 1
                if write:
                    conn.execute("INSERT INTO attachment_blobs(sha256, size, data) VALUES (?, ?, ?)",
                                 (sha, len(data), data))
        have = {sha for (sha,) in conn.execute("SELECT sha256 FROM attachment_blobs")} if \
            any(policy.blob_column(mm["table"]) for mm in members if mm.get("table")) else set()
        report.schema_version = m["schema_version"]
        engine = RowEngine(conn, report=report, sender=m["sender"], same_unit=checked.same_unit,
                           write=write, bundle_id=m["bundle_id"], peer_name=checked.peer_name,
                           bundle_shas=shas | have, schema_version=m["schema_version"])
        total = sum(mem.get("rows", 0) for mem in members)
        done, referenced = 0, set()
        for mem in sorted((x for x in members if x["name"].startswith("rows/")),
                          key=lambda x: x["index"]):
            if mem["table"] not in tables:
                done += _keep_table(conn, reader, checked, mem, report, write=write, now=engine.now)
                continue
            codec = TableCodec.build(tables[mem["table"]])
            shape = TableShape(codec, mem["columns"])
            if shape.missing:
                named = [codec.labels[c] for c in shape.missing if c in codec.labels]
                if len(named) < len(shape.missing):
                    named.append(f"{len(shape.missing) - len(named)} 个内部字段")
                report.defaulted.append({"table": codec.name, "title": codec.title, "columns": named})
            j_sha = mem["columns"].index(blob) if (blob := policy.blob_column(codec.name)) \
                and blob in mem["columns"] else None
            j_del = mem["columns"].index("deleted")
            for batch in _row_batches(reader, mem, checked.key, m["bundle_id"]):
                if j_sha is not None:  # the files the live rows name (the sender sends only those)
                    referenced.update(r[j_sha] for r in batch if type(r) is list and len(r) > j_sha
                                 and not r[j_del] and type(r[j_sha]) is str)
                engine.run_batch(codec, batch, shape)
                done += len(batch)
                progress.update(done, total, f"正在{'导入' if write else '核对'} {codec.title} {done:,}/{total:,}")
        unknown = any(x["table"] not in tables for x in members if x["name"].startswith("rows/"))
        if shas - referenced and not unknown:  # (a newer sender's table may name files this one cannot see)
            raise BundleError("E_FORMAT", f"数据包中有 {len(shas - referenced)} 个附件不属于其中任何记录:"
                              "数据包不是本程序生成的,或已被改动")
        verbatim = engine.finish()
        if write:  # clashes queued earlier that this bundle's renumbering or voiding settled,
            from app.sync.conflicts import settle_numbers  # and conflicts decided on another PC
            from app.sync.decisions import settle

            settle_numbers(conn)
            settle(conn)
    finally:
        reader.close()
    return report, verbatim


def _keep_table(conn, reader, checked: Checked, mem: dict, report: DryRunReport, *, write: bool,
                now: str) -> int:
    """A table this program does not know: its rows are checked like any member's (decrypted,
    counted) and kept aside whole (when writing); returns how many rows there were."""
    m = checked.manifest
    n = bad = 0
    for batch in _row_batches(reader, mem, checked.key, m["bundle_id"]):
        entries, unreadable = extras.whole_rows(mem["columns"], batch)
        n, bad = n + len(entries), bad + unreadable
        if write and entries:
            extras.keep(conn, mem["table"], entries, whole_row=True, bundle_id=m["bundle_id"],
                        schema_version=m["schema_version"], now=now)
    report.keep(mem["table"], mem["table"], mem["columns"], n, whole=True, unreadable=bad)
    return n + bad


class ImportSession:
    """A checked bundle and its dry-run report, waiting for the user to apply it (or not)."""

    def __init__(self, db, actor, checked: Checked, report: DryRunReport | None):
        self.db, self.actor, self.checked, self.report = db, actor, checked, report
        self.applied = False

    @property
    def manifest(self) -> dict:
        return self.checked.manifest

    def apply(self, progress: Progress = NO_PROGRESS, *, backup: bool = True) -> DryRunReport:
        if self.applied:
            raise AppError("该数据包已经导入")
        try:
            report = (_apply_receipt if self.checked.kind == "receipt" else _apply_data)(
                self.db, self.actor, self.checked, progress, backup)
        except BundleError as err:
            _refused(self.db, self.actor, self.checked.file_name, self.checked.file_sha256, err)
            raise
        self.applied, self.report = True, report
        return report

    def close(self) -> None:
        if not self.applied:
            discard(self.checked.local_path)


def prepare_import(db, actor, src: Path | str, progress: Progress = NO_PROGRESS) -> ImportSession:
    """Phase one: every check, then the dry-run report (nothing written)."""
    checked = check_bundle(db, actor, src)
    if checked.kind == "receipt":
        return ImportSession(db, actor, checked, _receipt_report(checked, applied=False))
    try:
        with db.read_session() as rs:
            conn = rs.connection().connection.driver_connection
            report, _ = run_engine(conn, checked, write=False, progress=progress)
    except BaseException as err:  # refused, cancelled or failed: no copy left behind
        discard(checked.local_path)
        if isinstance(err, BundleError):
            _refused(db, actor, checked.file_name, checked.file_sha256, err)
        raise
    return ImportSession(db, actor, checked, report)


def import_bundle(db, actor, src: Path | str, *, dry_run: bool = False,
                  progress: Progress = NO_PROGRESS) -> ImportSession:
    """Both phases at once (the CLI): check, then the dry run or the apply."""
    if dry_run:
        session = prepare_import(db, actor, src, progress)
        session.close()
        return session
    checked = check_bundle(db, actor, src)
    session = ImportSession(db, actor, checked, None)
    try:
        session.apply(progress)
    finally:
        session.close()
    return session


def _apply_data(db, actor, checked: Checked, progress: Progress, backup: bool) -> DryRunReport:
    from app.db.backup import backup_database

    if backup:
        progress.update(0, None, "正在自动备份")
        backup_database(db, reason="pre-import")
    m = checked.manifest
    seq = int(m["channel"]["seq"])
    try:
        with db.session(actor) as s:
            conn = s.connection().connection.driver_connection
            conn.execute("PRAGMA defer_foreign_keys = ON")
            _recheck(s, checked)  # the state may have moved since the dry run
            crashpoint("apply.begin")
            report, verbatim = run_engine(conn, checked, write=True, progress=progress)
            peer = s.get(SyncPeer, checked.peer_id)
            if seq > peer.in_seq:
                peer.in_seq, peer.in_prev_sha256 = seq, checked.file_sha256
            adopt_cards(s, peer, m.get("cards", []), s.get(Unit, db.root_unit_id).code or "",
                        write=True)
            known = set(orjson.loads(peer.known_devices or "[]"))
            known |= {m["sender"].get("device_id", "")} | set(m["sender"].get("previous_device_ids", []))
            peer.known_devices = orjson.dumps(sorted(known - {""})).decode()
            summary = {t.table: {"new": t.new, "updated": t.updated, "unchanged": t.unchanged,
                                 "conflicts": t.conflicts, "duplicates": t.duplicates,
                                 "refused": t.refused} for t in report.tables}
            kept = sum(k["rows"] for k in report.kept_aside)
            if report.kept_aside:
                summary["_kept_aside"] = report.kept_aside
            s.add(SyncBundle(bundle_id=m["bundle_id"], direction="in", kind="data", peer_id=peer.id,
                             channel_seq=seq, basis_seq=int(m["channel"]["basis_seq"]),
                             full=bool(m.get("full")), file_name=checked.file_name,
                             file_sha256=checked.file_sha256,
                             file_size=checked.local_path.stat().st_size, username=actor.username,
                             counts=orjson.dumps(summary).decode(),
                             verbatim=orjson.dumps(verbatim).decode(),
                             local_key_id=checked.local_key_id))
            audit.append(s, action="bundle_import", actor=actor, object_type="sync_bundles",
                         object_id=m["bundle_id"],
                         summary=f"导入{peer.unit_name}({peer.unit_code})的第 {seq} 号数据包:新增 "
                                 f"{report.count('new'):,},更新 {report.count('updated'):,},冲突 "
                                 f"{report.count('conflicts'):,},疑似重复 {report.count('duplicates'):,},"
                                 f"拒收 {report.count('refused'):,}"
                                 + (f",另存本程序没有的字段或记录 {kept:,} 条" if kept else ""),
                         detail={"file": checked.file_name, "sha256": checked.file_sha256,
                                 "counts": summary})
            broken = anchors.record_witness(s, m, checked.file_name)
            if broken and not any(w.startswith(broken) for w in report.warnings):
                report.warnings.append(broken)
            crashpoint("apply.before_commit")
    except BundleError:
        raise
    except Exception as exc:
        import sqlite3

        if isinstance(getattr(exc, "orig", exc), sqlite3.IntegrityError):
            raise BundleError("E_ROWS", "写入时发现记录之间的引用关系不完整(所引用的记录不存在),"
                              "已全部撤销,数据库未改变", technical=exc) from None
        raise
    crashpoint("apply.after_commit")
    report.applied = True
    if backup:  # one bundle on its own (a stick's set is backed up after the whole set)
        from app.db.backup import after_large_change

        after_large_change(db, report.count("new") + report.count("updated"), "bundle")
    return report


def _recheck(s, checked: Checked) -> None:
    """Inside the apply transaction: still trusted, still new, still no gap."""
    m = checked.manifest
    peer = s.get(SyncPeer, checked.peer_id)
    if not peer.trusted or peer.revoked:
        raise BundleError("E_UNTRUSTED", f"{peer.unit_name}的密钥卡已不再受信任")
    seen = s.scalar(select(SyncBundle).where(SyncBundle.bundle_id == m["bundle_id"],
                                             SyncBundle.direction == "in"))
    if seen is not None:
        raise BundleError("E_REPLAY", f"该数据包已于 {to_local(seen.at):%Y-%m-%d %H:%M} 由 "
                          f"{seen.username} 导入过,本次未做任何改动")
    if checked.kind == "data" and int(m["channel"]["basis_seq"]) > peer.in_seq:
        raise BundleError("E_GAP", "缺少此前的数据包,请先导入它们")


def _apply_receipt(db, actor, checked: Checked, progress: Progress, backup: bool) -> DryRunReport:
    m = checked.manifest
    try:
        covered = int(m["receipt"]["covered_seq"])
    except (KeyError, TypeError, ValueError):
        raise BundleError("E_FORMAT", "回执内容不完整") from None
    with db.session(actor) as s:
        _recheck(s, checked)
        peer = s.get(SyncPeer, checked.peer_id)
        if covered > peer.out_seq:
            raise BundleError("E_FORMAT", f"回执确认收到第 {covered} 号,但本机只发出到第 {peer.out_seq} 号")
        peer.acked_seq, peer.acked_at = max(peer.acked_seq, covered), utcnow()
        peer.out_basis_seq = covered  # send again from what is known to have arrived
        s.execute(update(SyncBundle).where(SyncBundle.peer_id == peer.id,
                                           SyncBundle.direction == "out", SyncBundle.kind == "data",
                                           SyncBundle.channel_seq <= covered).values(acked=True))
        s.add(SyncBundle(bundle_id=m["bundle_id"], direction="in", kind="receipt", peer_id=peer.id,
                         channel_seq=covered, file_name=checked.file_name,
                         file_sha256=checked.file_sha256, file_size=checked.local_path.stat().st_size,
                         username=actor.username, counts=orjson.dumps(m["receipt"]).decode(),
                         local_key_id=checked.local_key_id))
        audit.append(s, action="bundle_receipt_import", actor=actor, object_type="sync_bundles",
                     object_id=m["bundle_id"],
                     summary=f"导入{peer.unit_name}的回执:已收到本机发出的第 {covered} 号及以前的数据包")
    return _receipt_report(checked, applied=True)


def _receipt_report(checked: Checked, *, applied: bool) -> DryRunReport:
    m = checked.manifest
    covered = (m.get("receipt") or {}).get("covered_seq", 0)
    report = DryRunReport(m["bundle_id"], m["sender"].get("unit_name", ""),
                          m["sender"].get("unit_code", ""), m.get("created_at", ""), 0, False,
                          applied=applied)
    report.warnings.append(f"回执:对方已收到第 {covered} 号及以前的数据包")
    return report
