"""``uniondesk`` / ``python -m ui``: the desktop application.

    uniondesk [--db PATH]
    uniondesk --smoke-test [--db PATH --user NAME]     (password from UNIONDESK_PASSWORD)

UNIONDESK_STARTUP_PROBE=1 (the start-up benchmark) leaves as soon as the login window is painted,
printing the seconds since UNIONDESK_T0.

Only Qt and the light parts of the core are imported before the login window shows; the rest
(SQLAlchemy, Alembic, the services) loads on a worker thread while the user types.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="uniondesk", description="工会工作台")
    parser.add_argument("--db", metavar="PATH", help="数据库文件(默认:用户数据目录下的 uniondesk.db)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="自检:登录、打开每个页面和对话框后退出;失败时返回非零并说明原因")
    parser.add_argument("--user", metavar="NAME", help="自检时登录的用户(密码取自 UNIONDESK_PASSWORD)")
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def make_application(argv: list[str] | None = None):
    """QApplication in Chinese: locale, Qt's own translations, font, stylesheet, excepthook."""
    from PySide6.QtWidgets import QApplication

    from app import APP_NAME, APP_TITLE, __version__
    from ui.errors import install_excepthook
    from ui.qt_chinese import install_qt_chinese
    from ui.theme import apply_theme, icon

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    install_qt_chinese(app)
    apply_theme(app)
    app.setWindowIcon(icon("app"))
    install_excepthook()
    from ui import gc_guard

    gc_guard.install(app)
    return app


def _needs_offscreen() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.smoke_test and _needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # Qt aborts without a display otherwise
    from app.logs import setup_logging

    try:
        setup_logging()
    except OSError:
        pass
    app = make_application()
    if args.smoke_test:
        from ui.smoke import run_smoke_test

        return run_smoke_test(app, Path(args.db) if args.db else None, args.user)
    from app.config import default_db_path
    from ui.startup import run

    probe = args.exit_when_ready or os.environ.get("UNIONDESK_STARTUP_PROBE") == "1"
    return run(app, Path(args.db) if args.db else default_db_path(), exit_when_ready=probe)


if __name__ == "__main__":
    raise SystemExit(main())
