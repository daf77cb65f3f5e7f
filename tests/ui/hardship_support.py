"""Shared by the 困难职工帮扶 page tests: the hand-built county of the core tests (users at every
level and role, parameters for three years), contexts per user, and a way to answer the
action dialogs (``FieldsDialog``) as a user would."""

from __future__ import annotations

import pytest

from tests.app.hardship.conftest import county, hardship_template  # noqa: F401 — fixtures


@pytest.fixture
def ctx_of(county):  # noqa: F811 - the fixture imported above
    """``ctx_of("clerk")``: an AppContext for one of the county's users; jobs end before the db."""
    from ui.context import AppContext
    from ui.workers import wait_for_jobs

    made = {}

    def make(username: str):
        if username not in made:
            made[username] = AppContext(county.db, county.actors[username])
        return made[username]

    yield make
    assert wait_for_jobs(20_000)


def fill(dialog, raw: dict) -> None:
    """Fill an action dialog from raw input (as typed: "是", "2026-01-05", "720.00")."""
    from app.fields.spec import clean_value

    for f in dialog.fields:
        if f.key in raw:
            dialog.set_value(f.key, clean_value(f, raw[f.key], dialog.ctx.codes))


@pytest.fixture
def answer_dialogs(monkeypatch):
    """Each action dialog that opens is filled from ``answers`` and its button pressed; the dialogs
    (their messages and result) are kept in ``answers.shown``."""
    from ui.dialogs.fields_dialog import FieldsDialog

    class Answers(dict):
        shown: list = []

    answers = Answers()
    answers.shown = []

    def fake_exec(self):
        fill(self, answers)
        self.accept()
        answers.shown.append(self)
        return self.result()

    monkeypatch.setattr(FieldsDialog, "exec", fake_exec)
    return answers


@pytest.fixture
def errors_shown(monkeypatch):
    """The messages of error dialogs (instead of a modal dialog)."""
    from ui.errors import ErrorDialog

    shown: list[str] = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda self: shown.append(self.text.text()) or 0)
    return shown


def wait_list(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=15_000)
