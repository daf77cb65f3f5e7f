"""The one entry script of both executables (as in Electrum): ``uniondesk`` starts the desktop app,
``uniondesk-cli`` the command line. Which one is decided by the executable's own name."""

import os
import sys


def main() -> int:
    name = os.path.splitext(os.path.basename(sys.executable))[0].lower()
    if name.endswith("-cli"):
        from app.cli import main as run
    else:
        from ui.main import main as run
    return run()


if __name__ == "__main__":
    sys.exit(main())
