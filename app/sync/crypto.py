"""Signing, key wrapping and chunked authenticated encryption (pyca/cryptography).

- Ed25519 signs the exact bytes of a bundle's manifest (which lists the SHA-256 of every member).
- A fresh AES-256-GCM content key per bundle; each member is a stream of 1 MiB chunks, framed by a
  4-byte length. Nonce = member index ‖ chunk index; the AAD binds bundle id, member name, chunk
  index and a last-chunk flag, so chunks cannot be swapped, reordered, replayed across members or
  cut off (the stream must end with a chunk flagged last).
- The content key is wrapped per recipient: ephemeral X25519 → HKDF-SHA256 (salt = bundle id,
  info = label ‖ sender key id ‖ recipient key id) → AES-GCM.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CHUNK = 1 << 20
TAG = 16
WRAP_INFO = b"uniondesk-bundle-v1"
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
_RAW_PRIV = (serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
             serialization.NoEncryption())


class CryptoError(Exception):
    """Authentication failed (wrong key, changed or truncated ciphertext)."""


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def new_signing_key() -> tuple[bytes, bytes]:
    k = Ed25519PrivateKey.generate()
    return k.private_bytes(*_RAW_PRIV), k.public_key().public_bytes(*_RAW)


def new_encryption_key() -> tuple[bytes, bytes]:
    k = X25519PrivateKey.generate()
    return k.private_bytes(*_RAW_PRIV), k.public_key().public_bytes(*_RAW)


def sign(private: bytes, data: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).sign(data)


def verify(public: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
        return True
    except (InvalidSignature, ValueError):
        return False


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce ‖ AES-GCM ciphertext (for small secrets: wrapped keys, private keys)."""
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], aad)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("authentication failed") from exc


def _kek(shared: bytes, bundle_id: str, sender_kid: str, recipient_kid: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=bundle_id.encode(),
                info=WRAP_INFO + sender_kid.encode() + b"|" + recipient_kid.encode()).derive(shared)


def wrap_key(content_key: bytes, recipient_pub: bytes, *, bundle_id: str, sender_kid: str) -> dict:
    eph = X25519PrivateKey.generate()
    rkid = key_id(recipient_pub)
    kek = _kek(eph.exchange(X25519PublicKey.from_public_bytes(recipient_pub)), bundle_id,
               sender_kid, rkid)
    from app.sync.canonical import b64

    return {"key_id": rkid, "eph": b64(eph.public_key().public_bytes(*_RAW)),
            "wrapped": b64(seal(kek, content_key, bundle_id.encode()))}


def unwrap_key(entry: dict, recipient_priv: bytes, *, bundle_id: str, sender_kid: str) -> bytes:
    from app.sync.canonical import unb64

    priv = X25519PrivateKey.from_private_bytes(recipient_priv)
    try:
        shared = priv.exchange(X25519PublicKey.from_public_bytes(unb64(entry["eph"])))
    except ValueError as exc:
        raise CryptoError("bad ephemeral key") from exc
    kek = _kek(shared, bundle_id, sender_kid, entry["key_id"])
    return unseal(kek, unb64(entry["wrapped"]), bundle_id.encode())


def _nonce(member_index: int, chunk_index: int) -> bytes:
    return struct.pack(">IQ", member_index, chunk_index)


def _aad(bundle_id: str, name: str, chunk_index: int, last: bool) -> bytes:
    return b"%s\0%s\0" % (bundle_id.encode(), name.encode()) + struct.pack(">QB", chunk_index, last)


class ChunkWriter:
    """File-like: encrypts what is written into framed chunks on ``out``. ``close()`` writes the
    final chunk (flagged last, possibly empty). Holds at most two chunks in memory."""

    def __init__(self, out, key: bytes, *, bundle_id: str, name: str, member_index: int):
        self._out, self._aes = out, AESGCM(key)
        self._bundle_id, self._name, self._member = bundle_id, name, member_index
        self._buf = bytearray()
        self._index = 0
        self.plain_size = 0

    def write(self, data: bytes) -> None:
        self._buf += data
        self.plain_size += len(data)
        while len(self._buf) > CHUNK:  # keep at least one byte: the last chunk is never empty
            self._emit(bytes(self._buf[:CHUNK]), last=False)
            del self._buf[:CHUNK]

    def _emit(self, plain: bytes, *, last: bool) -> None:
        ct = self._aes.encrypt(_nonce(self._member, self._index), plain,
                               _aad(self._bundle_id, self._name, self._index, last))
        self._out.write(struct.pack(">I", len(ct)))
        self._out.write(ct)
        self._index += 1

    def close(self) -> None:
        self._emit(bytes(self._buf), last=True)
        self._buf.clear()


def decrypt_chunks(src, key: bytes, *, bundle_id: str, name: str, member_index: int,
                   limit: int) -> Iterator[bytes]:
    """Plaintext chunks of one member read from ``src``. Raises CryptoError on any change,
    truncation (no last chunk), trailing data, or more than ``limit`` plaintext bytes."""
    aes = AESGCM(key)
    index = total = 0
    while True:
        head = src.read(4)
        if len(head) != 4:
            raise CryptoError("stream ends before its last chunk")
        (n,) = struct.unpack(">I", head)
        if n < TAG or n > CHUNK + TAG:
            raise CryptoError("bad chunk length")
        ct = src.read(n)
        if len(ct) != n:
            raise CryptoError("chunk cut off")
        nonce = _nonce(member_index, index)
        try:
            plain = aes.decrypt(nonce, ct, _aad(bundle_id, name, index, False))
            last = False
        except InvalidTag:
            try:
                plain = aes.decrypt(nonce, ct, _aad(bundle_id, name, index, True))
            except InvalidTag as exc:
                raise CryptoError("chunk authentication failed") from exc
            last = True
        total += len(plain)
        if total > limit:
            raise CryptoError("more data than declared")
        index += 1
        yield plain
        if last:
            if src.read(1):
                raise CryptoError("data after the last chunk")
            return
