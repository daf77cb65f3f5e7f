"""A small county built by hand for the hardship tests (no demo data), copied per test.

Tree: 示例县总工会 (341122) ─┬─ 城关镇工会 (341122100) ─┬─ 甲厂工会 (grassroots A)
                             │                          └─ 乙厂工会 (grassroots B)
                             ├─ 新集镇工会 (341122101) ─── 丙厂工会 (grassroots C)
                             └─ 丁公司工会 (grassroots D, directly under the county)
Users: clerk, clerk2, reviewer, reviewer2, approver, approver2 (county); t_clerk (城关镇),
t2_clerk (新集镇), g_clerk (甲厂), gb_clerk (乙厂), t_reviewer (a 审核人 of 城关镇).
Parameters for last, this and next year: 低保 720.00 元/月, rigid items 1–4, cap 20,000 元.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest

from app.clock import today
from tests.app.hardship.helpers import DIBAO
from tests.conftest import PASSWORDS, UNIT_CODE, UNIT_NAME


def _build(folder):
    from app.db.engine import open_database
    from app.models import Unit
    from app.security.users import create_user
    from app.services import records
    from app.services.hardship import params
    from app.services.setup import init_installation

    path = folder / "hardship.db"
    db = open_database(path, create=True)
    admin = init_installation(db, unit_name=UNIT_NAME, unit_code=UNIT_CODE, level="county",
                              admin_user="admin", admin_password=PASSWORDS["admin"])
    ids = {}
    with db.session(admin) as s:
        from app.services import settings

        settings.put(s, admin, "notice_phone", "0557-6100000")  # the office's line for every 公示
        root = s.get(Unit, db.root_unit_id)
        ids["county"] = root.id
        for key, name, code in (("t1", "城关镇工会", "341122100"), ("t2", "新集镇工会", "341122101")):
            ids[key] = records.create(s, admin, "unit", {"name": name, "kind": "township", "code": code,
                                                    "parent_id": root.id}).id
        for key, name, parent in (("a", "甲厂", "t1"), ("b", "乙厂", "t1"), ("c", "丙厂", "t2"),
                                  ("d", "丁公司", "county")):
            ids[key] = records.create(s, admin, "unit", {
                "name": f"{name}工会", "kind": "grassroots", "parent_id": ids[parent],
                "enterprise_name": f"示例县{name}有限公司", "industry": "C"}).id
        for username, role, unit in (
                ("clerk", "clerk", "county"), ("clerk2", "clerk", "county"),
                ("reviewer", "reviewer", "county"), ("reviewer2", "reviewer", "county"),
                ("approver", "approver", "county"), ("approver2", "approver", "county"),
                ("t_clerk", "clerk", "t1"), ("t2_clerk", "clerk", "t2"), ("g_clerk", "clerk", "a"),
                ("gb_clerk", "clerk", "b"), ("t_reviewer", "reviewer", "t1"), ("auditor", "auditor", "county")):
            u = create_user(s, admin, username, role, password=PASSWORDS.get(role, PASSWORDS["clerk"]),
                            display_name=f"{username}姓名", unit_id=ids[unit]).user
            u.must_change_password = False
    from app.models import User
    from app.security.users import actor_for

    with db.session(admin) as s:
        reviewer = actor_for(s.query(User).filter_by(username="reviewer").one())
    with db.session(reviewer) as s:
        for year in (today().year - 1, today().year, today().year + 1):
            params.set_params(s, reviewer, {
                "unit_id": ids["county"], "year": year, "dibao_monthly_fen": DIBAO,
                "rigid_items": "1,2,3,4", "accident_ratio_pct": 80, "exclusions": "1,2,5",
                "min_age": 16, "max_age": 60, "yearly_cap_fen": "20000", "publicity_days": 5,
                "study_univ_archived_fen": "5000", "study_high_archived_fen": "3000",
                "study_univ_other_fen": "4000", "study_high_other_fen": "2000"})
    db.close()
    return path, ids


@pytest.fixture(scope="session")
def hardship_template(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("hardship"))


@dataclass
class County:
    db: object
    ids: dict
    actors: dict
    path: object

    def session(self, who: str):
        return self.db.session(self.actors[who])


@pytest.fixture
def county(hardship_template, tmp_path):
    from app.db.engine import open_database
    from app.models import User
    from app.security.users import actor_for

    src, ids = hardship_template
    dest = tmp_path / "county.db"
    shutil.copyfile(src, dest)
    db = open_database(dest)
    with db.session() as s:
        actors = {u.username: actor_for(u) for u in s.query(User)}
    yield County(db, ids, actors, dest)
    db.close()
