"""The data key and its key slots (reliability-and-security.md §3.5, the LUKS idea).

A random 256-bit data key encrypts this installation's private keys. It is stored only wrapped:
once per user who may exchange data, under a key derived from that user's password (Argon2id, raw
mode, its own salt). Resetting a password re-wraps the data key; nothing else is re-encrypted.
An unlocked data key is kept in memory on the open database handle (``keyring``) for the session.

Hooks in ``app.security.users`` (documented there): a new account that may exchange data gets a
slot when the acting administrator's data key is unlocked; a password change re-wraps the user's
slot; an administrator's reset grants one. When no slot can be written the hook returns a notice
that says exactly what to do (the callers show it); a slot wrapped under a password the user no
longer has is removed, so the refusal names the real problem. The CLI unlocks the administrator's
key with the login password first (``try_unlock``); the GUI asks for it.
"""

from __future__ import annotations

import json
import os

from argon2.low_level import Type, hash_secret_raw
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.models import SyncKey, SyncKeySlot, User
from app.security.passwords import verify_password
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
                    raise BundleError("E_LOCKED", no_slot_message(actor.username))
                user = s.get(User, actor.user_id)
                if user is not None and verify_password(user.password_hash, password):
                    # the login password is right, the slot was wrapped under an older one
                    raise BundleError("E_LOCKED", no_slot_message(actor.username, stale=True))
                raise BundleError("E_LOCKED", "密码不正确,无法解锁本单位密钥:请输入您本人的登录密码")
    remember(db, actor.user_id, dk)
    return dk


def try_unlock(db, actor, password: str) -> bool:
    """Unlock the acting user's data key with a password already checked at login, if they have a
    slot; never raises and never creates keys. Used before granting a slot to someone else."""
    if cached(db, actor.user_id) is not None:
        return True
    if Perm.SYNC not in permissions(actor.role):
        return False
    with db.session(actor) as s:
        if not keys_exist(s):
            return False
        dk = open_slot(s, actor.user_id, password)
    if dk is None:
        return False
    remember(db, actor.user_id, dk)
    return True


def grant_needs_unlock(db, actor, role: str) -> bool:
    """True when an account of ``role`` made (or reset) now by ``actor`` should get a slot but the
    actor's data key is locked: the GUI then asks for the actor's password first."""
    if not _may_sync(role) or cached(db, actor.user_id) is not None:
        return False
    with db.read_session() as s:
        return keys_exist(s)


def no_slot_message(username: str, *, stale: bool = False) -> str:
    """What to do when ``username`` may exchange data but holds no usable key slot."""
    why = ("本单位密钥的使用权限是用您以前的密码开通的,已经失效" if stale
           else f"用户 {username} 还没有本单位密钥的使用权限")
    return (f"{why},不能进行数据交换。请系统管理员重置用户 {username} 的密码,重置时自动开通:"
            f"命令行 uniondesk-cli --user 管理员用户名 user passwd {username}"
            "(管理员的登录密码同时解锁本单位密钥),或在图形界面 系统管理 → 用户 中选中该用户,"
            "点 重置密码 并按提示输入管理员本人的密码。然后用新密码登录(首次登录时修改密码)即可")


def data_key(db, actor) -> bytes:
    dk = cached(db, actor.user_id)
    if dk is None:
        raise BundleError("E_LOCKED", "本单位密钥尚未解锁:请输入您的登录密码解锁后再进行数据交换")
    return dk


# -- hooks called from app.security.users --------------------------------------------------------
def _may_sync(role: str) -> bool:
    return Perm.SYNC in permissions(role)


def _grant(session: Session, actor, user: User, password: str) -> str:
    """Write ``user``'s slot under ``password`` with the actor's unlocked data key; '' when done
    or not needed, else the notice that says what to do."""
    if not _may_sync(user.role) or not keys_exist(session):
        return ""  # no exchange for this role; or the first unlock creates the keys and a slot
    dk = cached(session.info.get("db"), actor.user_id)
    if dk is not None:
        write_slot(session, user.id, password, dk)
        return ""
    _drop_slot(session, user.id)  # wrapped under a password this user no longer has
    if session.get(SyncKeySlot, actor.user_id) is None:
        return (f"用户 {user.username} 暂时不能进行数据交换:您({actor.username})本人还没有本单位密钥的"
                "使用权限,无法为其开通。请由能进行数据交换的系统管理员重置您和该用户的密码,重置时自动开通"
                f"(命令行:uniondesk-cli --user 该管理员 user passwd {user.username})")
    return (f"用户 {user.username} 暂时不能进行数据交换:本单位密钥此时没有解锁,未能为其开通。"
            "请解锁后再重置该用户的密码,重置时自动开通:图形界面 系统管理 → 用户 → 重置密码(按提示输入"
            f"您的登录密码);或命令行 uniondesk-cli --user {actor.username} user passwd {user.username}"
            "(您的登录密码同时解锁密钥)")


def _drop_slot(session: Session, user_id: str) -> None:
    slot = session.get(SyncKeySlot, user_id)
    if slot is not None:
        session.delete(slot)
        session.flush()


def on_user_created(session: Session, actor, user: User, password: str) -> str:
    """A new account that may exchange data gets a slot, wrapped with its initial password, when
    the creating administrator's data key is unlocked in this session. Returns '' or the notice
    saying why it has none and what to do."""
    return _grant(session, actor, user, password)


def on_password_changed(session: Session, actor, user: User, new_password: str,
                        old_password: str | None) -> str:
    """Own change: re-wrap the slot under the new password (the forced change at first login
    too). Reset by an administrator whose data key is unlocked: a new slot for the new password
    (this is also how a slot is granted). Returns '' or the notice, as ``on_user_created``."""
    if old_password is not None and actor.user_id == user.id:
        dk = open_slot(session, user.id, old_password)
        if dk is not None:
            write_slot(session, user.id, new_password, dk)
            return ""
        if cached(session.info.get("db"), actor.user_id) is None:
            _drop_slot(session, user.id)  # it never opened with the login password: stale
            return ""  # unlocking later says what to do (no_slot_message)
    return _grant(session, actor, user, new_password)
