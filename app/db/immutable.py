"""Append-only record types (``__immutable__ = True``): rows are inserted once and never changed.

The money ledger and the review history are such tables. This flush guard refuses an UPDATE or
DELETE through the ORM with a plain-Chinese message, and SQLite triggers on each table refuse them
through SQL as well (``app.models.hardship.immutable_triggers``). A sync import that meets a known
id with different content must raise an integrity alarm instead of overwriting.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.db.engine import AppSession
from app.errors import AppError


class ImmutableRecord(AppError):
    pass


def is_immutable(obj_or_cls) -> bool:
    return getattr(obj_or_cls, "__immutable__", False)


@event.listens_for(AppSession, "before_flush")
def _refuse_changes(session: Session, _flush_context, _instances) -> None:
    for obj in session.deleted:
        if is_immutable(obj):
            raise ImmutableRecord(_message(obj))
    for obj in session.dirty:
        if is_immutable(obj) and session.is_modified(obj):
            raise ImmutableRecord(_message(obj))


def _message(obj) -> str:
    from app.fields.registry import describe

    title, _ = describe(obj)
    return f"{title}记录一经登记不能修改或删除;如有差错,请登记冲正(更正)记录"
