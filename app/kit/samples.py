"""Plausible values for any register's fields, from the declaration alone: common names, valid ID
numbers (region, birth date, check digit), mobile numbers, dates inside a period, codes from the
code tables, amounts, and references to existing records (respecting ``ref_filter``). A register
adds realistic business content with its ``sample`` hook (an archived household for a 金秋助学
application). The demo generator and the contract tests take their records from here, so every
declared register can be filled and saved without code of its own.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from app.fields.spec import Field, Kind, offered_choices

SAMPLE_REGION = "341122"  # the 6-digit region prefix of generated ID numbers
_PHRASES = ("职工之家", "普法宣传", "技能提升", "送温暖", "健康讲座", "安全生产", "读书分享", "文体交流")


def _id_number(rng: random.Random, born: date | None = None) -> str:
    born = born or date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    body = f"{SAMPLE_REGION}{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def _uscc(rng: random.Random) -> str:
    from app.validation.uscc import uscc_check_char

    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + SAMPLE_REGION + "".join(rng.choice(chars) for _ in range(9))
    return body + uscc_check_char(body)


def _name(rng: random.Random) -> str:
    from app.demo import names as N

    surname = rng.choices([s for s, _ in N.SURNAMES], weights=[w for _, w in N.SURNAMES])[0]
    pool = N.MALE_CHARS if rng.random() < 0.5 else N.FEMALE_CHARS
    return surname + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2))))


def _ref_ids(session, f: Field, cache: dict) -> list[str]:
    """Live records a reference may point at (at most 200, in a stable order)."""
    if f.key not in cache:
        from app.fields.registry import spec as spec_by_key

        ref = spec_by_key(f.ref)
        table = ref.model.__table__
        q = select(table.c.id).where(table.c.deleted.is_(False)) if "deleted" in table.c else \
            select(table.c.id)
        for key, allowed in (f.ref_filter or {}).items():
            q = q.where(table.c[key].in_(allowed))
        cache[f.key] = list(session.scalars(q.order_by(table.c.id).limit(200)))
    return cache[f.key]


def field_value(session, f: Field, rng: random.Random, *, codes, start: date, end: date,
                cache: dict) -> Any:
    """One plausible raw value (as a form or a spreadsheet gives it) for field ``f``."""
    k = f.kind
    if f.check is not None and not f.required:
        return None  # a format of the area's own (a region code): the register's sample fills it
    if k == Kind.TEXT:
        if f.label.endswith(("姓名", "人", "领导")):  # 姓名, 领取人, 经办人, 慰问领导 …
            return _name(rng)
        text = f"{rng.choice(_PHRASES)}{f.label}{rng.randint(1, 99)}"
        return text[: f.max_len] if f.max_len else text
    if k == Kind.TEXTAREA:
        return f"{rng.choice(_PHRASES)}:情况良好,已按要求办理。"
    if k in (Kind.INT, Kind.DECIMAL):
        low = int(f.min_value) if f.min_value is not None else 0
        high = int(min(f.max_value, low + 500)) if f.max_value is not None else low + 500
        return str(rng.randint(low, high))
    if k == Kind.YEAR:
        return str(start.year)
    if k == Kind.MONEY:
        return f"{rng.randint(1, 5000)}.{rng.randint(0, 99):02d}"
    if k == Kind.DATE:
        return (start + timedelta(days=rng.randint(0, max((end - start).days, 0)))).isoformat()
    if k == Kind.BOOL:
        return rng.random() < 0.5
    if k in (Kind.CODE, Kind.CODES):
        choices = offered_choices(f, codes)
        return rng.choice(choices)[0] if choices else None
    if k == Kind.ID_NUMBER:
        return _id_number(rng)
    if k in (Kind.PHONE, Kind.MOBILE):
        return "13" + str(rng.randint(5, 9)) + f"{rng.randrange(10**8):08d}"
    if k == Kind.USCC:
        return _uscc(rng)
    if k == Kind.BANK_ACCOUNT:
        return "6222" + "".join(str(rng.randint(0, 9)) for _ in range(15))
    if k == Kind.REF:
        ids = _ref_ids(session, f, cache)
        return rng.choice(ids) if ids else None
    return None


def sample_values(session, reg, rng: random.Random | None = None, *, start: date | None = None,
                  end: date | None = None, cache: dict | None = None) -> dict[str, Any]:
    """Raw values for one new record of the register: every editable field a plausible value
    (optional ones too), dates inside ``start``–``end`` (default this year to today), then the
    register's own ``sample`` hook for what the generic values cannot know."""
    from app.clock import today
    from app.services.records import codebook

    rng = rng or random.Random()
    end = end or today()
    start = start or date(end.year, 1, 1)
    cache = {} if cache is None else cache
    codes = codebook(session)
    values = {}
    for f in reg.spec.editable_fields:
        value = field_value(session, f, rng, codes=codes, start=start, end=end, cache=cache)
        if value is not None:
            values[f.key] = value
    if reg.sample is not None:
        values = reg.sample(session, rng, values) or values
    return values


def count_live(session, reg) -> int:
    table = reg.spec.model.__table__
    q = select(func.count()).select_from(table)
    if "deleted" in table.c:
        q = q.where(table.c.deleted.is_(False))
    return session.scalar(q) or 0
