"""Every register has the CLI's second face: ``record add | list | show | set | void KIND`` with
fields by key or Chinese label, sensitive numbers masked; every area with figures has ``stats``."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main
from tests.conftest import PASSWORDS


@pytest.fixture
def cli(db_path, monkeypatch, capsys):
    def run(user: str, *args) -> tuple[int, str, str]:
        monkeypatch.setenv("UNIONDESK_PASSWORD", PASSWORDS[user])
        try:
            code = main(["--db", str(db_path), "--user", user, *args])
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def _sets(reg, raw: dict) -> list[str]:
    """``--set 中文名=值`` pairs for raw sample values (labels, to show both are accepted)."""
    out = []
    for key, value in raw.items():
        if value is None:
            continue
        f = reg.spec.field(key)
        text = ("是" if value else "否") if isinstance(value, bool) else str(value)
        out += ["--set", f"{f.label if len(out) % 4 == 0 else key}={text}"]
    return out


def test_record_commands_for_every_register(db_path, cli, register_key, rng):
    from app.db.engine import open_database
    from app.fields.spec import Kind, Mask
    from app.kit.register import register
    from app.kit.samples import sample_values

    reg = register(register_key)
    user = "clerk" if reg.write.value == "write" else "admin"
    db = open_database(db_path)
    with db.read_session() as s:
        raw = sample_values(s, reg, rng)
    db.close()
    code, out, err = cli(user, "record", "fields", reg.name)  # the Chinese name works as KIND
    assert code == 0 and all(f.label in out for f in reg.spec.fields), err
    code, out, err = cli(user, "record", "add", reg.key, *_sets(reg, raw))
    if not reg.creatable and reg.create is None:
        assert code != 0
        return
    assert code == 0 and out.startswith(f"已新增{reg.name}"), err
    record_id = out.strip().rsplit("编号 ", 1)[1].rstrip(")")
    code, out, err = cli(user, "record", "show", reg.key, record_id, "--json")
    assert code == 0, err
    shown = json.loads(out)
    for f in reg.spec.fields:
        if f.mask in (Mask.ID, Mask.PHONE, Mask.BANK) and raw.get(f.key):
            assert shown[f.key] != str(raw[f.key]) and "*" in shown[f.key], f.key
    code, out, err = cli(user, "record", "list", reg.key, "--limit", "3")
    assert code == 0 and "共 " in out, err
    text = next((f for f in reg.spec.editable_fields if f.kind == Kind.TEXTAREA), None)
    if text is not None and (reg.editable or reg.update is not None):
        code, out, err = cli(user, "record", "set", reg.key, record_id, "--set", f"{text.label}=已核实")
        assert code == 0 and out.startswith("已修改"), err
    code, out, err = cli(user, "record", "void", reg.key, record_id)
    assert (code == 0) == bool(reg.voidable or reg.void is not None), (code, err)


def test_a_wrong_kind_or_field_is_named_with_what_is_valid(cli):
    code, _, err = cli("clerk", "record", "list", "nothing")
    assert code == 2 and "没有名为“nothing”的登记类型" in err and "member(会员)" in err
    code, _, err = cli("clerk", "record", "list", "member", "--where", "颜色=红")
    assert code == 2 and "没有字段“颜色”" in err


def test_stats_for_every_area_with_figures(cli):
    from app.areas import all_areas

    for a in all_areas():
        if not (a.stats and a.figures):
            continue
        code, out, err = cli("auditor", "stats", a.key, "--from", "2000-01-01", "--to", "2100-12-31",
                             "--json")
        assert code == 0, err
        data = json.loads(out)
        assert data["area"] == a.key and data["figures"]
