"""Device identity: a restored or copied installation takes a new device id, so the counters in
its version vectors never collide with versions its peers have already seen (§2.2.9).

Detection, run before every exchange (and by the restore helper through
``take_new_device_identity``):
- a copy: the database remembers the machine and path it lives on; found elsewhere, it is a copy,
  which also shares the original's keys and channel numbers: it exchanges nothing until it enrols
  as a PC of its own, or is declared moved (``app.sync.enrol``);
- a restore of an older backup: a small side file beside the database records the device id and
  the highest change counter already exported; a database whose counter is below it went back in
  time.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import uuid
from pathlib import Path

from sqlalchemy import select, text

from app.fileops import replace_file
from app.models import Installation, SyncPeer
from app.security import audit
from app.security.actor import Actor

HOME_KEY = "sync.home"


def machine_fingerprint() -> str:
    parts = [platform.node()]
    for p in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            parts.append(Path(p).read_text(encoding="ascii").strip())
            break
        except OSError:
            continue
    if os.name == "nt":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography") as k:
                parts.append(winreg.QueryValueEx(k, "MachineGuid")[0])
        except OSError:
            pass
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _home(db) -> str:
    return f"{machine_fingerprint()}|{Path(db.path).resolve()}"


def _sidecar(db) -> Path:
    return Path(str(db.path) + ".syncstate")


def _read_sidecar(db) -> dict:
    try:
        return json.loads(_sidecar(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_sidecar(db, state: dict) -> None:
    path = _sidecar(db)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    replace_file(tmp, path)


def remember_home(session, db) -> None:
    """Note the machine and path this database lives on (at set-up), so a copy is noticed."""
    session.execute(text("INSERT INTO local_state(key, value) VALUES (:k, :v) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value"), {"k": HOME_KEY, "v": _home(db)})


def take_new_device_identity(db, reason: str = "恢复备份或复制数据库") -> str:
    """Give this installation a new device id (the old one is kept in ``previous_device_ids``);
    the next bundle to each peer is complete, since our record of what they have may be stale."""
    new = str(uuid.uuid4())
    with db.session(Actor.system()) as s:
        inst = s.scalar(select(Installation))
        old = inst.device_id
        previous = json.loads(inst.previous_device_ids or "[]")
        if old and old not in previous:
            previous.append(old)
        inst.device_id, inst.previous_device_ids = new, json.dumps(previous)
        for peer in s.scalars(select(SyncPeer)):
            peer.out_basis_seq = 0
        s.info["device_id"] = new
        s.execute(text("INSERT INTO local_state(key, value) VALUES (:k, :v) ON CONFLICT(key) "
                       "DO UPDATE SET value = excluded.value"), {"k": HOME_KEY, "v": _home(db)})
        audit.append(s, action="device_identity", object_type="installation",
                     object_id=new, summary=f"更换设备标识({reason}):{old[:8]}… → {new[:8]}…",
                     detail={"old": old, "new": new, "reason": reason})
    db.device_id = new
    _write_sidecar(db, {"device_id": new, "exported_seq": 0})
    return new


def adopt_restored(db) -> None:
    """After a restore (which already gave the staged copy a new device id): this file now lives
    here, nothing has been exported under the new id, and what peers were sent is unknown, so the
    next bundle to each peer is complete."""
    with db.session(Actor.system()) as s:
        for peer in s.scalars(select(SyncPeer)):
            peer.out_basis_seq = 0
        remember_home(s, db)
    _write_sidecar(db, {"device_id": db.device_id, "exported_seq": 0})


def check_identity(db) -> str | None:
    """Take a new identity when this database is a copy or an older restore; returns why."""
    with db.session(Actor.system()) as s:
        home = s.execute(text("SELECT value FROM local_state WHERE key = :k"),
                         {"k": HOME_KEY}).scalar()
        seq = int(s.execute(text("SELECT value FROM local_state WHERE key='change_seq'"))
                  .scalar() or 0)
        if home is None:
            s.execute(text("INSERT INTO local_state(key, value) VALUES (:k, :v)"),
                      {"k": HOME_KEY, "v": _home(db)})
    state = _read_sidecar(db)
    reason = None
    if home is not None and home != _home(db):
        reason = "数据库文件来自另一台电脑或另一位置"
    elif state.get("device_id") == db.device_id and int(state.get("exported_seq", 0)) > seq:
        reason = "数据库从较早的备份恢复"
    if reason:
        take_new_device_identity(db, reason)
    if reason and home is not None and home != _home(db):
        from app.sync.enrol import mark_copy

        with db.session(Actor.system()) as s:
            mark_copy(s, reason)  # shares the original's keys: no exchange until it enrols
    elif not state:
        _write_sidecar(db, {"device_id": db.device_id, "exported_seq": 0})
    return reason


def note_export(db, watermark: int) -> None:
    state = _read_sidecar(db)
    if state.get("device_id") != db.device_id:
        state = {"device_id": db.device_id, "exported_seq": 0}
    state["exported_seq"] = max(int(state.get("exported_seq", 0)), watermark)
    _write_sidecar(db, state)
