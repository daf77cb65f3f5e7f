"""Screenshots of 基层组织建设 for docs/areas/organisation.md: a founded union's page (its facts,
建会 chain, elections and 会籍 changes), a member's form on its 会籍 history after a transfer,
and the 批复 of the 建会 chain as it prints (the first page of the PDF, by pdftoppm).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take_organisation.py

Writes organisation-union.png, organisation-member-history.png and organisation-reply.png into
docs/screenshots/ (or --out); the F7, F8 and 批复 PDFs go to /tmp to be looked at.
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
os.environ.setdefault("UNIONDESK_DATA_DIR", "/tmp/uniondesk-screenshots-org-data")

PASSWORD = "Shot#Desk2026"


def demo_database(folder: Path) -> Path:
    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.models import User
    from app.security.users import create_user
    from app.services.setup import init_installation

    path = folder / "uniondesk-screenshots-org.db"
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
    db.close()
    building.rename(path)
    return path


def pdfs(db, clerk, folder: Path) -> Path:
    """F7 of a transferred member, F8 of a founding, the 批复: into ``folder``; the 批复's path."""
    from sqlalchemy import select

    from app.models.organisation import Document, MembershipEvent, UnionFounding
    from app.printing.registry import PrintRequest
    from app.printing.service import print_form

    with db.read_session() as s:
        member = s.scalar(select(MembershipEvent.member_id).where(MembershipEvent.kind == "transfer_in").limit(1))
        founded = s.scalar(select(UnionFounding.id).where(UnionFounding.status == "registered").limit(1))
        reply = s.scalar(select(Document.id).where(Document.record_id == founded).order_by(Document.doc_no))
    for name, ids, out in (("member_form", [member], "f7.pdf"), ("founding_form", [founded], "f8.pdf"),
                           ("official_document", [reply], "reply.pdf")):
        print_form(db, clerk, name, PrintRequest(ids=ids), folder / out)
        print("wrote", folder / out)
    return folder / "reply.pdf"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1366x768")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = demo_database(Path("/tmp"))

    from sqlalchemy import select

    from app.db.engine import open_database
    from app.models.organisation import MembershipEvent, UnionFounding
    from app.security.users import authenticate
    from ui import workers
    from ui.context import AppContext
    from ui.main import make_application
    from ui.main_window import MainWindow

    app = make_application()
    db = open_database(path)
    clerk = authenticate(db, "zhangli", PASSWORD)
    reply = pdfs(db, clerk, Path("/tmp"))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(reply),
                    str(out / "organisation-reply")], check=True)
    print("wrote", out / "organisation-reply.png")

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

    with db.read_session() as s:
        union = s.scalar(select(UnionFounding.union_id).where(UnionFounding.status == "registered").limit(1))
        member = s.scalar(select(MembershipEvent.member_id).where(MembershipEvent.kind == "transfer_in").limit(1))
    window = MainWindow(AppContext(db, clerk))
    window.resize(width, height)
    window.show()
    page = window.navigate("organisation")
    unions = page.show_tab("units")
    settle()
    unions.tree.select(union)
    shot(window, out / "organisation-union.png")
    members = page.show_tab("members")
    form = members.list.make_form(member)
    form.resize(900, 600)
    form.tabs.setCurrentWidget(form.membership)
    form.show()
    shot(form, out / "organisation-member-history.png")
    form.done(0)
    window.quit_app()
    settle()
    db.close()


if __name__ == "__main__":
    main()
