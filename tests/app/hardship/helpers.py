"""Builders shared by the hardship tests: valid archive input and a driver for the review chain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from app.clock import today

if TYPE_CHECKING:
    from tests.app.hardship.conftest import County

DIBAO = "720.00"


def id_number(region: str, birth: date, seq: int) -> str:
    from app.validation import id_check_char

    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


HEAD = id_number("341122", date(1975, 5, 20), 13)  # male, about 51
SPOUSE = id_number("341122", date(1977, 3, 8), 22)
CHILD = id_number("341122", date(2005, 6, 1), 31)


def archive_values(union_id: str, *, name="张三", id_no=HEAD, income="1500", other="1200",
                   **extra) -> dict:
    values = {
        "union_id": union_id, "name": name, "id_number": id_no, "ethnicity": "汉族",
        "political_status": "群众", "marital_status": "已婚", "hukou_type": "非农业",
        "phone": "13912345678", "address": "示例县城关镇幸福路1号", "work_status": "在岗",
        "industry": "C", "work_started_on": "1970年7月1日", "housing_type": "租房",
        "housing_area": "45.5", "health_status": "良好", "medical_insurance": "1",
        "monthly_income_fen": income, "other_annual_income_fen": other, "hukou_region": "341122",
        "main_cause": "6", "minor_causes": "9", "applied_on": (today() - timedelta(days=40)).isoformat(),
    }
    values.update(extra)
    return values


def member_values(name: str, relation: str, id_no: str, income="0", **extra) -> dict:
    values = {"name": name, "relation": relation, "id_number": id_no, "monthly_income_fen": income,
              "health_status": "01", "medical_insurance": "2", "marital_status": "10",
              "hukou_type": "1", "identity": "4"}
    values.update(extra)
    return values


def make_archive(county: County, union: str = "a", *, who="clerk", members=None, expenses=None,
                 **values):
    from app.services.hardship import archives

    members = [member_values("李四", "10", SPOUSE, "600", identity="1", marital_status="20"),
               member_values("张小明", "20", CHILD)] if members is None else members
    expenses = [{"item": "1", "amount_fen": "8000"}, {"item": "2", "amount_fen": "1150"}] \
        if expenses is None else expenses
    with county.session(who) as s:
        a = archives.create_archive(s, county.actors[who], archive_values(county.ids[union], **values),
                                    members=members, expense_items=expenses)
        return a.id


# no step may be dated before the one it follows: everything up to the 公示 is dated on its start,
# three weeks back, so that the 公示 has ended by today. Dates are taken when a step is acted, never
# at import: a run that crosses midnight would otherwise mix yesterday's and today's dates.
PUBLICITY_BACK = 21


def paper_day() -> str:
    """The day the steps up to the 公示 are dated on paper (a 退回 before such a round, too)."""
    return (today() - timedelta(days=PUBLICITY_BACK)).isoformat()


def _days_back(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


class _StepInputs(Mapping):
    """The answers each step's dialog gets, dated when they are read."""

    def _all(self) -> dict[str, dict]:
        on_paper = {"acted_on": paper_day()}
        return {
            "submit": {**on_paper},
            "grassroots": {"investigator_1": "王调查", "investigator_2": "赵调查",
                           "investigated_on": _days_back(35),
                           "investigation_findings": "情况属实", "authorization_signed": "是",
                           "opinion": "同意上报", "signer_name": "甲厂工会主席", **on_paper},
            "township": {"opinion": "同意", "signer_name": "城关镇工会主席", **on_paper},
            "center": {"civil_check_batch": "2026-01", "civil_check_sent_on": _days_back(30),
                       "civil_check_result": "match", "civil_check_result_on": _days_back(25),
                       "opinion": "符合条件", **on_paper},
            "publicize": {"publicity_start": on_paper["acted_on"], "publicity_place": "公示栏", **on_paper},
            "end_publicity": {"publicity_result": "公示无异议"},
            "approve": {"opinion": "同意建档"},
        }

    def __getitem__(self, step: str) -> dict:
        return self._all()[step]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


STEP_INPUTS = _StepInputs()
STEP_ACTOR = {"submit": "clerk", "grassroots": "clerk", "township": "clerk", "center": "reviewer",
              "publicize": "clerk", "end_publicity": "clerk", "approve": "approver"}
ORDER = ("submit", "grassroots", "township", "center", "publicize", "end_publicity", "approve")


def drive(county: County, archive_id: str, until: str = "approve", *, days_ago: int = 0, **overrides):
    """Take the archive from where it stands through the chain, up to and including ``until``;
    every step dated ``days_ago`` days back (on paper), the actors as ``overrides`` say."""
    from app.services.hardship import archives, workflow

    with county.db.read_session() as s:
        current = archives.get_archive(s, county.actors["clerk"], archive_id).status
    first = "submit" if current in ("draft", "returned") else workflow.FORWARD[current]
    for step in ORDER[ORDER.index(first):ORDER.index(until) + 1]:
        who = overrides.get(step, STEP_ACTOR[step])
        # everything up to the 公示 on or before its start: the 公示 has ended by ``days_ago``
        back = max(days_ago, PUBLICITY_BACK) if ORDER.index(step) <= ORDER.index("publicize") else days_ago
        with county.session(who) as s:
            values = STEP_INPUTS[step]
            if back:
                on = _days_back(back)
                values = {**values, "acted_on": on,
                          **({"publicity_start": on} if step == "publicize" else {})}
            workflow.act(s, county.actors[who], archive_id, step, values)
