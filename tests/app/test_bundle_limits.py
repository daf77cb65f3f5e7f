"""Issue 14 point 4, bundle part: plain (decompressed) sizes are capped per member, per bundle and
per line; lines are read in linear time; an oversized member is refused from the signed manifest
before anything is decrypted, an oversized line as soon as the cap is passed. The caps are module
constants, patched small here; the large run is ``benchmarks/bench_bundle_limits.py``."""

import random

import pytest

from app.sync import importer
from app.sync.errors import BundleError
from app.sync.export import BundleShape
from tests.app.syncnet import member_ids, resign

SYNC_COLUMNS = ["id", "owner_unit_id", "created_at", "created_by", "updated_at", "updated_by",
                "revision", "vv", "deleted"]


def _pieces(data: bytes, rng: random.Random):
    i = 0
    while i < len(data):
        n = rng.randint(1, 40)
        yield data[i:i + n]
        i += n


def test_lines_are_the_same_whatever_the_pieces():
    rng = random.Random(14)
    text = b"".join(b"[%d,\"%s\"]\n" % (i, b"x" * rng.randint(0, 90)) for i in range(300))
    for _ in range(20):
        got = [line for _, lines in importer._lines(_pieces(text, rng), "rows/t.jsonl") for line in lines]
        assert got == text.split(b"\n")[:-1]
    numbers = [first for first, _ in importer._lines(iter([b"a\nb\n", b"c\n"]), "rows/t.jsonl")]
    assert numbers == [0, 2]


def test_a_line_past_the_cap_is_refused_as_soon_as_the_cap_is_passed(monkeypatch):
    monkeypatch.setattr(importer, "MAX_LINE", 1000)
    read = []

    def endless():  # a member that never ends a line: 100 bytes at a time, forever
        while True:
            read.append(100)
            yield b"a" * 100

    with pytest.raises(BundleError) as exc:
        list(importer._lines(endless(), "rows/members.jsonl"))
    assert exc.value.code == "E_ROWS" and "第 1 行超过 1,000 字节" in exc.value.message
    assert sum(read) <= 1100  # refused early, not after reading everything
    with pytest.raises(BundleError):  # a long line inside a piece, and one left at a piece's end
        list(importer._lines(iter([b"ok\n" + b"b" * 1001 + b"\nok\n"]), "rows/members.jsonl"))
    with pytest.raises(BundleError):
        list(importer._lines(iter([b"ok\n" + b"b" * 1001]), "rows/members.jsonl"))
    assert [ls for _, ls in importer._lines(iter([b"c" * 1000 + b"\n"]), "x")] == [[b"c" * 1000]]


def test_a_line_held_over_many_pieces_comes_out_whole(monkeypatch):
    """The old reader joined the held part of a line with every new piece (quadratic); the parts
    are now kept in a list and joined once (the time is measured in the benchmark, not here)."""
    monkeypatch.setattr(importer, "MAX_LINE", 1 << 20)
    pieces = [b"d" * 1000] * 500 + [b"\n"]
    out = list(importer._lines(iter(pieces), "x"))
    assert out == [(0, [b"d" * 500_000])]


def _huge_row(n: int) -> list:
    return ["4c1f7a52-0000-4000-8000-000000000001", None, "2026-12-01 08:00:00.000000", "clerk",
            "2026-12-01 08:00:00.000000", "clerk", 1, '{"dev-x":1}', 0, "长" * n]


def test_a_bundle_with_a_line_past_the_cap_is_refused_unchanged(net, monkeypatch):
    a, c = net["a1"], net["c"]
    shape = BundleShape(schema_version="0099_future",
                        tables={"union_awards": (SYNC_COLUMNS + ["title"], [_huge_row(5000)])})
    path = a.send(c, shape=shape)
    monkeypatch.setattr(importer, "MAX_LINE", 4096)
    before = c.content_hash()
    with pytest.raises(BundleError) as exc:
        c.recv(path)
    assert exc.value.code == "E_ROWS" and "rows/union_awards.jsonl 第 1 行超过 4,096 字节" in exc.value.message
    assert c.content_hash() == before
    monkeypatch.setattr(importer, "MAX_LINE", 1 << 20)  # the same bundle within the cap
    assert c.recv(path).applied


@pytest.mark.parametrize("cap, size", [("MAX_PLAIN_MEMBER", 200), ("MAX_PLAIN_TOTAL", 2000),
                                       ("MAX_ATTACHMENT", 2000)])
def test_a_member_declaring_more_than_the_cap_is_refused_before_decryption(net, monkeypatch, cap, size):
    from app.sync import crypto
    from app.sync.attachments import add_attachment

    a, c = net["a1"], net["c"]
    with a.db.session(a.clerk) as s:
        add_attachment(s, a.clerk, "members", member_ids(a)[0], "x.pdf", b"%PDF-1.4 " + b"z" * 3000)
    path = a.send(c)
    monkeypatch.setattr(importer, cap, size)

    def no_decrypt(*args, **kwargs):
        raise AssertionError("decrypted a member past the cap")

    monkeypatch.setattr(crypto, "decrypt_chunks", no_decrypt)
    monkeypatch.setattr(crypto, "unwrap_key", no_decrypt)
    before = c.content_hash()
    with pytest.raises(BundleError) as exc:
        c.recv(path)
    assert exc.value.code == "E_UNSAFE" and f"超过上限 {size:,} 字节" in exc.value.message
    assert "未读取其内容" in exc.value.message
    assert c.content_hash() == before


def test_a_member_decompressing_past_its_declared_size_is_refused(net, tmp_path):
    a, c = net["a1"], net["c"]
    path = a.send(c)

    def smaller(m):
        next(x for x in m["members"] if x.get("table") == "members")["plain_size"] = 100

    forged = resign(a, path, tmp_path / "forged.udbx", smaller)
    before = c.content_hash()
    with pytest.raises(BundleError) as exc:
        c.recv(forged)
    assert exc.value.code == "E_ROWS" and "多于清单所载" in exc.value.message
    assert c.content_hash() == before
