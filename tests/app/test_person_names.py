"""A person's name (姓名) holds Han characters or letters: a formula such as =HYPERLINK(...) is
refused on the form (the service), and in a bundle's row (tests/app/test_bundle_strict.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.models import Unit
from app.services import records
from app.validation.names import MSG_NAME, person_name_problem

ID = "110101199003070011"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.com","点我")', "+8613800000000",
                                  "@SUM(A1)", "-张三", "张三,李四", '张"三"', "·张三"])
def test_formula_like_and_symbol_names_are_refused(name):
    assert person_name_problem(name) == MSG_NAME


@pytest.mark.parametrize("name", ["张三", "欧阳修", "阿依古丽·买买提", "迪丽热巴‧迪力木拉提",
                                  "John Smith", "O'Brien", "Jean-Pierre", "Zoë", "刘䶮", "𠮷丽", "张伟2"])
def test_real_names_pass(name):
    assert person_name_problem(name) is None


def test_the_member_form_refuses_a_formula_name(db, clerk):
    with db.session(clerk) as s:
        union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots").limit(1))
        with pytest.raises(ValidationFailed) as exc:
            records.create(s, clerk, "member", {"name": '=HYPERLINK("http://example.com","点我")',
                                                 "id_number": ID, "union_id": union})
    assert "姓名" in str(exc.value) and "HYPERLINK" not in str(exc.value)
    assert exc.value.errors == {"name": MSG_NAME}
