"""Screenshots of the city's desk: three counties of generated data (the first with two office PCs),
every exchange made by bundles, a conflict the city meets, the same person in two counties, and
one county that has not reported this period.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_city.py

Writes city-*.png into docs/screenshots/ (or --out). The installations are built in /tmp.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("UNIONDESK_FAST_KDF", "1")
os.environ.setdefault("UNIONDESK_DATA_DIR", "/tmp/uniondesk-screenshots-data")

PASSWORD = "Shot#Desk2026"
WORK = Path("/tmp/uniondesk-city-shots")
COUNTIES = (("a1", "示例县总工会", "341122"), ("a2", "示例县总工会", "341122"),
            ("b", "邻县总工会", "341124"), ("d", "东山区总工会", "341125"))


def build(members: int) -> None:
    from datetime import date

    from sqlalchemy import select, text

    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.models import Member, Unit, User
    from app.security.users import actor_for, create_user
    from app.services import records
    from app.services.setup import init_installation
    from app.sync import service
    from app.sync.enrol import set_device_name
    from app.validation.idcard import id_check_char

    shutil.rmtree(WORK, ignore_errors=True)
    nodes = {}
    for key, name, code, level in (*[(k, n, c, "county") for k, n, c in COUNTIES],
                                   ("c", "示例市总工会", "341100", "city")):
        path = WORK / key / "uniondesk.db"
        path.parent.mkdir(parents=True)
        db = open_database(path, create=True)
        admin = init_installation(db, unit_name=name, unit_code=code, level=level,
                                  admin_user="admin", admin_password=PASSWORD)
        with db.session(admin) as s:
            create_user(s, admin, "zhangli", "clerk", password=PASSWORD, display_name="张丽")
            for u in s.query(User):
                u.must_change_password = False
        service.unlock(db, admin, PASSWORD)
        if key in ("a1", "a2"):
            set_device_name(db, admin, "办公室一号机" if key == "a1" else "办公室二号机")
        if key not in ("a2", "c"):
            generate(db, admin, members=members, seed={"a1": 2020, "b": 2021, "d": 2022}[key])
        nodes[key] = (db, admin)
    cards = {k: service.export_card(db, a, WORK / f"{k}.udcard") for k, (db, a) in nodes.items()}
    trust = {"a1": ("a2", "c"), "a2": ("a1",), "b": ("c",), "d": ("c",), "c": ("a1", "b", "d")}
    for k, others in trust.items():
        db, a = nodes[k]
        for o in others:
            p = service.read_card(db, a, cards[o])
            service.trust_card(db, a, p.peer_id, p.fingerprint)

    def send(src, dst_code, dst=None, **kw):
        db, a = nodes[src]
        peer = next(p for p in service.export_targets(db, a) if p.unit_code == dst_code
                    and (dst is None or p.device_name == dst))
        return service.export(db, a, peer.id, WORK / "stick", **kw).path

    def recv(node, path):
        db, a = nodes[node]
        service.open_import(db, a, path).apply()

    def clerk(db):
        with db.session() as s:
            return actor_for(s.scalar(select(User).where(User.username == "zhangli")))

    def edit(node, mid, **values):
        db = nodes[node][0]
        who = clerk(db)
        with db.session(who) as s:
            records.update(s, who, "member", mid, values)

    def add(node, name, id_no):
        db = nodes[node][0]
        who = clerk(db)
        with db.session(who) as s:
            union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False),
                                                   Unit.owner_unit_id == db.root_unit_id))
            records.create(s, who, "member", {"name": name, "union_id": union, "id_number": id_no})

    (WORK / "stick").mkdir()
    recv("a2", send("a1", "341122", full=True))  # the second PC gets its county's data
    for k in ("a1", "b", "d"):
        recv("c", send(k, "341100"))
    recv("c", send("a1", "341100"))  # a1's next bundle vouches for the second PC
    with nodes["a1"][0].read_session() as s:
        mid = s.scalars(select(Member.id).where(Member.deleted.is_(False)).order_by(Member.name_pinyin)).first()
    edit("a1", mid, phone="13700001111", post="电工")
    edit("a2", mid, phone="13800002222", department="质检科")
    same = "341124198806150213"
    same = same[:17] + id_check_char(same[:17])
    add("b", "刘建平", same)  # one person, registered in two counties
    add("d", "刘建平", same)
    recv("c", send("a1", "341100"))
    recv("c", send("a2", "341100"))
    recv("c", send("b", "341100"))
    recv("c", send("d", "341100"))
    db = nodes["c"][0]
    with db.session(nodes["c"][1]) as s:  # 东山区's bundles arrived last year
        s.execute(text("UPDATE sync_bundles SET at = :t WHERE peer_id IN (SELECT id FROM sync_peers "
                       "WHERE unit_code = '341125')"), {"t": f"{date.today().year - 1}-12-20 09:30:00"})
    for db, _ in nodes.values():
        db.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--members", type=int, default=3000)
    ap.add_argument("--size", default="1366x768")
    ap.add_argument("--reuse", action="store_true", help="the installations of the last run")
    args = ap.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        build(args.members)

    from app.db.engine import open_database
    from app.security.users import authenticate
    from app.sync import service
    from ui import workers
    from ui.context import AppContext
    from ui.main import make_application
    from ui.main_window import MainWindow

    app = make_application()

    def settle(rounds: int = 6) -> None:
        from PySide6.QtTest import QTest

        for _ in range(rounds):
            app.processEvents()
            workers.wait_for_jobs(60_000)
        QTest.qWait(200)

    def shot(widget, name: str) -> None:
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        print("wrote", out / f"{name}.png", flush=True)

    db = open_database(WORK / "c" / "uniondesk.db")
    actor = authenticate(db, "zhangli", PASSWORD)
    service.unlock(db, actor, PASSWORD)
    ctx = AppContext(db, actor)
    window = MainWindow(ctx)
    window.resize(width, height)
    window.show()
    settle()
    shot(window, "city-home")

    org = window.navigate("organisation")
    members = org.show_tab("members")
    settle()
    shot(window, "city-members")
    members.list.search.setText("刘建平")
    members.list.reload()
    settle()
    dup = next(r for r in members.list.model.rows if "刘建平" in r.texts and "邻县总工会" in r.texts)
    form = members.list.make_form(dup.id)
    form.resize(900, 620)
    form.show()
    shot(form, "city-request")
    form.done(0)

    hardship = window.navigate("hardship")
    stats = hardship.show_tab("stats")
    settle(10)
    from PySide6.QtWidgets import QScrollArea

    scroll = stats.by_county.parent()
    while not isinstance(scroll, QScrollArea):
        scroll = scroll.parent()
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())  # down to 按县(区)
    shot(window, "city-stats")

    page = window.navigate("exchange")
    page.open_target("conflicts", {})
    page.conflicts.refresh()
    settle()
    shot(window, "city-conflicts")
    view = next(v for v in page.conflicts.views if v.kind == "edit")
    dialog = page.conflicts.make_dialog(view)
    dialog.resize(900, 600)
    dialog.show()
    shot(dialog, "city-conflict")
    dialog.done(0)
    page.open_target("peers", {})
    page.peers.refresh()
    shot(window, "city-peers")
    window.quit_app()
    settle()
    db.close()


if __name__ == "__main__":
    main()
