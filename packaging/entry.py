"""The one entry script of both executables (as in Electrum): ``uniondesk`` starts the desktop app,
``uniondesk-cli`` the command line. Which one is decided by the executable's own name."""

import os
import sys


def main() -> int:
    from app.system_check import show_and_exit_code, unsupported_windows

    name = os.path.splitext(os.path.basename(sys.executable))[0].lower()
    if problem := unsupported_windows():  # before Qt: it would fail with a cryptic dialog
        return show_and_exit_code(problem, windowed=not name.endswith("-cli"))
    if name.endswith("-cli"):
        from app.cli import main as run
    else:
        from ui.main import main as run
    return run()


if __name__ == "__main__":
    sys.exit(main())
