"""数据交换 on the home page's 待办: data waiting for a trusted office, and the open conflict queue."""

from __future__ import annotations

from app.security.roles import Perm


def exchange_todos(session, actor) -> list:
    from app.services.dashboard import Target, Todo
    from app.sync.conflicts import open_count

    out = []
    if actor.can(Perm.SYNC):
        from app.sync.service import peers_to_send

        names = peers_to_send(session)
        if names:
            who = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
            out.append(Todo(f"有新数据尚未发送给{who}:可在“数据交换 › 导出”中导出数据包", "info",
                            Target("exchange", "export")))
    if actor.can(Perm.SYNC) or actor.can(Perm.WRITE):
        n = open_count(session)
        if n:
            out.append(Todo(f"{n:,} 项数据交换冲突或疑似重复人员待处理", "warn",
                            Target("exchange", "conflicts")))
    return out
