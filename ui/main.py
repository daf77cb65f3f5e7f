"""``uniondesk`` / ``python -m ui``. The window comes with the desk issue; until then this shows the
database status through the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app.cli import main as cli_main

    return cli_main(["status"] if argv is None and len(sys.argv) <= 1 else (argv or sys.argv[1:]))
