"""Screenshots of the 权益保障与法律援助 page for docs/areas/rights.md: the tickets list, a ticket's
form with its chain strip and timers, the roster's month calendar; with ``--paper`` also the
printed F10, 转办单, F6 and month roster as PNGs (pdftoppm, into /tmp) to look at.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_rights.py [--paper]

Writes rights-tickets.png, rights-ticket-form.png and rights-roster.png into docs/screenshots/.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("UNIONDESK_FAST_KDF", "1")
os.environ.setdefault("UNIONDESK_DATA_DIR", "/tmp/uniondesk-screenshots-rights-data")

PASSWORD = "Shot#Desk2026"


def demo_database(folder: Path) -> Path:
    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.models import User
    from app.security.users import create_user
    from app.services.setup import init_installation

    path = folder / "uniondesk-screenshots-rights.db"
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
    generate(db, admin, members=40_000, seed=2020)
    db.close()
    building.rename(path)
    return path


def paper(db, actor) -> None:
    from sqlalchemy import select

    from app.models.rights import AidCase
    from app.models.rights_tickets import RightsHandover, RightsTicket
    from app.printing.forms.rights_roster import sample_options
    from app.printing.registry import PrintRequest
    from app.printing.service import print_form

    with db.read_session() as s:
        visit = s.scalar(select(RightsTicket.id).where(RightsTicket.channel == "visit",
                                                      RightsTicket.status == "archived",
                                                      RightsTicket.petition.is_(True)).limit(1))
        handover = s.scalar(select(RightsHandover.id).limit(1))
        case = s.scalar(select(AidCase.id).where(AidCase.stage == "closed").limit(1))
        month = sample_options(s)
    for name, request in (("visit_form", PrintRequest(ids=[visit])), ("handover_form", PrintRequest(ids=[handover])),
                          ("legal_aid_form", PrintRequest(ids=[case])), ("duty_roster", PrintRequest(options=month))):
        pdf = Path(f"/tmp/rights-{name}.pdf")
        print_form(db, actor, name, request, pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), f"/tmp/rights-{name}"], check=True)
        print("wrote", pdf)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1366x768")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--paper", action="store_true")
    args = ap.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    out = Path(args.out)
    path = demo_database(Path("/tmp"))

    from sqlalchemy import select

    from app.db.engine import open_database
    from app.models.rights_tickets import RightsTicket
    from app.security.users import authenticate
    from ui import workers
    from ui.context import AppContext
    from ui.main import make_application
    from ui.main_window import MainWindow
    from ui.pages.rights.tickets import TicketFormDialog

    app = make_application()
    db = open_database(path)
    clerk = authenticate(db, "zhangli", PASSWORD)
    if args.paper:
        paper(db, clerk)

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

    window = MainWindow(AppContext(db, clerk))
    window.resize(width, height)
    window.show()
    page = window.navigate("rights")
    shot(window, out / "rights-tickets.png")
    with db.read_session() as s:
        ticket = s.scalar(select(RightsTicket.id).where(RightsTicket.status == "transferred",
                                                        RightsTicket.petition.is_(True)).limit(1)) \
            or s.scalar(select(RightsTicket.id).where(RightsTicket.status == "accepted").limit(1))
    form = TicketFormDialog(window.ctx, ticket, window)
    form.resize(1100, 720)
    form.show()
    shot(form, out / "rights-ticket-form.png")
    form.done(0)
    page.show_tab("roster")
    shot(window, out / "rights-roster.png")
    window.quit_app()
    settle()
    db.close()


if __name__ == "__main__":
    main()
