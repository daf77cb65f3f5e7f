"""The data key and its key slots (reliability-and-security.md §3.5, the LUKS idea).

A random 256-bit data key encrypts this installation's private keys. It is stored only wrapped:
once per user who may exchange data, under a key derived from that user's password (Argon2id, raw
mode, its own salt). Resetting a password re-wraps the data key; nothing else is re-encrypted.
An unlocked data key is kept in memory on the open database handle (``keyring``) for the session.

Hooks in ``app.security.users`` (documented there): a new account gets a slot when the acting
administrator's data key is unlocked; a password change re-wraps the user's slot.
"""

from __future__ import annotations

import json
import os

from argon2.low_level import Type, hash_secret_raw
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.models import SyncKey, SyncKeySlot, User
from app.security.roles import Perm, permissions
from app.sync.crypto import CryptoError, seal, unseal
from app.sync.errors import BundleError

SLOT_AAD = b"uniondesk-key-slot-v1"


def _params() -> dict:
    # UNIONDESK_FAST_KDF is for the test suite only (as for password hashes).
    if os.environ.get("UNIONDESK_FAST_KDF") == "1":
        return {"alg": "argon2id", "t": 1, "m": 1024, "p": 1}
    return {"alg": "argon2id", "t": 3, "m": 65536, "p": 4}  # RFC 9106 low-memory profile


def derive_kek(password: str, salt: bytes, params: dict) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=params["t"],
                           memory_cost=params["m"], parallelism=params["p"], hash_len=32,
                           type=Type.ID)


def write_slot(session: Session, user_id: str, password: str, dk: bytes) -> None:
    params = _params()
    salt = os.urandom(16)
    params["salt"] = salt.hex()
    wrapped = seal(derive_kek(password, salt, params), dk, SLOT_AAD + user_id.encode())
    slot = session.get(SyncKeySlot, user_id)
    if slot is None:
        session.add(SyncKeySlot(user_id=user_id, kdf=json.dumps(params), wrapped=wrapped))
    else:
        slot.kdf, slot.wrapped, slot.created_at = json.dumps(params), wrapped, utcnow()
    session.flush()


def open_slot(session: Session, user_id: str, password: str) -> bytes | None:
    slot = session.get(SyncKeySlot, user_id)
    if slot is None:
        return None
    params = json.loads(slot.kdf)
    kek = derive_kek(password, bytes.fromhex(params["salt"]), params)
    try:
        return unseal(kek, slot.wrapped, SLOT_AAD + user_id.encode())
    except CryptoError:
        return None


# -- the in-memory keyring on the open database handle ------------------------------------------
def _ring(db) -> dict:
    return db.__dict__.setdefault("_sync_keyring", {})


def remember(db, user_id: str, dk: bytes) -> None:
    _ring(db)[user_id] = dk


def forget(db, user_id: str | None = None) -> None:
    ring = _ring(db)
    ring.clear() if user_id is None else ring.pop(user_id, None)


def cached(db, user_id: str) -> bytes | None:
    return _ring(db).get(user_id) if db is not None else None


def keys_exist(session: Session) -> bool:
    return session.scalar(select(SyncKey.unit_id).limit(1)) is not None


def unlock(db, actor, password: str) -> bytes:
    """Open the acting user's slot with their password and keep the data key for the session.
    On a database initialised before keys existed, the first user with the exchange permission
    creates the data key, their slot and the unit keys."""
    actor.require(Perm.SYNC, "使用数据交换密钥")
    with db.session(actor) as s:
        if not keys_exist(s):
            from app.sync.keys import create_unit_keys

            dk = os.urandom(32)
            write_slot(s, actor.user_id, password, dk)
            create_unit_keys(s, dk, db.root_unit_id, db.level)
        else:
            dk = open_slot(s, actor.user_id, password)
            if dk is None:
                if s.get(SyncKeySlot, actor.user_id) is None:
                    raise BundleError("E_LOCKED", f"用户 {actor.username} 还没有本单位密钥的使用权限。"
                                      "请系统管理员登录后重置该用户的密码(重置时自动开通),或由管理员进行数据交换。")
                raise BundleError("E_LOCKED", "密码不正确,无法解锁本单位密钥")
    remember(db, actor.user_id, dk)
    return dk


def data_key(db, actor) -> bytes:
    dk = cached(db, actor.user_id)
    if dk is None:
        raise BundleError("E_LOCKED", "本单位密钥尚未解锁:请输入您的登录密码解锁后再进行数据交换")
    return dk


# -- hooks called from app.security.users --------------------------------------------------------
def _may_sync(role: str) -> bool:
    return Perm.SYNC in permissions(role)


def on_user_created(session: Session, actor, user: User, password: str) -> None:
    """A new account that may exchange data gets a slot, wrapped with its initial password, when
    the creating administrator's data key is unlocked in this session."""
    dk = cached(session.info.get("db"), actor.user_id)
    if dk is not None and _may_sync(user.role):
        write_slot(session, user.id, password, dk)


def on_password_changed(session: Session, actor, user: User, new_password: str,
                        old_password: str | None) -> None:
    """Own change: re-wrap the slot under the new password. Reset by an administrator whose data
    key is unlocked: a new slot for the new password (this is also how a slot is granted)."""
    dk = None
    if old_password is not None and actor.user_id == user.id:
        dk = open_slot(session, user.id, old_password)
    if dk is None:
        dk = cached(session.info.get("db"), actor.user_id)
    if dk is not None and _may_sync(user.role):
        write_slot(session, user.id, new_password, dk)
