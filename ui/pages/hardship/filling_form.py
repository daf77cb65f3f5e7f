"""A record form whose service fills some fields from a chosen reference — a payout's 领取人 and
身份证号 from the archive, a visit's 慰问对象 from the archive or the enterprise's union. When one
of the trigger fields changes, the empty fields take the service's values, so the user sees what
will be saved and the form's required checks agree with the service."""

from __future__ import annotations

from typing import Any

from app.errors import AppError
from ui.widgets.record_form import RecordFormDialog


class FillingFormDialog(RecordFormDialog):
    triggers: tuple[str, ...] = ("archive_id", "unit_id")

    def __init__(self, ctx, binding, record_id=None, parent=None, initial=None):
        super().__init__(ctx, binding, record_id, parent, initial)
        for key in self.triggers:
            if key in self.cells:
                self.cells[key].editor.changed.connect(self.fill_in)

    def fill(self, session, values: dict[str, Any]) -> dict[str, Any]:
        """The service's completion of ``values`` (raw values of the filled-in fields)."""
        raise NotImplementedError

    def fill_in(self) -> None:
        if not self.editable:
            return
        raw = {k: c.editor.raw() for k, c in self.cells.items() if c.editor.raw() not in (None, "")}
        try:
            with self.ctx.read() as s:
                filled = self.fill(s, dict(raw))
        except AppError as exc:  # e.g. an archive voided meanwhile: said where the user looks
            self.message.setText(exc.message)
            return
        for key, value in filled.items():
            cell = self.cells.get(key)
            if cell is not None and key not in raw and value not in (None, ""):
                cell.editor.set_stored(value)
                cell.set_error(None)
