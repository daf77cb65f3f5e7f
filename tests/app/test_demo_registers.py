"""The demo's generic step: which registers it fills, how many records, what it does with records
a check refuses, and that a register declared only (the kit's example area) is filled too."""

import dataclasses
import json
import os
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.clock import today
from app.demo import registers as demo_registers
from app.kit.register import register
from app.models import Campaign

ROOT = Path(__file__).resolve().parents[2]


class _RolledBack(Exception):
    pass


def test_records_per_register_grow_with_the_members_up_to_a_cap():
    n = demo_registers.rows_per_register
    assert n(0) == n(300) == demo_registers.FLOOR
    assert n(50_000) == 100
    assert n(1_000_000) == n(5_000_000) == demo_registers.CAP


def test_only_empty_registers_the_batch_path_can_write_are_pending(fresh_db, db):
    with fresh_db.session() as s:
        keys = [r.key for r in demo_registers.pending(s)]
    assert "member" in keys and "unit" not in keys  # set-up made the county's own union
    assert "hardship_archive" not in keys and "relief_entry" not in keys  # their own process
    assert keys.index("hardship_campaign") < keys.index("hardship_visit")  # a visit names one
    with db.session() as s:  # the demo filled everything
        assert demo_registers.pending(s) == []


def _fill(db, admin, reg, seed, n=20):
    """Fill ``reg`` in a transaction that is rolled back: (written, refused, new rows)."""
    writer = dataclasses.replace(admin, role="system")
    with pytest.raises(_RolledBack), db.session(writer) as s:
        before = set(s.scalars(select(Campaign.id)))
        written, refused = demo_registers.fill_register(s, writer, reg, random.Random(seed), n)
        rows = s.execute(select(Campaign.id, Campaign.name, Campaign.kind, Campaign.starts_on,
                                Campaign.ends_on).where(Campaign.id.notin_(before))
                         .order_by(Campaign.id)).all()
        raise _RolledBack
    return written, refused, rows


def test_refused_records_are_replaced_and_counted_never_written(db, admin):
    refusals = []

    def no_other(session, items):
        bad = {i: {"kind": "演示中不要“其他”"} for i, it in enumerate(items) if it.values["kind"] == "other"}
        refusals.append(len(bad))
        return bad

    reg = dataclasses.replace(register("hardship_campaign"), rule=no_other)
    written, refused, rows = _fill(db, admin, reg, seed=4)
    assert written == len(rows) == 20 and refused > 0
    assert refused == sum(refusals[:-1])  # add_many's own check (the last) found nothing
    assert all(r.kind != "other" for r in rows)
    year_ago = today() - timedelta(days=365)
    assert all(year_ago <= r.starts_on <= r.ends_on <= today() for r in rows)


def test_a_register_whose_rule_refuses_everything_gets_nothing(db, admin):
    reg = dataclasses.replace(register("hardship_campaign"),
                              rule=lambda s, items: {i: {"name": "不行"} for i in range(len(items))})
    written, refused, rows = _fill(db, admin, reg, seed=4)
    assert (written, rows) == (0, []) and refused == 20 * demo_registers.ROUNDS
    with db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Campaign)) > 0  # the demo's own stay


def test_the_same_generator_writes_the_same_records(db, admin):
    reg = register("hardship_campaign")
    first, again, other = (_fill(db, admin, reg, seed)[2] for seed in (7, 7, 8))
    assert first == again and first != other


def test_a_register_declared_only_is_filled_by_the_demo(tmp_path):
    """The kit's example area has no demo code: the generic step fills its register."""
    script = (
        "import json, sys\n"
        "from app.db.engine import open_database\n"
        "from app.demo.generator import generate\n"
        "from app.services.setup import init_installation\n"
        "db = open_database(sys.argv[1], create=True)\n"
        "admin = init_installation(db, unit_name='示例县总工会', unit_code='341122', level='county',"
        " admin_user='admin', admin_password='Gh#Desk2026a')\n"
        "print(json.dumps(generate(db, admin, members=200, seed=3), ensure_ascii=False))\n"
    )
    env = {**os.environ, "UNIONDESK_EXTRA_AREAS": "tests.kit_example.area:AREAS"}
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "example.db")], cwd=ROOT,
                         env=env, capture_output=True, text=True, encoding="utf-8", check=True)
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    assert counts["示例活动"] == demo_registers.FLOOR
    assert not any(k.endswith("(未通过检查,未写入)") for k in counts)
    assert counts["会员"] == 200
