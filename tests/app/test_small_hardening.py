"""Issue 14's small ones: implausible dates, a phone with a trailing letter, user names folded,
leftover bundle copies cleaned at start, undecodable CLI arguments, the doubled ID label."""

import os
import subprocess
import sys

import pytest

from app.errors import AppError, ValidationFailed
from app.fields.members import MEMBER
from app.fields.spec import PLAUSIBLE_DATES
from app.security.users import authenticate, create_user
from tests.conftest import PASSWORDS

ID = "110101199003070011"


@pytest.mark.parametrize("raw", ["9999-12-31", "1800-01-01", "1900-01-01"])
def test_an_implausible_joining_date_is_refused(raw):
    _, errors = MEMBER.clean({"joined_on": raw}, partial=True)
    assert "日期不合常理" in errors["joined_on"]


def test_every_date_field_has_a_plausible_range_defined_once():
    from app.fields.registry import all_specs

    for spec in all_specs():
        for f in spec.fields:
            if f.kind == "date" and not f.readonly:
                low, high = f.date_range or PLAUSIBLE_DATES
                _, errors = spec.clean({f.key: "9999-12-31"}, partial=True)
                assert f.key in errors, (spec.key, f.key)
                assert low.year >= 1900 and high.year <= 2099


@pytest.mark.parametrize("raw", ["0551-62345678x", "13800138000a", "0551-62345678转a"])
def test_a_phone_with_a_trailing_letter_is_refused_not_trimmed(raw):
    cleaned, errors = MEMBER.clean({"phone": raw}, partial=True)
    assert "phone" in errors and "phone" not in cleaned


def test_a_phone_extension_is_still_understood():
    cleaned, errors = MEMBER.clean({"phone": "0551-62345678转123"}, partial=True)
    assert not errors and cleaned["phone"] == "0551-62345678-123"


@pytest.mark.parametrize("lookalike", ["Clerk", "CLERK", "ｃｌｅｒｋ", "Ｃｌｅｒｋ"])
def test_user_names_are_compared_case_and_width_folded(db, admin, lookalike):
    with db.session(admin) as s, pytest.raises(AppError, match="不区分大小写和全角半角"):
        create_user(s, admin, lookalike, "clerk", password="Gh#Other2026x")
    assert authenticate(db, lookalike, PASSWORDS["clerk"]).username == "clerk"


def test_the_id_label_is_not_doubled():
    _, errors = MEMBER.clean({"id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, partial=True)
    message = str(ValidationFailed(errors, MEMBER.labels))
    assert message == "身份证号:校验位不正确,请对照证件逐位核对"
    assert "身份证号身份证号" not in message.replace(":", "")


def test_leftover_bundle_copies_are_removed_at_start(db_path):
    from app.services.startup import Startup

    inbox = db_path.parent / "bundles" / "in"
    inbox.mkdir(parents=True)
    partial = inbox / "20261206010203000000-county.udbx"
    partial.write_bytes(os.urandom(4096))
    start = Startup(db_path, program="cli")
    start.begin(integrity=False)
    try:
        start.open()
    finally:
        start.close(backup=False)
    assert not partial.exists()


def test_recorded_bundle_copies_are_kept(net):
    from app.sync.leftovers import clean_leftovers

    a, b = net["a1"], net["b"]
    b.recv(a.send(b))
    inbox = b.path.parent / "bundles" / "in"
    kept = sorted(inbox.iterdir())
    assert kept
    leftover = inbox / "20261206010203000000-killed.udbx"
    leftover.write_bytes(kept[0].read_bytes()[:1000])  # a copy cut short
    assert clean_leftovers(b.db) == 1
    assert sorted(inbox.iterdir()) == kept


def test_undecodable_arguments_get_a_message_not_exit_70(db_path):
    env = dict(os.environ, PYTHONUTF8="1")
    arg = os.fsencode("王") + b"\xff\xfe"
    r = subprocess.run([sys.executable, "-m", "app", "--db", os.fsencode(str(db_path)), "member",
                        "search", arg], capture_output=True, env=env, stdin=subprocess.DEVNULL,
                       timeout=300)
    err = r.stderr.decode("utf-8", errors="replace")
    assert r.returncode == 2 and "无法识别的字符" in err and "Traceback" not in err, err
