"""Demo step for every register no area step filled, and the demo's count of each register's rows.

Coverage is found, not declared: after the units, the members and the areas' own steps, a register
whose table is still empty gets generated records. No list has to be kept in step with the areas
(an area that later writes a step of its own takes its register over), and the contract tests
(``tests/contract/test_demo.py``) check that every register ends with rows.

The records come from the declaration (``app.kit.samples``, the register's ``sample`` hook) and
are written through the batch pair ``records.check_many`` / ``add_many``, in the demo's transaction:
a row the spec or the register's rule refuses is regenerated (a few rounds), else left out, and
counted — never written. How many: a modest number, growing with the members up to a cap, so the
step costs the same for a million members as for twenty thousand. Dated over the last year.
A register whose own process replaces ``create`` (a review chain, a ledger) cannot be filled this
way: its area writes a demo step.
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from app.clock import today
from app.errors import AppError

SOURCE = "演示数据"
FLOOR, PER_MEMBERS, CAP = 20, 500, 200  # records per register: members / 500, within these
ROUNDS = 3  # times refused rows are replaced by fresh ones


def rows_per_register(members: int) -> int:
    return max(FLOOR, min(CAP, members // PER_MEMBERS))


def fillable(reg) -> bool:
    """Whether the generic batch path can write the register's records."""
    return reg.creatable and reg.create is None


def _empty(session, reg) -> bool:
    table = reg.spec.model.__table__
    return session.scalar(select(table.c.id).limit(1)) is None


def _in_reference_order(regs: list) -> list:
    """Registers after the ones their references point at (a record needs its target first)."""
    keys, out = {r.key for r in regs}, []
    pending = list(regs)
    while pending:
        placed = {r.key for r in out}
        ready = [r for r in pending
                 if all(f.ref in placed or f.ref not in keys or f.ref == r.key
                        for f in r.spec.fields if f.ref)] or pending[:1]  # a cycle: manifest order
        out.extend(ready)
        pending = [r for r in pending if r not in ready]
    return out


def pending(session) -> list:
    """The registers the generic step fills: empty tables the batch path can write."""
    from app.kit.register import all_registers

    return _in_reference_order([r for r in all_registers() if fillable(r) and _empty(session, r)])


def _candidate(session, reg, run) -> dict | None:
    """A generated record's values as ``check_many`` takes them (spec-cleaned), or None."""
    from app.kit.samples import sample_values
    from app.services.records import codebook, filled

    try:
        raw = filled(session, reg, sample_values(session, reg, run=run))
    except AppError:  # a reference fill could not follow
        return None
    cleaned, errors = reg.spec.clean(raw, codebook(session))
    if errors:
        return None
    cleaned["id"] = str(uuid.UUID(int=run.rng.getrandbits(128), version=4))  # same seed, same ids
    return cleaned


def fill_register(session, actor, reg, rng: random.Random, n: int) -> tuple[int, int]:
    """Write ``n`` generated records of ``reg`` (fewer when the rule keeps refusing): returns
    (written, refused), refused counting every generated row the spec or the rule turned down."""
    from app.kit.samples import SampleRun
    from app.services import records

    end = today()
    run = SampleRun.open(session, rng, start=end - timedelta(days=365), end=end)
    kept: list[dict] = []
    made = rounds = 0
    while True:  # ends: past ROUNDS, every pass with errors leaves fewer rows, and none pass
        if rounds < ROUNDS:
            fresh = [_candidate(session, reg, run) for _ in range(n - len(kept))]
            made += len(fresh)
            kept += [row for row in fresh if row is not None]
        rounds += 1
        errors = records.check_many(session, actor, reg, kept)
        kept = [row for i, row in enumerate(kept) if i not in errors]
        if not errors and (len(kept) == n or rounds >= ROUNDS):
            break
    written = records.add_many(session, actor, reg, kept, source=SOURCE) if kept else 0
    return written, made - written


def fill_registers(ctx) -> None:
    """The demo step after the areas' own: every register still empty gets records."""
    # The demo permission covers generated records of every kind (the steps before write units,
    # members and households directly): the program writes them for the administrator, audited
    # under the administrator's name, without each register's write permission.
    writer = dataclasses.replace(ctx.actor, role="system")
    base = ctx.rng.getrandbits(64)
    n = rows_per_register(ctx.counts.get("会员", 0))
    for reg in pending(ctx.session):
        ctx.progress.update(0, 0, f"正在生成{reg.name}")
        # one generator per register: adding a register leaves the others' records as they were
        _, refused = fill_register(ctx.session, writer, reg, random.Random(f"{base}:{reg.key}"), n)
        if refused:
            ctx.refused[reg.name] = refused


def count_rows(ctx) -> None:
    """Each register's rows in the counts the demo returns and audits (by the register's name)."""
    from app.kit.register import all_registers

    for reg in all_registers():
        table = reg.spec.model.__table__
        ctx.counts[reg.name] = ctx.session.scalar(select(func.count()).select_from(table)) or 0
