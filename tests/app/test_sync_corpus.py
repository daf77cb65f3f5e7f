"""Broken bundles are refused whole, at the step that fails, and nothing is written: truncated at
random offsets, one byte changed at random positions, a wrong or untrusted signer, another
recipient, a replay, a newer format, unsafe zip entries. The signature is checked before anything
is decrypted."""

import random
import struct
import zipfile
from pathlib import Path

import pytest

from app.sync import container, crypto, keys
from app.sync.canonical import dumps, loads
from app.sync.errors import BundleError
from tests.app.syncnet import resign

N_TRUNCATIONS = 12
N_FLIPS = 24


@pytest.fixture
def bundle(net):
    """(sender a1, receiver c, a valid bundle from a1 to c with members and an attachment)."""
    from datetime import date

    from app.services import records
    from app.sync.attachments import add_attachment
    from tests.app.syncnet import id_number, member_ids

    a, c = net["a1"], net["c"]
    with a.db.session(a.clerk) as s:
        add_attachment(s, a.clerk, "members", member_ids(a)[0], "x.pdf", b"%PDF-1.4 " + b"x" * 3000)
    with a.db.session(a.clerk) as s:
        for i in range(20):
            records.create(s, a.clerk, "member", {"name": f"测试{i}", "union_id": records.get(
                s, a.clerk, "member", member_ids(a)[0]).union_id,
                "id_number": id_number("341122", date(1970, 1, 1 + i), 101)})
    return a, c, a.send(c)


def english_in(message: str) -> list[str]:
    """Phrases of (exception) English left in a Chinese message, beyond codes, names, user names
    and commands ("File is not a zip file", "Bad CRC-32 for file …", "ValueError")."""
    import re

    text = re.sub(r"\[E_[A-Z_]+\]|\S*[/\\._]\S*|uniondesk-cli( keys [a-z-]+)?", " ", message)
    return re.findall(r"[A-Za-z]{2,}(?:[ ,:'-]+[A-Za-z0-9]+)+|[A-Za-z]*Error\b", text)


def _refused(node, path: Path) -> str:
    before = node.content_hash()
    with pytest.raises(BundleError) as exc:
        node.recv(path)
    assert node.content_hash() == before, f"database changed by refused {path.name}"
    assert not english_in(exc.value.message), exc.value.message  # the technical text: log only
    return exc.value.code


def test_a_file_that_is_not_a_bundle_is_named_for_what_it_is(net, tmp_path):
    from app.sync import service

    a, c = net["a1"], net["c"]
    card = service.export_card(a.db, a.admin, tmp_path / "a.udcard")  # picked by mistake
    text = tmp_path / "notes.udbx"
    text.write_text("会议纪要", encoding="utf-8")
    empty = tmp_path / "empty.udbx"
    empty.write_bytes(b"")
    messages = {}
    for path in (card, text, empty):
        with pytest.raises(BundleError) as exc:
            c.recv(path)
        assert not english_in(exc.value.message), exc.value.message
        messages[path.name] = exc.value
    assert messages["a.udcard"].code == "E_FORMAT"
    assert "这是密钥卡文件,不是数据包" in messages["a.udcard"].message
    assert "复制时中断" not in messages["a.udcard"].message
    assert "这不是数据包文件" in messages["notes.udbx"].message
    assert messages["empty.udbx"].code == "E_TRUNCATED" and "复制时中断" in messages["empty.udbx"].message


def test_the_technical_reason_of_a_refusal_goes_to_the_log(bundle, tmp_path):
    from app.config import logs_dir

    _a, c, path = bundle
    bad = tmp_path / "crc.udbx"
    data = bytearray(path.read_bytes())
    zf = zipfile.ZipFile(path)
    info = zf.getinfo(next(n for n in zf.namelist() if n.startswith("rows/")))
    n, e = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    data[info.header_offset + 30 + n + e + info.compress_size // 2] ^= 0x5A  # the member's data
    bad.write_bytes(data)
    assert _refused(c, bad) in {"E_HASH", "E_ZIP"}
    assert "Bad CRC-32" in (logs_dir() / "uniondesk.log").read_text(encoding="utf-8")


def test_truncated_bundles_are_refused(bundle, tmp_path):
    _a, c, path = bundle
    data = path.read_bytes()
    rng = random.Random(3)
    codes = set()
    for k, cut in enumerate(sorted(rng.sample(range(1, len(data)), N_TRUNCATIONS))):
        bad = tmp_path / f"cut{k}.udbx"
        bad.write_bytes(data[:cut])
        codes.add(_refused(c, bad))
    assert codes <= {"E_TRUNCATED", "E_ZIP", "E_HASH", "E_FORMAT", "E_UNSAFE"}
    assert "E_TRUNCATED" in codes
    c.recv(path)  # the intact file still imports


def test_one_changed_byte_anywhere_is_refused(bundle, tmp_path):
    _a, c, path = bundle
    data = bytearray(path.read_bytes())
    rng = random.Random(5)
    positions = rng.sample(range(len(data)), N_FLIPS)
    zf = zipfile.ZipFile(path)
    manifest_at = zf.getinfo("manifest.json").header_offset
    positions += [manifest_at + 60, len(data) - 30]  # inside the manifest; the zip directory
    for k, pos in enumerate(positions):
        bad = tmp_path / f"flip{k}.udbx"
        flipped = bytearray(data)
        flipped[pos] ^= 0x5A
        bad.write_bytes(flipped)
        try:
            code = _refused(c, bad)
        except AssertionError:
            raise
        except Exception as exc:  # pragma: no cover - a crash is a failure with its position
            raise AssertionError(f"byte {pos}: {exc!r}") from exc
        assert code.startswith("E_")


def test_wrong_signer_wrong_recipient_replay_and_newer_format(net, bundle, tmp_path):
    a, c, path = bundle
    b = net["b"]
    # signed by another (trusted) office while claiming to be a1
    assert _refused(c, resign(b, path, tmp_path / "b-signed.udbx", lambda m: None)) == "E_SIG_INVALID"
    # the signer is not trusted here: a card nobody confirmed
    from sqlalchemy import update

    from app.models import SyncPeer

    with c.db.session(c.admin) as s:
        s.execute(update(SyncPeer).where(SyncPeer.unit_code == "341124").values(trusted=False))
    forged = resign(b, path, tmp_path / "untrusted.udbx",
                     lambda m: m["sender"].update(sign_key_id=b.peer_id and _kid(b),
                                                  unit_code="341124", level="county"))
    assert _refused(c, forged) == "E_UNTRUSTED"
    # a bundle for county b taken to the city
    for_b = a.send(b)
    assert _refused(c, for_b) == "E_WRONG_RECIPIENT"
    # a format this program does not read yet
    newer = resign(a, path, tmp_path / "newer.udbx",
                    lambda m: m.update(format_version=2, min_reader_version=2))
    code = _refused(c, newer)
    assert code == "E_FORMAT_NEWER"
    # no readable schema version (a newer one imports: test_sync_versions.py)
    assert _refused(c, resign(a, path, tmp_path / "schema.udbx",
                               lambda m: m.update(schema_version=None))) == "E_FORMAT"
    # replay
    c.recv(path)
    assert _refused(c, path) == "E_REPLAY"


def _kid(node):
    with node.db.read_session() as s:
        s.info["root_unit_id"] = node.db.root_unit_id
        return crypto.key_id(keys.own_key(s).sign_pub)


def test_signature_is_checked_before_anything_is_decrypted(bundle, tmp_path, monkeypatch):
    _a, c, path = bundle
    bad = tmp_path / "bad.udbx"
    with zipfile.ZipFile(path) as zin, container.open_writer(bad) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "manifest.json":  # a changed manifest with the old signature
                m = loads(data)
                m["counts"]["members"]["rows"] += 1
                data = dumps(m)
            container.write_member(zout, info.filename, data)

    def boom(*a, **k):
        raise AssertionError("decryption attempted before the signature was verified")

    monkeypatch.setattr(crypto, "unwrap_key", boom)
    monkeypatch.setattr(crypto, "decrypt_chunks", boom)
    assert _refused(c, bad) == "E_SIG_INVALID"


def _zip(path: Path, entries: list[tuple[str, bytes]], compress=zipfile.ZIP_STORED, symlink=None):
    with zipfile.ZipFile(path, "w", compression=compress) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = compress
            if name == symlink:
                info.external_attr = (0o120777 << 16)
            zf.writestr(info, data)
    return path


@pytest.mark.parametrize("case", ["dotdot", "absolute", "unexpected", "symlink", "deflated",
                                  "duplicate", "many", "not-zip"])
def test_unsafe_zip_files_are_refused(net, tmp_path, case):
    import warnings

    c = net["c"]
    ok = [("manifest.json", b"{}"), ("manifest.sig", b"x" * 64)]
    p = tmp_path / f"{case}.udbx"
    if case == "dotdot":
        _zip(p, ok + [("rows/../../evil.jsonl", b"")])
    elif case == "absolute":
        _zip(p, ok + [("/etc/passwd", b"")])
    elif case == "unexpected":
        _zip(p, ok + [("readme.txt", b"")])
    elif case == "symlink":
        _zip(p, ok + [("rows/members.jsonl", b"/etc/passwd")], symlink="rows/members.jsonl")
    elif case == "deflated":
        _zip(p, ok + [("rows/members.jsonl", b"0" * 100000)], compress=zipfile.ZIP_DEFLATED)
    elif case == "duplicate":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _zip(p, ok + [("rows/members.jsonl", b""), ("rows/members.jsonl", b"")])
    elif case == "many":
        _zip(p, ok + [(f"att/{i:064x}.bin", b"") for i in range(container.MAX_ENTRIES)])
    else:
        p.write_bytes(b"PK\x03\x04 this is not a zip file at all")
    code = _refused(c, p)
    assert code in {"E_UNSAFE", "E_TRUNCATED", "E_ZIP"}
