"""Demo step, relief side: ledger entries (with a few reversals and unarchived 意外救助), 送温暖
campaigns and visits, 金秋助学 applications and grants, and help plans with progress notes.

Every payout to a worker's household falls on or after its 建档 date and before it was closed
(先建档,后帮扶), yearly totals stay under the cap, and one household gets at most one payout per
campaign, so the demo data pass the rules the services enforce.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.clock import today
from app.demo.generator import IdFactory, mobile, person_name
from app.demo.hardship import _pick
from app.models import Campaign, HelpPlan, HelpPlanNote, ReliefEntry, StudyAid, Visit
from app.pinyin import name_keys

FUND = (("county", 5), ("city", 2), ("province", 2), ("acftu", 2), ("donation", 1))
GOODS = (("rice", "jin", 50, 15_000), ("flour", "jin", 50, 12_500), ("oil", "barrel", 1, 8_000),
         ("oil", "jin", 10, 9_000))
LEADERS = (("province", "省总工会副主席"), ("city", "市总工会主席"), ("city", "市总工会副主席"),
           ("county", "县总工会主席"), ("county", "县总工会常务副主席"), ("county", "县委常委"))
MEASURES = ("1", "2", "3", "4", "5", "6", "7")


def _day(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _active(archive: dict, day: date) -> bool:
    return bool(archive["archived_on"]) and archive["archived_on"] <= day and (
        archive["closed_on"] is None or archive["closed_on"] > day)


class Ledger:
    def __init__(self, ctx, rows):
        self.ctx, self.rows, self.entries = ctx, rows, []

    def pay(self, paid_on, kind, recipient_kind, name, id_number, unit_id, cash, *, archive=None,
            goods=None, **extra) -> list[dict]:
        base = dict(paid_on=paid_on, kind=kind, recipient_kind=recipient_kind, recipient_name=name,
                    recipient_id_number=id_number, unit_id=unit_id,
                    archive_id=archive["id"] if archive else None,
                    fund_source=_pick(self.ctx.rng, FUND), paid_by="李建华", signed_by=name, **extra)
        out = [self.rows.add(ReliefEntry, **base, cash_fen=cash, goods_qty=0, goods_value_fen=0)]
        for g in goods or ():
            k, unit, qty, value = g
            out.append(self.rows.add(ReliefEntry, **base, cash_fen=0, goods_kind=k, goods_unit=unit,
                                     goods_qty=qty, goods_value_fen=value))
        self.entries.extend(out)
        return out


def generate_relief(ctx, rows, households, params) -> None:
    rng, ref = ctx.rng, today()
    book = Ledger(ctx, rows)
    archived = [(a, m) for a, m in households if a["archived_on"]]
    for archive, _ in archived:
        end = archive["closed_on"] or ref
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            day = _day(rng, archive["archived_on"], end - timedelta(days=1) if archive["closed_on"] else end)
            kind = rng.choice(("living", "living", "medical", "holiday"))
            cash = {"living": rng.randint(5, 20), "medical": rng.randint(10, 50),
                    "holiday": rng.randint(3, 8)}[kind] * 10_000
            goods = [rng.choice(GOODS)] if kind == "holiday" and rng.random() < 0.6 else None
            book.pay(day, kind, "worker", archive["name"], archive["id_number"], archive["union_id"],
                     cash, archive=archive, goods=goods, batch=f"{day.year}年第{(day.month + 2) // 3}季度")
    _campaigns(ctx, rows, book, archived)
    _accidents(ctx, book)
    _aid(ctx, rows, book, archived, params)
    for entry in rng.sample(book.entries, len(book.entries) // 50):
        if entry["cash_fen"] > 0:
            rows.add(ReliefEntry, **{k: v for k, v in entry.items() if k != "id"} | {
                "cash_fen": -entry["cash_fen"], "goods_qty": -entry["goods_qty"],
                "goods_value_fen": -entry["goods_value_fen"], "reverses_id": entry["id"],
                "reason": "金额录入错误,冲正后重新登记", "note": "冲正"})
    _plans(ctx, rows, archived)


def _campaigns(ctx, rows, book, archived) -> None:
    rng, ref = ctx.rng, today()
    unions = ctx.member_unions
    region = (ctx.root.code or "340000")[:4] + "29"
    ids = IdFactory([region], unit=ctx.root.code)
    for y in (ref.year - 2, ref.year - 1, ref.year):
        start, end = date(y, 1, 5), min(date(y, 2, 10), ref)
        if start > ref:
            continue
        c = rows.add(Campaign, name=f"{y}年元旦春节送温暖", kind="spring", year=y, starts_on=start,
                     ends_on=date(y, 2, 10), notes="省、市、县领导走访慰问困难企业、困难职工、困难劳模和一线职工")

        def visit(kind, name, id_number, unit_id, cash, archive=None, goods=None):
            level, title = rng.choice(LEADERS)
            day = _day(rng, start, end)
            v = rows.add(Visit, campaign_id=c["id"], visited_on=day, leader_name=person_name(rng, True)[0],
                         leader_title=title, leader_level=level, target_kind=kind,
                         archive_id=archive["id"] if archive else None, unit_id=unit_id,
                         target_name=name, target_id_number=id_number,
                         notes="详细了解生活和生产经营情况,送上慰问金和慰问品")
            if cash:
                book.pay(day, "warmth", kind, name, id_number, unit_id, cash, archive=archive,
                         goods=goods, campaign_id=c["id"], visit_id=v["id"], batch=c["name"])

        for u in rng.sample(unions, min(len(unions), 8)):
            visit("enterprise", u["enterprise_name"] or u["name"], None, u["id"], rng.randint(5, 20) * 100_000)
        live = [a for a, _ in archived if _active(a, start)]
        for a in rng.sample(live, len(live) * 3 // 10):
            visit("worker", a["name"], a["id_number"], a["union_id"], rng.randint(5, 10) * 10_000,
                  archive=a, goods=[("rice", "jin", 50, 15_000), rng.choice(GOODS[2:])])
        for i in range(12):
            male = rng.random() < 0.6
            birth = date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
            name, kind = person_name(rng, male)[0], "model_worker" if i < 4 else "frontline"
            u = rng.choice(unions)
            visit(kind, name, ids.make(region, birth, male), u["id"],
                  (2000 if kind == "model_worker" else 500) * 100, goods=[("oil", "barrel", 1, 8_000)])


def _accidents(ctx, book) -> None:
    rng, ref = ctx.rng, today()
    ids = IdFactory([(ctx.root.code or "340000")[:4] + "27"], unit=ctx.root.code)
    for _ in range(max(2, len(ctx.member_unions) // 40)):
        male = rng.random() < 0.6
        birth = date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
        number = ids.make((ctx.root.code or "340000")[:4] + "27", birth, male)
        u = rng.choice(ctx.member_unions)
        book.pay(ref - timedelta(days=rng.randint(5, 500)), "accident", "worker",
                 person_name(rng, male)[0], number, u["id"], rng.randint(2, 10) * 100_000,
                 reason=rng.choice(("家中突发火灾,房屋烧毁,生活无着", "户主因车祸重伤住院,急需救助",
                                    "家庭成员突发重病,医疗费用巨大")))


def _aid(ctx, rows, book, archived, params) -> None:
    rng, ref = ctx.rng, today()
    for y in (ref.year - 1, ref.year):
        if y not in params or date(y, 7, 25) > ref:
            continue
        for archive, members in archived:
            if not _active(archive, date(y, 7, 1)):
                continue
            for m in members:
                age = (date(y, 9, 1) - m["birth_date"]).days // 365
                if m["relation"] not in ("20", "30") or not 16 <= age <= 21 or rng.random() < 0.5:
                    continue
                univ = age >= 18
                status = _pick(rng, (("paid", 60), ("approved", 15), ("applied", 10), ("rejected", 15)))
                decided = date(y, 8, 20) if status != "applied" and date(y, 8, 20) <= ref else None
                if decided is None and status != "applied":
                    status = "applied"
                standard = 500_000 if univ else 300_000
                aid = rows.add(
                    StudyAid, year=y, status=status, student_name=m["name"],
                    student_name_pinyin=name_keys(m["name"])[0],
                    student_id_number=m["id_number"], student_gender=m["gender"],
                    exam_no=f"{str(y)[2:]}34{rng.randrange(10**10):010d}",
                    school=rng.choice(("安徽大学", "合肥工业大学", "安徽医科大学", "安徽职业技术学院"))
                    if univ else f"{ctx.county_name}第一中学",
                    major=rng.choice(("机械工程", "护理", "会计", "计算机科学与技术")) if univ else None,
                    level=rng.choice("23") if univ else "4", study_years=4 if univ else 3,
                    tuition_fen=rng.choice((450_000, 520_000, 600_000)) if univ else 120_000,
                    archive_id=archive["id"], parent_name=archive["name"],
                    parent_id_number=archive["id_number"], parent_unit=archive["employer"],
                    union_id=archive["union_id"], other_aid=status == "rejected",
                    other_aid_text="已获民政部门助学金" if status == "rejected" else None,
                    requested_fen=standard, standard_fen=standard,
                    granted_fen=standard if status in ("approved", "paid") else None,
                    account_name=m["name"], bank_name="中国农业银行",
                    bank_account="62" + "".join(str(rng.randrange(10)) for _ in range(17)),
                    grassroots_opinion="情况属实,同意申报", applied_on=date(y, 7, 25),
                    county_opinion=None if decided is None else (
                        "同意资助" if status != "rejected" else "已获其他资助,不予重复资助"),
                    decided_on=decided, decided_by="reviewer" if decided else None,
                    publicity_result="公示无异议" if decided else None)
                if status == "paid":
                    paid_on = min(date(y, 9, 10), ref)
                    book.pay(paid_on, "education", "worker", archive["name"], archive["id_number"],
                             archive["union_id"], standard, archive=archive, aid_id=aid["id"],
                             batch=f"{y}年金秋助学", note=f"金秋助学:学生 {m['name']}")


def _plans(ctx, rows, archived) -> None:
    rng, ref = ctx.rng, today()
    for archive, _ in archived:
        if archive["status"] != "archived" or rng.random() < 0.3:
            continue
        plan = rows.add(
            HelpPlan, archive_id=archive["id"], cadre_name=person_name(rng, rng.random() < 0.5)[0],
            cadre_unit=f"{ctx.county_name}总工会", cadre_phone=mobile(rng),
            analysis="家庭收入低," + rng.choice(("户主患病", "子女上学负担重", "配偶失业")),
            measures=",".join(sorted(rng.sample(MEASURES, rng.randint(1, 3)))),
            target_on=ref + timedelta(days=rng.randint(60, 300)),
            next_review_on=ref + timedelta(days=rng.randint(-30, 60)), status="active")
        for _ in range(rng.choice((0, 1, 2))):
            rows.add(HelpPlanNote, plan_id=plan["id"], noted_on=_day(rng, archive["archived_on"], ref),
                     text=rng.choice(("电话回访,家庭情况稳定", "协助联系就业岗位一个", "送去慰问金并了解就医情况")),
                     author=plan["cadre_name"])
