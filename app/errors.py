"""Errors the user may see. Every message is plain Chinese and says what to do.

Services raise these; the CLI prints the message on one line and exits non-zero, the UI shows it in a
dialog or beside the field. Anything else reaching the top is a bug and is logged with a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping


class AppError(Exception):
    """A failure the user can understand and act on."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(AppError):
    pass


class PermissionDenied(AppError):
    exit_code = 3


class AuthError(AppError):
    exit_code = 4


class DatabaseError(AppError):
    """The database file cannot be used as it is (damaged, newer schema, wrong place)."""

    exit_code = 5


class ValidationFailed(AppError):
    """One or more fields are wrong; ``errors`` maps field key → message."""

    exit_code = 2

    def __init__(self, errors: Mapping[str, str], labels: Mapping[str, str] | None = None):
        self.errors = dict(errors)
        labels = labels or {}
        parts = [f"{labels.get(k, k)}:{msg}" for k, msg in self.errors.items()]
        super().__init__(";".join(parts) or "数据校验未通过")
