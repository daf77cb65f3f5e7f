"""The QR code on every printed form: which record it is, and a hash of what was printed.

Payload: ``UD1:<KIND>:<RECORD ID>:<HASH>`` in upper case, so the QR encoder uses its compact
alphanumeric mode (a smaller symbol is easier to scan off a stamped, photocopied page). The hash is
the first 16 hex digits of the SHA-256 over the printed values, so a signed paper copy can be matched
to its record and the app can tell whether the record changed after it was printed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

PREFIX = "UD1"
HASH_LEN = 16
_PAYLOAD = re.compile(r"UD1:([A-Z0-9_]+):([A-Z0-9-]+):([0-9A-F]{16})", re.ASCII)


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def content_hash(values) -> str:
    """SHA-256 (hex, first 16) over values in canonical JSON: a mapping, or a list of mappings."""
    from app.db.engine import dumps_compact

    if isinstance(values, dict):
        plain = {k: _plain(v) for k, v in values.items()}
    else:
        plain = [{k: _plain(v) for k, v in row.items()} if isinstance(row, dict) else _plain(row)
                 for row in values]
    return hashlib.sha256(dumps_compact(plain).encode("utf-8")).hexdigest()[:HASH_LEN]


def build_payload(kind: str, record_id: str, digest: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]+", kind) or not re.fullmatch(r"[A-Za-z0-9-]+", record_id):
        raise ValueError("QR kind and record id must be ASCII letters, digits, '-' or '_'")
    if not re.fullmatch(r"[0-9a-fA-F]{16}", digest):
        raise ValueError("QR digest must be 16 hex digits")
    return f"{PREFIX}:{kind}:{record_id}:{digest}".upper()


@dataclass(frozen=True)
class QrPayload:
    kind: str
    record_id: str
    digest: str


def parse_payload(text: str) -> QrPayload | None:
    """What a scanner read off a form, or None when it is not one of ours."""
    m = _PAYLOAD.fullmatch(text.strip().upper())
    if not m:
        return None
    return QrPayload(m[1].lower(), m[2].lower(), m[3].lower())


@lru_cache(maxsize=4096)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The QR symbol's modules (True = dark), error correction level M."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


@lru_cache(maxsize=4096)
def qr_runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(module count, horizontal runs of dark modules as (row, column, length))."""
    matrix = qr_matrix(payload)
    runs = []
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(matrix), tuple(runs)
