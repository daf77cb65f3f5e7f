"""Issue 13, points 3 and 4: official-looking fonts, and names with rare characters (GB 18030-2022:
CJK Extension A 䶮, Extension B 𠮷) entered, listed, exported, bundled and printed — each character
from the first font of its chain that has it, and a print refused (naming the record, the field and
the character) when no font has one. Names are generated around well-known rare characters."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.excel.export import export_kind
from app.models import Member, Unit
from app.printing.amounts import PrintRefused
from app.printing.registry import PrintRequest
from app.printing.service import print_form
from app.services import listing, records
from tests.app import pdf_tools

RARE = {"刘䶮": "110101199003070011", "𠮷丽": "110101199003070038"}  # Ext A; Ext B (U+20BB7)
NO_FONT = "王\U00030000"  # CJK Extension G: no bundled font has it


def _add(db, actor, names: dict[str, str]) -> dict[str, str]:
    with db.session(actor) as s:
        union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots").limit(1))
        return {name: records.create(s, actor, "member", {"name": name, "id_number": number,
                                                          "union_id": union}).id
                for name, number in names.items()}


def test_rare_names_are_entered_listed_exported_and_printed(db, clerk, tmp_path):
    ids = _add(db, clerk, RARE)
    with db.read_session() as s:
        assert {m.name for m in s.scalars(select(Member).where(Member.id.in_(ids.values())))} == set(RARE)
        for name in RARE:  # listed: found by the list's search
            page = listing.fetch_page(s, clerk, listing.ListQuery.of("member", search=name))
            assert any(name in row.texts for row in page.rows), name
    out = tmp_path / "m.xlsx"
    export_kind(db, clerk, "members", out)
    cells = {c for row in load_workbook(out).worksheets[0].iter_rows(values_only=True) for c in row}
    assert set(RARE) <= cells
    pdf = tmp_path / "f7.pdf"
    print_form(db, clerk, "member_form", PrintRequest(ids=list(ids.values())), pdf)
    text = pdf_tools.squeezed(pdf)
    assert all(name in text for name in RARE), text[:200]
    faces = {f["name"].split("+")[-1] for f in pdf_tools.fonts(pdf)}
    assert all(f["emb"] == "yes" for f in pdf_tools.fonts(pdf))
    assert {"HanaMinB"} & faces or {"HanaMinA"} & faces, faces  # 𠮷 from a rare-character font
    assert any(f.startswith("UMingCN") for f in faces)  # the body in the bundled Song face, not one sans font for everything


def test_a_character_no_font_has_refuses_the_print_naming_record_field_and_character(db, clerk, tmp_path):
    rid = _add(db, clerk, {NO_FONT: "110101199003070054"})[NO_FONT]
    pdf = tmp_path / "f7.pdf"
    with pytest.raises(PrintRefused) as exc:
        print_form(db, clerk, "member_form", PrintRequest(ids=[rid]), pdf)
    message = str(exc.value)
    assert "会员" in message and "“姓名”" in message and "\U00030000" in message
    assert not pdf.exists()


def test_office_fonts_are_preferred_by_role_with_the_bundled_song_face_behind_them(tmp_path):
    """Windows font files found at run time (here copies named as Windows names them): 华文中宋 for
    titles when 方正小标宋 is absent, 仿宋_GB2312 before 仿宋 for the body; the bundled UMing
    after them; the choice is what 关于 shows."""
    import shutil

    from app.config import resources_dir
    from app.printing import fonts

    bundled = resources_dir() / "fonts" / "wqy-microhei.ttc"
    for name in ("STZHONGS.TTF", "仿宋_GB2312.ttf", "simfang.ttf"):
        shutil.copyfile(bundled, tmp_path / name)
    chosen = fonts.default_fontset([tmp_path])
    assert [f.name for f in chosen.chains[fonts.TITLE]][:2] == ["UD-STZhongsong", "UD-UMingCN"]
    assert [f.name for f in chosen.chains[fonts.BODY]][:3] == ["UD-FangSongGB2312", "UD-FangSong",
                                                              "UD-UMingCN"]
    report = fonts.font_report(chosen)
    assert report[0].startswith("标题:STZhongsong(STZHONGS.TTF) → UMingCN(uming.ttc)")
    assert "HanaMinB(HanaMinB.ttf)" in report[1]
