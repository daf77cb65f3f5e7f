"""Printed forms read back as a person would: their text, their fonts, their pages, their QR code."""

import hashlib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import AppError, PermissionDenied
from app.fields.members import MEMBER
from app.models import AuditEntry, Member, Unit
from app.printing import document
from app.printing.amounts import PrintRefused, checked_total
from app.printing.forms.common import record_digest
from app.printing.forms.public_list import Person, public_notice
from app.printing.qr import build_payload, parse_payload, qr_matrix
from app.printing.registry import PrintRequest, all_forms
from app.printing.service import print_form, print_to_temp
from tests.app import pdf_tools

DAY = date(2020, 7, 10)
FULL_ID = re.compile(r"\d{17}[\dX]")


def _members(db, n=1, **where):
    with db.session() as s:  # objects stay loaded after the session ends
        q = select(Member, Unit.name).join(Unit, Unit.id == Member.union_id).where(
            Member.deleted.is_(False), *[getattr(Member, k) == v for k, v in where.items()])
        return [(m, u) for m, u in s.execute(q.order_by(Member.name).limit(n))]


def _busy_union(db, at_least):
    """(name, active members) of a township, street or system union with members under it."""
    from sqlalchemy.orm import aliased

    parent = aliased(Unit)
    with db.read_session() as s:
        return tuple(s.execute(
            select(parent.name, func.count()).select_from(Member)
            .join(Unit, Unit.id == Member.union_id).join(parent, parent.id == Unit.parent_id)
            .where(Member.status == "1", Member.deleted.is_(False), parent.kind != "county")
            .group_by(parent.id).having(func.count() >= at_least)
            .order_by(func.count()).limit(1)).one())


def test_member_form_shows_the_member_in_an_embedded_chinese_font(db, clerk, tmp_path):
    (m, union_name), = _members(db)
    out = tmp_path / "f7.pdf"
    r = print_form(db, clerk, "member_form", PrintRequest(ids=[m.id]), out, printed_on=DAY)
    assert (r.forms, r.pages) == (1, 1) and r.suggested_name == f"工会会员登记表_{m.name}_2020-07-10.pdf"
    flat = pdf_tools.squeezed(out)
    for expected in ("工会会员登记表", m.name, m.id_number, union_name, m.card_no, "编号:341122-会员-2020-0001",
                     f"{m.birth_date.year}年{m.birth_date.month}月{m.birth_date.day}日",
                     "基层工会审批意见", "(盖章)", "共1页第1页", "本表一式两份"):
        assert expected in flat, expected
    fonts = pdf_tools.fonts(out)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert any("UMingCN" in f["name"] for f in fonts)  # the bundled Song face


def test_form_found_by_card_number_or_id_number(db, clerk, tmp_path):
    (m, _), = _members(db)
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    print_form(db, clerk, "member_form", PrintRequest(ids=[m.card_no]), a, printed_on=DAY)
    print_form(db, clerk, "member_form", PrintRequest(ids=[m.id_number.lower()]), b, printed_on=DAY)
    assert a.read_bytes() == b.read_bytes()
    with pytest.raises(AppError, match="找不到"):
        print_form(db, clerk, "member_form", PrintRequest(ids=["nobody"]), a)


def test_same_input_gives_the_same_bytes(db, clerk, tmp_path):
    ids = [m.id for m, _ in _members(db, 3)]
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    print_form(db, clerk, "member_form", PrintRequest(ids=ids), a, printed_on=DAY)
    print_form(db, clerk, "member_form", PrintRequest(ids=ids), b, printed_on=DAY)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_batch_prints_every_record_into_one_pdf(db, clerk, tmp_path):
    people = _members(db, 7)
    out = tmp_path / "batch.pdf"
    r = print_form(db, clerk, "member_form", PrintRequest(ids=[m.id for m, _ in people]), out)
    assert r.forms == 7 and pdf_tools.pages(out) == 7 == r.pages
    text = pdf_tools.squeezed(out)
    assert text.count("共1页第1页") == 7
    assert all(m.name in text for m, _ in people)


def test_qr_code_on_the_page_is_the_symbol_of_the_record_payload(db, clerk, tmp_path):
    (m, _), = _members(db)
    out = tmp_path / "qr.pdf"
    print_form(db, clerk, "member_form", PrintRequest(ids=[m.id]), out)
    payload = build_payload("MEMBER", m.id, record_digest(MEMBER, m))
    decoded = parse_payload(payload)
    assert (decoded.kind, decoded.record_id) == ("member", m.id)
    expected = qr_matrix(payload)
    width, height = pdf_tools.page_size(out)
    png = pdf_tools.render(out, 1, 400, tmp_path / "page")
    seen = pdf_tools.qr_modules_on_page(png, 400, height, width - document.MARGIN_X - document.QR_SIZE,
                                        document.MARGIN_BOTTOM, document.QR_SIZE, len(expected))
    assert seen == [list(row) for row in expected]


def test_qr_payload_round_trip_and_content_hash_follows_the_record(db, clerk):
    (m, _), = _members(db)
    before = record_digest(MEMBER, m)
    payload = build_payload("member", m.id, before)
    assert payload == payload.upper() and parse_payload(payload.lower()).digest == before
    assert parse_payload("http://example.com") is None
    m.phone = "13900000000"
    assert record_digest(MEMBER, m) != before


def test_a_scanned_paper_copy_is_matched_to_its_record(db, clerk):
    from app.printing.service import match_paper
    from app.services import records

    (m, _), = _members(db)
    payload = build_payload("MEMBER", m.id, record_digest(MEMBER, m))
    found = match_paper(db, clerk, payload)
    assert (found.kind, found.record_id, found.label, found.unchanged) == ("member", m.id, m.name, True)
    with db.session(clerk) as s:
        records.update(s, clerk, "member", m.id, {"post": "新岗位"})
    assert match_paper(db, clerk, payload).unchanged is False  # changed after it was printed
    assert match_paper(db, clerk, "some other QR code") is None


def _county(db):
    """(name, active members) of the whole county: a roster of many pages whatever the demo's spread."""
    from sqlalchemy import func

    with db.read_session() as s:
        return s.get(Unit, db.root_unit_id).name, s.scalar(
            select(func.count()).select_from(Member).where(Member.status == "1", Member.deleted.is_(False)))


def test_roster_repeats_headers_with_page_subtotals_and_a_total(db, clerk, tmp_path):
    union, count = _county(db)
    out = tmp_path / "roster.pdf"
    r = print_form(db, clerk, "member_roster", PrintRequest(options={"union": union, "status": "正常"}),
                   out, printed_on=DAY)
    assert r.pages == pdf_tools.pages(out) >= 2
    assert pdf_tools.page_size(out)[0] > pdf_tools.page_size(out)[1]  # landscape
    pages = pdf_tools.text(out).split("\f")[:r.pages]
    for i, page in enumerate(pages, 1):
        flat = re.sub(r"\s+", "", page)
        assert "身份证号" in flat and f"共{r.pages}页第{i}页" in flat  # header on every page
        assert "本页小计" in flat
    subtotals = [int(n) for n in re.findall(r"本页小计\((\d+)人\)", pdf_tools.squeezed(out))]
    assert sum(subtotals) == count
    assert f"合计({count}人)" in re.sub(r"\s+", "", pages[-1])


def test_public_list_masks_id_numbers_even_for_a_clerk(db, clerk, tmp_path):
    union, count = _busy_union(db, 3)
    out = tmp_path / "gs.pdf"
    print_form(db, clerk, "public_list", PrintRequest(options={
        "union": union, "subject": "2020年度新入会会员", "window_start": "2020-07-10",
        "window_end": "2020年7月16日", "contact": "0557-1234567"}), out, printed_on=DAY)
    flat = pdf_tools.squeezed(out)
    assert "2020年度新入会会员公示" in flat
    assert "公示期自2020年7月10日起至2020年7月16日止" in flat and "0557-1234567" in flat
    assert not FULL_ID.search(flat)
    assert len(re.findall(r"\d{6}\*{8}\d{3}[\dX]", flat)) == count


def test_amounts_print_in_figures_and_words(tmp_path):
    people = [Person(f"id{i}", f"困难职工{i}", "110105194912310021"[:17] + "X", "女", "某公司",
                     "困难职工", 50000 + i) for i in range(40)]
    total = sum(p.amount_fen for p in people)
    doc = public_notice(subject="2021年春节送温暖慰问金发放", people=people, issuer="示例县总工会",
                        window_start=DAY, window_end=date(2020, 7, 16), category_title="类别",
                        contact="0557-6100000",
                        amount_title="慰问金(元)", declared_total=total)
    out = tmp_path / "money.pdf"
    document.render_pdf([doc], out, title="t")
    flat = pdf_tools.squeezed(out)
    t = checked_total(total)
    assert t.words == "人民币贰万零柒元捌角" and t.figures == "¥20,007.80"  # 2,000,780 fen
    assert f"合计金额(大写):{t.words}" in flat and f"(小写){t.figures}" in flat
    assert "本页小计" in flat and "500.39" in flat


def test_a_total_that_does_not_add_up_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    people = [Person("a", "甲", amount_fen=100), Person("b", "乙", amount_fen=250)]
    kw = dict(subject="测试", people=people, issuer="县总工会", window_start=DAY, window_end=DAY,
              amount_title="金额(元)", contact="0557-6100000")
    with pytest.raises(PrintRefused, match="明细之和不一致"):
        public_notice(**kw, declared_total=300)
    from app.printing import amounts

    with monkeypatch.context() as mp:
        mp.setattr(amounts, "amount_in_words", lambda fen: "叁元陆角")  # a wrong 大写 of 3.50
        with pytest.raises(PrintRefused, match="大写与小写不一致"):
            public_notice(**kw)
    # The page subtotals are checked against the total while the pages are drawn: a table whose
    # total was altered after it was built stops the print, and no file is left behind.
    many = [Person(str(i), f"人{i}", amount_fen=1000 + i) for i in range(80)]
    doc = public_notice(**{**kw, "people": many})
    table = next(b for b in doc.blocks if hasattr(b, "grand_totals"))
    col = next(iter(table.grand_totals))
    table.grand_totals[col] = checked_total(table.grand_totals[col].fen + 100)
    with pytest.raises(PrintRefused, match="各页小计之和与合计不一致"):
        document.render_pdf([doc], tmp_path / "x.pdf", title="t")
    assert not list(tmp_path.iterdir())


def test_every_print_is_audited(db, clerk, tmp_path):
    ids = [m.id for m, _ in _members(db, 2)]
    print_form(db, clerk, "member_form", PrintRequest(ids=ids), tmp_path / "a.pdf")
    preview = print_to_temp(db, clerk, "member_form", PrintRequest(ids=ids[:1]))
    assert preview.path.is_file() and preview.path.suffix == ".pdf"
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "print")
                            .order_by(AuditEntry.seq)).all()
    assert [e.summary for e in entries] == ["打印工会会员登记表 2 份,共 2 页",
                                            "预览工会会员登记表 1 份,共 1 页"]
    assert all(i in entries[0].detail for i in ids) and entries[0].username == "clerk"


def test_printing_needs_the_export_permission(db, actors, tmp_path):
    (m, _), = _members(db)
    for role in ("readonly", "auditor", "admin"):
        with pytest.raises(PermissionDenied):
            print_form(db, actors[role], "member_form", PrintRequest(ids=[m.id]), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_registry_names_are_ascii_and_unique():
    forms = all_forms()
    assert {"member_form", "member_roster", "public_list"} <= {f.name for f in forms}
    assert all(f.name.isascii() and f.title and not f.title.isascii() for f in forms)
    assert next(f for f in forms if f.name == "public_list").public


def test_safe_stem_makes_names_windows_accepts():
    from app.printing.forms.common import STEM_MAX, safe_stem

    assert safe_stem("困难职工档案表", "张三") == "困难职工档案表_张三"
    assert safe_stem("住院发票 1/2: 县医院", "a\tb") == "住院发票 1-2- 县医院_a-b"
    assert safe_stem("发票 ", "副本. ") == "发票 _副本"  # Windows drops a trailing dot or space
    long = safe_stem("说明" * 100)
    assert len(long) == STEM_MAX and safe_stem("") == "_"
