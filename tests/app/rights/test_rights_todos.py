"""The home page's 待办: tickets near or past their limit (the next one that applies), tickets
waiting on this user's step, overdue rectifications, applications waiting for review — each
opening its record."""

from datetime import timedelta

from app.clock import today
from tests.app.rights.helpers import act, new_ticket


def _todos(county, who="clerk"):
    from app.services.rights.todos import todos

    with county.db.read_session() as s:
        return todos(s, county.actors[who])


def test_tickets_near_or_past_their_limit_are_to_dos(county):
    late = new_ticket(county, received_on=(today() - timedelta(days=40)).isoformat(), category="1",
                      sub_item="102")  # five working days: long past
    fresh = new_ticket(county, category="1", sub_item="102", complexity="complex")  # thirty: far
    petition = new_ticket(county, received_on=(today() - timedelta(days=30)).isoformat())
    items = _todos(county)
    texts = {t.target.filters["open"]: t for t in items if t.target.tab == "rights_ticket"}
    assert texts[late].level == "urgent" and "已逾期(办理期限" in texts[late].text
    assert "受理告知期限" in texts[petition].text  # not yet accepted: its acceptance limit counts
    # far from its limit: no deadline warning, but it waits on the clerk's 受理 (issue 12, point 5)
    assert texts[fresh].level == "info" and texts[fresh].text.startswith("工单待受理:")
    act(county, late, "answer", result="已答复")
    after = [t for t in _todos(county) if t.target.filters.get("open") == late]
    assert [t.text.split(":")[0] for t in after] == ["工单待回访"]  # no longer late, still a step
    assert _todos(county, "readonly") == []  # nothing a reader could act on


def test_an_overdue_rectification_and_an_application_to_review(county):
    from app.services import records

    past = today() - timedelta(days=20)
    with county.session("clerk") as s:
        check = records.create(s, county.actors["clerk"], "rights_inspection", {
            "inspected_on": past.isoformat(), "enterprise": "示例县化工有限公司", "inspectors": "陈丽、王强",
            "hazard_count": "2", "deadline": (past + timedelta(days=7)).isoformat()}).id
        case = records.create(s, county.actors["clerk"], "rights_aid_case", {
            "applied_on": today().isoformat(), "applicant_name": "赵六", "id_number": "341122198605120312",
            "opponent_name": "某公司", "cause": "02", "matters": "arbitration", "facts": "欠薪"}).id
    assert any(t.target.filters == {"open": check} and t.level == "urgent" for t in _todos(county))
    assert any(t.target.filters == {"open": case} for t in _todos(county, "reviewer"))
    with county.session("clerk") as s:
        records.update(s, county.actors["clerk"], "rights_inspection", check,
                       {"recheck_on": today().isoformat(), "recheck_result": "done"})
    assert not any(t.target.filters == {"open": check} for t in _todos(county))
