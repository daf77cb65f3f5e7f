"""Core pieces the 数据交换 page relies on: what is waiting to be sent (the home page's 待办), the
conflict messages in Chinese, and range checks of decimals kept as text (hardship archives)."""

from app.services import dashboard, records
from app.sync import service
from app.sync.rows import TableCodec
from tests.app.syncnet import member_ids


def _pending(node) -> list[str]:
    with node.db.read_session() as s:
        return service.peers_to_send(s)


def test_data_waiting_for_an_office_until_it_is_sent_and_never_an_echo(net):
    a1, a2, c = net["a1"], net["a2"], net["c"]
    assert _pending(a1) == ["示例市总工会", "示例县总工会", "邻县总工会"]  # by unit code
    a2.recv(a1.send(a2))
    assert "示例县总工会" not in _pending(a1)  # sent: nothing new for the other PC
    a1.recv(a2.send(a1))  # what comes back is not sent back again
    assert _pending(a1) == ["示例市总工会", "邻县总工会"]
    c.recv(a1.send(c))
    assert _pending(a1) == ["邻县总工会"]
    with a1.db.session(a1.clerk) as s:
        records.update(s, a1.clerk, "member", member_ids(a1)[0], {"post": "电工"})
    assert _pending(a1) == ["示例市总工会", "示例县总工会", "邻县总工会"]


def test_the_home_page_lists_bundles_to_send_and_open_conflicts(net):
    from sqlalchemy import select

    from app.models import User
    from app.security.users import actor_for, create_user

    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    for node, phone in ((a1, "13700001111"), (a2, "13800002222")):
        with node.db.session(node.clerk) as s:
            records.update(s, node.clerk, "member", mid, {"phone": phone})
    a1.recv(a2.send(a1))
    with a1.db.read_session() as s:
        todos = [t for t in dashboard.todos(s, a1.clerk) if t.target and t.target.page == "exchange"]
        assert [(t.target.tab, t.level) for t in todos] == [("export", "info"), ("conflicts", "warn")]
        assert "示例市总工会、示例县总工会、邻县总工会" in todos[0].text and "1 项" in todos[1].text
    with a1.db.session(a1.admin) as s:  # neither exchanges nor edits: nothing for it to do here
        create_user(s, a1.admin, "auditor", "auditor", password="Gh#Desk2026u")
    with a1.db.read_session() as s:
        auditor = actor_for(s.scalar(select(User).where(User.username == "auditor")))
        assert not [t for t in dashboard.todos(s, auditor) if t.target and t.target.page == "exchange"]


def test_conflict_messages_name_fields_in_chinese(net):
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    for node, values in ((a1, {"phone": "13700001111", "post": "电工"}),
                         (a2, {"phone": "13800002222", "department": "质检科"})):
        with node.db.session(node.clerk) as s:
            records.update(s, node.clerk, "member", mid, values)
    report = a1.recv(a2.send(a1))
    conflict = next(it for it in report.items if it.kind == "conflict")
    assert "手机号码" in conflict.message and "phone" not in conflict.message


def test_a_decimal_kept_as_text_is_range_checked_as_a_number():
    from app.models import HardshipArchive

    codec = TableCodec.build(HardshipArchive.__table__)
    label = codec.labels["housing_area"]

    def problems(value):  # the other columns are empty: only this one's messages are looked at
        row = [None] * len(codec.columns)
        row[codec.index["housing_area"]] = value
        return [p for p in codec.check_values(row, True) if p.startswith(label)]

    assert problems("85.5") == [] and problems("0") == []
    assert problems("-1") == problems("12000") == [label + "超出允许范围"]
    assert problems("八十") == [label + "应为数字"]
