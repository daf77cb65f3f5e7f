"""What every page needs: the open database, the logged-in user, the code tables, and a signal
that data changed (so other pages refresh). One object, handed to page factories."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal


class AppContext(QObject):
    data_changed = Signal(str)  # a RecordSpec key ("member", "unit", "code_item", "user", …)
    status_message = Signal(str)  # a brief message for the main window's status bar
    restore_requested = Signal(object)  # a checked backup's Path: close, restore, log in again

    def __init__(self, db, actor, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.startup = None  # app.services.startup.Startup of this run (None in page tests)
        self._codes = None
        self._unit_name: str | None = None
        self._is_city: bool | None = None
        self.data_changed.connect(self._on_data_changed)

    # -- sessions: one per user action (writes) or per list fetch (reads) ------------------------
    @contextmanager
    def write(self):
        with self.db.session(self.actor) as s:
            yield s

    @contextmanager
    def read(self):
        with self.db.read_session() as s:
            yield s

    # -- shared look-ups -----------------------------------------------------------------------
    @property
    def codes(self):
        """The code tables (reloaded after the administrator edits them)."""
        if self._codes is None:
            from app.fields.codes import CodeBook

            with self.read() as s:
                self._codes = CodeBook.load(s)
        return self._codes

    @property
    def unit_name(self) -> str:
        if self._unit_name is None:
            from app.services.units import root_unit

            with self.read() as s:
                unit = root_unit(s)
                self._unit_name = unit.name if unit else ""
        return self._unit_name

    @property
    def is_city(self) -> bool:
        """A city installation (市总工会): lists say which county each record is from."""
        if self._is_city is None:
            from app.services.city import is_city

            with self.read() as s:
                self._is_city = is_city(s)
        return self._is_city

    def notify_saved(self, spec_key: str, message: str = "") -> None:
        self.data_changed.emit(spec_key)
        if message:
            self.status_message.emit(message)

    def request_restore(self, path) -> None:
        """从备份恢复: the main window closes and the start-up loop restores ``path``."""
        self.restore_requested.emit(path)

    def _on_data_changed(self, key: str) -> None:
        if key == "code_item":
            self._codes = None
        if key == "unit":
            self._unit_name = None
