"""A second PC of one unit (新增本单位的一台电脑), and the cards that announce it.

Every PC of a unit has its own device id, its own keys and its own channel to every peer: two PCs
of one county are two peers of the city, each numbering its own bundles, so both may send their
"第 2 号" and the city imports both. A PC is set up either by ``init`` with the unit's code (then
the two PCs exchange cards and the first sends a full bundle), or from a copy of the first PC's
database. A copy shares the original's keys and channel numbers, so it is found out at start
(``identity.check_identity``: another machine or path) and may exchange nothing until it enrols:
``enrol_device`` gives it keys of its own, starts its channels afresh (the history it copied keeps
the original's key id) and trusts the original's card, which it already holds.

The other PCs learn of it by card: the original imports the new card and checks its fingerprint
(the two PCs stand side by side); after that every bundle carries the cards of the unit's trusted
PCs (``cards_to_send``), and a peer that trusts the sender takes those of the sender's own unit
(``adopt_cards``) — the city needs no phone call for a county's second PC. Between two PCs of one
unit every trusted card travels, so a new PC also learns the city's card from its sibling.
"""

from __future__ import annotations

import json

from sqlalchemy import select, update

from app.clock import utcnow
from app.errors import AppError, InvalidInput
from app.models import Installation, SyncBundle, SyncPeer
from app.security import audit
from app.security.roles import Perm
from app.sync.canonical import b64, unb64
from app.sync.errors import BundleError

# app.sync.crypto and app.sync.keys (cryptography) are imported where used: every start runs
# ``mark_copy`` through the identity check, and everyday CLI commands stay light.

ENROL_KEY = "sync.enrol"  # local_state: set on a copied database until it enrols
MAX_NAME = 50


def _state(session) -> dict | None:
    from sqlalchemy import text

    raw = session.execute(text("SELECT value FROM local_state WHERE key = :k"), {"k": ENROL_KEY}).scalar()
    return json.loads(raw) if raw else None


def mark_copy(session, reason: str) -> None:
    """A copied database: no exchange until it enrols as a PC of its own (or is declared moved)."""
    from sqlalchemy import text

    session.execute(text("INSERT INTO local_state(key, value) VALUES (:k, :v) ON CONFLICT(key) DO "
                         "UPDATE SET value = excluded.value"),
                    {"k": ENROL_KEY, "v": json.dumps({"reason": reason, "at": utcnow().isoformat()},
                                                      ensure_ascii=False)})


def needs_enrolment(session) -> str | None:
    """Why this database must enrol before it exchanges (None when it need not)."""
    state = _state(session)
    return state.get("reason", "") if state else None


def require_enrolled(db) -> None:
    with db.read_session() as s:
        why = needs_enrolment(s)
    if why is not None:
        raise BundleError("E_NOT_ENROLLED",
                          f"{why}:它与原来那台电脑共用同一套密钥和数据包编号,两台电脑的数据包会互相覆盖。"
                          "请先在“数据交换 › 本单位密钥”中“登记为本单位的另一台电脑”(生成本机自己的密钥),"
                          "再把本机的密钥卡交给原来那台电脑核对指纹")


def enrol_device(db, actor, device_name: str) -> str:
    """Give this (copied) installation keys of its own as another PC of its unit. Returns the new
    fingerprint, to be read against the original PC's screen when it trusts the new card."""
    from sqlalchemy import text

    from app.sync import crypto, keys, keyslots

    actor.require(Perm.SYNC, "登记本单位的另一台电脑")
    name = _clean_name(device_name)
    dk = keyslots.data_key(db, actor)
    with db.session(actor) as s:
        s.info["root_unit_id"] = db.root_unit_id
        old = keys.load_keys(s, dk)
        old_card = keys.card_body(s)
        old_kid = old.sign_key_id
        key = keys.own_key(s)
        sign_priv, sign_pub = crypto.new_signing_key()
        enc_priv, enc_pub = crypto.new_encryption_key()
        key.sign_pub, key.enc_pub = sign_pub, enc_pub
        key.sign_priv_enc = crypto.seal(dk, sign_priv, keys.unit_key_aad(key.unit_id, "sign"))
        key.enc_priv_enc = crypto.seal(dk, enc_priv, keys.unit_key_aad(key.unit_id, "enc"))
        # the copied history stays, under the original's key: it no longer counts for channels
        s.execute(update(SyncBundle).where(SyncBundle.local_key_id == "").values(local_key_id=old_kid))
        for peer in s.scalars(select(SyncPeer)):
            peer.out_seq = peer.out_basis_seq = peer.acked_seq = peer.in_seq = 0
            peer.out_prev_sha256 = peer.in_prev_sha256 = ""
            peer.acked_at = None
        s.scalar(select(Installation)).device_name = name
        _trust_original(s, old_card, old.sign_pub, old.enc_pub)
        s.execute(text("DELETE FROM local_state WHERE key = :k"), {"k": ENROL_KEY})
        fingerprint = keys.own_fingerprint(s)
        audit.append(s, action="device_enrol", actor=actor, object_type="sync_keys",
                     object_id=key.unit_id,
                     summary=f"登记为本单位的另一台电脑“{name}”:生成本机密钥,指纹 {fingerprint};"
                             f"原电脑的密钥 {old_kid[:8]}… 作为已信任的本单位电脑保留",
                     detail={"old_sign_key_id": old_kid, "new_sign_key_id": crypto.key_id(sign_pub)})
    return fingerprint


def declare_moved(db, actor) -> None:
    """The database was moved (the old place is no longer used), not copied: it stays the same
    PC, with its keys and channels."""
    from sqlalchemy import text

    actor.require(Perm.SYNC, "确认数据库只是移动了位置")
    with db.session(actor) as s:
        s.execute(text("DELETE FROM local_state WHERE key = :k"), {"k": ENROL_KEY})
        audit.append(s, action="device_moved", actor=actor, object_type="installation",
                     summary="确认本机数据库是移动而非复制,继续作为原来的电脑交换数据")


def _trust_original(session, card: dict, sign_pub: bytes, enc_pub: bytes) -> None:
    """The PC this database was copied from: its public card is the one this copy held as its
    own, so it is trusted without a phone call."""
    from app.sync import crypto, keys

    kid = crypto.key_id(sign_pub)
    if session.scalar(select(SyncPeer).where(SyncPeer.sign_key_id == kid)) is not None:
        return
    raw = json.dumps({"card": card}, ensure_ascii=False).encode()
    session.add(SyncPeer(sign_key_id=kid, unit_id=card["unit_id"], unit_code=card["unit_code"],
                         unit_name=card["unit_name"], level=card["level"],
                         device_id=card.get("device_id") or "", device_name=card.get("device_name") or "",
                         sign_pub=sign_pub, enc_pub=enc_pub, card=raw,
                         fingerprint=keys.fingerprint_of(card), trusted=True, trusted_at=utcnow(),
                         trusted_by="复制来源"))


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"请为这台电脑起一个名字(不超过 {MAX_NAME} 个字,例如“办公室二号机”)")
    return name


def set_device_name(db, actor, name: str) -> None:
    actor.require(Perm.SYNC, "设置本机名称")
    with db.session(actor) as s:
        s.scalar(select(Installation)).device_name = _clean_name(name)
        audit.append(s, action="device_name", actor=actor, object_type="installation",
                     summary=f"本机名称设为“{name.strip()}”")


# -- cards travelling in bundles -----------------------------------------------------------------
def cards_to_send(session, peer: SyncPeer, own_code: str) -> list[str]:
    """The signed cards this bundle carries: to a PC of our own unit, every trusted card; to
    another unit, those of our unit's other PCs."""
    same = bool(own_code) and peer.unit_code == own_code
    q = select(SyncPeer.card).where(SyncPeer.trusted.is_(True), SyncPeer.revoked.is_(False),
                                    SyncPeer.id != peer.id)
    if not same:
        q = q.where(SyncPeer.unit_code == own_code)
    return [b64(raw) for raw in session.scalars(q.order_by(SyncPeer.sign_key_id))
            if _signed(raw)]


def _signed(raw: bytes) -> bool:
    """Only a card as its owner signed it travels (not the bare card kept for an original PC)."""
    from app.sync import keys

    try:
        keys.parse_card(raw)
        return True
    except AppError:
        return False


def adopt_cards(session, sender: SyncPeer, cards: list, own_code: str, *, write: bool) -> list[str]:
    """Trust the cards a trusted sender vouches for: PCs of the sender's own unit, or — from a PC
    of our own unit — any card it trusts. Returns a line per card taken (for the report)."""
    from app.sync import keys

    if not isinstance(cards, list):
        return []
    own = keys.own_key(session)
    same = bool(own_code) and sender.unit_code == own_code
    lines = []
    for item in cards[:200]:
        try:
            card = keys.parse_card(unb64(item))
        except (AppError, TypeError, ValueError):
            continue
        body = card.body
        if card.sign_pub == own.sign_pub or not (same or (body["unit_code"] == sender.unit_code
                                                            and body["level"] == sender.level)):
            continue
        peer = session.scalar(select(SyncPeer).where(SyncPeer.sign_key_id == card.sign_key_id))
        if peer is not None and (peer.trusted or peer.revoked):
            continue
        who = body["unit_name"] + (f"({body.get('device_name')})" if body.get("device_name") else "")
        lines.append(f"{sender.unit_name}随数据包引荐了{who}的密钥卡(指纹 {card.fingerprint}),"
                     + ("已信任" if write else "导入后将信任"))
        if not write:
            continue
        if peer is None:
            peer = keys.store_card(session, card)
        peer.trusted, peer.trusted_at = True, utcnow()
        peer.trusted_by = f"由{sender.unit_name}引荐"
        audit.append(session, action="key_trust", object_type="sync_peers", object_id=peer.id,
                     summary=f"信任{who}的密钥卡(由{sender.unit_name}随数据包引荐),指纹 {card.fingerprint}")
    return lines


def device_label(unit_name: str, device_name: str, sign_key_id: str) -> str:
    """How a PC is named in lists: its unit and its name (else the start of its key id)."""
    return f"{unit_name}({device_name or '电脑 ' + sign_key_id[:6]})"


def own_sign_key_id(session) -> str:
    from app.sync import crypto, keys

    return crypto.key_id(keys.own_key(session).sign_pub)
