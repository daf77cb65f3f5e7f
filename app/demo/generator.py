"""``uniondesk-cli demo``: fill a database with realistic generated data, fast.

Rows are produced by cheap table look-ups (the ID check digit comes from precomputed partial sums)
and written with ``executemany`` inside the caller's single transaction, so a million members take
seconds, and a cancelled or failed run leaves nothing behind.
"""

from __future__ import annotations

import gc
import itertools
import queue
import random
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.clock import today
from app.crashpoints import crashpoint
from app.db import fts
from app.db.bulk import Stamper
from app.db.tracking import reserve_change_seqs
from app.demo import names as N
from app.errors import AppError
from app.models import Member, Unit
from app.pinyin import char_pinyin
from app.progress import NO_PROGRESS, Progress
from app.security import audit
from app.security.roles import Perm
from app.validation.uscc import uscc_check_char

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CHUNK = 20_000


@dataclass
class DemoContext:
    session: object
    actor: object
    rng: random.Random
    root: Unit
    stamper: Stamper | None = None
    units: list[dict] = field(default_factory=list)  # every generated unit row
    member_unions: list[dict] = field(default_factory=list)  # grassroots unions (members go here)
    counts: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # generated records a check turned down
    progress: Progress = NO_PROGRESS

    @property
    def county_name(self) -> str:
        return self.root.name.removesuffix("总工会") or self.root.name


def _rows_insert(session, table, rows: list[dict]) -> None:
    """executemany on the session's own connection (same transaction as the ORM work)."""
    if not rows:
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    raw = session.connection().connection.driver_connection
    raw.executemany(sql, [tuple(r[c] for c in cols) for r in rows])


# -- units --------------------------------------------------------------------------------------
def uscc(rng: random.Random, region: str, first: str = "9", second: str = "1") -> str:
    body = first + second + region + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    return body + uscc_check_char(body)


def _unit_row(ctx: DemoContext, **values) -> dict:
    row = {"id": str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4)), "code": None,
           "parent_id": None, "union_uscc": None, "enterprise_name": None, "enterprise_uscc": None,
           "unit_nature": None, "industry": None, "address": None, "worker_count": None,
           "female_worker_count": None, "migrant_worker_count": None,
           "reported_member_count": None, "chair_name": None, "chair_phone": None,
           "founded_on": None, "active": True, "sort_order": len(ctx.units) + 1, "notes": None}
    row.update(values)
    ctx.units.append(row)
    return row


def generate_units(ctx: DemoContext, n_grassroots: int) -> None:
    rng, region, county = ctx.rng, ctx.root.code or "340000", ctx.county_name
    parents = []
    for i, name in enumerate(N.STREETS):
        parents.append(_unit_row(ctx, name=f"{name}工会", kind="street", code=f"{region}{i + 1:03d}",
                                 parent_id=ctx.root.id))
    for i, name in enumerate(N.TOWNSHIPS):
        kind_code = 100 + i if name.endswith("镇") else 200 + i
        parents.append(_unit_row(ctx, name=f"{name}工会", kind="township",
                                 code=f"{region}{kind_code:03d}", parent_id=ctx.root.id))
    systems = [(_unit_row(ctx, name=f"{county}{name}", kind="system", parent_id=ctx.root.id), key)
               for name, key in N.SYSTEMS]
    used: set[str] = set()
    for sys_row, key in systems:  # public bodies under their system union
        for unit_name in N.SYSTEM_UNITS[key]:
            if len(ctx.member_unions) >= n_grassroots:
                break
            full = f"{county}{unit_name}"
            used.add(full)
            ctx.member_unions.append(_grassroots(ctx, full, sys_row, "1" if key in ("office", "school",
                                                                                    "hospital", "agri") else "2", "P"))
    while len(ctx.member_unions) < n_grassroots:
        brand, (trade, industry), suffix = rng.choice(N.BRAND), rng.choice(N.TRADES), rng.choice(N.SUFFIX)
        full = f"{county.removesuffix('县').removesuffix('区')}{brand}{trade}{suffix}"
        if full in used:
            full = f"{county}{brand}{trade}{rng.choice(('一', '二', '三', '四'))}厂"
            if full in used:
                continue
        used.add(full)
        parent = rng.choice(parents)
        ctx.member_unions.append(_grassroots(ctx, full, parent, rng.choice("34444455"), industry))


def _grassroots(ctx: DemoContext, enterprise: str, parent: dict, nature: str, industry: str) -> dict:
    rng = ctx.rng
    founded = date(rng.randint(1985, 2024), rng.randint(1, 12), rng.randint(1, 28))
    chair = person_name(rng, rng.random() < 0.6)[0]
    region = ctx.root.code or "340000"
    return _unit_row(
        ctx, name=f"{enterprise}工会委员会" if rng.random() < 0.3 else f"{enterprise}工会",
        kind="grassroots", parent_id=parent["id"], enterprise_name=enterprise,
        enterprise_uscc=uscc(rng, region, "9" if nature in "345" else "1", "1"),
        union_uscc=uscc(rng, region, "8", "1"), unit_nature=nature, industry=industry,
        address=f"{ctx.county_name}{parent['name'].removesuffix('工会')}{rng.randint(1, 300)}号",
        chair_name=chair, chair_phone=mobile(rng), founded_on=founded,
    )


# -- people -------------------------------------------------------------------------------------
_SURNAMES = [s for s, _ in N.SURNAMES]
_SURNAME_WEIGHTS = [w for _, w in N.SURNAMES]
_SURNAME_CUM = list(itertools.accumulate(_SURNAME_WEIGHTS))


def person_name(rng: random.Random, male: bool) -> tuple[str, str, str]:
    surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]
    pool = N.MALE_CHARS if male else N.FEMALE_CHARS
    if rng.random() < 0.3:
        given = rng.choice(pool)
    else:
        given = rng.choice(N.NEUTRAL_CHARS if rng.random() < 0.2 else pool) + rng.choice(pool)
    name = surname + given
    from app.pinyin import name_keys

    full, initials = name_keys(name)
    return name, full, initials


def mobile(rng: random.Random) -> str:
    return rng.choice(N.MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


class IdFactory:
    """Unique, valid 18-digit ID numbers: region + birth date + a sequence whose parity carries the
    gender, numbered per (region, date, gender) so no two are the same. Partial weighted sums are
    cached per region, per date and per sequence, so the check digit is a table look-up.

    ``unit``: the generating unit's code. Each unit starts its sequences at its own place, so the
    demo counties of one city (whose people are born in the same neighbouring regions) do not
    give different people the same number."""

    def __init__(self, regions: list[str], unit: str | None = None):
        self._start = int(unit) * 97 % 499 if unit and unit.isdigit() else 0
        self._prefix_sum = {r: sum(int(c) * w for c, w in zip(r, ID_WEIGHTS[:6])) for r in regions}
        self._next: dict[tuple[str, int, bool], int] = {}
        self._dates: dict[int, tuple[str, str, int]] = {}
        self._seqs = {male: [(f"{s:03d}", sum(int(c) * w for c, w in zip(f"{s:03d}", ID_WEIGHTS[14:])))
                             for s in range(1 if male else 2, 1000, 2)] for male in (True, False)}

    def date_parts(self, ordinal: int) -> tuple[str, str, int]:
        """(YYYYMMDD, ISO date, weighted sum) of a birth date."""
        parts = self._dates.get(ordinal)
        if parts is None:
            d = date.fromordinal(ordinal)
            text = d.strftime("%Y%m%d")
            parts = self._dates[ordinal] = (text, d.isoformat(),
                                            sum(int(c) * w for c, w in zip(text, ID_WEIGHTS[6:14])))
        return parts

    def make(self, region: str, birth: date | int, male: bool) -> str | None:
        ordinal = birth if isinstance(birth, int) else birth.toordinal()
        text, _, date_sum = self.date_parts(ordinal)
        key = (region, ordinal, male)
        k = self._next.get(key, 0)
        if k >= 499:
            return None
        self._next[key] = k + 1
        s3, seq_sum = self._seqs[male][(self._start + k) % 499]
        return f"{region}{text}{s3}{ID_CHECK[(self._prefix_sum[region] + date_sum + seq_sum) % 11]}"


def ascending_uuid4s(rng: random.Random, n: int):
    """``n`` random version-4 UUIDs in ascending order, generated lazily: appending to the
    primary-key index in order is several times faster than inserting random keys. The 122 random
    bits of each id are a running sum of random gaps, so the ids are spread over the range.
    Each gap is at most ``2**bits <= (2**122 - 1) / n``, so even ``n`` largest gaps stay inside
    the range: the ids are strictly ascending, never clamped into duplicates."""
    bits = max(((1 << 122) - 1) // max(n, 1), 1).bit_length() - 1
    k = 0
    for _ in range(n):
        k += 1 + rng.getrandbits(bits)
        # place the version (4) and variant (10) bits around the 122 random ones
        h = f"{(k >> 74) << 80 | 0x4 << 76 | ((k >> 62) & 0xFFF) << 64 | 0b10 << 62 | (k & ((1 << 62) - 1)):032x}"
        yield f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


MEMBER_COLUMNS = (
    "id", "name", "name_pinyin", "name_initials", "id_number", "gender", "birth_date", "ethnicity",
    "political_status", "education", "phone", "union_id", "department", "post", "joined_on",
    "card_no", "status", "is_migrant_worker", "is_model_worker", "notes", "owner_unit_id",
    "created_at", "created_by", "updated_at", "updated_by", "revision", "change_seq", "vv", "deleted",
)


def _given_names(male: bool) -> list[tuple[str, str, str]]:
    """Every given name the generator uses, with its pinyin keys: (given, full, initials)."""
    pool = N.MALE_CHARS if male else N.FEMALE_CHARS
    py = {c: char_pinyin(c) for c in pool + N.NEUTRAL_CHARS}
    singles = [(a, py[a], py[a][0]) for a in pool]
    doubles = [(a + b, py[a] + py[b], py[a][0] + py[b][0]) for a in pool + N.NEUTRAL_CHARS for b in pool]
    return singles * (len(doubles) * 3 // (7 * len(singles)) or 1) + doubles  # ≈30% single-character


def generate_members(ctx: DemoContext, n: int) -> None:
    """Insert ``n`` members in chunks. Categorical columns are drawn per chunk with
    ``choices(k=...)`` (a C loop); the secondary indexes are dropped and rebuilt around the load
    when the table starts empty."""
    from app.pinyin import name_keys

    rng, region = ctx.rng, ctx.root.code or "340000"
    others = [region[:4] + f"{i:02d}" for i in (21, 22, 23, 24, 25, 26)] + [region[:2] + "0102"]
    regions = [region] * 8 + others
    ids = IdFactory(sorted(set(regions)), unit=ctx.root.code)
    unions = ctx.member_unions
    union_cum = list(itertools.accumulate(rng.lognormvariate(0, 1.0) for _ in unions))
    ref = today()
    oldest, span = ref.toordinal() - 62 * 365, (62 - 19) * 365
    surname_keys = {s: name_keys(s) for s in _SURNAMES}
    given = {True: _given_names(True), False: _given_names(False)}
    ref_ord, min_join = ref.toordinal(), 726833  # joined on or after 1991-01-01
    iso_date = ids.date_parts
    random_, getrandbits, ch = rng.random, rng.getrandbits, rng.choices
    st = ctx.stamper
    # stored exactly as SQLAlchemy writes DateTime on SQLite
    meta_now, who, owner = st.now.strftime("%Y-%m-%d %H:%M:%S.%f"), st.username, st.owner_unit_id
    seq0 = reserve_change_seqs(ctx.session, n)
    raw = ctx.session.connection().connection.driver_connection
    sql = _member_insert_sql(owner=owner, now=meta_now, who=who, device=st.device_id, county=region)
    rebuild = _drop_member_indexes(raw)
    resume_search_index = fts.suspend_triggers(raw, "members")  # rebuilt once after the load
    member_ids = ascending_uuid4s(rng, n)
    weighted = {t: tuple(zip(*pairs)) for t, pairs in N.CODE_WEIGHTS.items()}
    stop = threading.Event()

    def batches():
        done = 0
        while done < n and not stop.is_set():
            k = min(CHUNK, n - done)
            union_idx = ch(range(len(unions)), cum_weights=union_cum, k=k)
            surnames = ch(_SURNAMES, cum_weights=_SURNAME_CUM, k=k)
            genders = [random_() < 0.55 for _ in range(k)]
            males, females = ch(given[True], k=k), ch(given[False], k=k)
            statuses, political, education, ethnicity = (
                ch(*weighted[t], k=k) for t in ("member_status", "political_status", "education", "ethnicity"))
            departments, posts = ch(N.DEPARTMENTS, k=k), ch(N.POSTS, k=k)
            prefixes, region_of = ch(N.MOBILE_PREFIXES, k=k), ch(regions, k=k)
            batch = []
            for j in range(k):
                male = genders[j]
                g_name, g_full, g_init = males[j] if male else females[j]
                surname = surnames[j]
                s_full, s_init = surname_keys[surname]
                birth_ord = oldest + int(random_() * span)
                region = region_of[j]
                number = ids.make(region, birth_ord, male)
                while number is None:
                    birth_ord = oldest + int(random_() * span)
                    number = ids.make(region, birth_ord, male)
                start = max(birth_ord + 6574, min_join)  # joined at 18 or later
                joined = iso_date(start + int(random_() * (ref_ord - start)))[1]
                union = unions[union_idx[j]]
                seq = seq0 + done + j
                batch.append((
                    next(member_ids), surname + g_name, s_full + g_full, s_init + g_init, number,
                    "1" if male else "2", iso_date(birth_ord)[1], ethnicity[j], political[j],
                    education[j], prefixes[j], getrandbits(27) % 100_000_000, union["id"],
                    departments[j], posts[j], joined, region, seq, statuses[j],
                    union["migrant_share"] > random_(), random_() < 0.004,
                ))
            yield batch
            done += k

    # Rows are generated on a second thread while this one writes: sqlite3 releases the GIL
    # while it works, so generation and insertion overlap on two cores.
    done = 0
    for batch in _prefetch(batches(), stop):
        raw.executemany(sql, batch)
        crashpoint("demo.members.chunk")
        done += len(batch)
        ctx.progress.update(done, n, f"正在生成会员 {done:,}/{n:,}")
    ctx.progress.update(done, n, "正在建立索引")
    rebuild()
    ctx.progress.update(done, n, "正在建立检索索引")
    resume_search_index()
    ctx.progress.update(done, n, f"已生成会员 {done:,} 名")
    ctx.counts["会员"] = n


def _sql_text(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _member_insert_sql(*, owner: str | None, now: str, who: str, device: str, county: str) -> str:
    """The members INSERT with the per-batch constants written into the statement and the derived
    strings (phone, card number, version vector) built by SQLite from numbered parameters, so
    Python binds 21 values per row instead of 29 and formats fewer strings."""
    values = {
        "id": "?1", "name": "?2", "name_pinyin": "?3", "name_initials": "?4", "id_number": "?5",
        "gender": "?6", "birth_date": "?7", "ethnicity": "?8", "political_status": "?9",
        "education": "?10", "phone": "?11 || printf('%08d', ?12)", "union_id": "?13",
        "department": "?14", "post": "?15", "joined_on": "?16",
        # 会员证号: the county's own code (not the member's birthplace), the year joined, a serial
        "card_no": _sql_text(county) + " || substr(?16, 1, 4) || printf('%07d', ?18)", "status": "?19",
        "is_migrant_worker": "?20", "is_model_worker": "?21", "notes": "NULL",
        "owner_unit_id": _sql_text(owner), "created_at": _sql_text(now), "created_by": _sql_text(who),
        "updated_at": _sql_text(now), "updated_by": _sql_text(who), "revision": "1",
        "change_seq": "?18", "vv": "'{\"' || " + _sql_text(device) + " || '\":' || ?18 || '}'",
        "deleted": "0",
    }
    assert tuple(values) == MEMBER_COLUMNS
    return f"INSERT INTO members ({', '.join(values)}) VALUES ({', '.join(values.values())})"


def _prefetch(iterable, stop: threading.Event, depth: int = 3):
    """Run ``iterable`` on a background thread, ``depth`` items ahead of the consumer."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    end = object()

    def produce():
        try:
            for item in iterable:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
            q.put(end)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            q.put(exc)

    worker = threading.Thread(target=produce, name="demo-rows", daemon=True)
    worker.start()
    try:
        while (item := q.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


def _drop_member_indexes(raw) -> callable:
    return drop_indexes(raw, "members")


def drop_indexes(raw, table: str) -> callable:
    """Drop a table's secondary indexes while it is empty; returns the rebuild step. Building
    an index once from sorted data is far cheaper than a million random inserts."""
    if raw.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
        return lambda: None
    found = raw.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=? "
                        "AND sql IS NOT NULL", (table,)).fetchall()
    ddl, names = [sql for _, sql in found], [name for name, _ in found]
    for name in names:
        raw.execute(f'DROP INDEX "{name}"')

    def rebuild():
        for sql in ddl:
            raw.execute(sql)

    return rebuild


def _finish_units(ctx: DemoContext) -> None:
    """Insert the unit rows (parents first), with plausible reported counts."""
    rng = ctx.rng
    for u in ctx.member_unions:
        workers = rng.randint(8, 2000)
        u["worker_count"] = workers
        u["female_worker_count"] = int(workers * rng.uniform(0.2, 0.6))
        u["migrant_worker_count"] = int(workers * rng.uniform(0, 0.4)) if u["unit_nature"] in "345" else 0
        u["migrant_share"] = u["migrant_worker_count"] / workers
    rows = [ctx.stamper.stamp({k: v for k, v in u.items() if k != "migrant_share"})
            for u in ctx.units]
    _rows_insert(ctx.session, "units", rows)
    ctx.counts["单位"] = len(rows)


def demo_steps() -> list[tuple[str, object]]:
    """Each area's demo steps (the manifest's ``demo``), run after the units and members."""
    from app.areas import all_areas, load

    return [(f"正在生成{a.title}数据", load(path)) for a in all_areas() for path in a.demo]


def generate(db, actor, *, members: int = 1000, seed: int | None = None,
             progress: Progress = NO_PROGRESS) -> dict[str, int]:
    """Generate a county's unions and ``members`` members, then the areas' demo steps, then
    records for every register still empty (``app.demo.registers``), in one transaction.
    Returns the rows of each register by its name (and any generated records a check refused)."""
    actor.require(Perm.DEMO, "生成演示数据")
    if members < 0 or members > 5_000_000:
        raise AppError("会员数量应在 0 到 5,000,000 之间")
    rng = random.Random(seed)
    gc_was_on = gc.isenabled()
    gc.disable()  # millions of short-lived tuples: the cyclic collector only slows the load
    try:
        made = _generate(db, actor, rng, members, seed, progress)
    finally:
        if gc_was_on:
            gc.enable()
    from app.db.backup import after_large_change

    after_large_change(db, sum(v for v in made.values() if isinstance(v, int)), "demo")
    return made


def _generate(db, actor, rng, members, seed, progress) -> dict[str, int]:
    from app.demo.registers import count_rows, fill_registers

    with db.session(actor) as s:
        root = s.get(Unit, db.root_unit_id)
        if root is None:
            raise AppError("数据库尚未初始化,请先运行 init")
        existing = s.scalar(select(Member.id).limit(1))
        if existing is not None or s.scalar(select(Unit.id).where(Unit.id != root.id).limit(1)):
            raise AppError("数据库中已有单位或会员数据,演示数据只能生成到新建的数据库中")
        ctx = DemoContext(session=s, actor=actor, rng=rng, root=root, progress=progress)
        n_unions = min(800, 200 + members // 2000)
        progress.update(0, members, "正在生成单位")
        generate_units(ctx, n_unions)
        ctx.stamper = Stamper(first_seq=reserve_change_seqs(s, len(ctx.units)),
                              device_id=db.device_id, username=actor.username,
                              owner_unit_id=root.id)
        _finish_units(ctx)
        generate_members(ctx, members)
        for label, step in demo_steps():
            progress.update(0, 0, label)
            step(ctx)
        fill_registers(ctx)
        from app.services import settings

        settings.put(s, actor, "notice_phone", f"0{root.code[:3]}-{rng.randint(2000000, 8999999)}"
                     if root.code else "0550-6100000")  # a fictional office line for the 公示
        count_rows(ctx)
        ctx.counts.update({f"{name}(未通过检查,未写入)": n for name, n in ctx.refused.items()})
        audit.append(s, action="demo", actor=actor, object_type="installation",
                     object_id=root.id,
                     summary="生成演示数据:" + ",".join(f"{k} {v:,}" for k, v in ctx.counts.items()),
                     detail={"seed": seed, "counts": ctx.counts})
        crashpoint("demo.before-commit")
    crashpoint("demo.committed")
    return ctx.counts
