"""Issue 13, point 7 (small slips on paper): the 公示名单 always carries a contact phone — the one
given for the print, else the installation's setting — and is refused when there is none."""

from __future__ import annotations

import pytest

from app.errors import AppError
from app.printing.registry import PrintRequest
from app.printing.service import print_form
from app.services import settings
from tests.app import pdf_tools


def test_a_public_list_always_carries_a_contact_phone(db, clerk, admin, tmp_path):
    with db.read_session() as s:
        phone = settings.get(s, "notice_phone")
    assert phone  # the demo office has its line
    out = tmp_path / "gs.pdf"
    print_form(db, clerk, "public_list", PrintRequest(options={}), out)
    assert f"(联系电话:{phone})" in pdf_tools.squeezed(out)
    print_form(db, clerk, "public_list", PrintRequest(options={"contact": "0550-1234567"}), out)
    assert "(联系电话:0550-1234567)" in pdf_tools.squeezed(out)
    with db.session(admin) as s:
        settings.put(s, admin, "notice_phone", "")
    with pytest.raises(AppError, match="联系电话"):
        print_form(db, clerk, "public_list", PrintRequest(options={}), tmp_path / "none.pdf")
