"""A person's name (姓名): the characters it may hold.

A Chinese name is Han characters (rare ones of the extension planes too); a minority or foreign
name adds the separating dot (·, and the look-alikes ‧ • ・ people type for it), Latin or other
letters, spaces, a hyphen, an apostrophe or a full stop. A digit is tolerated after the first
letter (offices tell namesakes apart with 张伟2). Nothing else: a value that starts with ``=``,
``+``, ``-`` or ``@``, or holds brackets, quotes, commas or other symbols — what a spreadsheet
formula such as ``=HYPERLINK(...)`` needs — is not a name, on a form, in an Excel import or in a
bundle's row.
"""

from __future__ import annotations

import re
import unicodedata

MSG_NAME = ("只能由汉字或字母组成(少数民族和外国人姓名可用间隔号“·”、空格或连字符),"
            "不能以符号开头,也不能含有 = + @ 括号、引号等符号")

_HAN_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·]+")
_SEPARATORS = frozenset("·‧•・ -'’.")


def person_name_problem(name: str) -> str | None:
    """The message when ``name`` (already cleaned) holds a character no name has, else None."""
    if _HAN_ONLY.fullmatch(name) and name[0] != "·":
        return None  # the common case, in one C-level match
    first = True
    for ch in name:
        cat = unicodedata.category(ch)
        if first:
            if cat[0] != "L":
                return MSG_NAME
            first = False
            continue
        if cat[0] in "LM" or cat == "Nd" or ch in _SEPARATORS:
            continue
        return MSG_NAME
    return None
