"""uniondesk-cli keys … and bundle … end to end, as an office would use them."""

import json

import pytest

from app.cli.main import main
from tests.conftest import PASSWORDS


@pytest.fixture
def files(net, monkeypatch):
    a, c = net["a1"], net["c"]
    paths = {"a": a.path, "c": c.path, "dir": a.path.parent.parent}
    a.close(), c.close()
    monkeypatch.setenv("UNIONDESK_PASSWORD", PASSWORDS["admin"])
    return paths


def run(capsys, db, *args):
    code = main(["--db", str(db), "--user", "admin", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_keys_and_bundle_commands(files, capsys, tmp_path):
    code, out, _ = run(capsys, files["a"], "keys", "show", "--json")
    info = json.loads(out)
    assert code == 0 and info["unit_code"] == "341122" and len(info["keys"]["fingerprint"]) == 39
    assert {p["unit_code"] for p in info["peers"]} == {"341122", "341124", "341100"}
    card = tmp_path / "a.udcard"
    assert run(capsys, files["a"], "keys", "export-card", "--out", str(card))[0] == 0
    code, _, err = run(capsys, files["c"], "keys", "trust", str(card), "--fingerprint", "0000")
    assert code != 0 and "指纹不一致" in err
    code, out, _ = run(capsys, files["c"], "keys", "trust", str(card), "--fingerprint",
                       info["keys"]["fingerprint"])
    assert code == 0 and "已信任" in out

    stick = tmp_path / "stick"
    stick.mkdir()
    code, out, _ = run(capsys, files["a"], "bundle", "export", "--to", "341100", "--out", str(stick))
    assert code == 0 and "第 1 号增量数据包" in out
    bundle = next(stick.glob("*.udbx"))
    code, out, _ = run(capsys, files["c"], "bundle", "inspect", str(bundle))
    assert code == 0 and "签名正确" in out and '"bundle_id"' in out

    before = files["c"].read_bytes()
    code, out, _ = run(capsys, files["c"], "bundle", "import", str(bundle), "--dry-run")
    assert code == 0 and "试导入报告" in out and "会员" in out
    code, out, _ = run(capsys, files["c"], "bundle", "import", str(bundle))
    assert code == 0 and "导入结果" in out
    assert files["c"].read_bytes() != before
    code, _, err = run(capsys, files["c"], "bundle", "import", str(bundle))
    assert code != 0 and "E_REPLAY" in err

    code, out, _ = run(capsys, files["c"], "bundle", "receipt", "--out", str(stick))
    assert code == 0 and "回执" in out
    receipt = next(p for p in stick.glob("*receipt*.udbx"))
    code, out, _ = run(capsys, files["a"], "bundle", "import", str(receipt), "--dry-run")
    assert code == 0 and "回执" in out
    code, out, _ = run(capsys, files["a"], "bundle", "import", str(receipt))
    assert code == 0 and "对方已收到第 1 号" in out

    code, _, err = run(capsys, files["a"], "bundle", "export", "--to", "999999", "--out", str(stick))
    assert code != 0 and "没有已信任的单位" in err


def test_a_refused_bundle_exits_non_zero_and_names_the_step(files, capsys, tmp_path):
    bad = tmp_path / "bad.udbx"
    bad.write_bytes(b"PK\x03\x04truncated")
    code, _, err = run(capsys, files["c"], "bundle", "import", str(bad))
    assert code != 0 and "[E_" in err


@pytest.mark.parametrize("group", ["keys", "bundle"])
def test_help_texts(capsys, group):
    with pytest.raises(SystemExit) as exc:
        main([group, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert ("export-card" in out and "trust" in out) if group == "keys" else \
        all(c in out for c in ("export", "import", "inspect", "receipt"))
