"""The 文号 register: 机关代字〔年份〕N号 per series and year, never reused, given only on the PC that
numbers the series; two office PCs (``tests/app/syncnet.py``: a1, a2) that number at once — one
took the numbering over while the other still numbered — are caught at exchange, queued, and
one document is renumbered on the numbering PC, so no two live documents share a 文号."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationFailed
from app.models import SyncConflict
from app.models.organisation import Document
from app.services import records
from app.services.organisation import documents
from app.sync import service


def _series(node, code: str = "示工") -> str:
    with node.db.session(node.clerk) as s:
        series = records.create(s, node.clerk, documents.SERIES, {"code": code, "name": "县总工会发文"})
        documents.take_over(s, node.clerk, series.id, f"{node.name}电脑")
        return series.id


def _doc(node, series_id: str, title: str, *, number: bool = True, on: str = "2026-03-02") -> tuple[str, str | None]:
    with node.db.session(node.clerk) as s:
        doc = records.create(s, node.clerk, documents.REGISTER, {
            "series_id": series_id, "doc_kind": "03", "title": title, "signed_on": on})
        if number:
            documents.number(s, node.clerk, doc.id)
        return doc.id, doc.doc_no


def _numbers(node) -> dict[str, str]:
    with node.db.read_session() as s:
        return dict(s.execute(select(Document.id, Document.doc_no).where(
            Document.deleted.is_(False), Document.doc_no.is_not(None))).all())


def test_numbers_run_per_series_and_year_and_are_never_reused(net):
    a1 = net["a1"]
    main, office = _series(a1, "示工"), _series(a1, "示工办")
    assert _doc(a1, main, "关于甲的批复")[1] == "示工〔2026〕1号"
    first_id, second = _doc(a1, main, "关于乙的批复")
    assert second == "示工〔2026〕2号"
    assert _doc(a1, office, "办公室通知")[1] == "示工办〔2026〕1号"
    assert _doc(a1, main, "去年的文件", on="2025-12-30")[1] == "示工〔2025〕1号"
    with a1.db.session(a1.clerk) as s:
        records.void(s, a1.clerk, documents.REGISTER, first_id)  # the number stays with it
    assert _doc(a1, main, "关于丙的批复")[1] == "示工〔2026〕3号"
    with a1.db.session(a1.clerk) as s, pytest.raises(ValidationFailed, match="已有机关代字"):
        records.create(s, a1.clerk, documents.SERIES, {"code": "示工", "name": "重复"})


def test_only_the_numbering_pc_gives_numbers(net):
    a1, a2 = net["a1"], net["a2"]
    series = _series(a1)
    a2.recv(a1.send(a2))
    doc, _ = _doc(a2, series, "在第二台电脑登记的文件", number=False)
    with a2.db.session(a2.clerk) as s, pytest.raises(PermissionDenied, match="只在编号电脑“a1电脑”上编号"):
        documents.number(s, a2.clerk, doc)
    a1.recv(a2.send(a1))  # the document goes to the numbering PC, is numbered there, comes back
    with a1.db.session(a1.clerk) as s:
        assert documents.number(s, a1.clerk, doc).doc_no == "示工〔2026〕1号"
    a2.recv(a1.send(a2))
    assert _numbers(a2) == {doc: "示工〔2026〕1号"}


def test_two_pcs_numbering_at_once_never_leave_two_documents_alike(net):
    a1, a2 = net["a1"], net["a2"]
    series = _series(a1)
    x, _ = _doc(a1, series, "甲")
    a2.recv(a1.send(a2))
    with a2.db.session(a2.clerk) as s:  # a2 takes the numbering over while a1 is still in use …
        documents.take_over(s, a2.clerk, series, "a2电脑")
    y, no_y = _doc(a2, series, "乙")
    z, no_z = _doc(a1, series, "丙")  # … and a1, not yet knowing, numbers too
    assert no_y == no_z == "示工〔2026〕2号"
    a2.recv(a1.send(a2))
    [view] = service.conflicts(a2.db, a2.clerk)
    assert view.kind == "number" and view.kind_label == "文号重复" and view.row_id == z
    old, new = service.resolve_number(a2.db, a2.clerk, view.id, "renumber_incoming")
    assert (old, new) == ("示工〔2026〕2号", "示工〔2026〕3号")
    a1.recv(a2.send(a1))
    a2.recv(a1.send(a2))
    for node in (a1, a2):
        numbers = _numbers(node)
        assert numbers == {x: "示工〔2026〕1号", y: no_y, z: new}
        assert len(set(numbers.values())) == len(numbers)
        with node.db.read_session() as s:
            assert not s.scalars(select(SyncConflict).where(SyncConflict.kind == "number",
                                                            SyncConflict.status == "open")).all()
    assert _doc(a2, series, "丁")[1] == "示工〔2026〕4号"  # the numbering goes on above
