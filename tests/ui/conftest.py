"""Fixtures for the UI tests: one page or dialog per test on a copy of the template database."""

from __future__ import annotations

import os
import tempfile

# Per-PC preferences (remembered filters, large font) go to a throw-away folder, not ~/.config.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="uniondesk-test-config-")

import pytest  # noqa: E402

# the 困难职工帮扶 page tests' county and the fixtures that act in it
from tests.ui.hardship_support import answer_dialogs, county, ctx_of, errors_shown, hardship_template  # noqa: E402,F401


@pytest.fixture(autouse=True, scope="session")
def _collect_garbage_on_the_ui_thread(qapp):
    from ui import gc_guard

    gc_guard.install(qapp)  # as the app does: a worker thread must never free a Qt object


@pytest.fixture(autouse=True)
def _fresh_preferences(qapp):
    from ui.theme import settings

    settings().clear()


def make_ctx(db, actor):
    from ui.context import AppContext

    return AppContext(db, actor)


def _finish_jobs():
    from ui.workers import wait_for_jobs

    assert wait_for_jobs(20_000)  # no background job may outlive its test's database


@pytest.fixture
def clerk_ctx(db, actors):
    yield make_ctx(db, actors["clerk"])
    _finish_jobs()


@pytest.fixture
def admin_ctx(db, actors):
    yield make_ctx(db, actors["admin"])
    _finish_jobs()


@pytest.fixture
def answer(monkeypatch):
    """Answer the app's questions (Ask.*) in a test: ``answer(confirm=True, unsaved="discard")``."""
    from ui.dialogs.ask import Ask

    asked: list[str] = []

    def set_answers(**answers):
        for name, value in answers.items():
            def reply(*args, _value=value, _name=name, **kwargs):
                asked.append(_name)
                return _value
            monkeypatch.setattr(Ask, name, classmethod(lambda cls, *a, _r=reply, **k: _r(*a, **k)))
        return asked

    return set_answers


