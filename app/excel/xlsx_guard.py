"""Refuse a hostile .xlsx before openpyxl parses it: checked with constant memory, in linear time,
from the zip's own directory and one streaming pass over its XML parts.

- Each member's declared plain size is capped (``MAX_MEMBER_BYTES``), and so is their sum
  (``MAX_TOTAL_BYTES``): Python's zipfile never reads past a member's declared size, so a bomb is
  refused from the directory alone, before a byte is inflated.
- No text run between two tags may exceed what a cell can hold (Excel's limit is 32,767
  characters; ``MAX_TEXT_BYTES`` allows for UTF-8 and escaped characters): one 400 MB cell is
  refused after its first few hundred kilobytes, instead of being parsed into memory.
- A document type declaration (DTD, ``<!DOCTYPE``/``<!ENTITY``) is refused: Excel never writes one,
  and entities are how XML is made to explode or to read other files. XML not in UTF-8 (Excel always
  writes UTF-8) is refused too, so the check cannot be dodged by another encoding.

Every refusal is an ``AppError`` in Chinese naming the file, never the content.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.errors import AppError

CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_TEXT_BYTES = CELL_CHARS * 10 + 1024  # per character: UTF-8 (≤ 4 bytes) or a reference (&#128512;)
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
CHUNK = 1024 * 1024
_DECLARATIONS = (b"!DOCTYPE", b"!ENTITY")
_HEAD = max(map(len, _DECLARATIONS))
_NOT_UTF8 = (b"\xff\xfe", b"\xfe\xff", b"\x00")


def _refuse(path: Path, why: str) -> AppError:
    return AppError(f"无法导入 {path.name}:{why}。请用 Excel 或 WPS 打开后另存为 .xlsx,或使用本程序的导入模板")


def check_xlsx(path: Path | str) -> None:
    """Raise AppError when ``path`` is a zip this app will not hand to the XML parser; a file that
    is not a zip at all is left to the reader's own message."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with zf:
        infos = zf.infolist()
        total = 0
        for info in infos:
            if info.file_size > MAX_MEMBER_BYTES:
                raise _refuse(path, f"其中一部分解压后超过 {MAX_MEMBER_BYTES // 2**20} MB,超出导入上限")
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _refuse(path, f"解压后共超过 {MAX_TOTAL_BYTES // 2**20} MB,超出导入上限,请拆分文件")
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                _scan(zf, info, path)


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """One pass over a member: a text run longer than a cell, a DTD or a non-UTF-8 encoding."""
    try:
        member = zf.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError):
        return  # encrypted or damaged: the reader says so
    run = 0  # bytes of the current part (since the last "<", or the start)
    head = None  # the first bytes of the current part when it follows a "<" (None: it does not)
    first = True
    with member:
        while True:
            try:
                chunk = member.read(CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                return  # damaged: the reader says so
            if not chunk:
                return
            if first and chunk.startswith(_NOT_UTF8):
                raise _refuse(path, "其中的 XML 不是 UTF-8 编码,不是 Excel 保存的文件")
            first = False
            parts = chunk.split(b"<")
            if head is not None and len(head) < _HEAD:  # a "<" ended the last chunk
                if (head + parts[0]).startswith(_DECLARATIONS):
                    raise _dtd(path)
            if any(b"<" + d in chunk for d in _DECLARATIONS):  # one C search each, not one per tag
                raise _dtd(path)
            run += len(parts[0])
            if len(parts) > 1:
                if run > MAX_TEXT_BYTES or max(map(len, parts[1:-1]), default=0) > MAX_TEXT_BYTES:
                    break
                run, head = len(parts[-1]), parts[-1][:_HEAD]
            elif head is not None:
                head = (head + parts[0])[:_HEAD]
            if run > MAX_TEXT_BYTES:
                break
    raise _refuse(path, f"有单元格的内容超过 {CELL_CHARS:,} 个字符(Excel 单元格的上限)")


def _dtd(path: Path) -> AppError:
    return _refuse(path, "文件中含有文档类型声明(DTD),Excel 保存的文件没有这种内容,可能是特意构造的")
