"""Shared fixtures. A template database is built once per test session and copied per test."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Before any app import: fast password hashing, no real user data dir, Qt without a screen.
os.environ["UNIONDESK_FAST_KDF"] = "1"
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["UNIONDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="uniondesk-test-data-")
os.environ.pop("UNIONDESK_DB", None)
# The programs the tests start write UTF-8 whatever the platform: on Windows a redirected CLI would
# otherwise write the ANSI code page (app.cli.console), and every reader decodes with utf-8.
os.environ["PYTHONIOENCODING"] = "utf-8"


def _run_at_midday() -> None:
    """Tests read "today" when a module is imported and again when a test runs; a run that crosses
    midnight mixes two days (a step dated yesterday-minus-21 after one dated today-minus-21). So
    the session runs in a fixed-offset zone where it is about noon now: the app's clock,
    ``date.today()``, Qt and the programs the tests start all agree, and midnight is hours away.
    (Where the OS cannot switch zones — Windows has no ``tzset`` — the local zone stays.)"""
    import time
    from datetime import UTC, datetime

    if not hasattr(time, "tzset"):
        return
    east = 12 - datetime.now(UTC).hour  # hours east of UTC that make it about 12:00
    os.environ["TZ"] = f"MIDDAY{-east:+d}"  # POSIX counts hours west: MIDDAY-8 is UTC+8
    time.tzset()


_run_at_midday()

import pytest  # noqa: E402

PASSWORDS = {
    "admin": "Gh#Desk2026a", "clerk": "Gh#Desk2026c", "reviewer": "Gh#Desk2026r",
    "approver": "Gh#Desk2026p", "auditor": "Gh#Desk2026u", "readonly": "Gh#Desk2026o",
}
UNIT_CODE = "341122"
UNIT_NAME = "示例县总工会"
DEMO_MEMBERS = 300


def _build_template(folder: Path) -> Path:
    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.models import User
    from app.security.users import create_user
    from app.services.setup import init_installation

    path = folder / "template.db"
    db = open_database(path, create=True)
    admin = init_installation(db, unit_name=UNIT_NAME, unit_code=UNIT_CODE, level="county",
                              admin_user="admin", admin_password=PASSWORDS["admin"])
    with db.session(admin) as s:
        for role in ("clerk", "reviewer", "approver", "auditor", "readonly"):
            create_user(s, admin, role, role, password=PASSWORDS[role])
        for user in s.query(User).filter(User.username != "admin"):
            user.must_change_password = False  # as if each had changed it at first login
    generate(db, admin, members=DEMO_MEMBERS, seed=7)
    db.close()
    return path


@pytest.fixture(scope="session")
def template_path(tmp_path_factory) -> Path:
    return _build_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def db_path(template_path, tmp_path) -> Path:
    dest = tmp_path / "uniondesk.db"
    shutil.copyfile(template_path, dest)
    return dest


@pytest.fixture
def db(db_path):
    from app.db.engine import open_database

    handle = open_database(db_path)
    yield handle
    handle.close()


def _actor(db, username):
    from app.models import User
    from app.security.users import actor_for

    with db.session() as s:
        return actor_for(s.query(User).filter_by(username=username).one())


@pytest.fixture
def actors(db):
    """Actors for every role of the template database, by role key."""
    return {role: _actor(db, role) for role in PASSWORDS}


@pytest.fixture
def admin(actors):
    return actors["admin"]


@pytest.fixture
def clerk(actors):
    return actors["clerk"]


@pytest.fixture
def fresh_db(tmp_path):
    """An initialised database with no demo data."""
    from app.db.engine import open_database
    from app.services.setup import init_installation

    handle = open_database(tmp_path / "fresh.db", create=True)
    init_installation(handle, unit_name=UNIT_NAME, unit_code=UNIT_CODE, level="county",
                      admin_user="admin", admin_password=PASSWORDS["admin"])
    yield handle
    handle.close()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def sync_templates(tmp_path_factory):
    """Installations for the exchange tests (tests/app/syncnet.py), built once per session."""
    from tests.app.syncnet import build_templates

    return build_templates(tmp_path_factory.mktemp("sync-templates"))


@pytest.fixture
def net(sync_templates, tmp_path):
    from tests.app.syncnet import Net

    n = Net(sync_templates, tmp_path)
    yield n
    n.close()


def migrate_file(path: Path, revision: str) -> None:
    """Bring the SQLite file at ``path`` (new or older) to schema ``revision`` with Alembic, as an
    older release would have left it (for the migration tests)."""
    from alembic import command
    from sqlalchemy import create_engine

    from app.db import migrate

    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


class HeldFiles:
    """Windows refusing to replace or delete a file another program holds open (antivirus, the
    search indexer, Excel): the next ``replace`` calls of ``os.replace`` and ``unlink`` calls of
    ``os.unlink`` / ``os.remove`` on a path containing ``match`` raise ``PermissionError`` with
    WinError 32, as Windows does. ``refused`` lists what was refused; back-offs do not sleep."""

    def __init__(self):
        self.replace = 0
        self.unlink = 0
        self.match = ""
        self.refused: list[tuple[str, str]] = []
        self.slept: list[float] = []

    def __call__(self, *, replace: int = 0, unlink: int = 0, match: str = "") -> HeldFiles:
        self.replace, self.unlink, self.match = replace, unlink, match
        return self

    def refuse(self, kind: str, path) -> bool:
        if getattr(self, kind) <= 0 or self.match not in os.fspath(path):
            return False
        if kind == "unlink" and not os.path.lexists(path):
            return False  # nobody can hold a file that is not there: FileNotFoundError as usual
        setattr(self, kind, getattr(self, kind) - 1)
        self.refused.append((kind, os.fspath(path)))
        return True


def sharing_violation(path) -> PermissionError:
    exc = PermissionError(13, "另一个程序正在使用此文件,进程无法访问。", os.fspath(path))
    exc.winerror = 32  # ERROR_SHARING_VIOLATION (set by hand: only Windows' OSError has it)
    return exc


@pytest.fixture
def held_files(monkeypatch):
    from app import fileops

    held = HeldFiles()
    real_replace, real_unlink, real_remove = os.replace, os.unlink, os.remove

    def replace(src, dst, *args, **kwargs):
        if held.refuse("replace", dst):
            raise sharing_violation(dst)
        return real_replace(src, dst, *args, **kwargs)

    def unlink(path, *args, **kwargs):
        if held.refuse("unlink", path):
            raise sharing_violation(path)
        return real_unlink(path, *args, **kwargs)

    def remove(path, *args, **kwargs):
        if held.refuse("unlink", path):
            raise sharing_violation(path)
        return real_remove(path, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "remove", remove)
    monkeypatch.setattr(fileops, "_sleep", held.slept.append)
    return held


def pytest_report_header(config):
    import sys

    if sys.flags.warn_default_encoding:
        return "encoding guard: on (an EncodingWarning from app/ or ui/ is an error)"
    return "encoding guard: off — `make test` sets PYTHONWARNDEFAULTENCODING=1 (see pyproject.toml)"


# The test-only example area (tests/kit_example) is collected only where it is added to the
# manifest (tests/app/test_kit_example.py runs the contract tests again with it): its model must
# not register a table in the main run, whose schema tests compare the models with the migrations.
collect_ignore = [] if os.environ.get("UNIONDESK_EXTRA_AREAS") else ["kit_example"]
