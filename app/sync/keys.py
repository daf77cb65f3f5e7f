"""Unit keys and key cards.

Each installation has, for its unit, an Ed25519 signing key and an X25519 encryption key (a city
also has a recovery key, a recipient of every county bundle). Private keys are sealed with the data
key (``keyslots``). A key card is a small signed file with the unit's name, code, level and public
keys; its fingerprint (8 groups of 4 digits of SHA-256) is read aloud by phone before the card is
trusted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.errors import AppError, NotFound
from app.models import Installation, SyncKey, SyncPeer, Unit
from app.security import audit
from app.security.roles import Perm
from app.sync import crypto
from app.sync.canonical import b64, dumps, loads, unb64
from app.sync.errors import BundleError

CARD_FORMAT = "uniondesk-keycard"
CARD_VERSION = 1
MAX_CARD = 16 * 1024


def unit_key_aad(unit_id: str, what: str) -> bytes:
    """What a sealed private key is bound to (its unit and purpose)."""
    return f"uniondesk-unit-key:{unit_id}:{what}".encode()


def create_unit_keys(session: Session, dk: bytes, unit_id: str, level: str) -> SyncKey:
    sign_priv, sign_pub = crypto.new_signing_key()
    enc_priv, enc_pub = crypto.new_encryption_key()
    key = SyncKey(unit_id=unit_id, sign_pub=sign_pub, enc_pub=enc_pub,
                  sign_priv_enc=crypto.seal(dk, sign_priv, unit_key_aad(unit_id, "sign")),
                  enc_priv_enc=crypto.seal(dk, enc_priv, unit_key_aad(unit_id, "enc")))
    if level == "city":
        rec_priv, rec_pub = crypto.new_encryption_key()
        key.recovery_pub = rec_pub
        key.recovery_priv_enc = crypto.seal(dk, rec_priv, unit_key_aad(unit_id, "recovery"))
    session.add(key)
    session.flush()
    audit.append(session, action="keys_create", object_type="sync_keys", object_id=unit_id,
                 summary="生成本单位数据交换密钥(签名 Ed25519,加密 X25519)"
                         + (",以及市级恢复密钥" if level == "city" else ""),
                 detail={"sign_key_id": crypto.key_id(sign_pub), "enc_key_id": crypto.key_id(enc_pub)})
    return key


def provision_at_setup(session: Session, db, admin_user, admin_password: str, unit_id: str,
                       level: str) -> None:
    """Called by ``setup.init_installation``: the data key, the administrator's slot, the unit
    keys; the data key stays unlocked for the administrator who just chose the password."""
    import os

    from app.sync import keyslots

    dk = os.urandom(32)
    keyslots.write_slot(session, admin_user.id, admin_password, dk)
    create_unit_keys(session, dk, unit_id, level)
    keyslots.remember(db, admin_user.id, dk)
    from app.sync.identity import remember_home

    remember_home(session, db)


@dataclass(frozen=True)
class UnitKeys:
    unit_id: str
    sign_priv: bytes
    sign_pub: bytes
    enc_priv: bytes
    enc_pub: bytes
    recovery_priv: bytes | None
    recovery_pub: bytes | None

    @property
    def sign_key_id(self) -> str:
        return crypto.key_id(self.sign_pub)

    @property
    def enc_key_id(self) -> str:
        return crypto.key_id(self.enc_pub)


def own_key(session: Session) -> SyncKey:
    unit_id = session.info.get("root_unit_id")
    key = session.get(SyncKey, unit_id) if unit_id else None
    if key is None:
        raise BundleError("E_NO_KEYS", "本机还没有数据交换密钥:请用有数据交换权限的账户输入密码解锁,首次使用时自动生成")
    return key


def load_keys(session: Session, dk: bytes) -> UnitKeys:
    key = own_key(session)
    u = key.unit_id
    try:
        return UnitKeys(
            unit_id=u, sign_pub=key.sign_pub, enc_pub=key.enc_pub,
            sign_priv=crypto.unseal(dk, key.sign_priv_enc, unit_key_aad(u, "sign")),
            enc_priv=crypto.unseal(dk, key.enc_priv_enc, unit_key_aad(u, "enc")),
            recovery_pub=key.recovery_pub,
            recovery_priv=(crypto.unseal(dk, key.recovery_priv_enc, unit_key_aad(u, "recovery"))
                           if key.recovery_priv_enc else None))
    except crypto.CryptoError:
        raise BundleError("E_LOCKED", "数据密钥与本单位密钥不符,无法解锁") from None


# -- key cards ----------------------------------------------------------------------------------
def fingerprint_of(body: dict) -> str:
    core = {k: body.get(k) for k in ("unit_id", "unit_code", "level", "sign_pub", "enc_pub",
                                     "recovery_pub")}
    n = int.from_bytes(hashlib.sha256(dumps(core)).digest()[:16], "big") % 10**32
    digits = f"{n:032d}"
    return " ".join(digits[i:i + 4] for i in range(0, 32, 4))


def normalize_fingerprint(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def card_body(session: Session) -> dict:
    key = own_key(session)
    unit = session.get(Unit, key.unit_id)
    inst = session.scalar(select(Installation))
    return {"format": CARD_FORMAT, "version": CARD_VERSION, "unit_id": unit.id,
            "unit_code": unit.code or "", "unit_name": unit.name, "level": inst.level,
            "device_id": inst.device_id, "device_name": inst.device_name or "",
            "sign_pub": b64(key.sign_pub), "enc_pub": b64(key.enc_pub),
            "recovery_pub": b64(key.recovery_pub) if key.recovery_pub else None}


def own_fingerprint(session: Session) -> str:
    return fingerprint_of(card_body(session))


def export_card(session: Session, actor, dk: bytes) -> bytes:
    actor.require(Perm.SYNC, "导出本单位密钥卡")
    body = card_body(session)
    body["created_at"] = utcnow().isoformat(timespec="seconds") + "Z"
    keys = load_keys(session, dk)
    card = dumps({"card": body, "sig": b64(crypto.sign(keys.sign_priv, dumps(body)))})
    audit.append(session, action="key_card_export", actor=actor, object_type="sync_keys",
                 object_id=keys.unit_id, summary=f"导出本单位密钥卡,指纹 {fingerprint_of(body)}")
    return card


@dataclass(frozen=True)
class Card:
    body: dict
    raw: bytes
    fingerprint: str

    @property
    def sign_pub(self) -> bytes:
        return unb64(self.body["sign_pub"])

    @property
    def enc_pub(self) -> bytes:
        return unb64(self.body["enc_pub"])

    @property
    def recovery_pub(self) -> bytes | None:
        r = self.body.get("recovery_pub")
        return unb64(r) if r else None

    @property
    def sign_key_id(self) -> str:
        return crypto.key_id(self.sign_pub)


def parse_card(raw: bytes) -> Card:
    """Read a key card and check its self-signature (proves the sender holds the private key)."""
    if len(raw) > MAX_CARD:
        raise AppError("这不是密钥卡文件(文件过大)")
    try:
        doc = loads(raw)
        body, sig = doc["card"], unb64(doc["sig"])
        if body.get("format") != CARD_FORMAT:
            raise ValueError
        if int(body.get("version", 0)) > CARD_VERSION:
            raise AppError("该密钥卡由较新版本的程序生成,请先升级本程序")
        for k in ("unit_id", "unit_code", "unit_name", "level", "sign_pub", "enc_pub"):
            if not isinstance(body.get(k), str):
                raise ValueError
        if body["level"] not in ("county", "city"):
            raise ValueError
        sign_pub = unb64(body["sign_pub"])
        if len(sign_pub) != 32 or len(unb64(body["enc_pub"])) != 32:
            raise ValueError
    except AppError:
        raise
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        raise AppError("这不是有效的密钥卡文件(格式不符)") from None
    if not crypto.verify(sign_pub, sig, dumps(body)):
        raise AppError("密钥卡的自签名不正确,文件可能被改动过,不能使用")
    return Card(body, raw, fingerprint_of(body))


def add_card(session: Session, actor, raw: bytes) -> SyncPeer:
    """Store a card (not yet trusted). A card seen before is returned as it is."""
    actor.require(Perm.TRUST_KEYS, "导入对方密钥卡")
    card = parse_card(raw)
    own = own_key(session)
    if card.sign_pub == own.sign_pub:
        raise AppError("这是本机自己的密钥卡,应交给对方导入")
    return store_card(session, card)


def store_card(session: Session, card: Card) -> SyncPeer:
    """Keep a parsed card as a peer (not trusted by this alone); a known one is updated."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.sign_key_id == card.sign_key_id))
    b = card.body
    name = b.get("device_name") if isinstance(b.get("device_name"), str) else ""
    if peer is None:
        peer = SyncPeer(sign_key_id=card.sign_key_id, unit_id=b["unit_id"], unit_code=b["unit_code"],
                        unit_name=b["unit_name"], level=b["level"], device_id=b.get("device_id") or "",
                        device_name=name[:50], sign_pub=card.sign_pub, enc_pub=card.enc_pub,
                        recovery_pub=card.recovery_pub, card=card.raw, fingerprint=card.fingerprint)
        session.add(peer)
    else:
        peer.unit_name, peer.card, peer.device_name = b["unit_name"], card.raw, name[:50]
    session.flush()
    return peer


def trust(session: Session, actor, peer_id: str, fingerprint: str) -> SyncPeer:
    """Trust a peer after the user typed or confirmed the fingerprint read by the other office."""
    actor.require(Perm.TRUST_KEYS, "信任对方密钥卡")
    peer = session.get(SyncPeer, peer_id)
    if peer is None:
        raise NotFound("找不到该密钥卡")
    if normalize_fingerprint(fingerprint) != normalize_fingerprint(peer.fingerprint):
        raise FingerprintMismatch("指纹不一致:该密钥卡与对方电话中核对的不同,可能被调换。"
                                  "请勿信任,重新向对方索取密钥卡", peer.unit_name, peer.unit_code)
    if not peer.trusted or peer.revoked:
        peer.trusted, peer.revoked = True, False
        peer.trusted_at, peer.trusted_by = utcnow(), actor.username
        audit.append(session, action="key_trust", actor=actor, object_type="sync_peers",
                     object_id=peer.id, summary=f"信任 {peer.unit_name}({peer.unit_code})的密钥卡,"
                                                f"指纹 {peer.fingerprint}")
    return peer


class FingerprintMismatch(AppError):
    """The fingerprint read by the other office is not the card's: nothing is trusted or kept."""

    def __init__(self, message: str, unit_name: str, unit_code: str):
        super().__init__(message)
        self.unit_name, self.unit_code = unit_name, unit_code


def audit_failed_trust(session: Session, actor, unit_name: str, unit_code: str) -> None:
    """A refused trust, audited in a transaction of its own (the failed one stores nothing)."""
    audit.append(session, action="key_trust", actor=actor, success=False, object_type="sync_peers",
                 summary=f"信任密钥卡失败:{unit_name}({unit_code})指纹不一致")


def revoke(session: Session, actor, peer_id: str) -> SyncPeer:
    actor.require(Perm.TRUST_KEYS, "撤销对方密钥卡")
    peer = session.get(SyncPeer, peer_id)
    if peer is None:
        raise NotFound("找不到该密钥卡")
    peer.revoked, peer.trusted = True, False
    audit.append(session, action="key_revoke", actor=actor, object_type="sync_peers",
                 object_id=peer.id, summary=f"撤销对 {peer.unit_name}({peer.unit_code})密钥卡的信任")
    return peer


def recovery_recipients(session: Session) -> list[bytes]:
    """The recovery keys of every trusted city (added as a recipient of each county bundle)."""
    return [p.recovery_pub for p in session.scalars(
        select(SyncPeer).where(SyncPeer.trusted.is_(True), SyncPeer.revoked.is_(False),
                               SyncPeer.recovery_pub.is_not(None)))]


# -- the city's recovery key, kept offline as a passphrase-protected file -----------------------
RECOVERY_FORMAT = "uniondesk-recovery-key"


def export_recovery(session: Session, actor, dk: bytes, passphrase: str) -> bytes:
    import os

    from app.sync.keyslots import _params, derive_kek

    actor.require(Perm.SYNC, "导出恢复密钥")
    keys = load_keys(session, dk)
    if keys.recovery_priv is None:
        raise AppError("只有市级单位有恢复密钥")
    params = _params()
    salt = os.urandom(16)
    params["salt"] = salt.hex()
    sealed = crypto.seal(derive_kek(passphrase, salt, params), keys.recovery_priv,
                         RECOVERY_FORMAT.encode())
    audit.append(session, action="recovery_export", actor=actor, object_type="sync_keys",
                 object_id=keys.unit_id, summary="导出市级恢复密钥文件(口令保护)")
    return dumps({"format": RECOVERY_FORMAT, "kdf": params, "sealed": b64(sealed),
                  "recovery_pub": b64(keys.recovery_pub)})


def import_recovery(session: Session, actor, dk: bytes, raw: bytes, passphrase: str) -> None:
    """Install a recovery key file on a (re-installed) city installation, so that bundles sent to
    the lost city key can still be opened."""
    from app.sync.keyslots import derive_kek

    actor.require(Perm.SYNC, "导入恢复密钥")
    try:
        doc = loads(raw)
        if doc.get("format") != RECOVERY_FORMAT:
            raise ValueError
        params = doc["kdf"]
        kek = derive_kek(passphrase, bytes.fromhex(params["salt"]), params)
        priv = crypto.unseal(kek, unb64(doc["sealed"]), RECOVERY_FORMAT.encode())
    except crypto.CryptoError:
        raise AppError("恢复口令不正确") from None
    except (ValueError, KeyError, TypeError):
        raise AppError("这不是恢复密钥文件") from None
    key = own_key(session)
    key.recovery_pub = unb64(doc["recovery_pub"])
    key.recovery_priv_enc = crypto.seal(dk, priv, unit_key_aad(key.unit_id, "recovery"))
    audit.append(session, action="recovery_import", actor=actor, object_type="sync_keys",
                 object_id=key.unit_id, summary="导入市级恢复密钥")
