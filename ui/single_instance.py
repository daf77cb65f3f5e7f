"""One running window per database: a second start brings the first one forward.

The operating-system lock (``app.db.lock``, ``<db>.lock``) decides who owns a database. The owner
also listens on a local socket (a named pipe on Windows) named after the database file and the OS
account; a second start that finds the lock taken connects there and asks the owner to raise and
activate its window, then quits. When nobody answers (the owner is the command-line tool, another
Windows account, or still starting) the second start shows the lock's message naming who holds it.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE = b"activate\n"
CONNECT_TIMEOUT_MS = 1500


def server_name(db_path: Path) -> str:
    """Stable for one database file and one OS account (another account's window cannot be shown
    on this desktop, so it must not answer)."""
    try:
        user = getpass.getuser()
    except Exception:  # no account name in the environment
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    key = f"{user}|{os.path.normcase(str(Path(db_path).absolute()))}"
    return "uniondesk-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class InstanceServer(QObject):
    """Listens for a second start of the same database; emits ``activate_requested``."""

    activate_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.name = server_name(db_path)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connection)

    def listen(self) -> bool:
        """Call with the instance lock held: a socket left by a crashed owner is ours to remove."""
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    def _connection(self) -> None:
        # The sockets stay children of the server (a second start is rare): no lambdas holding
        # them and no deleteLater, both of which let Python and Qt delete one socket twice.
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._read)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket | None = None) -> None:
        socket = socket or self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        if bytes(socket.readAll().data()).startswith(ACTIVATE.strip()):
            self.activate_requested.emit()
        socket.disconnectFromServer()


def activate_running(db_path: Path, holder_pid: int | None = None) -> bool:
    """Ask the window that has ``db_path`` open to come forward. True when it answered."""
    if holder_pid and sys.platform == "win32":
        _allow_foreground(holder_pid)
    socket = QLocalSocket()
    socket.connectToServer(server_name(db_path))
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(ACTIVATE)
    ok = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
    return ok


def _allow_foreground(pid: int) -> None:
    """Windows gives the foreground only to the process the user just started (this one): let the
    running window take it when it activates itself."""
    try:
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(int(pid))
    except (OSError, AttributeError, ValueError):
        pass


def bring_to_front(widget) -> None:
    """Show, un-minimise, raise and activate a top-level window."""
    if widget is None:
        return
    if widget.isMinimized():
        widget.showNormal()
    widget.show()
    widget.raise_()
    widget.activateWindow()
