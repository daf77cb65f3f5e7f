"""The audit chain anchored outside the database file (issue 14 point 5).

The hash chain (``app.security.audit``) finds an entry edited in the middle, but its head lives in
the same file: whoever can write the file can cut the tail, delete everything, or recompute every
hash. Two anchors outside the file make that evident:

- **Signed checkpoints** (this PC): at each export and once a day (the first login that unlocks
  the unit key), the chain's head (seq, hash, the entry's time) is signed with the unit's signing
  key — the same key that signs bundles, unsealed by the data key of the exchanging user — and
  appended to ``<database>.audit-anchors.jsonl`` beside the database. The database notes the last
  checkpoint too (``local_state`` ``audit_anchor``), so a removed checkpoint file is reported.
  ``verify_anchored`` checks that the entry at each checkpoint's seq still has that hash.
- **Witnesses** (the receiving office): every data bundle carries the sender PC's audit head, and
  the hashes its chain now holds at the heads it sent this receiver before (``earlier``), in the
  signed manifest. The receiver keeps, per sender PC, the last head it saw (``local_state``
  ``audit_witness:<device id>``); a later bundle whose chain is shorter, or holds another hash at a
  witnessed seq, is recorded as a break (imported anyway, with a warning and an audit entry), and
  ``audit verify`` at the receiver reports it.

Tamper evidence, not prevention: see docs/security.md for what this does and does not prove.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, text

from app.clock import to_local, utcnow
from app.models import AuditEntry, Installation, SyncKey, SyncPeer
from app.sync import crypto
from app.sync.canonical import b64, dumps, unb64

ANCHOR_KEY = "audit_anchor"
WITNESS_PREFIX = "audit_witness:"
EARLIER = 16  # heads of the last bundles sent to a peer whose hashes the next bundle repeats


SUFFIX = ".audit-anchors.jsonl"


def anchor_file(db) -> Path:
    return Path(str(db.path) + SUFFIX)


def _state(session, key: str) -> str | None:
    return session.execute(text("SELECT value FROM local_state WHERE key = :k"), {"k": key}).scalar()


def _put_state(session, key: str, value: str) -> None:
    session.execute(text("INSERT INTO local_state(key, value) VALUES (:k, :v) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value"), {"k": key, "v": value})


def _recorded(session) -> dict | None:
    """The last checkpoint as the database noted it."""
    try:
        value = json.loads(_state(session, ANCHOR_KEY) or "null")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _cn_date(ts: str) -> str:
    from app.validation import format_cn_date

    try:
        return format_cn_date(to_local(datetime.fromisoformat(ts.rstrip("Z"))).date())
    except (TypeError, ValueError):
        return "(日期不明)"


def head(session) -> tuple[int, str, str]:
    """(seq, hash, time) of the last audit entry; (0, "", "") when the log is empty."""
    row = session.execute(select(AuditEntry.seq, AuditEntry.hash, AuditEntry.ts)
                          .order_by(AuditEntry.seq.desc()).limit(1)).first()
    return (row[0], row[1], row[2]) if row else (0, "", "")


def hashes_at(session, seqs) -> dict[int, str | None]:
    seqs = sorted({int(s) for s in seqs})
    found = dict(session.execute(select(AuditEntry.seq, AuditEntry.hash)
                                 .where(AuditEntry.seq.in_(seqs))).all()) if seqs else {}
    return {s: found.get(s) for s in seqs}


# -- signed checkpoints -------------------------------------------------------------------------
def read_checkpoints(db) -> tuple[list[dict], list[str]] | None:
    """(checkpoint bodies, problems) from the file; None when there is no file."""
    path = anchor_file(db)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return [], [f"无法读取审计检查点文件 {path.name}:{exc.strerror or exc}"]
    out, problems = [], []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            body, sig = doc["body"], unb64(doc["sig"])
            int(body["seq"]), str(body["hash"]), str(body["kid"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"审计检查点文件第 {n} 行无法读取(文件被改动或损坏)")
            continue
        out.append({**body, "_line": n, "_sig": sig})
    return out, problems


def write_checkpoint(db, dk: bytes, why: str) -> dict | None:
    """Sign the chain's head and append it to the checkpoint file (and note it in the database).
    Nothing when the log is empty or its head is already the last checkpoint."""
    from app.sync import keys

    with db.session() as s:
        s.info["root_unit_id"] = db.root_unit_id
        seq, h, ts = head(s)
        if not seq:
            return None
        last = _recorded(s)
        if last and (last.get("seq"), last.get("hash")) == (seq, h) and anchor_file(db).exists():
            return None
        ukeys = keys.load_keys(s, dk)
        body = {"v": 1, "device_id": db.device_id, "unit_id": ukeys.unit_id, "seq": seq, "hash": h,
                "entry_ts": ts, "at": utcnow().isoformat(timespec="seconds") + "Z", "why": why,
                "kid": ukeys.sign_key_id}
        line = dumps({"body": body, "sig": b64(crypto.sign(ukeys.sign_priv, dumps(body)))}) + b"\n"
        path = anchor_file(db)
        with open(path, "ab") as f:  # append only: earlier checkpoints are never rewritten
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        _put_state(s, ANCHOR_KEY, json.dumps({"seq": seq, "hash": h, "at": body["at"],
                                              "device_id": db.device_id}))
    return body


def anchor_after_export(db, actor) -> None:
    from app.sync import keyslots

    dk = keyslots.cached(db, actor.user_id)
    if dk is not None:
        write_checkpoint(db, dk, "export")


def anchor_daily(db, actor) -> dict | None:
    """Once a day, when the acting user's data key is open (at login): never raises, so a full
    disk or a locked file cannot stop anyone logging in."""
    from app.sync import keyslots

    dk = keyslots.cached(db, actor.user_id) if actor is not None else None
    if dk is None:
        return None
    try:
        with db.read_session() as s:
            last = _recorded(s)
        if last and str(last.get("at", ""))[:10] == utcnow().date().isoformat() \
                and anchor_file(db).exists():
            return None
        return write_checkpoint(db, dk, "daily")
    except Exception:  # noqa: BLE001 - the anchor is best effort at login; export always anchors
        return None


# -- verification -------------------------------------------------------------------------------
@dataclass
class AnchoredResult:
    ok: bool
    checked: int
    reason: str = ""  # the chain's own problem, or the first checkpoint problem
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checkpoints: int = 0
    witnesses: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.problems + self.notes + self.witnesses


def _check_checkpoints(db, session, result: AnchoredResult) -> None:
    read = read_checkpoints(db)
    recorded = _recorded(session)
    if recorded and recorded.get("device_id") != db.device_id:
        recorded = None  # noted under an identity this database had before a restore or a copy
    if read is None:
        if recorded:
            result.problems.append(f"审计检查点文件 {anchor_file(db).name} 缺失:本机曾于 "
                                   f"{_cn_date(recorded.get('at', ''))} 为第 {recorded.get('seq')} 条"
                                   "审计记录签名检查点,文件被删除或移走")
        return
    cps, problems = read
    result.problems += problems
    key = session.get(SyncKey, db.root_unit_id) if db.root_unit_id else None
    inst = session.scalar(select(Installation))
    previous = set(json.loads(inst.previous_device_ids or "[]")) if inst else set()
    # an earlier identity's checkpoints: signed by this key, or by the original PC's key this copy
    # kept as a trusted PC of its unit when it enrolled
    signers = {crypto.key_id(key.sign_pub): key.sign_pub} if key is not None else {}
    if key is not None:
        for kid, pub in session.execute(select(SyncPeer.sign_key_id, SyncPeer.sign_pub).where(
                SyncPeer.unit_id == key.unit_id, SyncPeer.trusted.is_(True))):
            signers.setdefault(kid, pub)
    signed = []
    for cp in cps:
        if cp.get("device_id") != db.device_id and cp.get("device_id") not in previous:
            result.problems.append(f"审计检查点文件第 {cp['_line']} 行属于另一台电脑,"
                                   "不是本机的检查点(文件被替换)")
            continue
        pub = signers.get(cp["kid"]) if cp.get("device_id") != db.device_id else \
            (key.sign_pub if key is not None and cp["kid"] == crypto.key_id(key.sign_pub) else None)
        if pub is None or not crypto.verify(
                pub, cp["_sig"], dumps({k: v for k, v in cp.items() if not k.startswith("_")})):
            result.problems.append(f"审计检查点文件第 {cp['_line']} 行的签名不正确(检查点被改动或伪造),"
                                   "未采信")
            continue
        signed.append(cp)
    # checkpoints of an identity this database had before a restore: the restore gave up that tail
    good = [cp for cp in signed if cp["device_id"] == db.device_id]
    earlier = len(signed) - len(good)
    if earlier:
        result.notes.append(f"本机数据库从备份恢复或由复制而来:此前的 {earlier} 个检查点属于原设备标识,"
                            "不再核对(恢复和登记为新电脑都记录在审计日志中)")
    result.checkpoints = len(good)
    if recorded:
        seq = int(recorded.get("seq", 0))
        if not any(cp["seq"] >= seq for cp in good):
            result.problems.append(f"审计检查点文件缺少第 {seq} 条审计记录的检查点(文件被截断或替换)")
    good.sort(key=lambda cp: (cp["seq"], cp["at"]))
    actual = hashes_at(session, [cp["seq"] for cp in good])
    last_good = None
    for cp in good:
        if actual.get(cp["seq"]) == cp["hash"]:
            last_good = cp
            continue
        if last_good is not None:
            msg = f"审计日志在 {_cn_date(last_good['entry_ts'])} 之后被截断或改写"
        else:
            msg = f"审计日志在 {_cn_date(cp['entry_ts'])} 或之前被截断或改写"
        have = actual.get(cp["seq"])
        detail = (f"签名检查点记载的第 {cp['seq']} 条审计记录已不存在" if have is None
                  else f"第 {cp['seq']} 条审计记录与签名检查点不符")
        result.problems.insert(0, f"{msg}:{detail}")
        return


def _witness_lines(session, result: AnchoredResult) -> None:
    rows = session.execute(text("SELECT key, value FROM local_state WHERE key LIKE :p ORDER BY key"),
                           {"p": WITNESS_PREFIX + "%"}).all()
    for _, value in rows:
        try:
            w = json.loads(value)
            int(w["seq"])
        except (ValueError, KeyError, TypeError):
            continue
        who = f"{w.get('unit_name', '?')}({w.get('unit_code', '?')})电脑 {str(w.get('device_id', ''))[:8]}"
        for b in w.get("breaks", []):
            result.problems.append(b["message"])
        result.witnesses.append(f"见证:{who} 的审计日志第 {w['seq']} 条({_cn_date(w.get('ts', ''))})")


def verify_anchored(db) -> AnchoredResult:
    """The chain itself, then this PC's signed checkpoints, then the witnesses this office keeps
    of other PCs' chains."""
    from app.security import audit

    with db.read_session() as s:
        chain = audit.verify(s)
    result = AnchoredResult(chain.ok, chain.checked)
    if not chain.ok:
        result.problems.append(chain.reason)
    with db.read_session() as s:
        _check_checkpoints(db, s, result)
        _witness_lines(s, result)
    result.ok = not result.problems
    result.reason = result.problems[0] if result.problems else ""
    return result


# -- bundles: the sender's head, the receiver's witness -------------------------------------------
def head_for_bundle(session, peer_id: str, device_id: str) -> dict:
    """What a data bundle says of the sender's chain: its head and the hashes now at the heads it
    sent this peer before (None where that entry is gone)."""
    import orjson

    from app.models import SyncBundle

    seq, h, ts = head(session)
    sent = []
    for (counts,) in session.execute(
            select(SyncBundle.counts).where(SyncBundle.peer_id == peer_id,
                                            SyncBundle.direction == "out", SyncBundle.kind == "data")
            .order_by(SyncBundle.channel_seq.desc()).limit(EARLIER)):
        try:
            s_ = orjson.loads(counts or "{}").get("_audit_seq")
        except orjson.JSONDecodeError:
            continue
        if isinstance(s_, int) and 0 < s_ <= seq:
            sent.append(s_)
    earlier = hashes_at(session, sent)
    return {"device_id": device_id, "seq": seq, "hash": h, "ts": ts,
            "earlier": [[k, v] for k, v in sorted(earlier.items())]}


def _parse_head(m: dict) -> dict | None:
    a = m.get("audit")
    if not isinstance(a, dict):
        return None  # a bundle from an older program: nothing to witness
    try:
        seq, h, ts = int(a["seq"]), str(a["hash"]), str(a.get("ts", ""))
        earlier = {int(k): (str(v) if v is not None else None) for k, v in a.get("earlier", [])}
    except (KeyError, TypeError, ValueError):
        return None
    device = str(m.get("sender", {}).get("device_id", ""))
    return {"seq": seq, "hash": h, "ts": ts, "earlier": earlier, "device_id": device} if device else None


def witness_check(session, m: dict) -> tuple[dict | None, dict | None, str | None]:
    """(the bundle's head, the witness held, a break message or None)."""
    a = _parse_head(m)
    if a is None:
        return None, None, None
    w = _witness(session, a["device_id"])
    if w is None:
        return a, None, None
    channel = int(m.get("channel", {}).get("seq", 0) or 0)
    if channel and channel < int(w.get("channel_seq", 0)):
        return a, w, None  # an older bundle imported late says nothing new
    broken = None
    if a["seq"] < w["seq"]:
        broken = f"此数据包只有 {a['seq']} 条审计记录,本机曾见证第 {w['seq']} 条"
    elif a["seq"] == w["seq"] and a["hash"] != w["hash"]:
        broken = f"第 {w['seq']} 条审计记录与本机见证的不同"
    elif w["seq"] in a["earlier"] and a["earlier"][w["seq"]] != w["hash"]:
        broken = (f"第 {w['seq']} 条审计记录已不存在" if a["earlier"][w["seq"]] is None
                  else f"第 {w['seq']} 条审计记录与本机见证的不同")
    if broken is None:
        return a, w, None
    sender = m.get("sender", {})
    who = f"{sender.get('unit_name', '?')}({sender.get('unit_code', '?')})电脑 {a['device_id'][:8]}"
    return a, w, f"{who} 的审计日志在 {_cn_date(w.get('ts', ''))} 之后被截断或改写:{broken}"


def _witness(session, device_id: str) -> dict | None:
    raw = _state(session, WITNESS_PREFIX + device_id)
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def identity_note(session, m: dict) -> str | None:
    """A sender PC seen before under another device id (a restore or a copy): the tail after its
    backup was given up openly; say so, since its chain is no longer compared with that witness."""
    a = _parse_head(m)
    if a is None or _witness(session, a["device_id"]) is not None:
        return None
    sender = m.get("sender", {})
    for old in sender.get("previous_device_ids", []) or []:
        w = _witness(session, str(old))
        if w is not None:
            return (f"{sender.get('unit_name', '?')}({sender.get('unit_code', '?')})的电脑 "
                    f"{str(old)[:8]} 换了设备标识(从备份恢复或复制数据库):本机见证过它的第 {w['seq']} 条"
                    f"审计记录({_cn_date(w.get('ts', ''))}),此后的审计记录不再与之对照")
    return None


def record_witness(session, m: dict, bundle_file: str = "") -> str | None:
    """Inside the import's transaction: keep the sender PC's head; a break is kept with its proof
    (both heads, the bundle) and written to the audit log. Returns the break message."""
    from app.security import audit

    a, w, broken = witness_check(session, m)
    if a is None:
        return None
    channel = int(m.get("channel", {}).get("seq", 0) or 0)
    if w is not None and channel and channel < int(w.get("channel_seq", 0)):
        return None
    sender = m.get("sender", {})
    breaks = list((w or {}).get("breaks", []))
    if broken:
        proof = {"message": broken, "witnessed": {k: w.get(k) for k in ("seq", "hash", "ts", "bundle_id")},
                 "received": {"seq": a["seq"], "hash": a["hash"], "ts": a["ts"],
                              "earlier": a["earlier"].get(w["seq"], "absent")},
                 "bundle_id": m.get("bundle_id"), "file": bundle_file,
                 "at": utcnow().isoformat(timespec="seconds") + "Z"}
        breaks.append(proof)
        audit.append(session, action="audit_witness_broken", success=False, object_type="sync_bundles",
                     object_id=str(m.get("bundle_id", "")), summary=broken, detail=proof)
    new = {"device_id": a["device_id"], "unit_code": sender.get("unit_code", ""),
           "unit_name": sender.get("unit_name", ""), "seq": a["seq"], "hash": a["hash"], "ts": a["ts"],
           "bundle_id": m.get("bundle_id"), "channel_seq": channel,
           "at": utcnow().isoformat(timespec="seconds") + "Z", "breaks": breaks}
    _put_state(session, WITNESS_PREFIX + a["device_id"], json.dumps(new, ensure_ascii=False))
    return broken


def witness_todos(session, actor, *, days: int = 30) -> list:
    """The home page's 待办: a sender PC's audit trail found cut or rewritten in the last ``days``
    (``audit verify`` keeps reporting it after that)."""
    from datetime import timedelta

    from app.security.roles import Perm
    from app.services.dashboard import Target, Todo

    if not (actor.can(Perm.AUDIT) or actor.can(Perm.SYNC)):
        return []
    since = (utcnow() - timedelta(days=days)).isoformat(timespec="seconds")
    out = []
    for (value,) in session.execute(text("SELECT value FROM local_state WHERE key LIKE :p ORDER BY key"),
                                    {"p": WITNESS_PREFIX + "%"}):
        try:
            breaks = json.loads(value).get("breaks", [])
        except (ValueError, AttributeError):
            continue
        out += [Todo(f"{b['message']}:请报告单位负责人(系统管理 › 审计日志 › 校验 可再次查看)", "warn",
                     Target("system", "audit") if actor.can(Perm.AUDIT) else Target("exchange", "history"))
                for b in breaks if str(b.get("at", "")) >= since]
    return out
