"""The figures of seed section (六) for one period and unit — one function, used by the area's
page, the CLI (``stats hardship``) and the half-year summary.

What is counted (and said in each figure's note):
- money and goods: every ledger entry dated in the period, reversals included, so a corrected
  payout nets out (a reversal carries the date of the entry it reverses);
- 救助困难职工家庭 (户): archives whose net relief in the period is positive;
- 救助困难职工 (人): distinct ID numbers of the workers' households paid (archived or 意外救助
  before an archive), net positive — one person per household, the 户主 or applicant;
- 覆盖家庭人口 (人): the household sizes of those archives;
- visits: distinct enterprises / people visited in the period;
- archives: opened (建档 date), re-checked (年审), exited (脱困), cancelled (注销) in the period,
  and those in force at its end;
- 金秋助学: applications approved (or paid) with a decision date in the period, and their grants.
Each figure carries a ``ListQuery`` that lists the records behind it (``queries.records_behind``).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import distinct, func, or_, select, text
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.models import HardshipArchive, HardshipReview, StudyAid, Unit, Visit
from app.security.roles import Perm
from app.services import records
from app.services.hardship.queries import (AidFilter, ArchiveFilter, LedgerFilter, ListQuery,
                                           VisitFilter, query_of)
from app.services.hardship.scope import subtree_ids
from app.services.units import find_by_code, find_unit
from app.validation import format_wan, format_yuan

GRAIN = ("rice", "flour", "oil")  # 米、面、油


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal
    unit: str
    source: ListQuery | None = None
    note: str = ""

    @property
    def text(self) -> str:
        if self.unit == "万元":
            return f"{self.value:,.2f}"
        return f"{self.value:,}"

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": str(self.value) if isinstance(
            self.value, Decimal) else self.value, "unit": self.unit, "text": self.text,
                "note": self.note, "records": self.source.as_dict() if self.source else None}


@dataclass(frozen=True)
class HardshipStats:
    date_from: date
    date_to: date
    unit_name: str
    unit_code: str | None
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def as_dict(self) -> dict:
        return {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat(),
                "unit": self.unit_name, "unit_code": self.unit_code,
                "figures": [f.as_dict() for f in self.figures]}


def _wan(fen: int) -> Decimal:
    """万元, rounded half-up to two decimals (as the summary prints it)."""
    return Decimal(format_wan(fen).replace(",", ""))


def hardship_stats(session: Session, actor, date_from: date, date_to: date,
                   unit: str | None = None) -> HardshipStats:
    """The figures for the period, for the whole installation or for ``unit`` and its subtree:
    a unit given by its region code, exact name or id (as ``print --union``; a system union has
    no code)."""
    actor.require(Perm.READ, "查看困难职工帮扶统计")
    if date_to < date_from:
        raise InvalidInput("统计截止日期不能早于开始日期")
    chosen = (find_by_code(session, unit.strip()) or find_unit(session, unit)) if unit else None
    uid = chosen.id if chosen else None
    unit_code = chosen.code if chosen else None
    if chosen is None:
        chosen = session.get(Unit, session.info.get("root_unit_id"))
    figs: list[Figure] = []
    figs += _relief(session, date_from, date_to, uid)
    figs += _visits(session, date_from, date_to, uid)
    figs += _archives(session, date_from, date_to, uid)
    figs += _aid(session, date_from, date_to, uid)
    return HardshipStats(date_from, date_to, chosen.name if chosen else "", unit_code, tuple(figs))


# The ledger figures read the covering index only, whatever the planner's statistics say: the
# INDEXED BY makes every plan a range scan of ``paid_on`` on every installation. Households and
# people are netted in one grouped pass (a payout reversed in full leaves nothing).
_LEDGER = "hardship_ledger INDEXED BY ix_hardship_ledger_stats"
_TREE = ("WITH RECURSIVE tree(id) AS (SELECT :uid UNION ALL "
         "SELECT u.id FROM units u JOIN tree ON u.parent_id = tree.id) ")
LEDGER_SQL = (
    "SELECT coalesce(sum(cash_fen), 0), coalesce(sum(goods_value_fen), 0) FROM {ledger} WHERE {where}",
    "SELECT goods_kind, goods_unit, sum(goods_qty), sum(goods_value_fen) FROM {ledger} "
    "WHERE {where} AND goods_kind IS NOT NULL GROUP BY goods_kind, goods_unit",
    "SELECT recipient_id_number, archive_id, sum(cash_fen + goods_value_fen), sum(goods_qty) "
    "FROM {ledger} WHERE {where} AND recipient_kind = 'worker' GROUP BY recipient_id_number, archive_id",
)


def ledger_sql(body: str, uid: str | None) -> str:
    """One of ``LEDGER_SQL`` with the period (and unit subtree) filled in."""
    where = "paid_on BETWEEN :d0 AND :d1" + (" AND unit_id IN (SELECT id FROM tree)" if uid else "")
    return (_TREE if uid else "") + body.format(ledger=_LEDGER, where=where)


@contextmanager
def _sorting_in_temp_files(session):
    """A GROUP BY over a million rows sorts about twice as fast spilling to temporary files as in
    SQLite's in-memory temp store (the connections' default here): switch for these statements."""
    raw = session.connection().connection.driver_connection
    old = raw.execute("PRAGMA temp_store").fetchone()[0]
    raw.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA temp_store = {int(old)}")


def _relief(session, d0, d1, uid) -> list[Figure]:
    base = LedgerFilter(date_from=d0, date_to=d1, unit_id=uid)
    params = {"uid": uid, "d0": d0.isoformat(), "d1": d1.isoformat()}
    totals, goods_sql, net_sql = (ledger_sql(q, uid) for q in LEDGER_SQL)
    households: dict[str, list[int]] = {}
    people: dict[str, list[int]] = {}
    with _sorting_in_temp_files(session):
        cash, value = session.execute(text(totals), params).one()
        goods = session.execute(text(goods_sql), params).all()
        for id_number, archive_id, net, qty in session.execute(text(net_sql), params):
            for book, key in ((households, archive_id), (people, id_number)):
                if key:
                    acc = book.setdefault(key, [0, 0])
                    acc[0] += net
                    acc[1] += qty
    helped = sorted(a for a, (net, qty) in households.items() if net > 0 or qty > 0)
    n_people = sum(1 for net, qty in people.values() if net > 0 or qty > 0)
    covered = 0
    for i in range(0, len(helped), 500):
        covered += session.scalar(select(func.sum(HardshipArchive.household_size)).where(
            HardshipArchive.id.in_(helped[i:i + 500]))) or 0
    book = records.codebook(session)
    figs = [
        Figure("relief_cash", "发放困难职工慰问金(救助金)", _wan(cash), "万元",
               query_of("ledger", replace(base, with_cash=True)),
               f"现金合计 {format_yuan(cash)} 元,已扣除冲正"),
        Figure("goods_value", "慰问品折价", _wan(value), "万元", query_of("ledger", base),
               f"物品折价合计 {format_yuan(value)} 元"),
        Figure("grain_jin", "米、面、油", sum(q for k, u, q, _ in goods if k in GRAIN and u == "jin"),
               "斤", query_of("ledger", base), "以斤计量的大米、面粉、食用油;其他计量单位另列"),
    ]
    for kind, unit, qty, v in sorted(goods):
        # the unit in the label too: 食用油 in 斤 and in 桶 are two figures that must not look alike
        figs.append(Figure(f"goods_{kind}_{unit}",
                           f"{book.label('goods_kind', kind)}({book.label('goods_unit', unit)})",
                           qty, book.label("goods_unit", unit),
                           query_of("ledger", replace(base, goods_kind=kind, goods_unit=unit)),
                           f"折价 {format_yuan(v)} 元"))
    figs += [
        Figure("households_helped", "救助困难职工家庭", len(helped), "户",
               query_of("archives", ArchiveFilter(helped_from=d0, helped_to=d1, unit_id=uid)),
               "期内净获救助的建档家庭(扣除冲正后仍有现金、物品折价或物品数量)"),
        Figure("workers_helped", "救助困难职工", n_people, "人",
               query_of("ledger", replace(base, recipient_kind="worker")),
               "按身份证号去重的困难职工(户主或申请人,每户一人),含未建档的意外救助"),
        Figure("people_covered", "覆盖家庭人口", covered, "人",
               query_of("archives", ArchiveFilter(helped_from=d0, helped_to=d1, unit_id=uid)),
               "上述建档家庭的家庭人口之和"),
    ]
    return figs


def _visits(session, d0, d1, uid) -> list[Figure]:
    V = Visit
    where = [V.deleted.is_(False), V.visited_on >= d0, V.visited_on <= d1]
    if uid:
        where.append(V.unit_id.in_(subtree_ids(uid)))
    who = {"enterprise": func.coalesce(V.unit_id, V.target_name),
           "worker": func.coalesce(V.archive_id, V.target_id_number, V.target_name),
           "model_worker": func.coalesce(V.target_id_number, V.target_name),
           "frontline": func.coalesce(V.target_id_number, V.target_name)}
    labels = {"enterprise": ("走访慰问困难企业", "家"), "worker": ("走访慰问困难职工", "人"),
              "model_worker": ("走访慰问困难劳模", "人"), "frontline": ("走访慰问一线职工", "人")}
    figs = []
    for kind, key in who.items():
        n = session.scalar(select(func.count(distinct(key))).where(*where, V.target_kind == kind)) or 0
        label, unit = labels[kind]
        figs.append(Figure(f"visits_{kind}", label, n, unit,
                           query_of("visits", VisitFilter(date_from=d0, date_to=d1, unit_id=uid,
                                                          target_kind=kind)),
                           "期内走访的不同对象数(同一对象多次走访计一次)"))
    total = session.scalar(select(func.count()).select_from(V).where(*where)) or 0
    figs.append(Figure("visits_total", "走访慰问人次(家次)", total, "次",
                       query_of("visits", VisitFilter(date_from=d0, date_to=d1, unit_id=uid))))
    return figs


def _archives(session, d0, d1, uid) -> list[Figure]:
    A = HardshipArchive
    scope = [A.deleted.is_(False)]
    if uid:
        scope.append(A.union_id.in_(subtree_ids(uid)))

    def n(*conds) -> int:
        return session.scalar(select(func.count()).select_from(A).where(*scope, *conds)) or 0

    R = HardshipReview
    rechecked = session.scalar(select(func.count(distinct(R.archive_id))).where(
        R.action == "annual", R.acted_on >= d0, R.acted_on <= d1,
        R.archive_id.in_(select(A.id).where(*scope)))) or 0
    return [
        Figure("archives_opened", "新建档困难职工家庭", n(A.archived_on >= d0, A.archived_on <= d1), "户",
               query_of("archives", ArchiveFilter(opened_from=d0, opened_to=d1, unit_id=uid))),
        Figure("archives_rechecked", "年审困难职工家庭", rechecked, "户",
               query_of("archives", ArchiveFilter(rechecked_from=d0, rechecked_to=d1, unit_id=uid))),
        Figure("archives_exited", "脱困", n(A.status == "exited", A.closed_on >= d0, A.closed_on <= d1),
               "户", query_of("archives", ArchiveFilter(status="exited", closed_from=d0, closed_to=d1,
                                                         unit_id=uid))),
        Figure("archives_cancelled", "注销档案",
               n(A.status == "cancelled", A.closed_on >= d0, A.closed_on <= d1), "户",
               query_of("archives", ArchiveFilter(status="cancelled", closed_from=d0, closed_to=d1,
                                                  unit_id=uid))),
        Figure("archives_in_force", "期末在档困难职工家庭",
               n(A.archived_on <= d1, or_(A.closed_on.is_(None), A.closed_on > d1),
                 A.status.in_(("archived", "exited", "cancelled"))), "户",
               query_of("archives", ArchiveFilter(status="active", unit_id=uid)),
               "期末已建档且未脱困、未注销的家庭;明细列出当前在档家庭"),
    ]


def _aid(session, d0, d1, uid) -> list[Figure]:
    S = StudyAid
    where = [S.deleted.is_(False), S.status.in_(("approved", "paid")), S.decided_on >= d0,
             S.decided_on <= d1]
    if uid:
        where.append(S.union_id.in_(subtree_ids(uid)))
    n, fen = session.execute(select(func.count(), func.coalesce(func.sum(S.granted_fen), 0))
                             .where(*where)).one()
    source = query_of("aid", AidFilter(decided_from=d0, decided_to=d1, unit_id=uid, status="granted"))
    return [Figure("study_aid_grants", "金秋助学资助学生", n, "人", source),
            Figure("study_aid_amount", "金秋助学金", _wan(fen), "万元", source,
                   f"批准金额合计 {format_yuan(fen)} 元")]
