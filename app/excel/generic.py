"""The Excel kind of a register, from its declaration alone (``app.excel.registry`` makes one for
every register no hand-made kind covers).

- **Sheet**: the spec's fields in order; templates and the import leave out the derived ones.
- **Rows**: the register's list — the options every list offers (``--union``, ``--from``/``--to``)
  plus the register's own (``Register.options``) through ``selection`` to the one ``ListQuery``,
  streamed in the list's order. A tree (a spec whose unit field refers to the spec itself: the
  units) lists what is below this installation's own federation unless ``--union`` names another
  unit: the federation is made at set-up and never comes from a file.
- **Import**: the generic record service — ``records.check_many`` to check (the register's one
  rule over the batch, the user's unit scope), ``records.add_many`` to write (one bulk insert, one
  audit entry, in the caller's one transaction). Rows naming other rows of the file (a unit and
  its sub-units, in any order) are written parents first. A register with its own ``create`` (a
  review chain, a ledger) is not imported this way: its area declares a kind of its own.
"""

from __future__ import annotations

from dataclasses import replace

from app.excel.registry import ExcelKind
from app.kit.batch_order import has_refs


def kind_for(reg) -> ExcelKind:
    from app.kit.options import standard_options

    spec = reg.spec
    options = standard_options(spec, *reg.options)
    importable = reg.importable and reg.creatable and reg.create is None
    return ExcelKind(reg.kind_key, reg.name, spec, tuple(f.key for f in spec.fields),
                     lambda session, chosen: _rows(reg, options, session, chosen), options=options,
                     importer=RegisterImporter(reg) if importable else None,
                     import_perm=reg.write.value,
                     period=spec.field(spec.period_key).label if spec.period_key else "")


def is_tree(spec) -> bool:
    return bool(spec.unit_key) and spec.field(spec.unit_key).ref == spec.key


def _rows(reg, declared, session, options: dict):
    from app.kit.options import selection
    from app.services import listing

    chosen = selection(session, reg.key, options, declared)
    query = chosen.query
    if query.unit is None and is_tree(reg.spec):
        query = replace(query, unit=session.info.get("root_unit_id"))
    table = reg.spec.model.__table__
    q = listing.rows_select(session, query, [table.c[f.key] for f in reg.spec.fields])
    return session.execute(q.execution_options(yield_per=2000)), chosen.text


class RegisterImporter:
    """The import half of a generated kind: rows by sheet row number, through the record service.
    Rows naming a record already here by its person key are recognised (``app.excel.reimport``):
    unchanged, or — in the 更新已有记录 mode — changes to it, checked by the same rule."""

    def __init__(self, reg):
        self.reg = reg

    @property
    def updates(self) -> bool:
        from app.sync.policy import person_key

        return person_key(self.reg.spec.model.__table__.name) is not None

    def check(self, db, actor, rows, *, update: bool = False, columns: frozenset[str] = frozenset()):
        from app.excel import reimport
        from app.excel.registry import CheckResult
        from app.security.roles import Perm
        from app.services import records

        values = [v for _, v in rows]
        # rows naming other rows are tried in a savepoint (then undone): a writable session
        with (db.session(actor) if has_refs(values) else db.read_session()) as s:
            matched = reimport.match_rows(s, self.reg.spec, rows, columns, reveal=actor.can(Perm.REVEAL))
            new = [(n, v) for n, v in rows if n not in matched]
            errors = records.check_many(s, actor, self.reg, [v for _, v in new],
                                        row_numbers=[n for n, _ in new]) if new else {}
            errors = {new[i][0]: e for i, e in errors.items()}
            changed = {n: m for n, m in matched.items() if m.changes or m.error}
            for n, m in changed.items():
                if m.error or not update:
                    errors[n] = {"": m.error or reimport.changed_message(self.reg.spec, m)}
            offered = {n: m for n, m in changed.items() if n not in errors}
            if offered:
                numbers = list(offered)
                found = records.update_many(s, actor, self.reg, [(m.record_id, m.values)
                                                                  for m in offered.values()],
                                            source="", row_numbers=numbers, check_only=True)
                errors.update({numbers[i]: e for i, e in found.items()})
        return CheckResult(errors, {}, unchanged=sorted(n for n, m in matched.items() if n not in changed),
                           updates={n: m for n, m in offered.items() if n not in errors})

    def write(self, session, actor, rows, *, source, checked: bool = False):
        from app.services import records

        return records.add_many(session, actor, self.reg, [v for _, v in rows], source=source,
                                row_numbers=[n for n, _ in rows], checked=checked) if rows else 0

    def update(self, session, actor, updates: dict, *, source) -> int:
        """Write the changes the user accepted in the 更新已有记录 mode, checked again."""
        from app.services import records

        return records.update_many(session, actor, self.reg, [(m.record_id, m.values)
                                                              for m in updates.values()],
                                   source=source, row_numbers=list(updates))
