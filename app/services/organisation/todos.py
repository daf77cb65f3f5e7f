"""基层组织建设 on the home page's 待办: terms ending within six months (or ended), 职工之家 due
for re-checking, 建会 steps this user may take, transfers to take in (a county) or to forward
(the city), and documents waiting for a 文号 on this PC — each opening its records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.security.roles import Perm
from app.services.dashboard import Target, Todo

LIMIT = 8


def todos(session: Session, actor) -> list[Todo]:
    if not actor.can(Perm.READ):
        return []
    out: list[Todo] = []
    out += _terms(session)
    out += _rechecks(session)
    if actor.can(Perm.WRITE):
        out += _foundings(session, actor)
        out += _transfers(session, actor)
        out += _unnumbered(session)
    return out


def _terms(session: Session) -> list[Todo]:
    from app.services.organisation.elections import terms_due

    due = terms_due(session, limit=LIMIT + 1)
    out = [Todo(f"换届{'已逾期' if d.overdue else '将到期'}:{d.union_name}第{d.term_no}届委员会"
                f"任期至 {d.term_ends_on.isoformat()}", "urgent" if d.overdue else "warn",
                Target("organisation", "election", {"open": d.election_id})) for d in due[:LIMIT]]
    if len(due) > LIMIT:
        out.append(Todo("另有基层工会任期将到期,见“换届选举”", "info",
                        Target("organisation", "election", {"latest": True})))
    return out


def _rechecks(session: Session) -> list[Todo]:
    from app.services.organisation.homes import rechecks_due

    kinds = {"home": "模范职工之家", "small": "模范职工小家"}
    return [Todo(f"{r.recheck_year}年度待复查:{r.union_name}{kinds.get(r.kind, '')}", "warn",
                 Target("organisation", "home_award", {"open": r.award_id}))
            for r in rechecks_due(session, limit=LIMIT)]


def _foundings(session: Session, actor) -> list[Todo]:
    from app.kit import chain
    from app.kit.waiting import waiting_on
    from app.models.organisation import UnionFounding
    from app.services.organisation.founding import CHAIN, STATUS_LABELS, WAITS

    out = []
    for f in session.scalars(select(UnionFounding).where(
            UnionFounding.deleted.is_(False), UnionFounding.status.notin_(("draft", "registered")))
            .order_by(UnionFounding.updated_at).limit(50)):
        if chain.available_actions(session, actor, CHAIN, f):
            found = waiting_on(session, CHAIN, f, WAITS)
            what = f"待{found.step}" if found is not None else STATUS_LABELS[f.status]
            since = f"(自 {found.since.isoformat()})" if found is not None and found.since else ""
            out.append(Todo(f"建会{what}:{f.union_name}{since}", "info",
                            Target("organisation", "union_founding", {"open": f.id})))
    return out[:LIMIT]


def _transfers(session: Session, actor) -> list[Todo]:
    from app.services.organisation import transfers
    from app.services.units import root_unit

    root = root_unit(session)
    if root is not None and root.kind == "city":
        n = len(transfers.pending_forward(session))
        return [Todo(f"跨县会员转接待转递 {n} 件", "warn", Target("organisation", "members"))] if n else []
    return [Todo(f"跨县转入待接收:{t.name}(来自{t.from_county_name}{t.from_union_name})", "warn",
                 Target("organisation", "members")) for t in transfers.incoming(session, actor)[:LIMIT]]


def _unnumbered(session: Session) -> list[Todo]:
    from app.models.organisation import DocSeries, Document
    from app.services.organisation.documents import device_id

    rows = session.execute(select(Document.id, Document.title).join(DocSeries, DocSeries.id == Document.series_id)
                           .where(Document.deleted.is_(False), Document.doc_no.is_(None),
                                  DocSeries.owner_device_id == device_id(session))
                           .order_by(Document.signed_on).limit(LIMIT)).all()
    return [Todo(f"待编文号:{title}", "info", Target("organisation", "document", {"open": did}))
            for did, title in rows]

