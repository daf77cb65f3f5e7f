"""数据交换 on the home page's 待办: data waiting for a trusted office, and the open conflict queue."""

from __future__ import annotations

from app.security.roles import Perm


def exchange_todos(session, actor) -> list:
    from app.services.dashboard import Target, Todo
    from app.sync.conflicts import open_count

    out = []
    if actor.can(Perm.SYNC):
        from app.sync.service import peers_to_send

        names = list(dict.fromkeys(peers_to_send(session)))  # two PCs of one county: named once
        if names:
            who = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
            out.append(Todo(f"有新数据尚未发送给{who}:可在“数据交换 › 导出”中导出数据包", "info",
                            Target("exchange", "export")))
    if actor.can(Perm.SYNC) or actor.can(Perm.WRITE):
        from app.services.requests import list_requests

        asked = list_requests(session, actor, incoming=True, pending_only=True)
        n = open_count(session) - len(asked)
        if n:
            out.append(Todo(f"{n:,} 项数据交换冲突或疑似重复人员待处理", "warn",
                            Target("exchange", "conflicts")))
        for who in sorted({r.requester for r in asked}):
            k = sum(r.requester == who for r in asked)
            out.append(Todo(f"{who}的 {k:,} 项更正或作废请求待处理", "warn",
                            Target("exchange", "conflicts")))
    out += _city_todos(session, actor)
    from app.sync.anchors import witness_todos

    out += witness_todos(session, actor)  # a sender PC's audit trail found cut or rewritten
    return out


def _city_todos(session, actor) -> list:
    """At the city: each county that has sent no bundle since the half-year began (its figures
    for the period are incomplete), and requests a county has not answered yet."""
    from app.clock import today
    from app.kit.figures import periods
    from app.services.city import counties
    from app.services.dashboard import Target, Todo
    from app.services.requests import list_requests

    if not actor.can(Perm.READ):
        return []
    _label, d0, _d1 = periods(today())[0]
    out = [Todo(f"{c.name}本期({d0:%Y-%m-%d} 起)尚未报送数据包", "info", Target("exchange", "history"))
           for c in counties(session) if not c.reported_since(d0)]
    waiting: dict[str, int] = {}
    for r in list_requests(session, actor, incoming=False, pending_only=True):
        waiting[r.owner_name] = waiting.get(r.owner_name, 0) + 1
    out += [Todo(f"已向{name}提出的 {n:,} 项请求尚待其处理", "info", Target("exchange", "conflicts"))
            for name, n in sorted(waiting.items())]
    return out
