"""A ticket handed to a union of another installation travels by bundle, is answered there with a
reply of that office's own, and the answer comes back by bundle to be adopted (办结) where the
ticket lives. Both ways: a county hands one to the city's township union; the city's 12351
dispatches one to a county's township. The receiving office never changes the sender's ticket."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models import Unit
from app.models.rights_tickets import RightsReply, RightsTicket
from tests.app.rights.helpers import ticket_values


def _unit(node, name: str) -> str:
    with node.db.read_session() as s:
        return s.scalar(select(Unit.id).where(Unit.name == name))


def _hand_over(node, target: str) -> tuple[str, str]:
    from app.services import records
    from app.services.rights import handovers, ticket_chain

    with node.db.session(node.clerk) as s:
        ticket = records.create(s, node.clerk, "rights_ticket", ticket_values(channel="hotline"))
        ticket_chain.act(s, node.clerk, ticket.id, "accept", {})
        ticket_chain.act(s, node.clerk, ticket.id, "handover", {
            "mode": "transfer", "target_unit_id": target, "requirements": "请核实并反馈"})
        h = handovers.open_handover(s, ticket.id)
        assert h.via == "bundle"  # another installation's union: no 转办单 to print
        return ticket.id, h.id


@pytest.mark.parametrize("sender, receiver, town", [("a1", "c", "c镇工会"), ("c", "a1", "a1镇工会")])
def test_a_handed_over_ticket_is_answered_there_and_closed_here(net, sender, receiver, town):
    from app.services.dashboard import todos
    from app.services.rights import handovers, ticket_chain

    here, there = net[sender], net[receiver]
    here.recv(there.send(here))  # the other office's unions arrive first
    ticket_id, handover_id = _hand_over(here, _unit(here, town))
    report = there.recv(here.send(there))
    assert not [i for i in report.items if i.kind == "refused"], report.lines()[:5]

    with there.db.read_session() as s:
        s.info["root_unit_id"] = there.db.root_unit_id
        assert [h.id for h in handovers.unanswered_incoming(s)] == [handover_id]
        assert any("外单位转来工单待反馈" in t.text for t in todos(s, there.clerk))
        assert ticket_chain.available_actions(s, there.clerk, ticket_id) == []  # not their ticket
    with there.db.session(there.clerk) as s:
        reply = handovers.record_reply(s, there.clerk, handover_id, {
            "replied_on": s.get(RightsTicket, ticket_id).received_on, "handler": "刘芳",
            "result": "经协调,企业已补发工资"})
        assert reply.via == "bundle"
    with there.db.read_session() as s:
        s.info["root_unit_id"] = there.db.root_unit_id
        assert handovers.unanswered_incoming(s) == []

    here.recv(there.send(here))
    with here.db.read_session() as s:
        pending = handovers.pending_adoption(s)
        assert [(t.id, r.result) for t, r in pending] == [(ticket_id, "经协调,企业已补发工资")]
        assert any("承办工会已反馈,待办结" in t.text for t in todos(s, here.clerk))
    with here.db.session(here.clerk) as s:
        ticket = ticket_chain.act(s, here.clerk, ticket_id, "result", {})
        assert (ticket.status, ticket.result) == ("done", "经协调,企业已补发工资")
    with here.db.read_session() as s:
        reply = s.scalar(select(RightsReply).where(RightsReply.ticket_id == ticket_id))
        assert (reply.unit_id, reply.handler) == (_unit(here, town), "刘芳")


def test_a_township_of_our_own_gets_paper(county, tmp_path):
    """A township that runs no installation: the 转办单 is printed with its deadline."""
    from app.printing.registry import PrintRequest
    from app.printing.service import print_form
    from app.services.rights import handovers
    from tests.app import pdf_tools
    from tests.app.rights.helpers import act, new_ticket

    ticket_id = new_ticket(county)
    act(county, ticket_id, "accept")
    act(county, ticket_id, "handover", mode="transfer", target_unit_id=county.ids["t1"],
        requirements="请于期限内书面反馈")
    with county.db.read_session() as s:
        h = handovers.open_handover(s, ticket_id)
        handover_id, due, via = h.id, h.due_on, h.via
        number = s.get(RightsTicket, ticket_id).ticket_no
    assert via == "paper"
    out = tmp_path / "handover.pdf"
    print_form(county.db, county.actors["clerk"], "handover_form", PrintRequest(ids=[handover_id]), out)
    text = pdf_tools.squeezed(out)
    assert "职工诉求转办(交办)单" in text and f"工单号{number}" in text and "城关镇工会" in text
    assert re.search(r"编号:341122-转办-\d{4}-0001", text)  # the office format, given at first print
    assert f"请于{due.year}年{due.month}月{due.day}日前反馈" in text and "回执" in text


def test_two_office_pcs_number_tickets_alike_and_one_is_renumbered(net):
    """The county's two PCs register a ticket each between exchanges: both are 工单 0001. The
    bundle imports, the clash is queued, and the kit renumbers one (its ``Numbering``)."""
    from app.services import records
    from app.sync import service

    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    ids = {}
    for node in (a1, a2):
        with node.db.session(node.clerk) as s:
            ticket = records.create(s, node.clerk, "rights_ticket", ticket_values())
            ids[node.name] = (ticket.id, ticket.ticket_no)
    assert ids["a1"][1] == ids["a2"][1]
    assert a2.recv(a1.send(a2)).count("conflicts") == 1
    [clash] = service.conflicts(a2.db, a2.clerk)
    assert clash.kind == "number" and clash.row_id == ids["a1"][0]
    old, new = service.resolve_number(a2.db, a2.clerk, clash.id, "renumber_existing")
    assert old == ids["a2"][1] and new == old[:-4] + "0002"
    with a2.db.read_session() as s:
        assert s.get(RightsTicket, ids["a2"][0]).ticket_no == new
    a1.recv(a2.send(a1))  # the new number travels and nothing clashes any more
    with a1.db.read_session() as s:
        assert sorted(t.ticket_no for t in s.scalars(select(RightsTicket))) == sorted([old, new])
