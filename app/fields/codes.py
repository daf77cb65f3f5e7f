"""Code tables: the files under ``resources/codes`` that seed them, and ``CodeBook``, an in-memory
view of the database's code items used to check and label coded values."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import resources_dir


@dataclass(frozen=True)
class CodeEntry:
    code: str
    label: str
    parent: str | None = None
    active: bool = True


@dataclass(frozen=True)
class CodeTableFile:
    key: str
    name: str
    standard: str
    entries: tuple[CodeEntry, ...]


def codes_dir() -> Path:
    return resources_dir() / "codes"


def load_code_files(folder: Path | None = None) -> dict[str, CodeTableFile]:
    """Read every code table the areas declare (``app.areas``: name and standard) from its file."""
    from app.areas import code_tables

    folder = folder or codes_dir()
    tables: dict[str, CodeTableFile] = {}
    for key, table in code_tables().items():
        with open(folder / f"{key}.csv", encoding="utf-8-sig", newline="") as fh:
            entries = tuple(
                CodeEntry(r["code"].strip(), r["label"].strip(), (r.get("parent") or "").strip() or None)
                for r in csv.DictReader(fh)
            )
        tables[key] = CodeTableFile(key, table.name, table.standard, entries)
    return tables


class CodeBook:
    """All code items of one database, by table: ``label()``, ``items()``, ``resolve()``."""

    def __init__(self, tables: dict[str, list[CodeEntry]], names: dict[str, str] | None = None):
        self._tables = tables
        self._names = names or {}
        self._labels = {t: {e.code: e.label for e in es} for t, es in tables.items()}
        self._by_label = {t: {e.label: e.code for e in es} for t, es in tables.items()}

    @classmethod
    def load(cls, session: Session) -> CodeBook:
        from app.models import CodeItem

        rows = session.execute(
            select(CodeItem.table_key, CodeItem.code, CodeItem.label, CodeItem.parent_code,
                   CodeItem.active)
            .where(CodeItem.deleted.is_(False))
            .order_by(CodeItem.table_key, CodeItem.sort_order, CodeItem.code)
        )
        tables: dict[str, list[CodeEntry]] = {}
        for t, code, label, parent, active in rows:
            tables.setdefault(t, []).append(CodeEntry(code, label, parent, bool(active)))
        return cls(tables, table_names())

    @classmethod
    def from_files(cls, folder: Path | None = None) -> CodeBook:
        files = load_code_files(folder)
        return cls({k: list(f.entries) for k, f in files.items()}, {k: f.name for k, f in files.items()})

    def tables(self) -> list[str]:
        return sorted(self._tables)

    def table_name(self, table: str | None) -> str:
        return self._names.get(table or "", table or "")

    def items(self, table: str, *, active_only: bool = True) -> list[CodeEntry]:
        return [e for e in self._tables.get(table, []) if e.active or not active_only]

    def label(self, table: str | None, code: str | None) -> str:
        if code is None:
            return ""
        return self._labels.get(table or "", {}).get(code, code)

    def resolve(self, table: str | None, text: str) -> str | None:
        """A code from its code or its label (spreadsheets carry labels); None when unknown."""
        labels = self._labels.get(table or "", {})
        if text in labels:
            return text
        return self._by_label.get(table or "", {}).get(text)


_names_cache: dict[str, str] | None = None


def table_names() -> dict[str, str]:
    """Chinese names of the code tables (the manifest declares them)."""
    global _names_cache
    if _names_cache is None:
        from app.areas import code_tables

        _names_cache = {k: t.name for k, t in code_tables().items()}
    return _names_cache
