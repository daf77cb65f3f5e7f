"""Every register saves through the generic service: a generated record is cleaned, saved, loaded
back with the values it was given, changed, and (where the register allows) voided."""

from __future__ import annotations

import pytest

from app.fields.spec import Kind
from tests.contract.conftest import make_record


def _clean(session, reg, raw):
    from app.services import records

    return records.clean_or_raise(session, reg.spec, raw)


def test_a_generated_record_saves_and_loads(db, actors, register_key, rng):
    from app.kit.register import register
    from app.kit.samples import sample_values
    from app.services import records

    reg = register(register_key)
    actor = actors["clerk"] if actors["clerk"].can(reg.write) else actors["admin"]
    if not reg.creatable and reg.create is None:
        pytest.skip(f"{reg.name} is not created directly")
    with db.session(actor) as s:
        raw = sample_values(s, reg, rng)
        expected = _clean(s, reg, raw)
        record_id = records.create(s, actor, reg, raw).id
    with db.read_session() as s:
        obj = records.get(s, actor, reg, record_id)
        for key, value in expected.items():
            f = reg.spec.field(key)
            if f.kind == Kind.REF or reg.create is not None:  # the area's own create may fill in
                continue
            assert getattr(obj, key) == value, (key, getattr(obj, key), value)


def test_a_record_changes_and_voids_as_declared(db, actors, register_key, rng):
    from app.errors import AppError
    from app.kit.register import register
    from app.services import records

    reg = register(register_key)
    actor = actors["clerk"] if actors["clerk"].can(reg.write) else actors["admin"]
    if not reg.creatable and reg.create is None:
        pytest.skip(f"{reg.name} is not created directly")
    record_id = make_record(db, actor, register_key, rng)
    text = next((f for f in reg.spec.editable_fields if f.kind == Kind.TEXTAREA), None)
    with db.session(actor) as s:
        if reg.editable or reg.update is not None:
            if text is not None:
                records.update(s, actor, reg, record_id, {text.key: "已核实,情况属实。"})
        else:
            with pytest.raises(AppError):
                records.update(s, actor, reg, record_id, {})
    with db.session(actor) as s:
        if text is not None and (reg.editable or reg.update is not None):
            assert getattr(records.get(s, actor, reg, record_id), text.key) == "已核实,情况属实。"
        if reg.voidable or reg.void is not None:
            records.void(s, actor, reg, record_id)
        else:
            with pytest.raises(AppError):
                records.void(s, actor, reg, record_id)
    if reg.voidable and reg.void is None:
        with db.read_session() as s, pytest.raises(AppError):
            records.get(s, actor, reg, record_id)


def test_readers_may_not_write(db, actors, register_key, rng):
    from app.errors import PermissionDenied
    from app.kit.register import register
    from app.kit.samples import sample_values
    from app.services import records

    reg = register(register_key)
    reader = actors["readonly"]
    with db.session(actors["admin"]) as s:
        raw = sample_values(s, reg, rng)
    with db.session(reader) as s, pytest.raises(PermissionDenied):
        records.create(s, reader, reg, raw)
