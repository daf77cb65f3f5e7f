"""Every Excel kind round-trips. Its export of the template database reads back — through the
import's own reading: cells, cleaning, references named through the spec they refer to — as
exactly the rows in the database. Imported into a copy of that database whose table of the kind was
emptied with raw SQL (the records it refers to are still there), the rows come back with the same
value in every column a person fills in. And its template offers each code table's labels."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from app.fields.spec import Kind
from tests.contract.conftest import make_record

# Rows an export lists that no file brings back, by design (a kind's docstring says why): a
# reversal (冲正) is made in the app against its original payout, so negative amounts are refused.
NOT_FROM_A_FILE: dict = {}  # kinds whose exported rows a file may not give back, by a test on the row


def _kind(kind_key):
    from app.excel.registry import kind

    return kind(kind_key)


def _actor(actors, k):
    from app.security.roles import Perm

    clerk = actors["clerk"]
    assert clerk.can(Perm.EXPORT) and clerk.can(Perm.REVEAL) and clerk.can(Perm(k.import_perm))
    return clerk


def _listed(db, k) -> list[tuple]:
    """The kind's rows as its export selects them (in its order), in the columns a person fills
    in; a reference as the referenced record's display name (an imported record has a new id)."""
    fields = k.import_fields
    keys = [k.columns.index(f.key) for f in fields]
    with db.read_session() as s:
        rows, _ = k.select(s, {})
        return _named(s, fields, [tuple(row[i] for i in keys) for row in rows])


def _named(session, fields, rows: list[tuple]) -> list[tuple]:
    from app.services import listing

    for i, f in enumerate(fields):
        if f.kind == Kind.REF:
            names = listing.ref_labels(session, f.ref, {r[i] for r in rows if r[i]})
            rows = [(*r[:i], names.get(r[i], r[i]), *r[i + 1:]) for r in rows]
    return rows


def _rows_of(db, actor, k, rng) -> list[tuple]:
    """The kind's rows in the template database; a register the demo does not fill (a new area's)
    gets a few generated records first, saved through the generic service."""
    from app.kit.register import find

    rows = _listed(db, k)
    reg = find(k.spec.key)
    if len(rows) < 3 and reg is not None and reg.creatable and reg.create is None:
        for _ in range(5):
            make_record(db, actor, reg.key, rng)
        rows = _listed(db, k)
    assert rows, f"the template database has no {k.title} to export"
    return rows


def _sorted(rows):
    return sorted(rows, key=repr)


def _emptied_copy(db_path, k, dest):
    """A copy of the database without the kind's records (and their child rows): what an office
    holds before it imports them. A tree keeps its root, which set-up makes."""
    from app.excel.generic import is_tree

    with sqlite3.connect(db_path) as src, sqlite3.connect(dest) as dst:
        src.backup(dst)  # through the -wal, where the records just made may still be
    table = k.spec.model.__table__.name
    keep = f" WHERE {k.spec.unit_key} IS NOT NULL" if is_tree(k.spec) else ""
    con = sqlite3.connect(dest)
    con.execute("PRAGMA foreign_keys = OFF")
    children = [(spec(c.spec_key).model.__table__.name, c.parent_key) for c in k.spec.children]
    for name in [table, *(t for t, _ in children)]:  # append-only tables guard themselves
        for (trigger,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                      "tbl_name = ?", (name,)).fetchall():
            con.execute(f'DROP TRIGGER "{trigger}"')
    for child, parent_key in children:
        con.execute(f"DELETE FROM {child} WHERE {parent_key} IN (SELECT id FROM {table}{keep})")
    con.execute(f"DELETE FROM {table}{keep}")
    con.commit()
    con.close()


def spec(key):
    from app.fields.registry import spec as by_key

    return by_key(key)


def test_an_export_reads_back_as_the_rows_exported(db, actors, kind_key, rng, tmp_path, monkeypatch):
    from app.excel import importer
    from app.excel.export import export_kind

    k = _kind(kind_key)
    actor = _actor(actors, k)
    expected = _rows_of(db, actor, k, rng)
    out = tmp_path / f"{kind_key}.xlsx"
    assert export_kind(db, actor, kind_key, out).rows == len(expected)
    # every row as the import reads it, before the kind's own rules (an importer taking all)
    monkeypatch.setattr(importer, "kind", lambda key: replace(k, importer=_Accepting()))
    report = importer.check_file(db, actor, kind_key, out)
    keys = [f.key for f in k.import_fields]
    never = NOT_FROM_A_FILE.get(kind_key, lambda row: False)
    refused = [n for n, row in enumerate(expected, 3) if never(dict(zip(keys, row)))]
    assert report.total == len(expected) and report.refused_rows == refused, report.lines()[:8]
    with db.read_session() as s:
        back = _named(s, k.import_fields, [tuple(v.get(f.key) for f in k.import_fields)
                                           for _, v in report.valid])
    assert back == [row for n, row in enumerate(expected, 3) if n not in refused]


def test_export_then_import_gives_the_same_rows(db, db_path, actors, kind_key, rng, tmp_path):
    """A generated kind takes back every row it exported. An area's own importer applies its rules
    to today's database: a payout to a household whose archive has closed since, or a reversal,
    is refused (by row and column) and every other row comes back."""
    from app.db.engine import open_database
    from app.excel.export import export_kind
    from app.excel.generic import RegisterImporter
    from app.excel.importer import import_file

    k = _kind(kind_key)
    if k.importer is None:
        pytest.skip(f"{k.title} is exported only")
    actor = _actor(actors, k)
    expected = _rows_of(db, actor, k, rng)
    out = tmp_path / f"{kind_key}.xlsx"
    export_kind(db, actor, kind_key, out)
    _emptied_copy(db_path, k, tmp_path / "target.db")
    target = open_database(tmp_path / "target.db")
    try:
        report = import_file(target, actor, kind_key, out, accept_valid=True)
        assert report.total == len(expected) and report.valid
        assert report.ok or not isinstance(k.importer, RegisterImporter), report.lines()[:8]
        assert all(p.row and p.column and p.reason for p in report.problems)
        assert report.written == len(report.valid)
        assert _sorted(_listed(target, k)) == _sorted(expected[n - 3] for n, _ in report.valid)
    finally:
        target.close()


class _Accepting:
    """The importer an export-only kind would have if it accepted every clean row."""

    def check(self, db, actor, rows):
        return {}


def test_the_template_offers_the_code_tables_and_keeps_numbers_text(db, actors, kind_key, tmp_path):
    from app.excel import cells
    from app.excel.template import CODES_SHEET, write_template
    from app.fields.spec import offered_choices
    from app.services.records import codebook

    k = _kind(kind_key)
    if k.importer is None:
        pytest.skip(f"{k.title} is exported only: no template")
    out = write_template(db, _actor(actors, k), kind_key, tmp_path / "t.xlsx")
    wb = load_workbook(out)
    lists = wb[CODES_SHEET]
    with db.read_session() as s:
        codes = codebook(s)
    sheets = [(k.title, k.import_fields)] + [(c.title, list(c.import_fields)) for c in k.children]
    for title, fields in sheets:
        ws = wb[title]
        headers = [str(c.value).lstrip("*") for c in ws[2] if c.value]
        formulas = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
                    for dv in ws.data_validations.dataValidation}
        for f in fields:
            letter = ws.cell(2, headers.index(f.label) + 1).column_letter
            if f.kind == Kind.CODE:
                column = formulas[letter].split("!")[1].split(":")[0].strip("$").rstrip("$0123456789")
                offered = [c.value for c in lists[column][1:] if c.value is not None]
                assert offered == [label for _, label in offered_choices(f, codes)], f.label
            if cells.is_text_number(f):
                assert ws.column_dimensions[letter].number_format == "@", f.label
