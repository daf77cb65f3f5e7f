"""Demo step for 基层组织建设: every generated member's opening 会籍 events (one INSERT … SELECT,
so a million members cost seconds), then, through the area's own services and rules, a few
hundred 会籍 changes (退休, 转接, 退会), the county's 发文字号 numbered on this PC, 建会 at every
stage of the chain (the founded ones join the unit tree), and the grassroots unions' elections —
some of them due. 职工之家, 职工书屋 and 培训 are filled by the generic register step."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

from sqlalchemy import select

from app.clock import today
from app.demo import names as N
from app.demo.generator import uscc
from app.models import Member, Unit
from app.services import records
from app.services.organisation import documents, elections, founding, membership, transfers

FOUNDINGS = ("registered", "registered", "women", "founded", "elected", "recruited", "preparing",
             "approved", "applied", "draft")
CHAIN = ("apply", "approve", "prepare", "recruit", "congress", "confirm", "women", "register")


def generate_organisation(ctx) -> None:
    writer = dataclasses.replace(ctx.actor, role="system")
    s = ctx.session
    ctx.progress.update(0, 0, "正在生成会籍记录")
    membership.open_all(s, writer, ctx.stamper.device_id)
    # the records the services write take their ids from the seed, so one seed, one demo
    s.info["new_id"] = lambda: str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4))
    try:
        _series(s, writer)
        _changes(ctx, writer)
        _foundings(ctx, writer)
        _elections(ctx, writer)
    finally:
        s.info.pop("new_id", None)


def _series(session, actor) -> None:
    root = session.get(Unit, session.info.get("root_unit_id"))
    first = root.name[:1]
    for code, name in ((f"{first}工", "县总工会发文"), (f"{first}工办", "县总工会办公室发文")):
        series = records.create(session, actor, documents.SERIES, {"code": code, "name": name})
        documents.take_over(session, actor, series.id, "办公室电脑")


def _changes(ctx, actor) -> None:
    """Retirements, transfers between the county's unions and a few who left, each dated after
    the member's last event, through the 会籍 rules."""
    s, rng = ctx.session, ctx.rng
    n = max(20, min(200, ctx.counts.get("会员", 0) // 500))
    picked = list(s.scalars(select(Member).where(Member.status == "1").order_by(Member.id)
                            .limit(n * 4)))
    unions = [u["id"] for u in ctx.member_unions]
    end = today()
    for member in rng.sample(picked, min(n, len(picked))):
        first = max(member.joined_on or end - timedelta(days=900), end - timedelta(days=700))
        on = first + timedelta(days=rng.randint(0, max((end - first).days, 0)))
        kind = rng.choices(("retain", "transfer", "leave"), (5, 4, 1))[0]
        if kind == "transfer":
            target = rng.choice([u for u in unions if u != member.union_id])
            transfers.transfer_within(s, actor, member.id, target, on, doc_no=f"JS{on:%Y}{rng.randint(1, 999):03d}")
        else:
            records.create(s, actor, membership.REGISTER, {
                "member_id": member.id, "kind": kind, "event_date": on,
                "reason": rng.choice(("1", "1", "1", "2", "3")) if kind == "retain" else None,
                "notes": "本人申请" if kind == "leave" else None})


def _foundings(ctx, actor) -> None:
    """Enterprises on their way to a union of their own, one at each stage of the chain."""
    s, rng = ctx.session, ctx.rng
    parents = [u["id"] for u in ctx.units if u["kind"] in ("township", "street")]
    short = ctx.county_name.removesuffix("县").removesuffix("区")
    taken = set(s.scalars(select(Unit.enterprise_name)))
    for stage in FOUNDINGS:
        while True:
            trade, industry = rng.choice(N.TRADES)
            name = f"{short}{rng.choice(N.BRAND)}{trade}{rng.choice(N.SUFFIX)}"
            if name not in taken:
                break
        taken.add(name)
        workers = rng.randint(30, 400)
        f = records.create(s, actor, founding.REGISTER, {
            "enterprise_name": name, "union_name": f"{name}工会", "parent_id": rng.choice(parents),
            "enterprise_uscc": uscc(rng, ctx.root.code or "341122", "9", "1"),
            "unit_nature": "4", "industry": industry, "worker_count": workers,
            "female_worker_count": workers // 3, "leaders": "董事长、党支部书记",
            "wish": "经征求意见,多数职工要求成立工会。", "contact_name": "办公室主任"})
        steps = CHAIN[:founding.strip_position(stage)]
        on = today() - timedelta(days=12 * len(steps) + rng.randint(0, 30))
        for key in steps:
            founding.act(s, actor, f.id, key, _step_values(key, workers, rng) | {"acted_on": on})
            on = min(today(), on + timedelta(days=rng.randint(3, 12)))


def _step_values(key: str, workers: int, rng) -> dict:
    if key == "prepare":
        return {"prep_leader": "王建国", "prep_members": "王建国、李红梅、张志强"}
    if key == "recruit":
        return {"recruited_count": workers - rng.randint(0, workers // 5)}
    if key == "congress":
        eligible = workers - workers // 5
        return {"candidates_agreed_no": "同意预备人选的复函", "eligible": eligible,
                "present": eligible - eligible // 10, "seats": 5, "candidates": 6,
                "committee": "王建国、李红梅、张志强、赵敏、陈刚", "audit_committee": "刘芳、周杰、吴晓燕",
                "chair_name": "王建国", "term_years": 5}
    if key == "women":
        return {"women_committee": "李红梅、赵敏、吴晓燕"}
    if key == "register":
        return {"legal_uscc": uscc(rng, "341122", "8", "1"), "legal_cert_no": f"工法证字第{rng.randint(1000, 9999)}号"}
    return {}


def _elections(ctx, actor) -> None:
    """The current committee of most grassroots unions: elected three or five years' terms
    ago or less, some ending within six months (the 待办), a few already overdue."""
    s, rng = ctx.session, ctx.rng
    end = today()
    rows = []
    for u in ctx.member_unions:
        if rng.random() < 0.25:
            continue
        years = rng.choice((3, 5, 5))
        on = end - timedelta(days=rng.randint(30, years * 365 + 60))
        eligible = rng.randint(20, 600)
        seats = rng.choice((3, 5, 7, 9))
        rows.append({"union_id": u["id"], "term_no": rng.randint(1, 8), "election_on": on,
                     "term_years": years, "eligible": eligible,
                     "present": eligible - rng.randint(0, eligible // 4), "seats": seats,
                     "candidates": elections.min_candidates(seats) + rng.randint(0, 1),
                     "chair_name": u.get("chair_name"),
                     "approval_no": f"{ctx.county_name[:1]}工组〔{on.year}〕{rng.randint(1, 90)}号",
                     "approved_on": min(end, on + timedelta(days=rng.randint(5, 20)))})
    records.add_many(s, actor, elections.REGISTER, rows, source="演示数据")

