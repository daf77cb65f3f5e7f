"""Benchmark: N printed forms into one PDF, beside bare reportlab drawing the same pages.

The engine run is the whole use case (``print_form``: read the records, lay out every form, draw,
write the PDF, audit). The bare baseline then draws exactly the same primitives — every string in
the same font at the same place, every line, box and QR code — recorded from the engine, straight
onto a reportlab canvas with the same settings; the QR codes by reportlab's own QrCodeWidget. So the
ratio is what the layout engine (wrapping, fitting, fonts per string, pagination) costs on top of
reportlab itself.

Each case is one form of one area; hardship adds its forms (``archive_form``, F1) to ``CASES``, and
the paper every register gets from its declaration has two: ``relief_entry_card`` (the generated
record card, one a record) and ``hardship_visit_list`` (the generated list: every visit of a county
on one list, header repeated on each page, page subtotals).

    python benchmarks/bench_print.py [--forms 1000] [--case member_form]
"""

from __future__ import annotations

import argparse
import shutil

from _common import Clock, clerk, fresh_db, peak_rss_mb, ratio_line, temp_dir


def member_ids(db, n: int) -> list[str]:
    from sqlalchemy import select

    from app.models import Member

    with db.read_session() as s:
        return list(s.scalars(select(Member.id).order_by(Member.name).limit(n)))


def setup_members(db, admin, n: int):
    from app.demo.generator import generate

    generate(db, admin, members=max(n, 1000), seed=1)
    return "member_form", member_ids(db, n)


def setup_archives(db, admin, n: int):
    """A demo county with about ``n`` households at every stage (the demo files one household per
    50 members), their F1 档案表 by name: every household's two pages with its family table."""
    from sqlalchemy import select

    from app.demo.generator import generate
    from app.models import HardshipArchive

    generate(db, admin, members=max(n, 40) * 50, seed=1)
    with db.read_session() as s:
        ids = list(s.scalars(select(HardshipArchive.id).where(HardshipArchive.deleted.is_(False))
                             .order_by(HardshipArchive.name, HardshipArchive.id).limit(n)))
    return "archive_form", ids


def setup_relief_cards(db, admin, n: int):
    """``n`` relief payments of a demo county (it pays about one a 24 members), each on the
    generated 救助发放登记表."""
    from sqlalchemy import select

    from app.demo.generator import generate
    from app.models import ReliefEntry

    generate(db, admin, members=max(n * 24, 1000), seed=1)
    with db.read_session() as s:
        ids = list(s.scalars(select(ReliefEntry.id).order_by(ReliefEntry.paid_on, ReliefEntry.id)
                             .limit(n)))
    return "relief_entry_card", ids


def setup_visit_list(db, admin, n: int):
    """``n`` × 4 走访慰问 records (generated from the register's declaration into a demo county) on
    one generated 走访慰问名单: header repeated on every page, page subtotals, the total."""
    import random

    from app.demo.generator import generate
    from app.kit.register import register
    from app.kit.samples import SampleRun, sample_values
    from app.services import records

    generate(db, admin, members=1000, seed=1)
    actor, reg, rng = clerk(db, admin, "bench_writer"), register("hardship_visit"), random.Random(1)
    for start in range(0, n * 4, 500):
        with db.session(actor) as s:
            run = SampleRun.open(s, rng)  # one run per batch: the people and references it picks from
            for _ in range(min(500, n * 4 - start)):
                records.create(s, actor, reg, sample_values(s, reg, rng, run=run))
    return "hardship_visit_list", {}


# form -> setup(db, admin, n): ids of a record form's records, or a list form's options
CASES = {"member_form": setup_members, "archive_form": setup_archives,
         "relief_entry_card": setup_relief_cards, "hardship_visit_list": setup_visit_list}


def qr_by_encoder(c, payload: str, x: float, y: float, size: float) -> None:
    """The cheapest bare way: reportlab's QR encoder, dark runs filled as one path."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    n = code.getModuleCount()
    box = size / (n + 4)
    path = c.beginPath()
    for r, row in enumerate(code.modules):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(x + (start + 2) * box, y + size - (r + 3) * box, (col - start) * box, box)
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)


def replay(ops: list, path, *, qr: str = "encoder") -> None:
    """Draw recorded primitives on a bare reportlab canvas; QR codes by the encoder drawn as
    rectangles (``encoder``) or by reportlab's QrCodeWidget (``widget``)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    font = None
    for op in ops:
        kind = op[0]
        if kind == "text":
            _, name, size, x, y, text, align = op
            if font != (name, size):
                c.setFont(name, size)
                font = (name, size)
            if align == "center":
                c.drawCentredString(x, y, text)
            elif align == "right":
                c.drawRightString(x, y, text)
            else:
                c.drawString(x, y, text)
        elif kind == "line":
            _, x1, y1, x2, y2, w = op
            c.setLineWidth(w)
            c.line(x1, y1, x2, y2)
        elif kind == "rect":
            _, x, y, w, h, lw, fill, stroke = op
            c.setLineWidth(lw)
            c.rect(x, y, w, h, stroke=int(stroke), fill=int(fill))
        elif kind == "qr" and qr == "encoder":
            qr_by_encoder(c, *op[1:])
        elif kind == "qr":
            _, payload, x, y, size = op
            widget = QrCodeWidget(payload, barLevel="M", barBorder=2, barWidth=size, barHeight=size)
            d = Drawing(size, size)
            d.add(widget)
            renderPDF.draw(d, c, x, y)
        elif kind == "page":
            c.showPage()
            font = None
        elif kind == "size":
            c.setPageSize(op[1])
    c.save()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--forms", type=int, default=1000)
    ap.add_argument("--case", choices=sorted(CASES), action="append")
    args = ap.parse_args()
    from app.printing.document import render_pdf
    from app.printing.registry import PrintRequest
    from app.printing.service import build_docs, print_form

    for case in args.case or sorted(CASES):
        folder = temp_dir()
        db, admin = fresh_db(folder)
        form, chosen = CASES[case](db, admin, args.forms)
        request = PrintRequest(options=chosen) if isinstance(chosen, dict) else PrintRequest(ids=chosen)
        actor = clerk(db, admin)
        warm = request if isinstance(chosen, dict) else PrintRequest(ids=chosen[:5])
        print_form(db, actor, form, warm, folder / "warm.pdf")  # fonts loaded
        with Clock() as ours:
            result = print_form(db, actor, form, request, folder / "engine.pdf")
        _, docs, _ = build_docs(db, actor, form, request)
        ops: list = []
        render_pdf(docs, folder / "recorded.pdf", title=form, recorder=ops)
        bare = {}
        for mode in ("encoder", "widget"):
            with Clock() as bare[mode]:
                replay(ops, folder / f"bare-{mode}.pdf", qr=mode)
        size = (folder / "engine.pdf").stat().st_size / 1e6
        print(f"{case}: {result.forms:,} forms, {result.pages:,} pages ({size:.1f} MB), "
              f"{len(ops):,} primitives, peak RSS {peak_rss_mb():,.0f} MB")
        print(ratio_line("  engine vs bare (QR by reportlab's encoder, drawn as rectangles)",
                         ours, bare["encoder"], result.pages, "pages", 1.5))
        print(ratio_line("  engine vs bare (QR by reportlab's QrCodeWidget)",
                         ours, bare["widget"], result.pages, "pages", 1.5))
        db.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
