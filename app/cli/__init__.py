"""``uniondesk-cli`` / ``python -m app``: the app's second face, for administrators and scripts."""

from app.cli.main import main

__all__ = ["main"]
