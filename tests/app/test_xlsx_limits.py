"""A hostile .xlsx is refused with a Chinese message before openpyxl parses it: a DTD, a cell
longer than Excel allows, a member whose declared plain size is over the cap."""

import zipfile

import pytest
from openpyxl import Workbook

from app.errors import AppError
from app.excel import xlsx_guard
from app.excel.importer import check_file
from tests.app.test_cli import cli
from tests.conftest import PASSWORDS


def _book(path, name="王测试"):
    wb = Workbook()
    ws = wb.active
    ws.title = "会员"
    ws.append(["会员名单"])
    ws.append(["姓名", "身份证号"])
    ws.append([name, "110101199003070011"])
    wb.save(path)
    return path


def _rewrite(path, member, change):
    """The same zip with one member's bytes changed."""
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            zf.writestr(info.filename, change(data) if info.filename == member else data)
    return path


def _with_dtd(data: bytes) -> bytes:
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    if not data.startswith(b"<?xml"):
        return dtd + data
    head, rest = data.split(b"?>", 1)
    return head + b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + rest


def _no_parsing(monkeypatch):
    import openpyxl

    def refuse(*a, **k):
        raise AssertionError("the file reached the XML parser")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_dtd_is_refused_before_parsing(db, clerk, tmp_path, monkeypatch):
    path = _rewrite(_book(tmp_path / "dtd.xlsx"), "xl/worksheets/sheet1.xml", _with_dtd)
    _no_parsing(monkeypatch)
    with pytest.raises(AppError, match="文档类型声明"):
        check_file(db, clerk, "members", path)


def test_a_dtd_split_across_read_chunks_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "CHUNK", 7)
    path = _rewrite(_book(tmp_path / "dtd.xlsx"), "xl/worksheets/sheet1.xml", _with_dtd)
    with pytest.raises(AppError, match="DTD"):
        xlsx_guard.check_xlsx(path)


def test_the_cli_answers_a_dtd_with_a_message_not_exit_70(db_path, tmp_path):
    path = _rewrite(_book(tmp_path / "dtd.xlsx"), "xl/worksheets/sheet1.xml", _with_dtd)
    r = cli("--db", db_path, "--user", "clerk", "excel", "import", "members", path,
            password=PASSWORDS["clerk"])
    assert r.returncode not in (0, 70), r.stderr
    assert "文档类型声明" in r.stderr and "Traceback" not in r.stderr


def test_a_cell_longer_than_excel_allows_is_refused_early(db, clerk, tmp_path, monkeypatch):
    big = b"A" * (xlsx_guard.CELL_CHARS * 12)  # openpyxl itself writes at most 32,767 characters
    path = _rewrite(_book(tmp_path / "big.xlsx", name="BIGCELL"), "xl/worksheets/sheet1.xml",
                    lambda d: d.replace(b"BIGCELL", big))
    _no_parsing(monkeypatch)
    with pytest.raises(AppError, match="32,767 个字符"):
        check_file(db, clerk, "members", path)


def test_a_member_declared_over_the_cap_is_refused_from_the_directory(tmp_path, monkeypatch):
    path = _book(tmp_path / "bomb.xlsx")
    monkeypatch.setattr(xlsx_guard, "MAX_MEMBER_BYTES", 100)
    reads = []
    monkeypatch.setattr(xlsx_guard, "_scan", lambda *a: reads.append(a))
    with pytest.raises(AppError, match="超出导入上限"):
        xlsx_guard.check_xlsx(path)
    assert reads == []  # nothing inflated


def test_the_total_declared_size_is_capped(tmp_path, monkeypatch):
    path = _book(tmp_path / "many.xlsx")
    monkeypatch.setattr(xlsx_guard, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(AppError, match="请拆分文件"):
        xlsx_guard.check_xlsx(path)


def test_utf16_xml_is_refused(tmp_path):
    path = _rewrite(_book(tmp_path / "u16.xlsx"), "xl/worksheets/sheet1.xml",
                    lambda d: d.decode("utf-8").replace("UTF-8", "UTF-16").encode("utf-16"))
    with pytest.raises(AppError, match="UTF-8"):
        xlsx_guard.check_xlsx(path)


def test_an_ordinary_workbook_passes(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "CHUNK", 5)
    xlsx_guard.check_xlsx(_book(tmp_path / "ok.xlsx", name="王" * xlsx_guard.CELL_CHARS))
