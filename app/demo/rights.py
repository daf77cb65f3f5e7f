"""Demo step: a year of 权益保障与法律援助 at a county's scale, through the area's own services so
that every timer, number and step is the one the app would have made.

- three partner firms whose agreements cover the year, and their lawyers;
- the duty roster: a lawyer at the reception every Tuesday and Thursday morning and afternoon
  (working days of the holiday calendar), signed in with the people received, and the next month
  planned;
- 普法 events, consultations, safety inspections and legal-aid cases from the registers' ``sample``
  hooks (``app.demo.registers.fill_register``);
- tickets across the channels, each taken along the chain as far as its age allows: answered on
  the spot, accepted and handled, handed to a township on paper with its answer keyed in, closed,
  called back and archived — a few refused, a few still open and some of those overdue.

The volume grows with the members (a county of 100,000 members gets about 800 tickets a year).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

from sqlalchemy import select

from app.clock import today
from app.models import Unit

STAFF = ("李建华", "王秀英", "陈丽")


def _scale(ctx, per: int, low: int, high: int) -> int:
    return max(low, min(high, ctx.counts.get("会员", 0) // per))


def generate_rights(ctx) -> None:
    from app.demo.registers import fill_register
    from app.kit.register import register

    writer = dataclasses.replace(ctx.actor, role="system")
    rng = random.Random(ctx.rng.getrandbits(64))
    s = ctx.session
    end = today()
    start = end - timedelta(days=365)
    firms = _firms(s, writer, rng, start)
    _lawyers(s, writer, rng, firms)
    _roster(s, writer, rng, start, end)
    for key, n in (("rights_event", _scale(ctx, 2500, 24, 60)),
                   ("rights_consultation", _scale(ctx, 200, 60, 600)),
                   ("rights_inspection", _scale(ctx, 4000, 12, 40)),
                   ("rights_aid_case", _scale(ctx, 2500, 20, 60))):
        fill_register(s, writer, register(key), random.Random(f"{rng.random()}:{key}"), n)
    _tickets(ctx, s, writer, rng, start, end, _scale(ctx, 120, 60, 900))


def _add(s, writer, rng, key: str, raws: list[dict]) -> list[str]:
    """Records through the register's batch path (its rule, numbering, derived values), with ids
    from the demo's generator: the same seed gives the same records."""
    import uuid

    from app.kit.register import register
    from app.services import records

    reg = register(key)
    rows = []
    for raw in raws:
        row = records.clean_or_raise(s, reg.spec, records.filled(s, reg, raw))
        row["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        rows.append(row)
    records.add_many(s, writer, reg, rows, source="演示数据")
    return [r["id"] for r in rows]


def _firms(s, writer, rng, start: date) -> list[str]:
    return _add(s, writer, rng, "rights_firm", [{
        "name": name, "head": head, "phone": f"0550-{rng.randint(3000000, 3999999)}",
        "agreement_from": date(start.year, 1, 1), "agreement_to": date(start.year + 2, 12, 31),
        "fee_fen": str(rng.choice((30000, 50000))), "fee_note": "含值班、咨询和援助案件代理",
        "active": True} for name, head in (("安徽正和律师事务所", "周正和"), ("安徽皖江律师事务所", "吴江"),
                                           ("安徽天衡律师事务所", "郑天衡"))])


def _lawyers(s, writer, rng, firms: list[str]) -> None:
    from app.demo.generator import mobile, person_name
    from app.kit.register import register
    from app.kit.samples import sample_values

    raws = []
    for i in range(8):
        raw = sample_values(s, register("rights_lawyer"), rng)
        raw.update(name=person_name(rng, rng.random() < 0.6)[0], firm_id=firms[i % len(firms)],
                   phone=mobile(rng))
        raws.append(raw)
    _add(s, writer, rng, "rights_lawyer", raws)


def _roster(s, writer, rng, start: date, end: date) -> None:
    """Tuesdays and Thursdays that are working days, both halves, up to a month ahead."""
    from app.models.rights import Lawyer
    from app.services import calendar

    lawyers = list(s.scalars(select(Lawyer.id).where(Lawyer.deleted.is_(False)).order_by(Lawyer.name)))
    cal = calendar.WorkCalendar.load(s)
    rows, day, turn = [], start, 0
    while day <= end + timedelta(days=30):
        if day.weekday() in (1, 3) and cal.is_workday(day):
            for half in ("am", "pm"):
                row = {"duty_on": day, "half": half, "lawyer_id": lawyers[turn % len(lawyers)],
                       "place": "职工服务中心法律援助窗口", "received": 0}
                turn += 1
                if day <= end:
                    row.update(signed_in="08:30" if half == "am" else "14:30",
                               signed_out="11:30" if half == "am" else "17:30",
                               received=rng.choices((0, 1, 2, 3, 4, 6), (2, 4, 4, 3, 2, 1))[0])
                rows.append(row)
        day += timedelta(days=1)
    _add(s, writer, rng, "rights_duty", rows)


def _tickets(ctx, s, writer, rng, start: date, end: date, n: int) -> None:
    from app.kit.register import register
    from app.kit.samples import SampleRun, sample_values
    from app.services import records

    reg = register("rights_ticket")
    run = SampleRun.open(s, rng, start=start, end=end)
    towns = list(s.scalars(select(Unit.id).where(Unit.deleted.is_(False),
                                                 Unit.kind.in_(("township", "street", "system")))
                           .order_by(Unit.id)))
    raws = []
    for _ in range(n):
        raw = sample_values(s, reg, run=run)
        raw["received_by"] = rng.choice(STAFF)
        raws.append(raw)
    raws.sort(key=lambda r: r["received_on"])  # numbered in the order they came in
    for ticket_id in _add(s, writer, rng, reg.key, raws):
        ticket = records.get_live(s, reg.spec, ticket_id)
        clerk = dataclasses.replace(writer, display_name=ticket.received_by)  # who handles it
        _along(s, clerk, rng, ticket, towns, end)


def _along(s, writer, rng, ticket, towns: list[str], end: date) -> None:
    """Take a ticket along its chain, each step a few days after the last, none after today."""
    from app.services import calendar
    from app.services.rights import handovers, ticket_chain

    day = ticket.received_on
    cal = calendar.WorkCalendar.load(s)

    def working(d: date) -> date:
        while not cal.is_workday(d):
            d += timedelta(days=1)
        return d

    def step(key: str, lo: int, hi: int, **values) -> bool:
        nonlocal day
        when = working(day + timedelta(days=rng.randint(lo, hi))) if hi else day
        if when > end or rng.random() < 0.03:  # not yet, or left waiting (some turn overdue)
            return False
        ticket_chain.act(s, writer, ticket.id, key, {"acted_on": when, **values})
        day = when
        return True

    quick = ticket.category in ("1", "5") and rng.random() < 0.7
    if quick:
        if not step("answer", 0, 0, result="已当场解答,来访人表示满意。"):
            return
    else:
        if ticket.petition and rng.random() < 0.06:
            if step("reject", 2, 8, opinion="不属于工会受理范围,已告知向劳动监察部门反映。"):
                step("archive", 1, 5)
            return
        if not step("accept", 0, 3 if ticket.petition else 1):
            return
        if towns and rng.random() < 0.4:
            due = min(ticket.due_on, day + timedelta(days=20))
            if not step("handover", 0, 2, mode=rng.choice(("transfer", "assign")),
                        target_unit_id=rng.choice(towns), due_on=due,
                        requirements="请核实情况,依法依规处理,并在期限内书面反馈办理结果。"):
                return
            when = working(day + timedelta(days=rng.randint(2, 18)))
            if when > end:
                return
            h = handovers.open_handover(s, ticket.id)
            handovers.record_reply(s, writer, h.id, {
                "replied_on": when, "handler": rng.choice(("张国强", "刘芳", "赵卫东")),
                "result": "经协调,企业已同意按规定支付,职工表示认可。"})
            day = when
            if not step("result", 0, 3):
                return
        elif not step("result", 1, 12, result="经与企业协调,问题已解决,已答复来访(来电)人。"):
            return
    if not step("callback", 1, 7, satisfaction=rng.choices(
            ("satisfied", "fair", "unsatisfied", "unreached"), (70, 20, 4, 6))[0],
            opinion="电话回访,对办理结果表示认可。"):
        return
    step("archive", 1, 10)
