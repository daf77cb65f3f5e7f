"""Screenshots of the kit's area page for docs/user-guide.md: the test-only area of
``tests/kit_example`` (added the way a new area is: one declaration) with a few records, its list
and its 统计 tab; with ``--all`` also the 困难职工帮扶 statistics tab and a drill-down (to look at).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_kit.py [--all]

Writes kit-area-list.png and kit-area-stats.png into docs/screenshots/ (or --out).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["UNIONDESK_EXTRA_AREAS"] = "tests.kit_example.area:AREAS"  # before app.areas loads
os.environ.setdefault("UNIONDESK_FAST_KDF", "1")
os.environ.setdefault("UNIONDESK_DATA_DIR", "/tmp/uniondesk-screenshots-kit-data")

PASSWORD = "Shot#Desk2026"
EVENTS = (  # (days before today, union index, name, kind, people, 元)
    (3, 0, "《工会法》宣讲进企业", "talk", 86, 1200), (9, 1, "劳动合同法律咨询台", "stand", 42, 300),
    (15, 2, "女职工权益保护讲座", "talk", 64, 800), (24, 3, "农民工讨薪法律咨询", "stand", 57, 0),
    (31, 0, "安全生产知识讲座", "talk", 120, 1500), (40, 4, "社保政策咨询日", "stand", 38, 200),
    (52, 5, "职工心理健康讲座", "talk", 75, 900), (66, 1, "集体协商知识讲座", "talk", 48, 600),
    (79, 2, "法律援助进社区", "stand", 91, 450), (95, 6, "新就业形态劳动者权益讲座", "talk", 53, 700),
)


def demo_database(folder: Path) -> Path:
    from sqlalchemy import select

    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.models import Unit, User
    from app.security.users import create_user
    from app.services import records
    from app.services.setup import init_installation
    from app.validation import id_check_char

    path = folder / "uniondesk-screenshots-kit.db"
    if path.exists():
        return path
    building = path.with_suffix(".building")
    for stale in folder.glob(building.name + "*"):
        stale.unlink()
    db = open_database(building, create=True)
    admin = init_installation(db, unit_name="示例县总工会", unit_code="341122", level="county",
                              admin_user="admin", admin_password=PASSWORD)
    with db.session(admin) as s:
        create_user(s, admin, "zhangli", "clerk", password=PASSWORD, display_name="张丽")
        for u in s.query(User):
            u.must_change_password = False
    generate(db, admin, members=3000, seed=2020)
    from app.security.users import authenticate

    clerk = authenticate(db, "zhangli", PASSWORD)
    with db.session(clerk) as s:
        unions = list(s.scalars(select(Unit.id).where(Unit.kind == "grassroots").order_by(Unit.name)))
        today = date.today()
        for i, (days, union, name, kind, people, yuan) in enumerate(EVENTS):
            body = f"34112219800101{i:03d}"
            records.create(s, clerk, "kit_example", {
                "held_on": (today - timedelta(days=days)).isoformat(), "union_id": unions[union],
                "name": name, "kind": kind, "people": str(people), "amount_fen": str(yuan),
                "contact_id_number": body + id_check_char(body), "contact_phone": "13905641234"})
    db.close()
    building.rename(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1366x768")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--all", action="store_true", help="also the hardship statistics (into /tmp)")
    args = ap.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = demo_database(Path("/tmp"))

    from app.db.engine import open_database
    from app.security.users import authenticate
    from ui import workers
    from ui.context import AppContext
    from ui.main import make_application
    from ui.main_window import MainWindow

    app = make_application()
    db = open_database(path)

    def settle(rounds: int = 6) -> None:
        from PySide6.QtTest import QTest

        for _ in range(rounds):
            app.processEvents()
            workers.wait_for_jobs(20_000)
        QTest.qWait(150)

    def shot(widget, where: Path) -> None:
        settle()
        if not widget.grab().save(str(where)):
            raise SystemExit(f"could not write {where}")
        print("wrote", where)

    window = MainWindow(AppContext(db, authenticate(db, "zhangli", PASSWORD)))
    window.resize(width, height)
    window.show()
    page = window.navigate("kit_example")
    shot(window, out / "kit-area-list.png")
    page.show_tab("stats")
    shot(window, out / "kit-area-stats.png")
    for key, card in (("kit_example", 1), ("hardship", 0), ("organisation", None)) if args.all else ():
        stats = window.navigate(key).show_tab("stats")
        shot(window, Path(f"/tmp/{key}-stats.png"))
        if card is not None:  # a card's drill-down
            dialog = stats.open_records(stats.cards[card].figure)
            shot(dialog, Path(f"/tmp/{key}-drill-down.png"))
            dialog.done(0)
    window.quit_app()
    settle()
    db.close()


if __name__ == "__main__":
    main()
