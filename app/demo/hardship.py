"""Demo step: households in difficulty at every workflow stage, consistent with the rules.

Heads are drawn from the member register (applicants are union members); family members get fresh
valid ID numbers from a region code the member generator never uses, so no person repeats. Each
household's figures are chosen for a target grade and then graded by the real eligibility engine,
so the stored working is the engine's own. Every stage has its review rows, dated in order; the
公示 windows use the working-day calendar; archive numbers are the office's 困档 series, as 党组审批
gives them (``app.services.form_numbers``: 341122-困档-2026-0001).
The relief side (ledger, visits, 金秋助学, plans) is ``app.demo.hardship_relief``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta

from app.clock import today
from app.db.bulk import Stamper
from app.db.engine import dumps_compact
from app.db.tracking import reserve_change_seqs
from app.demo import names as N
from app.demo.generator import IdFactory, _rows_insert, person_name
from app.models import HardshipArchive, HardshipExpense, HardshipFamilyMember, HardshipParams, HardshipReview
from app.services import calendar, form_numbers
from app.services.hardship import eligibility as elig

STAGES = (("archived", 62), ("exited", 6), ("cancelled", 3), ("draft", 4), ("returned", 3),
          ("applied", 4), ("grassroots_ok", 4), ("township_ok", 4), ("center_ok", 3),
          ("publicizing", 4), ("publicized", 3))
CHAIN = ("submit", "grassroots", "township", "center", "publicize", "end_publicity", "approve")
REACHED = {"draft": 0, "returned": 1, "applied": 1, "grassroots_ok": 2, "township_ok": 3,
           "center_ok": 4, "publicizing": 5, "publicized": 6, "archived": 7, "exited": 7,
           "cancelled": 7}
AFTER = {"submit": "applied", "grassroots": "grassroots_ok", "township": "township_ok",
         "center": "center_ok", "publicize": "publicizing", "end_publicity": "publicized",
         "approve": "archived"}
CAUSES = (("6", 30), ("3", 15), ("9", 15), ("1", 10), ("8", 8), ("2", 8), ("7", 4), ("4", 3),
          ("5", 2), ("10", 5))
DISEASES = ("02", "03", "04", "05", "06", "07", "08", "09", "13", "16")
STAFF = {"clerk": ("李建华", "王秀英"), "reviewer": ("张国强", "陈丽"), "approver": ("刘志明",)}
DIBAO_MONTHLY_FEN = {0: 76_000, 1: 73_000, 2: 70_000, 3: 67_000, 4: 64_000}  # by years back


class Rows:
    """Rows per table, inserted in one go at the end with consecutive change sequence numbers."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.tables: dict[str, list[dict]] = defaultdict(list)

    def add(self, model, **values) -> dict:
        values.setdefault("id", str(uuid.UUID(int=self.ctx.rng.getrandbits(128), version=4)))
        self.tables[model.__tablename__].append(values)
        return values

    def flush(self) -> None:
        from sqlalchemy import Date

        from app.db.base import Base

        ctx = self.ctx
        n = sum(len(r) for r in self.tables.values())
        st = Stamper(first_seq=reserve_change_seqs(ctx.session, n), device_id=ctx.stamper.device_id,
                     username=ctx.actor.username, owner_unit_id=ctx.root.id)
        for table in Base.metadata.sorted_tables:  # parents first
            rows = self.tables.pop(table.name, [])
            if not rows:
                continue
            defaults = {c.name: _default(c) for c in table.columns}
            dates = [c.name for c in table.columns if isinstance(c.type, Date)]
            full = []
            for r in rows:
                row = {c: r.get(c, d) for c, d in defaults.items()}
                for c in dates:  # stored as SQLAlchemy stores them
                    if row[c] is not None:
                        row[c] = row[c].isoformat()
                full.append(st.stamp(row))
            _rows_insert(ctx.session, table.name, full)


# a spouse's (人员身份, 工作状态) as they go together: 在职职工 at work, 失业人员 and 无业人员 out of work
SPOUSE_WORK = (("1", "1"), ("1", "1"), ("3", "3"), ("7", "3"))
EARNING = ("1", "4")  # 在岗, 退休: the work states that bring a monthly income

def _default(column):
    default = column.default
    return default.arg if default is not None and not callable(default.arg) else None


def _pick(rng, weighted):
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _yuan(rng, lo: int, hi: int, step: int = 10) -> int:
    """A whole amount of yuan between lo and hi, in fen."""
    return rng.randrange(lo // step, hi // step + 1) * step * 100


def ensure_params(ctx, rows: Rows) -> dict[int, elig.Params]:
    year = today().year
    params = {}
    for back, dibao in DIBAO_MONTHLY_FEN.items():
        y = year - back
        row = rows.add(HardshipParams, unit_id=ctx.root.id, year=y, dibao_monthly_fen=dibao,
                       rigid_items="1,2,3,4", accident_ratio_pct=80, exclusions="1,2,3,5",
                       min_age=16, max_age=60, yearly_cap_fen=2_000_000, publicity_days=5,
                       study_univ_archived_fen=500_000, study_high_archived_fen=300_000,
                       study_univ_other_fen=400_000, study_high_other_fen=200_000,
                       notes="演示数据:低保标准按本县当年城市低保标准")
        params[y] = elig.Params(y, dibao, frozenset({"1", "2", "3", "4"}), 80,
                                frozenset({"1", "2", "3", "5"}), 16, 60, row["id"], ctx.county_name)
    return params


def _heads(ctx, n: int) -> list[dict]:
    """Active members aged 25–58, sampled by rowid with the demo's own random generator."""
    s, rng = ctx.session, ctx.rng
    raw = s.connection().connection.driver_connection
    top = raw.execute("SELECT max(rowid) FROM members").fetchone()[0] or 0
    if not top:
        return []
    picked, wanted = [], rng.sample(range(1, top + 1), min(top, n * 3))
    ref = today()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        rows = raw.execute(
            "SELECT id, name, name_pinyin, name_initials, id_number, gender, birth_date, union_id, "
            f"phone FROM members WHERE status = '1' AND rowid IN ({','.join('?' * len(chunk))})", chunk)
        for r in rows:
            birth = date.fromisoformat(r[6])
            if 25 <= (ref - birth).days // 365 <= 58:
                picked.append(dict(zip(("member_id", "name", "name_pinyin", "name_initials",
                                        "id_number", "gender", "birth_date", "union_id", "phone"),
                                       (*r[:6], birth, *r[7:]))))
        if len(picked) >= n:
            break
    rng.shuffle(picked)
    return picked[:n]


def _family(ctx, ids: IdFactory, head: dict, region: str, applied: date) -> list[dict]:
    rng = ctx.rng
    out = []
    age = (applied - head["birth_date"]).days // 365
    surname = head["name"][0] if head["name"][:2] not in ("欧阳", "诸葛") else head["name"][:2]
    married = rng.random() < 0.8

    def person(relation, birth, male, **extra):
        number = ids.make(region, birth, male)
        while number is None:
            birth -= timedelta(days=1)
            number = ids.make(region, birth, male)
        name = person_name(rng, male)[0]
        if relation in ("20", "30"):
            name = surname + name[-1] if rng.random() < 0.3 else surname + name[1:]
        row = {"name": name, "relation": relation, "id_number": number, "birth_date": birth,
               "gender": "1" if male else "2", "ethnicity": "01", "political_status": "13",
               "model_worker_type": "0", "health_status": "01", "medical_insurance": rng.choice("12"),
               "hukou_type": rng.choice("112"), "monthly_income_fen": 0}
        row.update(extra)
        out.append(row)

    if married:
        birth = head["birth_date"] + timedelta(days=rng.randint(-5 * 365, 5 * 365))
        identity, work = rng.choice(SPOUSE_WORK)
        person("10", birth, head["gender"] == "2", marital_status="20", identity=identity,
               work_status=work)
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3)) if married else rng.choice((0, 1))):
        birth = head["birth_date"] + timedelta(days=rng.randint(22 * 365, 40 * 365))
        if birth >= applied - timedelta(days=200):
            continue
        male = rng.random() < 0.5
        child_age = (applied - birth).days // 365
        identity = "4" if 6 <= child_age <= 22 else ("5" if child_age < 6 else "7")
        person("20" if male else "30", birth, male, marital_status="10", identity=identity,
               work_status="3" if identity == "7" else None,
               education="20" if child_age >= 18 else None,
               enrolled_year=applied.year - max(0, child_age - 18) if child_age >= 18 else None,
               study_years=4 if child_age >= 18 else None)
    if rng.random() < 0.25 and age < 55:
        birth = head["birth_date"] - timedelta(days=rng.randint(24 * 365, 32 * 365))
        person("50", birth, rng.random() < 0.5, marital_status=rng.choice(("20", "30")),
               identity="2", work_status="4", health_status=rng.choice(("01", "12", "03", "09")))
    return out


def _economics(ctx, grade: str, members: list[dict], p: elig.Params) -> tuple[dict, list[tuple[str, int]]]:
    """Incomes and expenses that put the household in ``grade`` (the engine has the last word)."""
    rng, size, dibao = ctx.rng, 1 + len(members), p.dibao_monthly_fen
    factor = {"1": rng.uniform(0.35, 0.95), "2": rng.uniform(1.05, 1.9), "3": rng.uniform(2.1, 3.0)}[grade]
    net = int(dibao * factor * 12 * size) // 1200 * 1200  # whole yuan per month and person
    expenses = []
    if rng.random() < 0.5:
        for item in rng.sample(("1", "2", "3"), rng.choice((1, 1, 2))):
            expenses.append((item, _yuan(rng, 1000, 12000, 100)))
    if rng.random() < 0.1:
        expenses.append(("9", _yuan(rng, 500, 3000, 100)))
    income = net + sum(f for c, f in expenses if c in p.rigid_items)
    # who has an income: those at work and the retired (a pension); the unemployed, pupils and
    # small children have none, so status and income agree on paper
    earners = [m for m in members if m.get("work_status") in EARNING]
    head_share = rng.uniform(0.5, 0.9) if earners else rng.uniform(0.7, 1.0)
    head_monthly = int(income * head_share / 12) // 100 * 100
    rest = income - head_monthly * 12
    for m in earners:
        m["monthly_income_fen"] = int(rest * rng.uniform(0.5, 0.9) / 12) // 100 * 100
        rest -= m["monthly_income_fen"] * 12
    econ = {"monthly_income_fen": head_monthly, "other_annual_income_fen": rest,
            "accident_event": False, "accident_costs_fen": None}
    if grade == "3":
        econ["accident_costs_fen"] = int(income * rng.uniform(0.85, 1.5)) // 100 * 100
        econ["accident_event"] = rng.random() < 0.3
        econ["accident_note"] = rng.choice(("家中遭遇火灾,房屋和财物损失严重", "户主突发重病住院,医疗支出巨大",
                                            "配偶因交通事故重伤,长期治疗"))
    return econ, expenses


def _stage_dates(ctx, stage: str, cal_session) -> dict[str, date]:
    """A date for each step the household went through, in order, none after today."""
    rng, ref = ctx.rng, today()
    if REACHED[stage] == 7:
        approved = ref - timedelta(days=rng.randint(20, 3 * 365))
        start = approved - timedelta(days=rng.randint(50, 80))
    else:
        start = ref - timedelta(days=rng.randint(10, 45) + 4 * REACHED[stage])
    dates, day = {}, start
    for step in CHAIN[:max(REACHED[stage], 1 if stage == "returned" else 0)]:
        if step == "end_publicity":
            window = calendar.working_day_window(cal_session, dates["publicize"], 5)
            day = window.end + timedelta(days=1)
            dates["window_end"] = window.end
            dates["window_note"] = window.note
        else:
            day = day + timedelta(days=rng.randint(2, 8))
        dates[step] = min(day, ref)
    if stage == "publicizing" and "publicize" in dates:
        dates["window_end"] = calendar.working_day_window(cal_session, dates["publicize"], 5).end
        dates["window_note"] = "按国家法定节假日和调休安排计算"
    return dates


def generate_hardship(ctx) -> None:
    from app.demo.hardship_relief import generate_relief

    rng, region = ctx.rng, ctx.root.code or "340000"
    rows = Rows(ctx)
    params = ensure_params(ctx, rows)
    n = max(40, min(20_000, ctx.counts.get("会员", 0) // 50))
    heads = _heads(ctx, n)
    unions = {u["id"]: u for u in ctx.units}
    ids = IdFactory([region[:4] + "28"], unit=ctx.root.code)
    labels = _code_labels(ctx)
    serials: dict[int, int] = {}
    code = ctx.root.code or "000000"  # as ``workflow.next_archive_no`` numbers the county's archives
    households = []
    for i, head in enumerate(heads):
        # the first households cover every stage and every grade; the rest are drawn by weight
        stage = STAGES[i][0] if i < len(STAGES) else _pick(rng, STAGES)
        dates = _stage_dates(ctx, stage, ctx.session)
        applied = dates.get("submit", today())  # a draft is graded as of today
        p = params[applied.year]
        members = _family(ctx, ids, head, region[:4] + "28", applied)
        grade = "123"[i % 3] if i < 2 * len(STAGES) else _pick(rng, (("1", 45), ("2", 40), ("3", 15)))
        econ, expenses = _economics(ctx, grade, members, p)
        household = elig.Household(econ["monthly_income_fen"], [m["monthly_income_fen"] for m in members],
                                    econ["other_annual_income_fen"], expenses,
                                    econ["accident_event"], econ["accident_costs_fen"] or 0, (),
                                    (applied - head["birth_date"]).days // 365)
        result = elig.assess(household, p, labels)
        union = unions[head["union_id"]]
        archive = _archive_row(ctx, rows, head, union, stage, dates, econ, members, expenses,
                               result, p, grade)
        for i, m in enumerate(members):
            rows.add(HardshipFamilyMember, archive_id=archive["id"], sort_order=i, **m)
        for item, fen in expenses:
            rows.add(HardshipExpense, archive_id=archive["id"], item=item, amount_fen=fen)
        if REACHED[stage] == 7:
            y = dates["approve"].year
            if y not in serials:  # numbering goes on after whatever the database already holds
                serials[y] = form_numbers.highest(ctx.session, code, form_numbers.ARCHIVE_KIND, y)
            serials[y] += 1
            archive["archive_no"] = form_numbers.format_number(code, form_numbers.ARCHIVE_KIND, y, serials[y])
        _reviews(ctx, rows, archive, stage, dates, union, unions)
        households.append((archive, members))
    generate_relief(ctx, rows, households, params)
    rows.flush()


def _code_labels(ctx) -> dict[str, dict[str, str]]:
    from app.services.records import codebook

    book = codebook(ctx.session)
    return {t: {e.code: e.label for e in book.items(t, active_only=False)}
            for t in ("rigid_expense", "hardship_exclusion")}


def _archive_row(ctx, rows, head, union, stage, dates, econ, members, expenses, result, p, grade):
    rng = ctx.rng
    main = "8" if grade == "3" and rng.random() < 0.6 else _pick(rng, CAUSES)
    minor = [c for c in rng.sample(("1", "2", "3", "6", "9"), rng.choice((0, 1, 1, 2))) if c != main]
    area = rng.randint(18, 110)
    married = any(m["relation"] == "10" for m in members)
    closed = stage in ("exited", "cancelled")
    approve = dates.get("approve")
    rechecks = []
    if approve:
        day = approve + timedelta(days=365)
        while day < today() - timedelta(days=rng.choice((0, 0, 0, 40))):
            rechecks.append(day)
            day += timedelta(days=365)
    close_on = None
    if closed:
        close_on = min(today(), approve + timedelta(days=rng.randint(100, max(101, (today() - approve).days))))
    if closed:
        rechecks = [d for d in rechecks if d < close_on]
    row = rows.add(
        HardshipArchive, status=stage, union_id=union["id"], member_id=head["member_id"],
        category=result.category, proposed_category=result.category, per_capita_fen=result.per_capita_fen,
        eligibility_text=result.text, params_id=p.id, is_migrant_worker=rng.random() < 0.1,
        name=head["name"], name_pinyin=head["name_pinyin"], name_initials=head["name_initials"],
        id_number=head["id_number"], gender=head["gender"], birth_date=head["birth_date"],
        ethnicity="01", political_status=rng.choice(("13", "13", "13", "01")),
        health_status=rng.choice(DISEASES) if main == "6" else ("20" if main == "1" else "01"),
        disability_category=rng.choice("1234567") if main == "1" else None,
        disability_grade=rng.choice("1234") if main == "1" else None,
        work_status=rng.choice(("1", "1", "2", "3", "5")), model_worker_type="0",
        housing_type=rng.choice("1122779"), housing_area=str(area),
        housing_area_band="1" if area <= 20 else "2" if area <= 50 else "3" if area <= 70 else "4",
        phone=head["phone"], postcode=None, work_started_on=head["birth_date"] + timedelta(days=rng.randint(18, 24) * 365),
        industry=union.get("industry") or "C", marital_status="20" if married else rng.choice(("10", "30", "40")),
        hukou_type=rng.choice("1123"), address=f"{ctx.county_name}{rng.choice(N.TOWNSHIPS)}{rng.randint(1, 200)}号",
        employer=union.get("enterprise_name") or union["name"], unit_nature=union.get("unit_nature"),
        enterprise_status=rng.choice("11112"), single_parent=not married and any(m["relation"] in ("20", "30") for m in members),
        monthly_income_fen=econ["monthly_income_fen"], other_annual_income_fen=econ["other_annual_income_fen"],
        family_annual_income_fen=result.annual_income_fen, household_size=1 + len(members),
        rigid_expense_fen=sum(f for _, f in expenses), hukou_region=ctx.root.code or "340000",
        medical_insurance=rng.choice("112"), self_help=rng.random() < 0.6,
        zero_employment=not any(m.get("work_status") == "1" for m in members) and rng.random() < 0.2,
        accident_event=econ["accident_event"], accident_costs_fen=econ["accident_costs_fen"],
        accident_note=econ.get("accident_note"), main_cause=main, minor_causes=",".join(minor) or None,
        cause_other_text="家庭成员长期失业,收入不稳定" if main == "10" else None,
        relief_target=REACHED[stage] == 7, relief_target_on=approve,
        key_group=rng.choice("123456") if REACHED[stage] == 7 else None,
        four_batches=",".join(sorted(rng.sample("1234", rng.randint(1, 2)))),
        bank_name=rng.choice(N.BANKS), bank_branch=f"{ctx.county_name}支行",
        bank_account="62" + "".join(str(rng.randrange(10)) for _ in range(17)),
        application_reason=f"本人{head['name']},因家庭困难,特申请困难职工帮扶,望予批准。",
        applied_on=dates.get("submit"), prepared_by=union.get("chair_name"),
        entered_by=ctx.actor.username, applied_by=ctx.actor.username if "submit" in dates else None,
        archived_on=approve, last_recheck_on=rechecks[-1] if rechecks else approve,
        closed_on=close_on, close_reason=("11" if stage == "exited" else "23") if closed else None,
        close_note=("家庭收入提高,已脱困" if stage == "exited" else "经复核不再符合建档条件") if closed else None,
    )
    row["_rechecks"] = rechecks
    return row


def _reviews(ctx, rows, archive, stage, dates, union, unions) -> None:
    rng, root = ctx.rng, ctx.root
    middle = unions.get(union["parent_id"]) or {"id": root.id, "name": root.name}
    step_no, status = 0, "draft"

    def log(action, to_status, acted_on, opinion, role, level_unit, signer=None, data=None):
        nonlocal step_no, status
        step_no += 1
        rows.add(HardshipReview, archive_id=archive["id"], step_no=step_no, action=action,
                 from_status=status, to_status=to_status, acted_on=acted_on, opinion=opinion,
                 level_unit_id=level_unit, actor_username=ctx.actor.username,
                 actor_name=rng.choice(STAFF[role]), actor_role=role, actor_unit_id=root.id,
                 signer_name=signer, data=dumps_compact(data or {}))
        status = to_status

    for step in CHAIN[:REACHED[stage]]:
        on = dates[step]
        if step == "submit":
            log(step, "applied", on, "申请人材料齐全,予以受理", "clerk", union["id"])
        elif step == "grassroots":
            names = rng.sample([person_name(rng, rng.random() < 0.5)[0] for _ in range(3)], 2)
            archive.update(investigator_1=names[0], investigator_2=names[1],
                           investigated_on=on - timedelta(days=1), authorization_signed=True,
                           investigation_findings="经入户调查,家庭实际情况与申报一致,生活确有困难")
            log(step, "grassroots_ok", on, "情况属实,同意上报", "clerk", union["id"],
                union.get("chair_name") or names[0], {"investigators": names})
        elif step == "township":
            log(step, "township_ok", on, "经复审,同意上报", "clerk", middle["id"],
                person_name(rng, True)[0])
        elif step == "center":
            archive.update(civil_check_batch=f"{on.year}-{on.month:02d}", civil_check_result="match",
                           civil_check_sent_on=on - timedelta(days=5), civil_check_result_on=on - timedelta(days=1),
                           reviewer_name=rng.choice(STAFF["reviewer"]))
            log(step, "center_ok", on, "民政核对相符,符合建档条件", "reviewer", root.id)
        elif step == "publicize":
            archive.update(publicity_start=on, publicity_days=5, publicity_end=dates["window_end"],
                           publicity_note=dates["window_note"], publicity_place="本单位公示栏")
            log(step, "publicizing", on, None, "clerk", root.id)
        elif step == "end_publicity":
            archive["publicity_result"] = "公示无异议"
            log(step, "publicized", on, "公示期满无异议", "clerk", root.id)
        elif step == "approve":
            log(step, "archived", on, "经党组研究,同意建档", "approver", root.id,
                data={"archive_no": archive.get("archive_no")})
    if stage == "returned":
        log("return", "returned", dates["submit"] + timedelta(days=3), "收入证明不全,请补充后重新申报",
            "clerk", union["id"], union.get("chair_name") or "基层工会主席")
    for day in archive.pop("_rechecks"):
        log("annual", "archived", day, "年审:家庭状况无明显变化,继续保留档案", "reviewer", root.id)
    if stage in ("exited", "cancelled"):
        log("exit" if stage == "exited" else "cancel", stage, archive["closed_on"], archive["close_note"],
            "reviewer", root.id, data={"close_reason": archive["close_reason"]})
