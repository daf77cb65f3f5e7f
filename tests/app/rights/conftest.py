"""A small county built by hand for the rights tests (no demo data), copied per test.

Tree: 示例县总工会 (341122) ─┬─ 城关镇工会 (t1) ─── 甲厂工会 (grassroots a)
                             └─ 新集镇工会 (t2)
Users: clerk, clerk2, reviewer (county); t_clerk (城关镇), t2_clerk (新集镇); readonly; admin.
A partner firm whose agreement covers last year to next year, with two lawyers; a firm whose
agreement ended last year, with one lawyer.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date

import pytest

from app.clock import today
from tests.conftest import PASSWORDS, UNIT_CODE, UNIT_NAME


def _build(folder):
    from app.db.engine import open_database
    from app.models import Unit
    from app.security.users import create_user
    from app.services import records
    from app.services.setup import init_installation

    path = folder / "rights.db"
    db = open_database(path, create=True)
    admin = init_installation(db, unit_name=UNIT_NAME, unit_code=UNIT_CODE, level="county",
                              admin_user="admin", admin_password=PASSWORDS["admin"])
    ids = {}
    with db.session(admin) as s:
        root = s.get(Unit, db.root_unit_id)
        ids["county"] = root.id
        for key, name in (("t1", "城关镇工会"), ("t2", "新集镇工会")):
            ids[key] = records.create(s, admin, "unit", {"name": name, "kind": "township",
                                                         "parent_id": root.id}).id
        ids["a"] = records.create(s, admin, "unit", {"name": "甲厂工会", "kind": "grassroots",
                                                     "parent_id": ids["t1"]}).id
        for username, role, unit in (("clerk", "clerk", "county"), ("clerk2", "clerk", "county"),
                                     ("reviewer", "reviewer", "county"), ("t_clerk", "clerk", "t1"),
                                     ("t2_clerk", "clerk", "t2"), ("readonly", "readonly", "county")):
            create_user(s, admin, username, role, password=PASSWORDS.get(role, PASSWORDS["clerk"]),
                        display_name=f"{username}姓名", unit_id=ids[unit]).user.must_change_password = False
    from app.models import User
    from app.security.users import actor_for

    with db.session(admin) as s:
        clerk = actor_for(s.query(User).filter_by(username="clerk").one())
    y = today().year
    with db.session(clerk) as s:
        ids["firm"] = records.create(s, clerk, "rights_firm", {
            "name": "安徽正和律师事务所", "agreement_from": date(y - 1, 1, 1),
            "agreement_to": date(y + 1, 12, 31), "fee_fen": "50000"}).id
        ids["old_firm"] = records.create(s, clerk, "rights_firm", {
            "name": "安徽旧约律师事务所", "agreement_from": date(y - 3, 1, 1),
            "agreement_to": date(y - 1, 12, 31)}).id
        for key, name, firm, licence in (("lawyer1", "周律师", "firm", "13401201511012345"),
                                         ("lawyer2", "吴律师", "firm", "13401201810054321"),
                                         ("lawyer3", "郑律师", "old_firm", "13401200911000001")):
            ids[key] = records.create(s, clerk, "rights_lawyer", {
                "name": name, "firm_id": ids[firm], "licence_no": licence,
                "phone": "13912340000"}).id
    db.close()
    return path, ids


@pytest.fixture(scope="session")
def rights_template(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("rights"))


@dataclass
class County:
    db: object
    ids: dict
    actors: dict

    def session(self, who: str):
        return self.db.session(self.actors[who])


@pytest.fixture
def county(rights_template, tmp_path):
    from app.db.engine import open_database
    from app.models import User
    from app.security.users import actor_for

    src, ids = rights_template
    dest = tmp_path / "county.db"
    shutil.copyfile(src, dest)
    db = open_database(dest)
    with db.session() as s:
        actors = {u.username: actor_for(u) for u in s.query(User)}
    yield County(db, ids, actors)
    db.close()
