"""Fonts for printed forms: which TrueType file serves which role, and a per-character fallback.

reportlab embeds TrueType outlines only (DESIGN.md §11). On Windows the office's own fonts are
preferred when present and embeddable: a heavy face for titles (方正小标宋 if the office installed
it, 华文中宋, 黑体) and 仿宋 / 宋体 for the body (仿宋_GB2312 and 楷体_GB2312 first). A font whose
licence flags forbid embedding is skipped (reportlab refuses it with ``TTFError``). The bundled
fallbacks: AR PL UMing (``uming.ttc``, a Song face, Arphic Public License) for every role, then
WenQuanYi Micro Hei (Apache-2.0, every common hanzi), then for rare name characters (GB 18030-2022,
CJK Extension A/B) SimSun-ExtB when Windows has it and the bundled HanaMin A/B (Hanazono Font
License). Each character is drawn from the first font of its role's chain that has its glyph
(``FontSet.pick`` returns a ``Mixed`` font when one font cannot show the whole string); a
character no font has is reported, and the print service refuses the print naming the record, the
field and the character — never a blank on paper.
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
ROLE_NAMES = {TITLE: "标题", BODY: "正文", SONG: "宋体", KAI: "楷体"}
# Bundled, in order after the office's fonts: a Song face, then the sans face with every common
# hanzi (the last resort before the rare-character fonts).
BUNDLED_SONG = ("UD-UMingCN", "uming.ttc", 0)
BUNDLED = ("UD-WQYMicroHei", "wqy-microhei.ttc", 0)
BUNDLED_RARE = (("UD-HanaMinA", "HanaMinA.ttf", 0), ("UD-HanaMinB", "HanaMinB.ttf", 0))
LIGHT = frozenset({"UD-UMingCN", "UD-WQYMicroHei"})  # titles in these are set heavier by stroking

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

    @property
    def light(self) -> bool:
        return self.name in LIGHT

    def covers(self, text: str) -> bool:
        cmap = self.cmap
        return all(ord(c) in cmap for c in text)

    def missing(self, text: str) -> set[str]:
        return {c for c in text if ord(c) not in self.cmap and not c.isspace()}


class _ChainWidths:
    """Widths of a mixed string: each character's from the font that draws it."""

    def __init__(self, mixed: Mixed):
        self.mixed = mixed

    def get(self, code: int, default=None):
        font = self.mixed.font_of(chr(code))
        return font.widths.get(code, font.default_width)


class Mixed:
    """A string no one font can show: each character from the first font of ``chain`` that has
    it (the first font when none has: that character is reported missing). Measures like a
    ``LoadedFont``; ``Surface.text`` draws it run by run."""

    def __init__(self, chain: list[LoadedFont]):
        self.chain = chain
        self.name = "+".join(f.name for f in chain)
        self.widths = _ChainWidths(self)
        self.default_width = chain[0].default_width
        self.light = chain[0].light
        self._of: dict[str, LoadedFont] = {}

    def font_of(self, c: str) -> LoadedFont:
        font = self._of.get(c)
        if font is None:
            code = ord(c)
            font = self._of[c] = next((f for f in self.chain if code in f.cmap), self.chain[0])
        return font

    def runs(self, text: str) -> list[tuple[LoadedFont, str]]:
        out: list[tuple[LoadedFont, str]] = []
        for c in text:
            font = self.font_of(c)
            if out and out[-1][0] is font:
                out[-1] = (font, out[-1][1] + c)
            else:
                out.append((font, c))
        return out


_loaded: dict[str, LoadedFont | None] = {}
_lock = threading.Lock()


def _to_unicode_cmap(fontname, subset):
    """reportlab's ToUnicode map writes a code point past U+FFFF as five hex digits, which PDF
    readers take as garbage (𠮷 extracted as ₻): write such a character as its UTF-16 pair."""
    def utf16(v: int) -> str:
        return f"{v:04X}" if v < 0x10000 else chr(v).encode("utf-16-be").hex().upper()

    text = _plain_cmap(fontname, subset)
    if all(v < 0x10000 for v in subset):
        return text
    lines = text.split("\n")
    start = lines.index(f"{len(subset)} beginbfchar") + 1
    lines[start:start + len(subset)] = [f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)]
    return "\n".join(lines)


_plain_cmap = None


def _patch_to_unicode() -> None:
    global _plain_cmap
    from reportlab.pdfbase import ttfonts

    if _plain_cmap is None:
        _plain_cmap = ttfonts.makeToUnicodeCMap
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def load_font(name: str, path: Path, subfont: int = 0) -> LoadedFont | None:
    """Register a TrueType face with reportlab once; None when it cannot be embedded or read."""
    with _lock:
        if name in _loaded:
            return _loaded[name]
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        _patch_to_unicode()
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
    """The fonts of one print job, by role, and the per-character choice among them. The
    rare-character fonts at the end of each chain are loaded only when a string needs them."""

    chains: dict[str, list[LoadedFont]]
    missing: set[str] = field(default_factory=set)  # characters no font could show
    missing_in: dict[str, str] = field(default_factory=dict)  # such a character -> a text it was in
    rare: list[tuple[str, Path, int]] = field(default_factory=list)  # loaded on first need
    _cache: dict = field(default_factory=dict, repr=False)
    _mixed: dict = field(default_factory=dict, repr=False)

    def pick(self, text: str, role: str = BODY) -> LoadedFont | Mixed:
        """The role's first font when it has every character of ``text``; else a ``Mixed`` font
        drawing each character from the first font of the chain that has it."""
        key = (text, role)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        chain = self.chains.get(role) or self.chains[BODY]
        if chain[0].covers(text):
            chosen = chain[0]
        else:
            gaps = {c for c in text if not c.isspace() and not any(ord(c) in f.cmap for f in chain)}
            if gaps and self._load_rare():
                return self.pick(text, role)
            for c in gaps:
                self.missing_in.setdefault(c, text)
            if gaps - self.missing:
                log.warning("no font has the characters %s", "".join(sorted(gaps)))
            self.missing |= gaps
            chosen = self._mixed.get(role) or self._mixed.setdefault(role, Mixed(chain))
            if len({id(chosen.font_of(c)) for c in text}) == 1:  # one font after all
                chosen = chosen.font_of(text[0]) if text else chain[0]
        if len(self._cache) < 50_000:
            self._cache[key] = chosen
        return chosen

    def _load_rare(self) -> bool:
        """Append the rare-character fonts not loaded yet to every chain; whether any was."""
        fonts = [f for f in (load_font(n, p, i) for n, p, i in self.rare) if f]
        self.rare = []
        if not fonts:
            return False
        for role, chain in self.chains.items():
            chain.extend(f for f in fonts if f not in chain)
        self._cache.clear()
        self._mixed.clear()
        return True

    def used(self) -> dict[str, list[str]]:
        """Which fonts each role's chain holds, first to last (for 关于 / 打印设置)."""
        return {role: [f"{f.name.removeprefix('UD-')}({f.path.name})" for f in chain]
                for role, chain in self.chains.items()}

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


def _bundled(candidate: tuple[str, str, int]) -> tuple[str, Path, int]:
    name, file_name, index = candidate
    return name, resources_dir() / "fonts" / file_name, index


def default_fontset(dirs: list[Path] | None = None) -> FontSet:
    """Office fonts where present and embeddable, then the bundled Song and sans faces, then the
    rare-character fonts (loaded when a string needs them). On a machine without the system fonts
    every role prints in the bundled AR PL UMing."""
    dirs = font_dirs() if dirs is None else dirs
    song = load_font(*_bundled(BUNDLED_SONG))
    bundled = [f for f in (song, bundled_font()) if f]
    rare = [(n, p, i) for n, f, i in RARE_FALLBACK if (p := _find(f, dirs))]
    chains = {}
    for role, candidates in SYSTEM_CANDIDATES.items():
        system = [f for f in (_system(c, dirs) for c in candidates) if f]
        chains[role] = system + bundled
    return FontSet(chains, rare=rare + [_bundled(c) for c in BUNDLED_RARE])


def fontset_from(chain: list[tuple[str, Path, int]]) -> FontSet:
    """A FontSet whose every role uses ``chain`` then the bundled font (tests, special forms)."""
    fonts = [f for f in (load_font(n, Path(p), i) for n, p, i in chain) if f]
    fonts.append(bundled_font())
    return FontSet({TITLE: fonts, BODY: list(fonts)})


def _system(candidate: tuple[str, str, int], dirs: list[Path]) -> LoadedFont | None:
    name, file_name, index = candidate
    path = _find(file_name, dirs)
    return load_font(name, path, index) if path else None


def font_report(fonts: FontSet | None = None) -> list[str]:
    """What prints what on this machine, one line per role (关于 / 打印设置): the office's fonts
    found, then the bundled ones, then the rare-character fonts."""
    fonts = fonts or default_fontset()
    rare = [f"{n.removeprefix('UD-')}({Path(p).name})" for n, p, _ in fonts.rare]
    return [f"{ROLE_NAMES.get(role, role)}:" + " → ".join(names + [n for n in rare if n not in names])
            for role, names in fonts.used().items()]
