"""The ``.udbx`` file: a zip (STORED) holding ``manifest.json``, ``manifest.sig`` and encrypted
members, and the safety checks every file passes before anything in it is trusted.

Zip safety (CVE-2019-9674 and friends): only expected names (``rows/<table>.jsonl``,
``att/<sha256>.bin``, the manifest and its signature); no absolute paths, ``..``, backslashes,
duplicates, symlinks, encrypted or compressed entries (STORED only, so no deflate bombs); caps on
the number of entries and on every size. Entries are read by name, never extracted.
"""

from __future__ import annotations

import hashlib
import re
import stat
import struct
import zipfile
from pathlib import Path

from app.errors import os_error_text
from app.sync.canonical import loads
from app.sync.errors import BundleError

FORMAT = "uniondesk-bundle"
FORMAT_VERSION = 1  # what this program writes
READER_VERSION = 1  # the newest min_reader_version this program can read
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
NAME_RE = re.compile(r"^(manifest\.json|manifest\.sig|rows/[a-z][a-z0-9_]{0,39}\.jsonl|"
                     r"att/[0-9a-f]{64}\.bin)$")
MAX_ENTRIES = 20_000
MAX_MANIFEST = 8 << 20
MAX_MEMBER = 8 << 30
MAX_TOTAL = 16 << 30


class HashingWriter:
    """Counts and hashes what goes through to ``out`` (a zip member being written)."""

    def __init__(self, out):
        self.out, self.sha, self.size = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.size += len(data)
        self.out.write(data)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def open_writer(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True)


def write_member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    zf.writestr(info, data)


def member_stream(zf: zipfile.ZipFile, name: str):
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    return zf.open(info, "w", force_zip64=True)


_DOS_2020 = (0, (2020 - 1980) << 9 | 1 << 5 | 1)


def _sizes_ok(csize, usize, extra, info, offset) -> bool:
    """Sizes (and the directory's offset) as plain fields or in one ZIP64 extra record."""
    want = [info.file_size, info.compress_size]
    plain = [usize, csize]
    z64 = []
    if extra:
        if len(extra) < 4:
            return False
        tag, n = struct.unpack("<HH", extra[:4])
        if tag != 1 or n != len(extra) - 4 or n % 8:
            return False
        z64 = list(struct.unpack(f"<{n // 8}Q", extra[4:]))
    fields = plain + ([offset] if offset is not None else [])
    wants = want + ([info.header_offset] if offset is not None else [])
    for value, expected in zip(fields, wants):
        if value == 0xFFFFFFFF:
            if not z64 or z64.pop(0) != expected:
                return False
        elif value != expected:
            return False
    return not z64


def not_a_bundle(path: Path) -> str | None:
    """What a file that is not a zip at all is, when it is plainly something else (a key card, a
    recovery key file, any other file picked by mistake); None when it may be a cut-off bundle."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(256)
    except OSError:
        return None
    if not head or head.startswith(b"PK"):
        return None  # empty or a zip's start: cut off while copying
    start = head.lstrip()
    if start.startswith(b'{"card"'):
        return ("这是密钥卡文件,不是数据包。密钥卡在 数据交换 → 信任的单位 → 导入对方密钥卡 中导入"
                "(命令行:uniondesk-cli keys trust 文件);数据包的文件名以 .udbx 结尾")
    if b"uniondesk-recovery-key" in head:
        return ("这是市级恢复密钥文件,不是数据包(命令行 uniondesk-cli keys import-recovery 导入);"
                "数据包的文件名以 .udbx 结尾")
    return "这不是数据包文件:请选择对方导出的数据包或回执(文件名以 .udbx 结尾)"


class BundleReader:
    """A bundle file opened for checking: names and sizes are safe, the manifest is parsed."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.zf = zipfile.ZipFile(path, "r")
        except zipfile.BadZipFile as exc:
            if (other := not_a_bundle(path)) is not None:
                raise BundleError("E_FORMAT", other, technical=exc) from None
            code = "E_TRUNCATED" if "not a zip file" in str(exc) or "Truncated" in str(exc) else "E_ZIP"
            raise BundleError(code, "文件不完整或已损坏:可能复制时中断,请从对方的U盘重新复制",
                              technical=exc) from None
        except OSError as exc:
            raise BundleError("E_IO", f"无法读取文件:{os_error_text(exc)}", technical=exc) from None
        except Exception as exc:  # a damaged directory makes zipfile raise almost anything
            raise BundleError("E_ZIP", "压缩包结构已损坏:请重新复制", technical=exc) from None
        try:
            self._check_entries()
        except BaseException:
            self.zf.close()
            raise

    def _check_entries(self) -> None:
        infos = self.zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise BundleError("E_UNSAFE", f"压缩包中的文件过多({len(infos)} 个)")
        seen, total = set(), 0
        for info in infos:
            name = info.filename
            if name in seen:
                raise BundleError("E_UNSAFE", f"压缩包中有重名的文件 {name!r}")
            seen.add(name)
            if not NAME_RE.match(name) or ".." in name or name.startswith("/") or "\\" in name:
                raise BundleError("E_UNSAFE", f"压缩包中有不应出现的文件 {name[:80]!r}")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise BundleError("E_UNSAFE", f"压缩包中有符号链接 {name!r}")
            if info.flag_bits & 0x1:
                raise BundleError("E_UNSAFE", f"压缩包中的文件 {name!r} 经过压缩包加密,不是本程序生成的")
            if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
                raise BundleError("E_UNSAFE", f"压缩包中的文件 {name!r} 经过压缩,不是本程序生成的")
            if info.file_size > (MAX_MANIFEST if name == MANIFEST else MAX_MEMBER):
                raise BundleError("E_UNSAFE", f"压缩包中的文件 {name!r} 过大")
            total += info.file_size
        if total > MAX_TOTAL:
            raise BundleError("E_UNSAFE", "压缩包内容总量过大")
        for required in (MANIFEST, SIGNATURE):
            if required not in seen:
                raise BundleError("E_FORMAT", f"数据包缺少 {required}")
        self.names = seen
        try:
            self._check_layout(infos)
        except (struct.error, OSError, ValueError) as exc:
            raise BundleError("E_ZIP", "压缩包结构已损坏:请重新复制", technical=exc) from None

    def _check_layout(self, infos) -> None:
        """Every byte of the file belongs to a checked structure: local headers agree with the
        central directory, entries follow each other with no gap, the directory and its end record
        hold only the values this program writes. With the members' hashes in the signed
        manifest, a change of any single byte is refused."""
        def bad(what):
            raise BundleError("E_ZIP", f"压缩包结构与本程序写入的不符({what}):文件被改动或已损坏")

        with open(self.path, "rb") as fh:
            size = fh.seek(0, 2)
            pos = 0
            locals_ = {}
            for info in sorted(infos, key=lambda i: i.header_offset):
                if info.header_offset != pos:
                    bad("条目之间有多余数据")
                fh.seek(pos)
                head = fh.read(30)
                (sig, ver, flags, method, t, d, crc, csize, usize, nlen,
                 xlen) = struct.unpack("<4sHHHHHLLLHH", head)
                name = fh.read(nlen)
                extra = fh.read(xlen)
                if sig != b"PK\x03\x04" or name != info.filename.encode("ascii") or method != 0 \
                        or flags != 0 or (t, d) != _DOS_2020 or crc != info.CRC:
                    bad(f"{info.filename} 的本地头")
                if not _sizes_ok(csize, usize, extra, info, None):
                    bad(f"{info.filename} 的大小")
                locals_[info.filename] = ver
                pos += 30 + nlen + xlen + info.compress_size
            if pos != self.zf.start_dir:
                bad("目录位置")
            fh.seek(pos)
            for info in infos:
                head = fh.read(46)
                (sig, cver, csys, ver, _r, flags, method, t, d, crc, csize, usize, nlen, xlen,
                 clen, disk, iattr, eattr, offset) = struct.unpack("<4sBBBBHHHHLLLHHHHHLL", head)
                name = fh.read(nlen)
                extra = fh.read(xlen)
                if sig != b"PK\x01\x02" or name != info.filename.encode("ascii") or csys not in (0, 3) \
                        or cver != ver or ver != locals_.get(info.filename) or ver not in (20, 45) \
                        or flags != 0 or method != 0 or (t, d) != _DOS_2020 or crc != info.CRC \
                        or clen or disk or iattr or eattr not in (0, 0o600 << 16) or _r:
                    bad(f"{info.filename} 的目录项")
                if not _sizes_ok(csize, usize, extra, info, offset):
                    bad(f"{info.filename} 的目录项大小")
            end = fh.tell()
            tail = fh.read()
        if len(tail) >= 22 + 56 + 20 and tail[:4] == b"PK\x06\x06":
            z64, loc, eocd = tail[:56], tail[56:76], tail[76:]
            (_s, _n, _v1, _v2, d1, d2, n1, n2, cd_size, cd_off) = struct.unpack("<4sQHHLLQQQQ", z64)
            (lsig, ldisk, lpos, ltotal) = struct.unpack("<4sLQL", loc)
            if d1 or d2 or n1 != n2 or n1 != len(infos) or cd_off != pos or cd_size != end - pos \
                    or lsig != b"PK\x06\x07" or ldisk or lpos != end or ltotal != 1 or _n != 44:
                bad("ZIP64 结束记录")
        else:
            eocd = tail
        if len(eocd) != 22:
            bad("结束记录")
        (sig, d1, d2, n1, n2, cd_size, cd_off, clen) = struct.unpack("<4sHHHHLLH", eocd)
        if sig != b"PK\x05\x06" or d1 or d2 or clen or n1 != n2 or \
                (n1 != len(infos) and n1 != 0xFFFF) or (cd_off != pos and cd_off != 0xFFFFFFFF) \
                or (cd_size != end - pos and cd_size != 0xFFFFFFFF) or size != end + len(tail):
            bad("结束记录")

    def read_small(self, name: str, limit: int) -> bytes:
        try:
            with self.zf.open(name) as fh:
                data = fh.read(limit + 1)
        except Exception as exc:  # damaged header, bad CRC, cut-off data
            raise BundleError("E_ZIP", f"{name} 已损坏,无法读取:文件在复制中出错或被改动,请重新复制",
                              technical=exc) from None
        if len(data) > limit:
            raise BundleError("E_UNSAFE", f"{name} 过大")
        return data

    def manifest(self) -> tuple[bytes, dict, bytes]:
        raw = self.read_small(MANIFEST, MAX_MANIFEST)
        sig = self.read_small(SIGNATURE, 256)
        try:
            doc = loads(raw)
        except ValueError:
            raise BundleError("E_FORMAT", "清单不是有效的 JSON") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise BundleError("E_FORMAT", "这不是工会工作台的数据包")
        try:
            min_reader = int(doc.get("min_reader_version", 0))
        except (TypeError, ValueError):
            raise BundleError("E_FORMAT", "清单中的版本号无效") from None
        if min_reader > READER_VERSION:
            raise BundleError("E_FORMAT_NEWER", f"数据包格式版本 {doc.get('format_version')} 较新,"
                              f"需要 {min_reader} 版及以上的读取程序:请先升级本程序再导入")
        return raw, doc, sig

    def check_hashes(self, members: list[dict]) -> None:
        """Every member listed, no member unlisted, each SHA-256 as signed."""
        listed = {m["name"] for m in members}
        if listed | {MANIFEST, SIGNATURE} != self.names:
            extra = sorted(self.names - listed - {MANIFEST, SIGNATURE})
            missing = sorted(listed - self.names)
            raise BundleError("E_HASH", f"数据包内容与清单不符(多出 {extra[:3]},缺少 {missing[:3]})")
        for m in members:
            h, size = hashlib.sha256(), 0
            try:
                with self.zf.open(m["name"]) as fh:
                    while block := fh.read(1 << 20):
                        h.update(block)
                        size += len(block)
            except Exception as exc:  # damaged header, bad CRC, cut-off data
                raise BundleError("E_HASH", f"{m['name']} 已损坏:文件在复制中出错或被改动,请重新复制",
                                  technical=exc) from None
            if size != m["size"] or h.hexdigest() != m["sha256"]:
                raise BundleError("E_HASH", f"{m['name']} 的校验值与清单不符:文件在传递中被改动或损坏")

    def open_member(self, name: str):
        return self.zf.open(name)

    def close(self) -> None:
        self.zf.close()
