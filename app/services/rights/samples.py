"""Realistic content for generated rights records (the registers' ``sample`` hooks: the demo and
the contract tests): 普法 themes by form, consultation questions and answers by problem, tickets
by channel and category with what workers actually ring 12351 about, partner firms and lawyers
with valid licence numbers, a duty roster without clashes, and legal-aid cases consistent with
their means test."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.clock import today

THEMES = {
    "lecture": ("《劳动合同法》专题讲座", "工资支付与欠薪维权讲座", "工伤认定与待遇讲座",
                "女职工劳动保护特别规定解读", "《工会法》宣讲", "职业病防治法专题讲座"),
    "stand": ("“五一”法律咨询服务日", "“就业援助月”法律咨询", "宪法宣传周法律咨询",
              "“安康杯”安全生产咨询", "农民工讨薪维权咨询台"),
    "enterprise": ("“法治进企业,工会在行动”送法进企业", "送法进工地", "劳动用工体检进企业",
                   "集体协商政策进企业"),
    "online": ("“工会学法”线上答题", "劳动法律知识直播课", "普法微课堂"),
}
SPEAKERS = ("县总工会法律顾问", "县人社局仲裁院仲裁员", "律师事务所律师", "县总工会法律部负责人")
QUESTIONS = {
    "01": ("公司试用期满仍不签劳动合同,怎么办?", "劳动合同到期不续签有没有补偿?"),
    "02": ("单位拖欠三个月工资,如何讨要?", "加班费怎么计算?"),
    "03": ("单位不给缴社保,能否解除合同?", "社保断缴对退休有什么影响?"),
    "04": ("上班途中受伤算不算工伤?", "工伤认定需要哪些材料?"),
    "05": ("年休假没休完能不能折算工资?", "单位要求每天工作十二小时合法吗?"),
    "06": ("被公司辞退没有经济补偿怎么办?", "主动辞职能拿到补偿吗?"),
    "07": ("怀孕后被调岗降薪是否合法?", "产假天数怎么计算?"),
    "08": ("劳务派遣工与正式工同工不同酬怎么办?",),
    "09": ("粉尘岗位不给体检怎么办?",),
    "10": ("企业集体合同怎么签订?",),
    "99": ("工会会员有哪些权利?",),
}
ANSWERS = ("已告知相关法律规定及维权途径,建议先与单位协商。", "建议收集工资条、考勤等证据,可申请劳动仲裁。",
           "已告知工伤认定申请时限和所需材料。", "已解答,当事人表示理解。", "建议申请工会法律援助。")
CONTENTS = {
    "1": "来电咨询{item},已告知相关政策规定。",
    "2": "反映家庭困难,申请{item}。",
    "3": "反映所在单位{item},请求工会协调解决。",
    "4": "因{item}问题申请工会法律援助。",
    "5": "对{item}提出意见建议。",
}
FIRMS = ("安徽正和律师事务所", "安徽皖江律师事务所", "安徽天衡律师事务所", "安徽众信律师事务所")
SPECIALTIES = ("劳动争议", "工伤赔偿", "合同纠纷", "劳动争议、社会保险")
EVIDENCE = ("劳动合同、工资条、考勤记录", "工伤认定决定书、医疗费票据", "解除劳动合同通知书、工资流水",
            "工友证言、工作证、银行流水")
HAZARDS = ("消防通道堆放杂物", "配电箱未上锁", "粉尘岗位未配发防尘口罩", "安全警示标识缺失",
           "特种作业人员无证上岗", "车间照明不足")
FACTS = {"02": "申请人在该单位工作,单位拖欠工资共计{amount}元,多次催要未果。",
         "04": "申请人在工作中受伤,已认定为工伤,单位拒不支付工伤待遇{amount}元。",
         "06": "单位未提前通知即解除劳动合同,拒绝支付经济补偿{amount}元。",
         "01": "单位未与申请人签订书面劳动合同,申请人主张二倍工资{amount}元。"}


def event(session, rng, values: dict) -> dict:
    form = rng.choices(("lecture", "stand", "enterprise", "online"), (4, 3, 4, 1))[0]
    audience = rng.randint(30, 300) if form != "online" else rng.randint(200, 3000)
    return {**values, "form": form, "theme": rng.choice(THEMES[form]), "speaker": rng.choice(SPEAKERS),
            "audience": str(audience), "consulted": str(rng.randint(0, audience // 4)),
            "materials": str(rng.randint(audience // 2, audience * 2))}


def consultation(session, rng, values: dict) -> dict:
    problem = rng.choices(tuple(QUESTIONS), (14, 22, 10, 12, 6, 12, 5, 3, 2, 1, 3))[0]
    lawyer = rng.random() < 0.4 and _one(session, rng, "rights_lawyers")
    values = {**values, "problem": problem, "summary": rng.choice(QUESTIONS[problem]),
              "answer": rng.choice(ANSWERS), "referred": rng.random() < 0.08, "member_id": None}
    if lawyer:
        from app.models.rights import Lawyer

        values.update(answerer_kind="lawyer", lawyer_id=lawyer,
                      answerer_name=session.get(Lawyer, lawyer).name)
    else:
        values.update(answerer_kind="staff", lawyer_id=None)
    return values


def inspection(session, rng, values: dict) -> dict:
    found = rng.choice((0, 1, 2, 3))
    values = {**values, "hazard_count": str(found),
              "hazards": "、".join(rng.sample(HAZARDS, found)) or "未发现明显隐患"}
    if not found:
        return {**values, "demands": None, "deadline": None, "recheck_on": None, "recheck_result": None}
    inspected = date.fromisoformat(values["inspected_on"])
    deadline = inspected + timedelta(days=rng.choice((7, 15, 30)))
    values.update(demands="限期整改并书面报告整改情况", deadline=deadline.isoformat())
    if rng.random() < 0.7:
        values.update(recheck_on=deadline.isoformat(), recheck_result=rng.choice(("done", "done", "partial")))
    else:
        values.update(recheck_on=None, recheck_result=None)
    return values


def firm(session, rng, values: dict) -> dict:
    start = date.fromisoformat(values.get("agreement_from") or today().isoformat())
    start = date(start.year, 1, 1)
    return {**values, "name": _free_name(session, rng, FIRMS), "agreement_from": start.isoformat(),
            "agreement_to": date(start.year + 1, 12, 31).isoformat(), "active": True,
            "fee_fen": str(rng.choice((30000, 50000, 60000))), "fee_note": "含值班、咨询和援助案件代理"}


def lawyer(session, rng, values: dict) -> dict:
    from app.models.rights import LawFirm

    firm_id = values.get("firm_id") or _one(session, rng, "rights_firms")
    firm_row = session.get(LawFirm, firm_id) if firm_id else None
    year = (firm_row.agreement_from.year if firm_row and firm_row.agreement_from else 2015)
    licence = f"1{rng.randint(3401, 3418)}{year - rng.randint(2, 20)}1{rng.randint(0, 1)}{rng.randint(0, 999_999):06d}"
    return {**values, "firm_id": firm_id, "licence_no": licence,
            "specialty": rng.choice(SPECIALTIES), "active": True}


def duty(session, rng, values: dict) -> dict:
    """A free half-day for a lawyer whose firm's agreement covers it (the roster's rule)."""
    from app.models.rights import DutySlot, LawFirm, Lawyer

    day = date.fromisoformat(values["duty_on"])
    rows = session.execute(select(Lawyer.id, LawFirm.agreement_from, LawFirm.agreement_to)
                           .join(LawFirm, LawFirm.id == Lawyer.firm_id)
                           .where(Lawyer.deleted.is_(False), Lawyer.active.is_(True))
                           .order_by(Lawyer.id)).all()
    for _ in range(40):
        half = rng.choice(("am", "pm"))
        taken = set(session.scalars(select(DutySlot.lawyer_id).where(
            DutySlot.duty_on == day, DutySlot.half == half, DutySlot.deleted.is_(False))))
        free = [r.id for r in rows if r.id not in taken and (r.agreement_from or day) <= day
                <= (r.agreement_to or day)]
        if free:
            values = {**values, "duty_on": day.isoformat(), "half": half, "lawyer_id": rng.choice(free)}
            break
        day += timedelta(days=1)
    chosen = session.get(Lawyer, values["lawyer_id"]) if values.get("lawyer_id") else None
    am = values.get("half") == "am"
    return {**values, "signed_in": "08:30" if am else "14:30", "signed_out": "11:30" if am else "17:30",
            "received": str(rng.randint(0, 6)), "place": "职工服务中心法律援助窗口",
            "phone": chosen.phone if chosen else None}


def aid_case(session, rng, values: dict) -> dict:
    """An application and, most of the time, its review, assignment and close, consistent with the
    rule (a granted case has passed the means test or is exempt; a closed one has an outcome)."""
    cause = rng.choices(("02", "04", "06", "01"), (5, 3, 2, 1))[0]
    migrant = rng.random() < 0.45
    amount = rng.randint(30, 900) * 100
    size = rng.randint(1, 5)
    applied = date.fromisoformat(values["applied_on"])
    from app.demo.generator import person_name

    per_head = rng.randint(700, 2600)
    own = min(rng.randint(1500, 4500), per_head * size)
    male = values.get("id_number", "00000000000000001")[16] in "13579"
    values = {**values, "cause": cause, "is_migrant": migrant, "household_size": str(size),
              "household_income_fen": str(per_head * size), "monthly_income_fen": str(own),
              "amount_fen": str(amount), "applicant_name": person_name(rng, male)[0],
              "matters": rng.choice(("mediation", "arbitration", "arbitration,litigation")),
              "facts": FACTS[cause].format(amount=f"{amount:,}"), "mode": "written",
              "verbal_signed": False, "ticket_id": None, "hukou": f"安徽省{_town(rng)}",
              "evidence": rng.choice(EVIDENCE), "agent_name": None, "agent_relation": None,
              "agent_phone": None}
    for key in ("review_result", "review_opinion", "reviewed_on", "reviewer", "aid_form", "firm_id",
                "lawyer_id", "assigned_on", "closed_on", "outcome"):
        values[key] = None
    values.update(stage="applied", recovered_fen="0")
    if rng.random() < 0.2:
        return values
    from app.services.rights.aid import assess

    eligible = assess(session, {**values, "household_size": size,
                                "household_income_fen": int(values["household_income_fen"]) * 100,
                                "is_migrant": migrant, "cause": cause}).code in ("eligible", "exempt")
    reviewed = min(applied + timedelta(days=rng.randint(1, 5)), today())
    values.update(review_result="granted" if eligible else "refused", reviewed_on=reviewed.isoformat(),
                  reviewer="刘志明", stage="reviewed",
                  review_opinion="符合法律援助条件" if eligible else "家庭经济状况超过援助标准")
    if not eligible:
        return values
    lawyer_id = _one(session, rng, "rights_lawyers")
    values.update(aid_form=values["matters"].split(",")[-1], assigned_on=reviewed.isoformat(),
                  lawyer_id=lawyer_id, stage=rng.choice(("assigned", "mediation", "arbitration")))
    if rng.random() < 0.6:
        closed = min(reviewed + timedelta(days=rng.randint(10, 90)), today())
        outcome = rng.choices(("mediated", "won", "partial", "withdrawn"), (5, 3, 2, 1))[0]
        share = {"mediated": 0.8, "won": 1.0, "partial": 0.5, "withdrawn": 0.0}[outcome]
        values.update(stage="closed", closed_on=closed.isoformat(), outcome=outcome,
                      recovered_fen=str(int(amount * share)))
    return values


def ticket(session, rng, values: dict) -> dict:
    """A ticket as the reception or the hotline registers it (channel, category and sub-item
    together, a few collective visits)."""
    from app.services.records import codebook

    book = codebook(session)
    channel = rng.choices(("hotline", "visit", "letter", "online"), (55, 35, 4, 6))[0]
    category = rng.choices(("1", "2", "3", "4", "5"), (45, 10, 30, 10, 5))[0]
    items = [e for e in book.items("rights_ticket_category") if e.parent == category]
    item = rng.choice(items)
    visitors = 1 if channel != "visit" else rng.choices((1, 2, 3, 6, 12), (80, 8, 5, 5, 2))[0]
    if channel in ("visit", "letter") and values.get("received_on"):  # the reception is open on working days
        from app.services import calendar

        cal, day = calendar.WorkCalendar.load(session), date.fromisoformat(values["received_on"])
        while not cal.is_workday(day):
            day -= timedelta(days=1)
        values = {**values, "received_on": day.isoformat()}
    return {**values, "channel": channel, "category": category, "sub_item": item.code,
            "content": CONTENTS[category].format(item=item.label), "visitors": str(visitors),
            "complexity": rng.choices(("normal", "hard", "complex"), (80, 15, 5))[0],
            "received_time": f"{rng.randint(8, 16):02d}:{rng.choice((0, 10, 20, 30, 40, 50)):02d}",
            "union_id": None}


def _town(rng) -> str:
    from app.demo import names

    return f"示例县{rng.choice(names.TOWNSHIPS)}"


def _one(session, rng, table: str) -> str | None:
    from sqlalchemy import column
    from sqlalchemy import table as sql_table

    t = sql_table(table, column("id"), column("deleted"))
    ids = list(session.scalars(select(t.c.id).where(t.c.deleted.is_(False)).order_by(t.c.id).limit(50)))
    return rng.choice(ids) if ids else None


def _free_name(session, rng, names) -> str:
    from app.models.rights import LawFirm

    taken = set(session.scalars(select(LawFirm.name).where(LawFirm.deleted.is_(False))))
    free = [n for n in names if n not in taken]
    return rng.choice(free) if free else f"{rng.choice(names)[:-5]}第{rng.randint(2, 9)}律师事务所"
