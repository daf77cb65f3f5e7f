"""Named crash points for the crash-safety tests.

``UNIONDESK_CRASH_AT=label:n`` (several separated by commas; ``n`` defaults to 1) makes the n-th call
of ``crashpoint(label)`` end the process on the spot with exit code 137: no ``finally``, no close,
no checkpoint — what SQLite sees when the process is killed or the power fails. Unset (always, in
normal use) a crash point costs one dictionary truthiness test.
"""

from __future__ import annotations

import os

ENV = "UNIONDESK_CRASH_AT"
EXIT_CODE = 137  # what a shell reports for SIGKILL (128 + 9)


def _parse(spec: str) -> dict[str, int]:
    targets: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        label, _, count = item.partition(":")
        targets[label.strip()] = int(count) if count.strip() else 1
    return targets


_targets = _parse(os.environ.get(ENV, ""))
_passes: dict[str, int] = {}


def crashpoint(label: str) -> None:
    """End the process here if the environment asks for it at this pass."""
    if not _targets or label not in _targets:
        return
    _passes[label] = _passes.get(label, 0) + 1
    if _passes[label] == _targets[label]:
        os._exit(EXIT_CODE)


def armed() -> dict[str, int]:
    """The crash points this process will stop at (for logs and tests)."""
    return dict(_targets)
