"""Tickets: the one rule and the derived values on every path, numbering, and the chain
登记 → 受理 → 转办/交办 → 办结 → 回访 → 归档 with its people, units, dates and 退回重办."""

from datetime import date, timedelta

import pytest

from app.clock import today
from app.errors import AppError, PermissionDenied, ValidationFailed
from app.models.rights_tickets import RightsHandover, RightsTicket, RightsTicketStep
from app.validation import format_cn_date
from tests.app.rights.helpers import act, get, new_ticket, ticket_values


def test_five_visitors_or_more_is_a_collective_visit_on_every_path(county):
    from app.kit.register import register
    from app.services import records

    four, five = new_ticket(county, visitors="4"), new_ticket(county, visitors="5")
    assert not get(county, RightsTicket, four).collective and get(county, RightsTicket, five).collective
    with county.session("clerk") as s:
        records.update(s, county.actors["clerk"], "rights_ticket", four, {"visitors": "12"})
    assert get(county, RightsTicket, four).collective
    with county.session("clerk") as s:  # an Excel import takes the same path
        clerk = county.actors["clerk"]
        rows = [records.clean_or_raise(s, register("rights_ticket").spec, ticket_values(visitors=n))
                for n in ("6", "1")]
        assert records.check_many(s, clerk, "rights_ticket", rows) == {}
        records.add_many(s, clerk, "rights_ticket", rows, source="测试")
    with county.db.read_session() as s:
        flags = sorted(t.collective for t in s.query(RightsTicket).filter(RightsTicket.visitors.in_((6, 1))))
    assert flags == [False, True]


def test_a_sub_item_of_another_category_is_refused_beside_the_field(county):
    with pytest.raises(ValidationFailed) as caught:
        new_ticket(county, category="1", sub_item="301")
    assert caught.value.errors == {"sub_item": "诉求子项不属于“问题咨询”,请重新选择"}
    with pytest.raises(ValidationFailed) as caught:
        new_ticket(county, category="301", sub_item=None)
    assert "五大类" in caught.value.errors["category"]


def test_numbers_follow_the_office_code_and_year(county):
    year = today().year
    first, second = new_ticket(county), new_ticket(county)
    assert get(county, RightsTicket, first).ticket_no == f"341122-诉求-{year}-0001"
    assert get(county, RightsTicket, second).ticket_no == f"341122-诉求-{year}-0002"


def test_a_walk_in_answered_on_the_spot_then_called_back_and_archived(county):
    ticket_id = new_ticket(county, category="1", sub_item="102")
    assert act(county, ticket_id, "answer", result="已当场解答加班费计算方法") == "done"
    assert act(county, ticket_id, "callback", satisfaction="satisfied") == "visited"
    assert act(county, ticket_id, "archive") == "archived"
    t = get(county, RightsTicket, ticket_id)
    assert (t.handling, t.accepted_on, t.result_on, t.satisfaction) == ("direct", today(), today(), "satisfied")
    with county.db.read_session() as s:
        steps = [(r.action, r.from_status, r.to_status, r.actor_username)
                 for r in s.query(RightsTicketStep).filter_by(ticket_id=ticket_id).order_by(RightsTicketStep.step_no)]
    assert steps == [("answer", "registered", "done", "clerk"), ("callback", "done", "visited", "clerk"),
                     ("archive", "visited", "archived", "clerk")]


def test_handed_to_a_township_on_paper_its_answer_keyed_in_then_closed(county):
    from app.services.rights import handovers

    ticket_id = new_ticket(county)
    act(county, ticket_id, "accept")
    act(county, ticket_id, "handover", mode="assign", target_unit_id=county.ids["t1"],
        requirements="请核实欠薪情况")
    t = get(county, RightsTicket, ticket_id)
    assert (t.status, t.handling, t.handled_by_unit_id) == ("transferred", "assign", county.ids["t1"])
    with county.db.read_session() as s:
        h = handovers.open_handover(s, ticket_id)
        assert (h.via, h.due_on, h.seq) == ("paper", t.due_on, 1)  # a township of our own tree
        handover_id = h.id
    with pytest.raises(AppError, match="尚未反馈"):  # nothing to close on yet
        act(county, ticket_id, "result")
    with county.session("t2_clerk") as s, pytest.raises(PermissionDenied):  # another township
        handovers.record_reply(s, county.actors["t2_clerk"], handover_id,
                               {"replied_on": today(), "handler": "张三", "result": "已处理"})
    with county.session("clerk") as s:  # the paper 回执 keyed in by the issuing office
        reply = handovers.record_reply(s, county.actors["clerk"], handover_id, {
            "replied_on": today(), "handler": "城关镇工会 刘芳", "result": "企业已补发工资"})
        assert reply.via == "paper"
    act(county, ticket_id, "result")
    t = get(county, RightsTicket, ticket_id)
    assert (t.status, t.result) == ("done", "企业已补发工资")  # the answer is adopted


def test_a_handover_is_due_by_the_ticket_s_own_limit_at_the_latest(county):
    ticket_id = new_ticket(county, category="1", sub_item="102")
    act(county, ticket_id, "accept")
    due = get(county, RightsTicket, ticket_id).due_on
    with pytest.raises(ValidationFailed) as caught:
        act(county, ticket_id, "handover", mode="transfer", target_unit_id=county.ids["t1"],
            due_on=due + timedelta(days=1))
    assert "不能晚于工单的办理期限" in caught.value.errors["due_on"]
    for target in (county.ids["county"], county.ids["a"]):  # not itself, not a grassroots union
        with pytest.raises(ValidationFailed):
            act(county, ticket_id, "handover", mode="transfer", target_unit_id=target)


def test_return_takes_the_handover_back_and_the_ticket_is_handled_again(county):
    from app.services.rights import handovers

    ticket_id = new_ticket(county)
    act(county, ticket_id, "accept")
    act(county, ticket_id, "handover", mode="transfer", target_unit_id=county.ids["t2"])
    assert act(county, ticket_id, "return", opinion="不属于新集镇,收回重新办理") == "accepted"
    t = get(county, RightsTicket, ticket_id)
    assert (t.handling, t.handled_by_unit_id) == (None, None)
    with county.db.read_session() as s:
        assert handovers.open_handover(s, ticket_id) is None
        assert s.query(RightsHandover).filter_by(ticket_id=ticket_id).one().withdrawn_on == today()


def test_who_may_take_which_step(county):
    from app.services.rights import ticket_chain

    ticket_id = new_ticket(county)
    with county.db.read_session() as s:
        def keys(who):
            return [a.key for a in ticket_chain.available_actions(s, county.actors[who], ticket_id)]
        assert keys("clerk") == ["accept", "answer"]
        assert keys("reviewer") == ["reject"]  # 不予受理 is a 审核人's decision
        assert keys("readonly") == [] and keys("t2_clerk") == []
    mine = new_ticket(county, union_id=county.ids["t1"])
    with county.db.read_session() as s:  # a township clerk handles its own tickets
        assert [a.key for a in ticket_chain.available_actions(s, county.actors["t_clerk"], mine)] \
            == ["accept", "answer"]
    with pytest.raises(PermissionDenied):
        act(county, ticket_id, "accept", who="t2_clerk")


def test_steps_are_dated_in_order_and_never_ahead(county):
    """The chain engine's rule: no step dated before the one it follows (the first one not before
    the 登记日期), the message naming both as the printed forms do."""
    ago = lambda n: today() - timedelta(days=n)  # noqa: E731
    ticket_id = new_ticket(county, received_on=ago(10).isoformat())
    with pytest.raises(ValidationFailed) as caught:
        act(county, ticket_id, "accept", acted_on=ago(11).isoformat())
    assert caught.value.errors == {"acted_on": f"受理日期不能早于登记日期 {format_cn_date(ago(10))}"}
    with pytest.raises(ValidationFailed):
        act(county, ticket_id, "accept", acted_on=(today() + timedelta(days=1)).isoformat())
    act(county, ticket_id, "accept", acted_on=ago(5).isoformat())
    with pytest.raises(ValidationFailed) as caught:
        act(county, ticket_id, "result", acted_on=ago(6).isoformat(), result="已办")
    assert caught.value.errors == {"acted_on": f"办结日期不能早于受理日期 {format_cn_date(ago(5))}"}
    act(county, ticket_id, "result", acted_on=ago(5).isoformat(), result="已办")  # the same day
    with pytest.raises(ValidationFailed) as caught:
        act(county, ticket_id, "return", acted_on=ago(6).isoformat(), opinion="办理结果不实")
    assert caught.value.errors == {"acted_on": f"退回重办日期不能早于办结日期 {format_cn_date(ago(5))}"}


def test_a_closed_ticket_is_locked_and_only_a_new_one_is_voided(county):
    from app.services import records

    ticket_id = new_ticket(county, category="1", sub_item="102")
    act(county, ticket_id, "answer", result="已答复")
    with county.session("clerk") as s, pytest.raises(AppError, match="不能再修改"):
        records.update(s, county.actors["clerk"], "rights_ticket", ticket_id, {"content": "改"})
    with county.session("clerk") as s, pytest.raises(AppError, match="不能再修改或作废"):
        records.void(s, county.actors["clerk"], "rights_ticket", ticket_id)
    fresh = new_ticket(county)
    with county.session("clerk") as s:
        records.void(s, county.actors["clerk"], "rights_ticket", fresh)


def test_a_refused_petition_is_told_and_archived(county):
    ticket_id = new_ticket(county, received_on=(today() - date.resolution * 3).isoformat())
    assert act(county, ticket_id, "reject", who="reviewer", opinion="属劳动监察受理范围,已告知") == "rejected"
    assert act(county, ticket_id, "archive", who="reviewer") == "archived"
    assert get(county, RightsTicket, ticket_id).result.startswith("不予受理:")
