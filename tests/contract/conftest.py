"""Contract tests: every register, Excel kind, printed form and figure is tested by being declared.

Tests here take ``register_key``, ``kind_key``, ``form_name`` or ``figure_key`` and are run once per
declaration in the manifest (``app.areas``). A new register needs no test of its own to be held to
the kit's promise; the test-only area in ``tests/kit_example`` proves it (``test_kit_example``
runs this folder again with that area added).
"""

from __future__ import annotations

import random

import pytest

from tests.conftest import PASSWORDS  # noqa: F401 - re-exported for the contract modules


def _registers():
    from app.kit.register import all_registers

    return [r.key for r in all_registers()]


def _kinds():
    from app.excel.registry import all_kinds

    return [k.key for k in all_kinds()]


def _forms():
    from app.printing.registry import all_forms

    return [f.name for f in all_forms()]


def _figures():
    from app.kit.figures import all_figures

    return [f"{area}.{f.key}" for area, f in all_figures()]


def pytest_generate_tests(metafunc):
    for name, values in (("register_key", _registers), ("kind_key", _kinds), ("form_name", _forms),
                         ("figure_key", _figures)):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, values())


@pytest.fixture
def rng():
    return random.Random(20260701)


def make_record(db, actor, register_key: str, rng, **values):
    """A new record of the register from sample values (the register's ``sample`` hook included),
    saved through the generic service; returns its id."""
    from app.kit.register import register
    from app.kit.samples import sample_values
    from app.services import records

    reg = register(register_key)
    with db.session(actor) as s:
        raw = {**sample_values(s, reg, rng), **values}
        return records.create(s, actor, reg, raw).id
