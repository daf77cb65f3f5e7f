"""Named crash points for the kill tests (reliability-and-security.md §4.1).

``UNIONDESK_CRASH_AT=label:n`` makes the n-th pass through ``crash_point(label)`` end the process at
once with ``os._exit(137)`` (as a power cut or SIGKILL would: no cleanup, no rollback handler).
Unset, a crash point costs one dictionary look-up.
"""

from __future__ import annotations

import os

_passes: dict[str, int] = {}


def _target() -> tuple[str, int] | None:
    spec = os.environ.get("UNIONDESK_CRASH_AT")
    if not spec:
        return None
    label, _, n = spec.rpartition(":")
    return (label, int(n)) if label and n.isdigit() else (spec, 1)


def crash_point(label: str) -> None:
    target = _target()
    if target is None or target[0] != label:
        return
    _passes[label] = _passes.get(label, 0) + 1
    if _passes[label] >= target[1]:
        os._exit(137)
