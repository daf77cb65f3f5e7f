"""Fonts for printed forms: which TrueType file serves which role, and a per-string fallback.

reportlab embeds TrueType outlines only (DESIGN.md §11). The bundled WenQuanYi Micro Hei
(``resources/fonts/wqy-microhei.ttc``, Apache-2.0) has every common hanzi, Latin and digits, so it
is always the last resort. On Windows the office's own fonts are preferred when present and
embeddable: a heavy face for titles (方正小标宋 if the office installed it, 华文中宋, 黑体) and
仿宋 / 宋体 for the body. A font whose licence flags forbid embedding is skipped (reportlab refuses
it with ``TTFError``). Each string is checked against the chosen font's character map; a string the
font cannot show falls back to the next font of the chain that can (rare name characters in
SimSun-ExtB, for instance), and characters no font has are reported, never printed as boxes silently.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from app.config import resources_dir

log = logging.getLogger(__name__)

TITLE, BODY, SONG, KAI = "title", "body", "song", "kai"  # roles a form may ask for
BUNDLED = ("UD-WQYMicroHei", "wqy-microhei.ttc", 0)

# (reportlab name, file name, subfont index) by role, most preferred first. Names are unique so
# several faces can be registered side by side.
SYSTEM_CANDIDATES: dict[str, tuple[tuple[str, str, int], ...]] = {
    TITLE: (
        ("UD-FZXiaoBiaoSong", "FZXBSJW.TTF", 0),  # 方正小标宋简体 (installed by the office)
        ("UD-FZXiaoBiaoSong2", "方正小标宋简体.ttf", 0),
        ("UD-STZhongsong", "STZHONGS.TTF", 0),  # 华文中宋 (ships with MS Office)
        ("UD-SimHei", "simhei.ttf", 0),  # 黑体
    ),
    BODY: (
        ("UD-FangSongGB2312", "仿宋_GB2312.ttf", 0),
        ("UD-FangSongGB2312b", "SIMFANG_GB2312.TTF", 0),
        ("UD-FangSong", "simfang.ttf", 0),  # 仿宋
        ("UD-SimSun", "simsun.ttc", 0),  # 宋体
    ),
    SONG: (("UD-SimSun", "simsun.ttc", 0),),
    KAI: (("UD-KaiTiGB2312", "楷体_GB2312.ttf", 0), ("UD-KaiTi", "simkai.ttf", 0)),  # 楷体
}
# Tried after the bundled font, for characters outside it (GB 18030 rare name characters).
RARE_FALLBACK = (("UD-SimSunExtB", "simsunb.ttf", 0),)


def font_dirs() -> list[Path]:
    """Where to look for system fonts: ``UNIONDESK_FONT_DIRS`` (os.pathsep-separated), then on
    Windows the system and the per-user fonts folders."""
    dirs = [Path(p) for p in os.environ.get("UNIONDESK_FONT_DIRS", "").split(os.pathsep) if p]
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        if local := os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _find(file_name: str, dirs: list[Path]) -> Path | None:
    for d in dirs:
        for candidate in (d / file_name, d / file_name.lower(), d / file_name.upper()):
            if candidate.is_file():
                return candidate
    return None


@dataclass
class LoadedFont:
    name: str
    path: Path
    cmap: dict  # code point -> glyph
    widths: dict  # code point -> width in 1/1000 em
    default_width: float
    ascent: float
    descent: float

    def covers(self, text: str) -> bool:
        cmap = self.cmap
        return all(ord(c) in cmap for c in text)

    def missing(self, text: str) -> set[str]:
        return {c for c in text if ord(c) not in self.cmap and not c.isspace()}


_loaded: dict[str, LoadedFont | None] = {}
_lock = threading.Lock()


def load_font(name: str, path: Path, subfont: int = 0) -> LoadedFont | None:
    """Register a TrueType face with reportlab once; None when it cannot be embedded or read."""
    with _lock:
        if name in _loaded:
            return _loaded[name]
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        try:
            font = TTFont(name, str(path), subfontIndex=subfont)
        except (TTFError, OSError, ValueError) as exc:  # no embedding allowed, CFF outlines, damaged
            log.info("font %s (%s) not usable: %s", name, path, exc)
            _loaded[name] = None
            return None
        pdfmetrics.registerFont(font)
        face = font.face
        loaded = LoadedFont(name, path, face.charToGlyph, face.charWidths, face.defaultWidth,
                            face.ascent, face.descent)
        _loaded[name] = loaded
        return loaded


@dataclass
class FontSet:
    """The fonts of one print job, by role, and the per-string choice among them."""

    chains: dict[str, list[LoadedFont]]
    missing: set[str] = field(default_factory=set)  # characters no font could show
    _cache: dict = field(default_factory=dict, repr=False)

    def pick(self, text: str, role: str = BODY) -> LoadedFont:
        """The first font of the role's chain that has every character of ``text``."""
        key = (text, role)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        chain = self.chains.get(role) or self.chains[BODY]
        chosen = next((f for f in chain if f.covers(text)), None)
        if chosen is None:  # no single font has all: take the one missing least, and say so
            chosen = min(chain, key=lambda f: len(f.missing(text)))
            gaps = chosen.missing(text)
            if gaps:
                self.missing |= gaps
                log.warning("no font has the characters %s", "".join(sorted(gaps)))
        if len(self._cache) < 50_000:
            self._cache[key] = chosen
        return chosen

    def primary(self, role: str = BODY) -> LoadedFont:
        return (self.chains.get(role) or self.chains[BODY])[0]


def bundled_font() -> LoadedFont:
    name, file_name, index = BUNDLED
    path = resources_dir() / "fonts" / file_name
    font = load_font(name, path, index)
    if font is None:
        from app.errors import AppError

        raise AppError(f"找不到打印字体 {path},请重新安装本程序")
    return font


def default_fontset(dirs: list[Path] | None = None) -> FontSet:
    """Office fonts where present and embeddable, then the bundled font, then the rare-character
    fallback. On a machine without the system fonts every role uses the bundled font."""
    dirs = font_dirs() if dirs is None else dirs
    bundled = bundled_font()
    rare = [f for f in (_system(c, dirs) for c in RARE_FALLBACK) if f]
    chains = {}
    for role, candidates in SYSTEM_CANDIDATES.items():
        system = [f for f in (_system(c, dirs) for c in candidates) if f]
        chains[role] = system + [bundled] + rare
    return FontSet(chains)


def fontset_from(chain: list[tuple[str, Path, int]]) -> FontSet:
    """A FontSet whose every role uses ``chain`` then the bundled font (tests, special forms)."""
    fonts = [f for f in (load_font(n, Path(p), i) for n, p, i in chain) if f]
    fonts.append(bundled_font())
    return FontSet({TITLE: fonts, BODY: fonts})


def _system(candidate: tuple[str, str, int], dirs: list[Path]) -> LoadedFont | None:
    name, file_name, index = candidate
    path = _find(file_name, dirs)
    return load_font(name, path, index) if path else None
