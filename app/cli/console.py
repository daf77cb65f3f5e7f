"""Which encoding the command line writes, and a reader that went away.

What a Chinese Windows PC reads back from ``uniondesk-cli … > out.txt``, ``| findstr`` or a
PowerShell capture is decoded with the ANSI code page (936, GBK), not UTF-8; UTF-8 bytes come out
as 宸ヤ細浼氬憳鐧昏…. So the encoding of stdout and stderr is chosen, in this order:

1. ``--encoding NAME`` on the command line (a script that wants UTF-8 on Windows asks for it);
2. ``PYTHONIOENCODING``, or Python's UTF-8 mode (``PYTHONUTF8=1`` / ``-X utf8``): Python has
   already applied it when it started, and it is left exactly as it is;
3. Windows, a console: Python writes Unicode to the console itself, left as it is;
4. Windows, a file or a pipe: the ANSI code page, with GBK written as gb18030 (a superset that also
   encodes the rare name characters outside GBK); any other code page replaces what it cannot hold;
5. elsewhere: the locale's encoding (an ASCII-only locale gets UTF-8).

A character the chosen encoding cannot hold becomes "?" rather than stopping the command.

A reader that closes the pipe early (``| head``, ``| Select-Object -First 5``) makes the next write
fail: ``BrokenPipeError`` on POSIX, but ``OSError(EINVAL)`` on Windows (the C runtime reports the
pipe's ERROR_NO_DATA that way). ``guard_stdout`` turns the Windows form into ``BrokenPipeError`` for
writes to stdout only, so ``main`` can end quietly with 141 and a real EINVAL elsewhere stays a bug.
"""

from __future__ import annotations

import codecs
import errno
import locale
import os
import sys
from collections.abc import Mapping, Sequence

ENCODING_OPTION = "--encoding"


def requested_encoding(argv: Sequence[str]) -> str | None:
    """The value of ``--encoding`` among the global options (before the command), if given."""
    it = iter(argv)
    for token in it:
        if token == ENCODING_OPTION:
            return next(it, None)
        if token.startswith(ENCODING_OPTION + "="):
            return token.split("=", 1)[1]
        if token in ("--db", "--user"):
            next(it, None)
        elif not token.startswith("-"):
            return None  # the command: what follows is its own
    return None


def known_encoding(name: str) -> str | None:
    """The codec's canonical name, or None when Python does not know ``name``."""
    try:
        return codecs.lookup(name).name
    except (LookupError, TypeError):
        return None


def ansi_code_page() -> str:
    """Windows' ANSI code page as a codec name ("cp936" on Chinese Windows), also in UTF-8 mode."""
    return locale.getencoding()


def choose_encoding(stream, *, requested: str | None = None, platform: str | None = None,
                    environ: Mapping[str, str] | None = None, utf8_mode: bool | None = None,
                    ansi: str | None = None) -> tuple[str, str] | None:
    """(encoding, errors) to reconfigure ``stream`` with, or None to leave it as Python set it up."""
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    utf8_mode = bool(sys.flags.utf8_mode) if utf8_mode is None else utf8_mode
    if requested:
        return requested, "replace"
    if environ.get("PYTHONIOENCODING") or utf8_mode:
        return None
    current = known_encoding(getattr(stream, "encoding", None) or "ascii") or "ascii"
    if platform == "win32":
        if _is_console(stream):
            return None
        code_page = known_encoding(ansi or ansi_code_page()) or "mbcs"
        return ("gb18030" if code_page == "gbk" else code_page), "replace"
    if current == "ascii":
        return "utf-8", "replace"
    return current, "replace"


def _is_console(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def configure_streams(requested: str | None = None, streams=None) -> None:
    """Apply ``choose_encoding`` to stdout and stderr (each on its own: one may be a console)."""
    for stream in streams or (sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        choice = choose_encoding(stream, requested=requested)
        if choice is None:
            continue
        encoding, errors = choice
        if known_encoding(encoding) == known_encoding(stream.encoding or "") and stream.errors == errors:
            continue
        try:
            stream.flush()
            stream.reconfigure(encoding=encoding, errors=errors)
        except (OSError, ValueError):  # already closed or unusable: nothing will be written anyway
            pass


def is_closed_pipe(exc: BaseException, platform: str | None = None) -> bool:
    """Is this how the platform says the reader of a pipe went away?"""
    platform = sys.platform if platform is None else platform
    if isinstance(exc, BrokenPipeError):
        return True
    return platform == "win32" and isinstance(exc, OSError) and exc.errno in (errno.EINVAL, errno.EPIPE)


class ClosedPipeGuard:
    """Stands in for ``sys.stdout``: a write or flush failing because the reader went away raises
    ``BrokenPipeError`` on every platform; everything else is the wrapped stream's."""

    def __init__(self, stream, platform: str | None = None):
        self._stream = stream
        self._platform = platform

    @property
    def wrapped(self):
        return self._stream

    def _translate(self, exc: OSError) -> BaseException:
        if is_closed_pipe(exc, self._platform) and not isinstance(exc, BrokenPipeError):
            return BrokenPipeError(errno.EPIPE, "the reader of the pipe has gone away")
        return exc

    def write(self, text):
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise self._translate(exc) from exc

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        try:
            return self._stream.flush()
        except OSError as exc:
            raise self._translate(exc) from exc

    def __getattr__(self, name):
        return getattr(self._stream, name)


def guard_stdout() -> ClosedPipeGuard | None:
    """Put a ``ClosedPipeGuard`` in front of ``sys.stdout`` (returns it; None if one already is)."""
    if isinstance(sys.stdout, ClosedPipeGuard) or sys.stdout is None:
        return None
    guard = ClosedPipeGuard(sys.stdout)
    sys.stdout = guard
    return guard


def unguard_stdout(guard: ClosedPipeGuard | None) -> None:
    if guard is not None and sys.stdout is guard:
        sys.stdout = guard.wrapped
