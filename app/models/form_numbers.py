"""The register of office numbers (编号) given to printed forms: one row per form kind and subject
(the record a form prints, or the content of a list), so a form keeps its number every time it
is printed again and a number once given is never given to anything else.

The number is an issued serial of one county, form kind and year; two PCs of one county may give
the same one between exchanges, so ``number`` carries ``__number_key__`` (a clash is queued at
import and renumbered, as 档案编号 are) and has a plain, not a unique, index.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin


class FormNumber(SyncMixin, Base):
    __tablename__ = "form_numbers"
    __number_key__ = "number"  # an issued serial: two live rows sharing one are a clash
    __sync_protected__ = ("number", "kind", "subject")

    number: Mapped[str] = mapped_column(String(40), index=True)  # 341122-困档-2026-0012
    county_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(8))  # 困档, 签收 … (the form kind's short name)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(64))  # record id, or a list's content digest
    form: Mapped[str] = mapped_column(String(40), default="")  # the form's name (archive_form)

    __table_args__ = (Index("ix_form_numbers_series", "county_code", "kind", "year"),
                      Index("ix_form_numbers_subject", "kind", "subject"))
