"""Builders shared by the rights tests: valid ticket input and a driver for the ticket chain."""

from __future__ import annotations

from app.clock import today


def ticket_values(**extra) -> dict:
    values = {"received_on": today().isoformat(), "channel": "visit", "person_name": "王秀兰",
              "phone": "13912345678", "employer": "示例县永盛食品有限公司", "category": "3",
              "sub_item": "301", "content": "单位拖欠三个月工资,请求工会协调。", "visitors": "1"}
    values.update(extra)
    return values


def new_ticket(county, who: str = "clerk", **extra):
    from app.services import records

    with county.session(who) as s:
        return records.create(s, county.actors[who], "rights_ticket", ticket_values(**extra)).id


def act(county, ticket_id: str, key: str, who: str = "clerk", **values):
    from app.services.rights import ticket_chain

    with county.session(who) as s:
        t = ticket_chain.act(s, county.actors[who], ticket_id, key, values)
        return t.status


def get(county, model, record_id: str):
    with county.db.read_session() as s:
        obj = s.get(model, record_id)
        s.expunge(obj)
        return obj
