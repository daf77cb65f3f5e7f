"""Screenshots of issue 12's desk fixes, on the demonstration database of ``take.py``:

- ``desk-member-form-errors``: a new member saved with a wrong ID number and a wrong 入会日期 —
  the reasons on their reserved lines, the bottom line naming the fields, the first one focused;
- ``desk-members``: the member list (masked ID numbers whole, newest-first dated lists);
- ``desk-import-report``: the Excel import report with a long reason wrapped and 保存问题清单;
- ``desk-calendar``: a date field's calendar with 一 二 三 … ;
- ``desk-archive-waiting``: an archive's form saying whose step it waits for and since when, the
  strip highlighting that step;
- ``desk-member-lookup`` and ``desk-archive-from-member``: a new archive started from a member —
  the lookup (numbers masked) and the form filled in from the member register.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take_desk.py [--members 2000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("UNIONDESK_FAST_KDF", "1")
os.environ.setdefault("UNIONDESK_DATA_DIR", "/tmp/uniondesk-screenshots-data")


def main() -> None:
    from take import PASSWORD, demo_database

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--members", type=int, default=2_000)
    args = ap.parse_args()
    out = Path(args.out)
    path = demo_database(args.members)

    from openpyxl import load_workbook
    from PySide6.QtTest import QTest

    from app.db.engine import open_database
    from app.excel.template import write_template
    from app.security.users import authenticate
    from ui import workers
    from ui.context import AppContext
    from ui.dialogs.excel_import import ImportWizard
    from ui.main import make_application
    from ui.main_window import MainWindow

    app = make_application()
    db = open_database(path)

    def settle(rounds: int = 6) -> None:
        for _ in range(rounds):
            app.processEvents()
            workers.wait_for_jobs(20_000)
        QTest.qWait(150)

    def shot(widget, name: str) -> None:
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        print("wrote", out / f"{name}.png")

    clerk = authenticate(db, "zhangli", PASSWORD)
    ctx = AppContext(db, clerk)
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    page = window.navigate("organisation")
    members = page.tab("members").list
    shot(window, "desk-members")

    form = members.make_form(None)
    form.resize(900, 600)
    form.show()
    settle()
    form.cells["name"].editor.line.setText("张三")
    form.cells["id_number"].editor.line.setText("34112219900101123X")
    form.cells["joined_on"].editor.input.setText("2026-13-40")
    form.save_button.click()
    shot(form, "desk-member-form-errors")
    form.cells["joined_on"].editor.date_line.open_calendar()
    settle()
    form.cells["joined_on"].editor.date_line.calendar.grab().save(str(out / "desk-calendar.png"))
    print("wrote", out / "desk-calendar.png")
    form.cells["joined_on"].editor.date_line.calendar.hide()
    form.done(0)

    folder = Path(tempfile.mkdtemp(prefix="uniondesk-desk-shots-"))
    template = write_template(db, clerk, "members", folder / "会员导入.xlsx")
    book = load_workbook(template)
    sheet = book["会员"]
    headers = [str(c.value or "").lstrip("*") for c in sheet[2]]
    rows = [{"姓名": "李四", "身份证号": "110105194912310021", "所属基层工会": "城关镇某某公司工会"},
            {"姓名": "王五", "身份证号": "11010519491231002X",
             "所属基层工会": "一个很长很长的基层工会名称用来看原因是否完整显示有限责任公司工会委员会"},
            {"姓名": "赵六", "身份证号": "110105195001010012", "入会日期": "2026年13月1日"}]
    for r, values in enumerate(rows, 3):
        for label, value in values.items():
            sheet.cell(r, headers.index(label) + 1, value)
    book.save(template)
    wizard = ImportWizard(ctx, "members", window)
    wizard.resize(820, 560)
    wizard.show()
    wizard.check(template)
    shot(wizard, "desk-import-report")
    wizard.done(0)

    from sqlalchemy import select

    from app.models import HardshipArchive
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    with db.read_session() as s:
        waiting = s.scalar(select(HardshipArchive.id).where(HardshipArchive.status == "township_ok",
                                                            HardshipArchive.deleted.is_(False)))
    if waiting:
        archive = ArchiveFormDialog(ctx, waiting, window)
        archive.resize(1100, 700)
        archive.show()
        shot(archive, "desk-archive-waiting")
        archive.done(0)

    # starting an archive from a member: the lookup (numbers masked), then the filled-in form
    from app.models import Member
    from ui.widgets.member_picker import MemberPickerDialog

    with db.read_session() as s:
        member = s.execute(select(Member.id, Member.phone).where(
            Member.deleted.is_(False), Member.status == "1", Member.phone.like("1%"),
            Member.id_number.notin_(select(HardshipArchive.id_number))).limit(1)).first()
    if member:
        picker = MemberPickerDialog(ctx, window)
        picker.show()
        picker.search.setText(member.phone[-4:])
        picker.find()
        shot(picker, "desk-member-lookup")
        picker.done(0)
        fresh = ArchiveFormDialog(ctx, None, window)
        fresh.resize(1100, 700)
        fresh.show()
        fresh.fill_from_member(member.id)
        settle()
        fresh.scroll.verticalScrollBar().setValue(fresh.cells["name"].parentWidget().y() - 8)  # 基本信息
        shot(fresh, "desk-archive-from-member")
        fresh.done(0)
    window.quit_app()
    settle()


if __name__ == "__main__":
    main()
