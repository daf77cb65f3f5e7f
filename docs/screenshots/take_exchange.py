"""Screenshots of the 数据交换 page: a county (two office PCs) and the city, with real bundles,
a receipt, a conflict and a refused (tampered) bundle.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_exchange.py

Writes exchange-*.png into docs/screenshots/ (or --out). The installations are built in /tmp.
A USB stick is simulated by a folder (there is none under Xvfb), so the drive list shows one.
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
WORK = Path("/tmp/uniondesk-exchange-shots")


def build(members: int):
    from sqlalchemy import select

    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.models import Member, Unit, User
    from app.security.users import actor_for, create_user
    from app.services import records
    from app.services.setup import init_installation
    from app.sync import service

    shutil.rmtree(WORK, ignore_errors=True)
    nodes = {}
    for key, name, code, level in (("a1", "示例县总工会", "341122", "county"),
                                   ("a2", "示例县总工会", "341122", "county"),
                                   ("b", "邻县总工会", "341124", "county"),
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
        if key == "a1":
            generate(db, admin, members=members, seed=2020)
        nodes[key] = (db, admin)
    cards = {k: service.export_card(db, a, WORK / f"{k}.udcard") for k, (db, a) in nodes.items()}
    trust = {"a1": ("a2", "c"), "a2": ("a1", "c"), "c": ("a1", "a2", "b"), "b": ("c",)}
    for k, others in trust.items():
        db, a = nodes[k]
        for o in others:
            p = service.read_card(db, a, cards[o])
            service.trust_card(db, a, p.peer_id, p.fingerprint)
    a1, a2, c = nodes["a1"], nodes["a2"], nodes["c"]
    service.read_card(a1[0], a1[1], cards["b"])  # imported, fingerprint not confirmed yet

    def clerk(db):
        with db.session() as s:
            return actor_for(s.scalar(select(User).where(User.username == "zhangli")))

    def send(src, dst, **kw):
        peer = next(p for p in service.export_targets(src[0], src[1]) if p.unit_code == dst)
        return service.export(src[0], src[1], peer.id, WORK, **kw).path

    # the county's data to its second PC and to the city; the city's receipt comes back
    service.open_import(a2[0], a2[1], send(a1, "341122")).apply()
    for target in (c,):
        service.open_import(target[0], target[1], send(a1, "341100")).apply()
    receipt = service.write_receipt(c[0], c[1], WORK)
    service.open_import(a1[0], a1[1], receipt).apply()
    with a1[0].read_session() as s:
        ids = list(s.scalars(select(Member.id).where(Member.deleted.is_(False))
                             .order_by(Member.name_pinyin).limit(60)))
        union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False)))

    def edit(db, mid, **values):
        with db.session(clerk(db)) as s:
            records.update(s, clerk(db), "member", mid, values)

    def add(db, name, seq):
        from datetime import date

        from app.validation.idcard import id_check_char

        first17 = f"341122{date(1985, 6, 1 + seq % 28):%Y%m%d}{seq:03d}"
        with db.session(clerk(db)) as s:
            records.create(s, clerk(db), "member", {"name": name, "union_id": union,
                                                        "id_number": first17 + id_check_char(first17)})

    # the county's second PC: edits, new members, the same phone changed on both PCs, and one
    # person registered on both PCs — its bundle waits on a1 (the import screenshots)
    edit(a1[0], ids[0], phone="13700001111", post="电工")
    edit(a2[0], ids[0], phone="13800002222", post="维修电工")
    for mid in ids[1:41]:
        edit(a2[0], mid, department="质检科")
    for i, name in enumerate(["赵一鸣", "钱晓红", "孙建国", "李秀英", "周海涛", "吴桂兰", "郑志强",
                              "王丽娟", "冯德明", "陈淑珍", "褚卫东", "卫红梅"]):
        add(a2[0], name, 500 + i)
    add(a1[0], "蒋文华", 600)
    add(a2[0], "蒋文华", 600)
    from_a2 = send(a2, "341122")
    # for the city: edits exported (a copy with one changed byte is refused), then more edits
    for mid in ids[41:50]:
        edit(a1[0], mid, department="安监科")
    pending = send(a1, "341100")
    for mid in ids[50:55]:
        edit(a1[0], mid, post="安全员")
    tampered = WORK / "tampered.udbx"
    data = bytearray(pending.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    for db, _ in nodes.values():
        db.close()
    return from_a2, pending, tampered


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--members", type=int, default=2000)
    ap.add_argument("--size", default="1366x768")
    args = ap.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from_a2, pending, tampered = build(args.members)

    from app.db.engine import open_database
    from app.security.users import authenticate
    from app.sync import drives, service
    from ui import workers
    from ui.context import AppContext
    from ui.main import make_application
    from ui.main_window import MainWindow
    from ui.pages.exchange.common import Pick

    stick = WORK / "KINGSTON"
    stick.mkdir()
    shutil.copy(pending, stick / pending.name)
    service.removable_drives = lambda: [drives.Drive(stick, "KINGSTON", 14_900_000_000, 15_500_000_000)]
    Pick.folder = classmethod(lambda cls, *a, **k: stick)
    app = make_application()

    def settle(rounds: int = 6) -> None:
        from PySide6.QtTest import QTest

        for _ in range(rounds):
            app.processEvents()
            workers.wait_for_jobs(30_000)
        QTest.qWait(150)

    def shot(widget, name: str) -> None:
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        print("wrote", out / f"{name}.png")

    def window_for(node: str, user: str):
        db = open_database(WORK / node / "uniondesk.db")
        actor = authenticate(db, user, PASSWORD)
        service.unlock(db, actor, PASSWORD)
        window = MainWindow(AppContext(db, actor))
        window.resize(width, height)
        window.show()
        return db, window

    # the county office, clerk 张丽: the bundle from the second PC, the conflict, export, peers
    shutil.copy(from_a2, stick / from_a2.name)
    db, window = window_for("a1", "zhangli")
    page = window.navigate("exchange")
    page.open_target("import", {})
    wiz = page.import_
    wiz.scan_drives()
    wiz.found.setCurrentRow([p.name for p in wiz.found_paths].index(from_a2.name))
    wiz.check()
    settle()
    shot(window, "exchange-import-report")
    wiz.apply()
    settle()
    shot(window, "exchange-import-done")
    page.open_target("conflicts", {})
    page.conflicts.refresh()
    settle()
    shot(window, "exchange-conflicts")
    view = next(v for v in page.conflicts.views if v.kind == "edit")
    dialog = page.conflicts.make_dialog(view)
    dialog.resize(900, 600)
    dialog.show()
    shot(dialog, "exchange-conflict")
    dialog.done(0)
    view = next(v for v in page.conflicts.views if v.kind == "duplicate")
    dialog = page.conflicts.make_dialog(view)
    dialog.resize(900, 640)
    dialog.show()
    shot(dialog, "exchange-duplicate")
    dialog.done(0)
    page.open_target("export", {})
    ex = page.export
    ex.reload_targets()
    ex.choose(next(p.id for p in ex.targets if p.unit_code == "341100"))
    shot(window, "exchange-export-choose")
    ex.go_next()
    settle()
    shot(window, "exchange-export-preview")
    ex.go_next()
    shot(window, "exchange-export-where")
    ex.go_next()
    settle()
    shot(window, "exchange-export-done")
    page.open_target("peers", {})
    page.peers.refresh()
    shot(window, "exchange-peers")
    row = next(i for i, p in enumerate(page.peers.rows) if not p.trusted)
    page.peers.table.selectRow(row)
    p = page.peers.rows[row]
    trust = page.peers.make_trust_dialog(service.CardPreview(p.id, p.unit_name, p.unit_code, p.level_label,
                                                             p.fingerprint, False))
    trust.typed.setText(p.fingerprint[:24])
    trust.show()
    shot(trust, "exchange-trust")
    trust.done(0)
    page.open_target("history", {})
    page.history.refresh()
    shot(window, "exchange-history")
    window.quit_app()
    settle()
    db.close()

    # the city, administrator
    db, window = window_for("c", "admin")
    page = window.navigate("exchange")
    page.open_target("import", {})
    wiz = page.import_
    wiz.set_file(tampered)
    wiz.check()
    settle()
    shot(window, "exchange-import-refused")
    wiz.restart()
    wiz.set_file(stick / pending.name)
    wiz.check()
    settle()
    wiz.apply()
    settle()
    page.open_target("keys", {})
    shot(window, "exchange-keys-city")
    window.quit_app()
    settle()
    db.close()


if __name__ == "__main__":
    main()
