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


def test_an_account_made_with_user_add_exchanges_data(files, capsys, tmp_path, monkeypatch):
    """As the README says: the administrator adds a clerk, the clerk changes the password at first
    login and exports a bundle. The admin's login password unlocks the key that grants the slot."""
    db = str(files["a"])
    assert run(capsys, files["a"], "user", "add", "xiaowang", "--role", "clerk",
               "--password", "Init#Pass2027")[0] == 0
    code, out, err = run(capsys, files["a"], "user", "add", "xiaozhao", "--role", "readonly",
                         "--password", "Init#Pass2027")
    assert code == 0 and "(角色:只读)" in out and err == ""
    monkeypatch.setenv("UNIONDESK_PASSWORD", "Init#Pass2027")
    assert main(["--db", db, "--user", "xiaowang", "user", "passwd", "xiaowang",
                 "--new-password", "Own#Secret2027"]) == 0
    monkeypatch.setenv("UNIONDESK_PASSWORD", "Own#Secret2027")
    stick = tmp_path / "stick"
    stick.mkdir()
    capsys.readouterr()
    code = main(["--db", db, "--user", "xiaowang", "bundle", "export", "--to", "341100",
                 "--out", str(stick)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "数据包" in out.out and next(stick.glob("*.udbx"))


def test_an_account_without_a_slot_is_told_what_to_do(files, capsys, monkeypatch):
    import sqlite3

    c = sqlite3.connect(files["a"])  # an administrator whose own slot is missing
    c.execute("DELETE FROM sync_key_slots WHERE user_id = (SELECT id FROM users WHERE username = 'admin')")
    c.commit()
    c.close()
    code, out, err = run(capsys, files["a"], "user", "add", "xiaowang", "--role", "clerk",
                         "--password", "Init#Pass2027")
    assert code == 0 and "已新增用户 xiaowang(角色:经办人)" in out
    assert err.startswith("警告:") and "您(admin)本人还没有本单位密钥的使用权限" in err
    monkeypatch.setenv("UNIONDESK_PASSWORD", "Init#Pass2027")
    assert main(["--db", str(files["a"]), "--user", "xiaowang", "user", "passwd", "xiaowang",
                 "--new-password", "Own#Secret2027"]) == 0
    monkeypatch.setenv("UNIONDESK_PASSWORD", "Own#Secret2027")
    capsys.readouterr()
    code = main(["--db", str(files["a"]), "--user", "xiaowang", "bundle", "export", "--to", "341100",
                 "--out", str(files["a"].parent)])
    err = capsys.readouterr().err
    assert code == 6 and "uniondesk-cli --user 管理员用户名 user passwd xiaowang" in err


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
