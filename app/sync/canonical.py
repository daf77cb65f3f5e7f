"""Canonical JSON: the exact bytes that are hashed and signed (sorted keys, no spaces, UTF-8)."""

from __future__ import annotations

import base64

import orjson


def dumps(value) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def loads(data: bytes | str):
    return orjson.loads(data)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
