"""A record form whose service fills some fields from a chosen reference — a payout's 领取人 and
身份证号 from the archive, a visit's 慰问对象 from the archive or the enterprise's union, a 金秋助学
application's 家长 from the parent's archive. When one of the trigger fields changes, the empty
fields, and the ones the form filled itself before, take the service's values, so the user sees
what will be saved and the form's required checks agree with the service; what the user typed
stays.

An ID number filled in from a record is shown masked, as everywhere else: 显示 reveals it (needs
the permission, logged against the record it came from), 重新填写 lets the user type another.
``sources`` names, per masked field, the trigger and the field of the referenced record."""

from __future__ import annotations

from typing import Any

from app.errors import AppError
from ui.widgets.record_form import RecordFormDialog


class FillingFormDialog(RecordFormDialog):
    triggers: tuple[str, ...] = ("archive_id", "unit_id")
    # a masked field the service fills in -> (its trigger, the referenced spec, that spec's field)
    sources: dict[str, tuple[str, str, str]] = {}

    def __init__(self, ctx, binding, record_id=None, parent=None, initial=None, *, origins=None):
        self.masked_fills = tuple(self.sources)
        self._filled: dict[str, Any] = {}  # what the form filled in itself, as its editor holds it
        super().__init__(ctx, binding, record_id, parent, initial, origins=origins)
        for key in self.triggers:
            if key in self.cells:
                self.cells[key].editor.changed.connect(self.fill_in)

    def fill(self, session, values: dict[str, Any]) -> dict[str, Any]:
        """The service's completion of ``values`` (raw values of the filled-in fields)."""
        raise NotImplementedError

    def fill_in(self) -> None:
        if not self.editable:
            return
        everything = {k: c.editor.raw() for k, c in self.cells.items()
                      if c.editor.raw() not in (None, "")}
        # what the form filled in before is filled in again (another archive chosen)
        raw = {k: v for k, v in everything.items() if self._filled.get(k, object()) != v}
        try:
            with self.ctx.read() as s:
                filled = self.fill(s, dict(raw))
        except AppError as exc:  # e.g. an archive voided meanwhile: said where the user looks
            self.message.setText(exc.message)
            return
        for key, value in filled.items():
            cell = self.cells.get(key)
            if cell is None or key in raw or value in (None, ""):
                continue
            cell.editor.set_stored(value)
            cell.set_error(None)
            self._filled[key] = cell.editor.raw()
            if key in self.sources:
                trigger, spec_key, field_key = self.sources[key]
                if everything.get(trigger):
                    self.origins[key] = (spec_key, everything[trigger], field_key)
        self._refresh_derived()
        self._recount()
