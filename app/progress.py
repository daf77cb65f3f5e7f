"""Progress reporting for long core jobs (demo data, imports, exports, printing).

Core functions stay synchronous and Qt-free: they call ``progress.update(...)`` now and then, and
``progress.check()`` raises ``Cancelled`` when the user pressed 取消 (the UI worker sets the flag).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.errors import AppError


class Cancelled(AppError):
    def __init__(self, message: str = "操作已取消,未写入任何数据"):
        super().__init__(message)


class Progress:
    def __init__(self, callback: Callable[[int, int, str], None] | None = None):
        self._callback = callback
        self._cancel = threading.Event()
        self.done = 0
        self.total = 0
        self.message = ""

    def update(self, done: int, total: int | None = None, message: str | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if message is not None:
            self.message = message
        if self._callback:
            self._callback(self.done, self.total, self.message)
        self.check()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


NO_PROGRESS = Progress()
