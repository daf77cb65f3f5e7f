"""Every printed form — hand-laid and generated — prints from the template database into a valid PDF
whose fonts are all embedded and whose text holds its title and every field label it prints; a
record form's QR code finds its record again; a public copy never shows an unmasked ID, phone or
bank number of the records it prints.

A form is printed for the first live record of its kind, or — a list form — with the options it
declares for a demo database (``FormDef.sample_options``); a register with no records yet (the
test-only area) gets a few generated ones first."""

from __future__ import annotations

import re

import pytest

from tests.app import pdf_tools
from tests.contract.conftest import make_record


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _records_exist(db, actors, kind: str, rng) -> None:
    from sqlalchemy import func, select

    from app.kit.register import find

    reg = find(kind)
    if reg is None:
        return
    actor = actors["clerk"] if actors["clerk"].can(reg.write) else actors["admin"]
    table = reg.spec.model.__table__
    with db.read_session() as s:
        live = s.scalar(select(func.count()).select_from(table).where(table.c.deleted.is_(False)))
    for _ in range(0 if live else 3):
        make_record(db, actor, kind, rng)


def _request(db, fd):
    from sqlalchemy import select

    from app.fields.registry import spec
    from app.printing.registry import PrintRequest

    with db.read_session() as s:
        if fd.is_list:
            return PrintRequest(options=fd.sample_options(s) if fd.sample_options else {})
        table = spec(fd.record_kind).model.__table__
        first = s.scalar(select(table.c.id).where(table.c.deleted.is_(False))
                         .order_by(table.c.id).limit(1))
    assert first is not None, f"no {fd.record_kind} to print {fd.name} for"
    return PrintRequest(ids=[first])


def _printed(db, actor, name: str, request, path):
    """(form, documents) as ``print_form`` builds them, drawn into ``path``."""
    from app.printing.document import render_pdf
    from app.printing.service import build_docs

    fd, docs, _ = build_docs(db, actor, name, request)
    result = render_pdf(docs, path, title=fd.title)
    assert result.pages == pdf_tools.pages(path) >= 1
    return fd, docs


def _drawn(blocks):
    """(titles, labels) a form's blocks print: Title texts, grid label and opinion captions, list
    column headers."""
    from app.printing.blocks import Title
    from app.printing.grid import Grid
    from app.printing.listtable import ListTable

    titles, labels = [], []
    for b in blocks:
        if isinstance(b, Title):
            titles.append(b.text)
        elif isinstance(b, Grid):
            labels += [c.text.removeprefix("*") for row in b.rows for c in row
                       if c.kind in ("label", "opinion") and c.text]
        elif isinstance(b, ListTable):
            labels += [c.title for c in b._s.columns]
        t, ls = _drawn(getattr(b, "blocks", ()))
        titles, labels = titles + t, labels + ls
    return titles, labels


def _declared_labels(fd) -> list[str]:
    """The field labels a generated form promises: every field on a card, every column of a list."""
    from app.kit.register import find
    from app.printing.record_list import fields_of

    reg = find(fd.record_kind)
    if fd.name == f"{fd.record_kind}_card":
        return [f.label for f in reg.spec.fields]
    if fd.name == f"{fd.record_kind}_list":
        return [f.label for f in fields_of(reg)]
    return []


def _sensitive(db, kind: str, ids) -> set[str]:
    """The full ID, phone and bank numbers the printed records hold."""
    from sqlalchemy import select

    from app.fields.registry import spec
    from app.fields.spec import Mask

    s_ = spec(kind)
    keys = [f.key for f in s_.fields if f.mask in (Mask.ID, Mask.PHONE, Mask.BANK)]
    if not keys:
        return set()
    table = s_.model.__table__
    with db.read_session() as s:
        rows = s.execute(select(*(table.c[k] for k in keys)).where(table.c.id.in_(list(ids)))).all()
    return {str(v) for row in rows for v in row if v}


def test_every_form_prints_embedded_with_its_title_and_labels(db, actors, form_name, rng, tmp_path):
    from app.printing.registry import form
    from app.printing.service import match_paper

    clerk = actors["clerk"]
    fd = form(form_name)
    _records_exist(db, actors, fd.record_kind, rng)
    out = tmp_path / f"{form_name}.pdf"
    fd, docs = _printed(db, clerk, form_name, _request(db, fd), out)
    fonts = pdf_tools.fonts(out)
    assert fonts and all(f["emb"] == "yes" for f in fonts), [f["line"] for f in fonts]
    text = pdf_tools.squeezed(out, raw=True)
    titles, labels = _drawn(docs[0].blocks)
    assert titles  # a 公示 words its title from its subject: the form's title is its kind
    assert fd.title in "".join(titles) or not _declared_labels(fd)
    missing = [x for x in [*titles, *labels, *_declared_labels(fd)] if _squeeze(x) not in text]
    assert not missing, missing
    if not fd.is_list:  # the QR code on the paper names the record it was printed for
        found = match_paper(db, clerk, docs[0].qr_payload)
        assert (found.kind, found.record_id, found.unchanged) == (fd.record_kind, docs[0].record_ids[0], True)


def test_a_public_copy_masks_every_number_it_prints(db, actors, form_name, rng, tmp_path):
    from app.printing.registry import PUBLIC_COPY, form

    fd = form(form_name)
    if not fd.public and PUBLIC_COPY not in fd.options:
        pytest.skip(f"{fd.title} has no public copy")
    _records_exist(db, actors, fd.record_kind, rng)
    request = _request(db, fd)
    request.options.setdefault(PUBLIC_COPY.dest, True)
    assert fd.public_copy(request.options)
    out = tmp_path / "public.pdf"
    _, docs = _printed(db, actors["clerk"], form_name, request, out)  # a role that may reveal
    numbers = _sensitive(db, fd.record_kind, [i for d in docs for i in d.record_ids])
    text = pdf_tools.squeezed(out)
    assert not [n for n in numbers if n in text]


def test_every_register_prints_a_card_and_a_list_and_no_two_alike(register_key):
    """A register gets a record form and a list form: its area's hand-laid ones, else generated —
    never a generated one beside a hand-laid one of the same shape."""
    from app.printing.registry import forms_for

    forms = forms_for(register_key)
    for is_list, generated in ((False, f"{register_key}_card"), (True, f"{register_key}_list")):
        names = [f.name for f in forms if f.is_list == is_list]
        assert names and (names == [generated] or generated not in names), names
