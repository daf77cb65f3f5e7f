"""Pinyin keys for searching names: 张三 is found by "zhangsan" and by "zs".

Surnames with a special reading (曾 zeng, 单 shan, 解 xie, …) use it when they start the name, since
pypinyin's default reading of those characters is the common word reading.
"""

from __future__ import annotations

from functools import lru_cache

SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
    "尉": "yu", "乐": "yue", "覃": "qin", "翟": "zhai", "盖": "ge", "缪": "miao", "万": "wan",
    "黑": "he", "柏": "bai", "繁": "po", "员": "yun", "召": "shao", "冼": "xian", "长": "chang",
    "秘": "bi", "种": "chong", "洗": "xian", "折": "she", "阚": "kan", "朝": "chao", "宿": "su",
    "重": "chong", "纪": "ji", "任": "ren", "沈": "shen", "薄": "bo", "卜": "bu", "燕": "yan",
}


@lru_cache(maxsize=8192)
def char_pinyin(ch: str) -> str:
    """Pinyin of one character in lower case; non-Chinese characters are kept (lower-cased)."""
    from pypinyin import Style, lazy_pinyin  # half a second of dictionaries: not at start-up

    result = lazy_pinyin(ch, style=Style.NORMAL, errors=lambda s: s)
    return "".join(result).lower()


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a personal name, e.g. 张三 → ("zhangsan", "zs")."""
    name = "".join(name.split())
    if not name:
        return "", ""
    parts = [SURNAME_READINGS.get(name[0]) or char_pinyin(name[0])]
    parts += [char_pinyin(ch) for ch in name[1:]]
    parts = [p for p in parts if p]
    return "".join(parts), "".join(p[0] for p in parts)
