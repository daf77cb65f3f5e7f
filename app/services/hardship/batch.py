"""Many households or payouts at once (the Excel imports): the rules of ``archives.create_archive``
and ``ledger.record_relief`` checked for a whole batch with a few queries, then a bulk insert in
the caller's transaction with ONE audit entry.

Households: every row becomes a draft archive (草稿) of this installation — the review chain runs
here, so status, grade and archive number are never taken from a file. Checked: the union (a
grassroots union the user may act for), the fields' own rules, 精准识别 (an ID number once across
every open archive of every unit, and once in the file, head or member), members who are the head
himself. Derived as on entry: sex and birth date, pinyin, the link to the member register, the
household's figures and the eligibility proposal with its working.

Payouts: the ledger's rules line by line — 先建档,后帮扶 (an archive 已建档 on or before the day,
except 意外救助 with a reason and an ID number), goods with unit and quantity, the union in the
user's chain — refused; the yearly cap and a second payout in one campaign, counting the earlier
lines of the same file, are warnings for the user to confirm.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal
from functools import cache
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.clock import today
from app.db.base import new_id
from app.db.bulk import Stamper
from app.db.tracking import reserve_change_seqs
from app.errors import AppError, PermissionDenied, ValidationFailed
from app.fields.hardship import ARCHIVE, EXPENSE, FAMILY_MEMBER, HEAD_RELATIONS, STATUS_CHOICES
from app.fields.hardship_relief import LEDGER
from app.models import Campaign, HardshipArchive, HardshipExpense, HardshipFamilyMember, Member, ReliefEntry, Unit
from app.pinyin import name_keys
from app.security import audit
from app.security.roles import Perm
from app.services.hardship import archives, ledger, relief_repeats, scope
from app.services.hardship.identity import CLOSED, find_conflicts
from app.validation import format_yuan, parse_id_number

CHUNK = 500


@cache
def _column_defaults(table) -> tuple[tuple[str, object], ...]:
    """(key, scalar default or None) of each column, read once per table (not per row)."""
    return tuple((c.key, c.default.arg if c.default is not None and not callable(c.default.arg) else None)
                 for c in table.columns)


def _full_row(table, values: dict) -> dict:
    """Every column of ``table``: the value given, else the column's scalar default."""
    get = values.get
    return {k: v if (v := get(k)) is not None else default for k, default in _column_defaults(table)}


def _insert(session: Session, model, rows: list[dict], stamper: Stamper) -> None:
    if rows:
        session.execute(insert(model.__table__), [stamper.stamp(_full_row(model.__table__, r)) for r in rows])


# -- households ------------------------------------------------------------------------------------
def _union_errors(session: Session, actor, cache: dict, union_id: str) -> str | None:
    if union_id not in cache:
        unit = session.get(Unit, union_id)
        if unit is None or unit.deleted:
            cache[union_id] = "所属工会不存在或已作废"
        elif unit.kind not in ("grassroots", "federation"):
            cache[union_id] = f"困难职工档案应属于基层工会,“{unit.name}”不是基层工会"
        else:
            try:
                scope.require_in_chain(session, actor, union_id, "建立该工会的困难职工档案")
                cache[union_id] = None
            except PermissionDenied as exc:
                cache[union_id] = str(exc)
    return cache[union_id]


def _head(values: dict) -> SimpleNamespace:
    """The archive as the rules and the eligibility engine read it (no ORM object, no flush)."""
    row = _full_row(HardshipArchive.__table__, {k: v for k, v in values.items()
                                                 if k not in ("members", "expenses")})
    return SimpleNamespace(**row)


# what a household's row and child rows carry (the derived and workflow columns are never imported)
_HEAD_KEYS = tuple(f.key for f in ARCHIVE.fields if not f.readonly)
_MEMBER_KEYS = tuple(f.key for f in FAMILY_MEMBER.fields if not f.readonly)
_EXPENSE_KEYS = tuple(f.key for f in EXPENSE.fields if not f.readonly)


def _same_value(a, b) -> bool:
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return Decimal(str(a)) == Decimal(str(b))
    return a == b


def _rows_key(rows, keys) -> list[tuple]:
    """Child rows as comparable tuples, in no particular order (numbers as Decimal, blanks None)."""
    def norm(v):
        if v in (None, ""):
            return None
        return Decimal(str(v)) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v
    return sorted((tuple(norm(r.get(k) if isinstance(r, dict) else getattr(r, k)) for k in keys)
                   for r in rows), key=repr)


def _differences(h: dict, a: HardshipArchive, members, expenses) -> list[str]:
    """The labels of what the household's row says otherwise than archive ``a`` (an employer
    left empty is the union's enterprise, as on entry)."""
    out = [ARCHIVE.field(k).label for k in _HEAD_KEYS
           if not (k == "employer" and h.get(k) in (None, "")) and not _same_value(h.get(k), getattr(a, k))]
    if _rows_key(h.get("members", ()), _MEMBER_KEYS) != _rows_key(members, _MEMBER_KEYS):
        out.append("家庭成员")
    if _rows_key(h.get("expenses", ()), _EXPENSE_KEYS) != _rows_key(expenses, _EXPENSE_KEYS):
        out.append("刚性支出")
    return out


def _archives_of_heads(session: Session, numbers: list[str]) -> dict[str, list[tuple]]:
    """Every live archive (closed ones too) each head's ID number heads: {number: [(archive,
    union name, members, expenses)]}, the archive in force (or else the latest) first."""
    found: dict[str, list[tuple]] = defaultdict(list)
    for start in range(0, len(numbers), CHUNK):
        rows = session.execute(select(HardshipArchive, Unit.name).join(Unit, Unit.id == HardshipArchive.union_id)
                               .where(HardshipArchive.id_number.in_(numbers[start:start + CHUNK]),
                                      HardshipArchive.deleted.is_(False))).all()
        ids = [a.id for a, _ in rows]
        members: dict[str, list] = defaultdict(list)
        expenses: dict[str, list] = defaultdict(list)
        if ids:
            for m in session.scalars(select(HardshipFamilyMember).where(
                    HardshipFamilyMember.archive_id.in_(ids), HardshipFamilyMember.deleted.is_(False))):
                members[m.archive_id].append(m)
            for e in session.scalars(select(HardshipExpense).where(
                    HardshipExpense.archive_id.in_(ids), HardshipExpense.deleted.is_(False))):
                expenses[e.archive_id].append(e)
        for a, union in rows:
            found[a.id_number].append((a, union, members[a.id], expenses[a.id]))
    for held in found.values():
        held.sort(key=lambda t: (t[0].status not in CLOSED, t[0].applied_on or t[0].created_at.date(),
                                 t[0].created_at), reverse=True)
    return found


def _held_message(a: HardshipArchive, union: str, labels: dict, differs: list[str]) -> str:
    """Why a row naming the head of a closed archive (已脱困, 已注销) is not imported."""
    no = f"编号 {a.archive_no}," if a.archive_no else ""
    shown = "、".join(differs[:5]) + (f"等 {len(differs)} 项" if len(differs) > 5 else "")
    return (f"该户主已有困难职工档案“{a.name}”({no}{union},{labels.get(a.status, a.status)}),"
            f"本行与其不同:{shown}。导入不会修改已有档案,也不会为其另建档案;"
            "该户如需重新申请,请在系统中为其新建档案")


def check_households(session: Session, actor, households: list[dict[str, Any]], *,
                     row_numbers: Sequence[int] | None = None,
                     unchanged: list[int] | None = None) -> dict[int, dict[str, str]]:
    """Errors by index: cleaned archive values, each with ``members`` and ``expenses`` lists of
    cleaned rows. Nothing is written. ``row_numbers`` (the sheet rows of an Excel import) name
    another household as the import report does.

    A household whose head already heads a live archive — in force or closed (已脱困, 已注销) —
    is that archive, never a second one: the same in every column and child row, its index goes
    to ``unchanged`` (与已有记录相同; refused when no such list is given), else it is refused —
    an archive in force by 精准识别, a closed one naming the archive, its state and what differs
    (a closed household applying again gets a new archive through the form, not a file)."""
    errors: dict[int, dict[str, str]] = defaultdict(dict)
    unions: dict[str, str | None] = {}
    seen: dict[str, tuple[int, str]] = {}  # ID number -> (index, 户主 | 家庭成员) first in the file
    labels = dict(STATUS_CHOICES)
    everyone: list[str] = []
    for i, h in enumerate(households):
        if msg := _union_errors(session, actor, unions, h["union_id"]):
            errors[i]["union_id"] = msg
        try:
            archives._check_fields(_head(h))
        except ValidationFailed as exc:
            errors[i].update(exc.errors)
        people = [(h["id_number"], "户主", h["name"])] + [
            (m["id_number"], "家庭成员", m["name"]) for m in h.get("members", ())]
        for j, m in enumerate(h.get("members", ())):
            if m.get("relation") in HEAD_RELATIONS:
                errors[i].setdefault("members", f"家庭成员“{m['name']}”:户主本人不列入家庭成员表")
        for number, role, name in people:
            if number in seen:
                first, first_role = seen[number]
                where = "本户" if first == i else (
                    f"本文件第 {row_numbers[first]} 行" if row_numbers is not None
                    else f"本批另一户(第 {first + 1} 户)")
                key = "id_number" if role == "户主" else "members"
                errors[i].setdefault(key, f"{role}“{name}”的身份证号与{where}的{first_role}重复")
            else:
                seen[number] = (i, role)
                everyone.append(number)
    held = _archives_of_heads(session, sorted({h["id_number"] for h in households}))
    matched: dict[int, str] = {}  # index -> the archive its head heads (conflicts with it are its own)
    same: set[int] = set()
    for i, h in enumerate(households):
        if not (archives_held := held.get(h["id_number"])):
            continue
        diffs = [(t, _differences(h, t[0], t[2], t[3])) for t in archives_held]
        twin = next((t for t, d in diffs if not d), None)
        if twin is not None:
            matched[i] = twin[0].id
            same.add(i)
            continue
        (a, union, _, _), differs = diffs[0]
        if a.status not in CLOSED:  # 精准识别 below names it: one person, one archive in force
            continue
        matched[i] = a.id
        errors[i]["id_number"] = _held_message(a, union, labels, differs)
    owner = {n: i for n, (i, _) in seen.items()}
    for start in range(0, len(everyone), CHUNK):
        for c in find_conflicts(session, everyone[start:start + CHUNK]):
            i = owner[c.id_number]
            if matched.get(i) == c.archive_id:
                continue
            key = "id_number" if c.id_number == households[i]["id_number"] else "members"
            errors[i].setdefault(key, c.message(labels))
    for i in sorted(same):
        if unchanged is None:
            errors[i] = {"id_number": "该户主已有与本行完全相同的困难职工档案,不再导入"}
        else:
            errors.pop(i, None)
            unchanged.append(i)
    return {i: e for i, e in errors.items() if e}


def add_households(session: Session, actor, households: list[dict[str, Any]], *, source: str,
                   checked: bool = False) -> int:
    """Create the households as draft archives in the caller's transaction: checked again unless
    ``checked`` (the database has not changed since they were), derived as on entry, inserted in
    bulk, audited once."""
    actor.require(Perm.WRITE, "批量建立困难职工档案")
    if not checked and (errors := check_households(session, actor, households)):
        first = min(errors)
        raise ValidationFailed(errors[first], ARCHIVE.labels | {"members": "家庭成员"})
    heads = sorted({h["id_number"] for h in households})
    member_ids: dict[str, str] = {}
    for start in range(0, len(heads), CHUNK):
        member_ids.update(session.execute(select(Member.id_number, Member.id).where(
            Member.id_number.in_(heads[start:start + CHUNK]), Member.deleted.is_(False),
            Member.status.in_(archives.ACTIVE_MEMBER_STATUSES))).all())
    labels = archives.code_labels(session)
    counties: dict[str, Unit] = {}
    params: dict[tuple[str, int], Any] = {}
    union_names: dict[str, str] = {}
    rows_a, rows_m, rows_e = [], [], []
    for h in households:
        a = _head(h)
        a.id, a.status, a.entered_by = new_id(), "draft", actor.username
        if not a.employer:
            if a.union_id not in union_names:
                unit = session.get(Unit, a.union_id)
                union_names[a.union_id] = unit.enterprise_name or unit.name
            a.employer = union_names[a.union_id]
        info = parse_id_number(a.id_number)
        a.gender, a.birth_date = info.gender, info.birth_date
        a.member_id = member_ids.get(a.id_number)
        a.name_pinyin, a.name_initials = name_keys(a.name)
        if a.housing_area is not None:
            a.housing_area_band = archives._area_band(a.housing_area)
        members = []
        for order, m in enumerate(h.get("members", ())):
            info = parse_id_number(m["id_number"])
            members.append(SimpleNamespace(**_full_row(HardshipFamilyMember.__table__, {
                **m, "id": new_id(), "archive_id": a.id, "sort_order": order,
                "gender": info.gender, "birth_date": info.birth_date})))
        expenses = [SimpleNamespace(**_full_row(HardshipExpense.__table__, {
            **e, "id": new_id(), "archive_id": a.id})) for e in h.get("expenses", ())]
        on = a.applied_on or today()
        if a.union_id not in counties:
            counties[a.union_id] = scope.county_of(scope.unit_chain(session, a.union_id))
        county = counties[a.union_id]
        if (county.id, on.year) not in params:
            params[county.id, on.year] = scope.params_row(session, county.id, on.year)
        archives.apply_figures(a, members, expenses, county, params[county.id, on.year], labels, on)
        rows_a.append(vars(a))
        rows_m += [vars(m) for m in members]
        rows_e += [vars(e) for e in expenses]
    total = len(rows_a) + len(rows_m) + len(rows_e)
    stamper = Stamper(first_seq=reserve_change_seqs(session, total),
                      device_id=session.info.get("device_id") or "", username=actor.username,
                      owner_unit_id=session.info.get("root_unit_id"))
    first_seq = stamper.seq
    _insert(session, HardshipArchive, rows_a, stamper)
    _insert(session, HardshipFamilyMember, rows_m, stamper)
    _insert(session, HardshipExpense, rows_e, stamper)
    audit.append(session, action="import", actor=actor, object_type="hardship_archives",
                 summary=f"批量建立困难职工档案 {len(rows_a):,} 户(草稿,家庭成员 {len(rows_m):,} 人;"
                         f"来源:{source})",
                 detail={"count": len(rows_a), "members": len(rows_m), "expenses": len(rows_e),
                         "source": source, "first_change_seq": first_seq})
    return len(rows_a)


# -- payouts ---------------------------------------------------------------------------------------
def _line_errors(session: Session, actor, line: dict) -> dict[str, str]:
    """The ledger's refusals for one line (after its defaults were filled in)."""
    errors: dict[str, str] = {}
    ledger._check_line(line, errors, "")
    if errors:
        return errors
    try:
        ledger._check_rules(session, actor, line)
    except ValidationFailed as exc:
        return exc.errors
    except PermissionDenied as exc:
        return {"unit_id": str(exc)}
    except AppError as exc:  # 先建档,后帮扶
        return {"archive_id": str(exc)}
    return {}


def _prepared(session: Session, actor, lines: list[dict]) -> list[dict | str]:
    """Each line with the ledger's defaults (from the archive, the enterprise's union, the user)
    and, for a worker named only by ID number, the archive that number heads; or the message
    when the archive is gone."""
    numbers = sorted({ln["recipient_id_number"] for ln in lines if ln.get("recipient_id_number")
                      and not ln.get("archive_id") and ln.get("recipient_kind") == "worker"})
    linked: dict[str, str] = {}
    for start in range(0, len(numbers), CHUNK):
        linked.update(session.execute(select(HardshipArchive.id_number, HardshipArchive.id).where(
            HardshipArchive.id_number.in_(numbers[start:start + CHUNK]),
            HardshipArchive.status == "archived", HardshipArchive.deleted.is_(False))).all())
    out: list[dict | str] = []
    for raw in lines:
        try:
            line = ledger.fill_defaults(session, actor, {k: v for k, v in raw.items() if v not in (None, "")})
        except AppError as exc:
            out.append(str(exc))
            continue
        for k, f in ((f.key, f) for f in LEDGER.fields):
            if line.get(k) is None and f.default is not None:
                line[k] = f.default
        if line["recipient_kind"] == "worker" and not line.get("archive_id") and line.get("recipient_id_number"):
            line["archive_id"] = linked.get(line["recipient_id_number"])
        out.append(line)
    return out


class ReliefCheck(NamedTuple):
    """What ``check_relief`` found, by line index: refusals; warnings the whole import confirms;
    probable duplicates only a confirmation of that very line admits; the reversal lines with
    the id of the line each reverses; and the lines that are lines of the ledger already (the
    same in every column: an export imported again), never written."""

    errors: dict[int, dict[str, str]]
    warnings: dict[int, dict[str, str]]
    doubtful: dict[int, dict[str, str]]
    reverses: dict[int, str]
    unchanged: list[int] = []


def check_relief(session: Session, actor, lines: list[dict[str, Any]],
                 confirmed_lines: Collection[int] = ()) -> ReliefCheck:
    """Every line's checks, by index, in file order (``relief_repeats`` for lines already in the
    ledger, duplicates and reversals; a duplicate not in ``confirmed_lines`` will not be written,
    so a later line cannot reverse it). Nothing is written."""
    errors: dict[int, dict[str, str]] = {}
    warnings: dict[int, dict[str, str]] = defaultdict(dict)
    doubtful: dict[int, dict[str, str]] = {}
    reverses: dict[int, str] = {}
    unchanged: list[int] = []
    repeats = relief_repeats.Repeats(session)
    totals: dict[tuple, int] = {}  # (household, year) -> fen so far: database, then this file
    caps: dict[tuple[str, int], int | None] = {}
    given: dict[tuple, dict] = {}  # (household, campaign) -> {day: fen}
    campaigns: dict[str, str] = {}
    for i, line in enumerate(_prepared(session, actor, lines)):
        if isinstance(line, str):
            errors[i] = {"archive_id": line}
            continue
        e = _line_errors(session, actor, line)
        who = relief_repeats.line_key(line)
        # a line of the ledger already is that line, whatever today's rules say of it (its archive
        # since closed …) — but only within the user's scope
        if "unit_id" not in e and repeats.same(who, line):
            unchanged.append(i)
            continue
        if e:
            errors[i] = e
            continue
        if relief_repeats.is_reversal(line):
            original, why = repeats.original(who, line)
            if original is None:
                errors[i] = {"cash_fen": why}
            else:
                reverses[i] = original
            continue
        if msg := repeats.duplicate(who, line, i, i in confirmed_lines):
            doubtful[i] = {"cash_fen": msg}
        key = ledger._household_key(line)
        if key is None:  # the yearly cap and the campaign's repeats are a household's
            continue
        value = (line.get("cash_fen") or 0) + (line.get("goods_value_fen") or 0)
        year = line["paid_on"].year
        if (key, year) not in totals:
            totals[key, year] = ledger.yearly_total(session, key, year)
        cap = _cap(session, caps, line)
        before = totals[key, year]
        totals[key, year] = before + value
        if cap and before + value > cap:
            warnings[i]["cash_fen"] = (f"{line['recipient_name']}一户{year}年已获救助 {format_yuan(before)} 元"
                                       f"(含本文件前面的行),本行 {format_yuan(value)} 元,合计超过年度上限 "
                                       f"{format_yuan(cap)} 元")
        if cid := line.get("campaign_id"):
            if (key, cid) not in given:
                given[key, cid] = dict(session.execute(
                    select(ReliefEntry.paid_on, func.sum(ReliefEntry.cash_fen + ReliefEntry.goods_value_fen))
                    .where(ledger._household_filter(key), ReliefEntry.campaign_id == cid)
                    .group_by(ReliefEntry.paid_on)).all())
            days = given[key, cid]
            earlier = sorted(d for d, v in days.items() if v > 0 and d != line["paid_on"])
            if earlier:
                if cid not in campaigns:
                    campaigns[cid] = session.get(Campaign, cid).name
                warnings[i]["campaign_id"] = (f"{line['recipient_name']}一户在“{campaigns[cid]}”中已于 "
                                              f"{'、'.join(d.isoformat() for d in earlier)} 获得慰问,本行为重复慰问")
            days[line["paid_on"]] = days.get(line["paid_on"], 0) + value
    return ReliefCheck(errors, {i: w for i, w in warnings.items() if w and i not in errors}, doubtful,
                       reverses, unchanged)


def _cap(session: Session, cache: dict, line: dict) -> int | None:
    unit_id = line.get("unit_id") or session.info.get("root_unit_id")
    if not unit_id:
        return None
    county = scope.county_of(scope.unit_chain(session, unit_id))
    year = line["paid_on"].year
    if (county.id, year) not in cache:
        row = scope.params_row(session, county.id, year)
        cache[county.id, year] = row.yearly_cap_fen if row is not None else None
    return cache[county.id, year]


def add_relief(session: Session, actor, lines: list[dict[str, Any]], *, source: str,
               confirmed: list[str] = (), confirmed_lines: Collection[int] = ()) -> int:
    """Record the lines in the caller's transaction: checked again, inserted in bulk, audited once
    (with the warnings the user confirmed). A line with warnings not confirmed is refused, and so
    is a probable duplicate whose index is not in ``confirmed_lines``."""
    actor.require(Perm.WRITE, "批量登记救助发放")
    found = check_relief(session, actor, lines, confirmed_lines)
    errors = found.errors | {i: d for i, d in found.doubtful.items() if i not in confirmed_lines} | {
        i: {"cash_fen": "与台账中已有的一条记录完全相同,不再登记"} for i in found.unchanged}
    if errors:
        first = min(errors)
        raise ValidationFailed(errors[first], LEDGER.labels)
    if found.warnings and not confirmed:
        raise ledger.NeedsConfirmation([m for w in found.warnings.values() for m in w.values()])
    rows = []
    for line in _prepared(session, actor, lines):
        row = {k: line.get(k) for k in (f.key for f in LEDGER.fields)}
        row["id"] = new_id()
        rows.append(row)
    ids = {relief_repeats.file_line(i): row["id"] for i, row in enumerate(rows)}
    for i, original in found.reverses.items():  # an original earlier in the file has its id now
        rows[i]["reverses_id"] = ids.get(original, original)
    stamper = Stamper(first_seq=reserve_change_seqs(session, len(rows)),
                      device_id=session.info.get("device_id") or "", username=actor.username,
                      owner_unit_id=session.info.get("root_unit_id"))
    first_seq = stamper.seq
    _insert(session, ReliefEntry, rows, stamper)
    cash = sum(r["cash_fen"] or 0 for r in rows)
    audit.append(session, action="import", actor=actor, object_type="hardship_ledger",
                 summary=f"批量登记救助发放 {len(rows):,} 条,现金合计 {format_yuan(cash)} 元(来源:{source})"
                         + (f";已确认提示 {len(confirmed)} 条" if confirmed else ""),
                 detail={"count": len(rows), "cash_fen": cash, "source": source,
                         "confirmed": list(confirmed), "first_change_seq": first_seq})
    return len(rows)
