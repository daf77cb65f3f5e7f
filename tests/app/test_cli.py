"""``uniondesk-cli`` as administrators and scripts use it (run as a real subprocess)."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import PASSWORDS

PW = "Gh#Cli2026x"


def cli(*args, password=None, env_extra=None):
    env = dict(os.environ)
    env.pop("UNIONDESK_PASSWORD", None)
    if password is not None:
        env["UNIONDESK_PASSWORD"] = password
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=env, stdin=subprocess.DEVNULL, timeout=300)


def test_init_demo_check_verify_on_a_fresh_file(tmp_path):
    db = tmp_path / "county.db"
    r = cli("--db", db, "init", "--unit-name", "示例县总工会", "--unit-code", "341122",
            "--level", "county", "--admin-user", "admin", "--admin-password", PW)
    assert r.returncode == 0, r.stderr
    assert "已初始化" in r.stdout
    r = cli("--db", db, "--user", "admin", "demo", "--members", "500", "--seed", "3", password=PW)
    assert r.returncode == 0, r.stderr
    assert "会员 500" in r.stdout
    r = cli("--db", db, "db", "check")
    assert r.returncode == 0 and "数据库完好" in r.stdout, r.stdout + r.stderr
    r = cli("--db", db, "audit", "verify")
    assert r.returncode == 0 and "校验通过" in r.stdout
    r = cli("--db", db, "db", "stats", "--json")
    stats = {t["table"]: t for t in json.loads(r.stdout)["tables"]}
    assert stats["members"]["live"] == 500 and stats["members"]["tombstones"] == 0
    r = cli("--db", db, "db", "stats", "--unit", "341122", "--json")
    assert json.loads(r.stdout)["tables"][0]["live"] > 200  # units owned by the county
    r = cli("--db", db, "--user", "admin", "user", "add", "xiaoli", "--role", "经办人", password=PW)
    assert r.returncode == 0 and "临时密码" in r.stdout
    r = cli("--db", db, "--user", "admin", "user", "list", password=PW)
    assert "xiaoli" in r.stdout and "经办人" in r.stdout and "须改密码" in r.stdout


def test_user_mistakes_give_one_chinese_line_and_no_traceback(db_path):
    cases = [
        (["--db", db_path, "--user", "admin", "demo"], "wrong-Pass1", 4, "用户名或密码错误"),
        (["--db", db_path, "demo"], None, 1, "需要登录"),
        (["--db", db_path, "--user", "admin", "demo"], None, 1, "UNIONDESK_PASSWORD"),
        (["--db", db_path, "--user", "readonly", "user", "list"], PASSWORDS["readonly"], 3, "无权"),
        (["--db", db_path, "--user", "admin", "demo"], PASSWORDS["admin"], 1, "已有单位或会员"),
        (["--db", db_path.parent / "missing.db", "status"], None, 0, None),
        (["--db", db_path.parent / "missing.db", "db", "check"], None, 5, "找不到数据库文件"),
        (["--db", db_path, "--user", "admin", "codes", "add", "nosuch", "1", "x"], PASSWORDS["admin"], 1,
         "没有代码表"),
        (["--db", db_path, "bogus"], None, 2, "无效的选项"),
    ]
    for args, password, code, message in cases:
        r = cli(*args, password=password)
        assert r.returncode == code, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        if message:
            assert message in r.stderr, (args, r.stderr)
            assert len([ln for ln in r.stderr.splitlines() if ln.startswith("错误")]) == 1


def test_init_refuses_bad_identity_and_weak_password(tmp_path):
    r = cli("--db", tmp_path / "a.db", "init", "--unit-name", "县总工会", "--unit-code", "1234",
            "--level", "county", "--admin-user", "admin", "--admin-password", PW)
    assert r.returncode == 2 and "行政区划代码应为 6 位数字" in r.stderr
    r = cli("--db", tmp_path / "new" / "b.db", "init", "--unit-name", "县总工会", "--unit-code", "341122",
            "--level", "county", "--admin-user", "admin", "--admin-password", "password")
    assert r.returncode == 2 and "三类" in r.stderr
    assert list(tmp_path.iterdir()) == []  # nothing left behind: no schema-only file, no folder
    r = cli("--db", tmp_path / "a.db", "status")
    assert r.returncode == 0 and "尚未初始化" not in r.stdout
    r = cli("--db", tmp_path / "c.db", "init", "--unit-name", "县总工会", "--unit-code", "341122",
            "--level", "county", "--admin-user", "admin", "--admin-password", PW)
    assert r.returncode == 0
    r = cli("--db", tmp_path / "c.db", "init", "--unit-name", "县总工会", "--unit-code", "341122",
            "--level", "county", "--admin-user", "admin", "--admin-password", PW)
    assert r.returncode == 1 and "已经初始化" in r.stderr


def test_first_login_forces_a_password_change(db_path):
    r = cli("--db", db_path, "--user", "admin", "user", "add", "newclerk", "--role", "clerk",
            "--password", "Gh#First2026", password=PASSWORDS["admin"])
    assert r.returncode == 0
    r = cli("--db", db_path, "--user", "newclerk", "member", "search", "zs", password="Gh#First2026")
    assert r.returncode == 1 and "须先修改初始密码" in r.stderr
    r = cli("--db", db_path, "--user", "newclerk", "user", "passwd", "newclerk", "--new-password",
            "Gh#Second2026", password="Gh#First2026")
    assert r.returncode == 0, r.stderr
    r = cli("--db", db_path, "--user", "newclerk", "member", "search", "zs", password="Gh#Second2026")
    assert r.returncode == 0 and "共" in r.stdout
    assert "*" in r.stdout  # ID numbers and phones are masked in listings


def test_member_add_and_show_through_the_cli(db_path):
    r = cli("--db", db_path, "--user", "clerk", "unit", "list", password=PASSWORDS["clerk"])
    union = next(line.strip().split("(")[0] for line in r.stdout.splitlines() if "(基层工会)" in line)
    r = cli("--db", db_path, "--user", "clerk", "member", "add", "--set", "姓名=孙悦",
            "--set", "身份证号=11010519491231002x", "--set", f"所属基层工会={union}",
            "--set", "民族=汉族", password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    member_id = r.stdout.split("编号 ")[1].rstrip(")\n")
    r = cli("--db", db_path, "--user", "clerk", "member", "show", member_id, password=PASSWORDS["clerk"])
    assert "孙悦" in r.stdout and "110105********002X" in r.stdout and "性别:女" in r.stdout
    r = cli("--db", db_path, "--user", "clerk", "member", "add", "--set", "姓名=孙悦",
            "--set", "身份证号=110105194912310021", "--set", f"所属基层工会={union}",
            password=PASSWORDS["clerk"])
    assert r.returncode == 2 and "校验位不正确,请对照证件逐位核对" in r.stderr


def test_audit_verify_fails_on_tampering(db_path):
    c = sqlite3.connect(db_path)
    c.execute("DROP TRIGGER audit_log_no_update")
    c.execute("UPDATE audit_log SET summary = '篡改' WHERE seq = 2")
    c.commit()
    c.close()
    r = cli("--db", db_path, "audit", "verify")
    assert r.returncode == 1 and "第 2 条" in r.stdout


def test_db_check_fails_on_a_damaged_file(db_path):
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page * 20, page * 24):  # overwrite a few pages in the middle
        data[offset] = 0x5A
    db_path.write_bytes(bytes(data))
    r = cli("--db", db_path, "db", "check")
    assert r.returncode == 1 and "数据库有问题" in r.stdout
    assert "Traceback" not in r.stderr and "内部错误" not in r.stderr


@pytest.mark.parametrize("command", ["init", "user", "db", "audit", "demo", "codes", "unit", "member"])
def test_every_command_documents_itself(command):
    r = cli(command, "--help")
    assert r.returncode == 0 and "用法" in r.stdout


def test_a_failed_init_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    """A failure after the file was made (here: the holiday table) removes it again."""
    from app.cli.main import main
    from app.errors import AppError
    from app.services import calendar

    def broken(*args, **kwargs):
        raise AppError("节假日表无法写入")

    monkeypatch.setattr(calendar, "ensure_seeded", broken)
    db = tmp_path / "county.db"
    code = main(["--db", str(db), "init", "--unit-name", "示例县总工会", "--unit-code", "341122",
                 "--level", "county", "--admin-user", "admin", "--admin-password", PW])
    assert code == 1 and "节假日表无法写入" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    empty = tmp_path / "empty.db"  # an empty file given to init stays an empty file
    empty.write_bytes(b"")
    assert main(["--db", str(empty), "init", "--unit-name", "示例县总工会", "--unit-code", "341122",
                 "--level", "county", "--admin-user", "admin", "--admin-password", PW]) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["empty.db"] and empty.stat().st_size == 0


def test_invalid_input_exits_2_and_names_what_is_valid(db_path):
    admin, clerk = PASSWORDS["admin"], PASSWORDS["clerk"]
    base = ["--db", db_path, "--user"]
    cases = [
        ([*base, "admin", "user", "add", "xiaoli", "--role", "clerk", "--password", "password"], admin,
         "三类"),
        ([*base, "admin", "user", "add", "xiaoli", "--role", "boss"], admin, "reviewer 审核人"),
        ([*base, "admin", "user", "passwd", "clerk", "--new-password", "short"], admin, "密码"),
        ([*base, "clerk", "user", "passwd", "clerk", "--new-password", clerk], clerk, "不能与原密码相同"),
        ([*base, "admin", "user", "set", "clerk", "--role", "boss"], admin, "不存在"),
        ([*base, "clerk", "excel", "export", "members", "--status", "foo", "--out", db_path.parent / "x.xlsx"],
         clerk, "可选:正常"),
        ([*base, "clerk", "print", "member_roster", "--status", "foo", "--out", db_path.parent / "x.pdf"],
         clerk, "不是有效的会籍状态"),
        ([*base, "clerk", "print", "nosuchform", "--out", db_path.parent / "x.pdf"], clerk, "没有名为"),
        ([*base, "clerk", "member", "add", "--set", "foo=bar"], clerk, "没有字段“foo”"),
        ([*base, "clerk", "member", "add", "--set", "姓名张三"], clerk, "应写成 字段=值"),
    ]
    for args, password, message in cases:
        r = cli(*args, password=password)
        assert r.returncode == 2, (args, r.stderr)
        assert message in r.stderr and r.stderr.startswith("错误:"), (args, r.stderr)
    r = cli(*base, "clerk", "member", "add", "--set", "foo=bar", password=clerk)
    assert "无法识别" not in r.stderr and "name(姓名)" in r.stderr and "id_number(身份证号)" in r.stderr
    r = cli(*base, "admin", "user", "add", "shenhe", "--role", "reviewer", password=admin)
    assert r.returncode == 0 and "(角色:审核人)" in r.stdout and "reviewer" not in r.stdout


def test_stats_take_a_unit_by_name_or_code_like_print(db_path):
    with sqlite3.connect(db_path) as c:
        system = c.execute("SELECT name FROM units WHERE kind = 'system' LIMIT 1").fetchone()[0]
        township, code = c.execute("SELECT name, code FROM units WHERE kind = 'township' LIMIT 1").fetchone()
    period = ["--from", "2000-01-01", "--to", "2100-12-31", "--json"]
    for unit, name in ((system, system), (township, township), (code, township), ("341122", "示例县总工会")):
        r = cli("--db", db_path, "--user", "auditor", "stats", "hardship", *period, "--unit", unit,
                password=PASSWORDS["auditor"])
        assert r.returncode == 0, (unit, r.stderr)
        assert json.loads(r.stdout)["unit"] == name
    r = cli("--db", db_path, "--user", "auditor", "stats", "hardship", *period, "--unit", "没有这个工会",
            password=PASSWORDS["auditor"])
    assert r.returncode == 1 and "找不到单位“没有这个工会”" in r.stderr


def test_member_show_and_set_take_the_keys_print_takes(db_path):
    with sqlite3.connect(db_path) as c:
        member_id, id_number = c.execute(
            "SELECT id, id_number FROM members WHERE deleted = 0 AND id_number LIKE '%X' LIMIT 1").fetchone()
    clerk = PASSWORDS["clerk"]
    r = cli("--db", db_path, "--user", "clerk", "member", "show", id_number.lower(), password=clerk)
    assert r.returncode == 0, r.stderr
    r = cli("--db", db_path, "--user", "clerk", "member", "set", id_number, "--set", "手机号码=13912345678",
            password=clerk)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT phone FROM members WHERE id = ?", (member_id,)).fetchone()[0] == "13912345678"
    r = cli("--db", db_path, "--user", "clerk", "member", "show", "110105194912310021", password=clerk)
    assert r.returncode == 1 and "会员证号或身份证号" in r.stderr


def test_a_closed_pipe_stops_quietly(db_path, tmp_path):
    """`uniondesk-cli … | head`: the reader goes away; no 内部错误, no traceback in the log."""
    env = dict(os.environ, UNIONDESK_PASSWORD=PASSWORDS["clerk"],
               UNIONDESK_DATA_DIR=str(tmp_path / "data"))
    p = subprocess.Popen([sys.executable, "-m", "app", "--db", str(db_path), "--user", "clerk",
                          "stats", "hardship", "--from", "2000-01-01", "--to", "2100-12-31"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    p.stdout.close()  # as `head` does once it has its lines
    err = p.stderr.read().decode()
    assert p.wait(timeout=300) == 141
    assert err == ""
    log = tmp_path / "data" / "logs" / "uniondesk-cli.log"
    assert not log.exists() or "Traceback" not in log.read_text(encoding="utf-8")


def test_the_help_lists_the_exit_codes():
    r = cli("--help")
    text = "".join(r.stdout.split())  # argparse wraps the epilog anywhere
    assert r.returncode == 0 and "2输入有误" in text and "141输出已被关闭" in text


def test_a_user_is_placed_in_a_township_union_and_listed_with_it(db_path):
    """A township's reviewer acts on the township's chain steps: the account needs its unit."""
    with sqlite3.connect(db_path) as con:
        town = con.execute("SELECT name, id FROM units WHERE kind = 'township' ORDER BY name LIMIT 1").fetchone()
    admin = ("--db", db_path, "--user", "admin")
    r = cli(*admin, "user", "add", "town_rev", "--role", "reviewer", "--unit", town[0], password=PASSWORDS["admin"])
    assert r.returncode == 0, r.stderr
    r = cli(*admin, "user", "list", password=PASSWORDS["admin"])
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("town_rev"))
    assert line.rstrip().endswith(town[0])
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT unit_id FROM users WHERE username = 'town_rev'").fetchone()[0] == town[1]
    r = cli(*admin, "user", "set", "town_rev", "--unit", "没有这个单位", password=PASSWORDS["admin"])
    assert r.returncode != 0 and "找不到单位" in r.stderr and "Traceback" not in r.stderr
