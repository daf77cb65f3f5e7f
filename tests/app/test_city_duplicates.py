"""精准识别 across counties at the city (issue 16, point 5): the same household head in two
counties' archives is flagged in the city's import report and on the archive's form; a city-wide
report of people registered twice prints and goes down to the counties as 核查 requests."""

from datetime import date

from sqlalchemy import select

from app.models import Unit
from app.security.roles import Perm
from app.services import duplicates, requests
from app.validation import mask_id_number
from tests.app.hardship.helpers import archive_values
from tests.app.syncnet import id_number

HEAD = id_number("341122", date(1976, 4, 5), 31)  # one person, in both counties' archives


def _archive(node, name):
    from app.services.hardship import archives

    with node.db.session(node.clerk) as s:
        union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False),
                                               Unit.owner_unit_id == node.db.root_unit_id))
        return archives.create_archive(s, node.clerk, archive_values(union, name=name, id_no=HEAD),
                                       members=[], expense_items=[]).id


def test_the_same_household_head_in_two_counties_is_flagged_at_the_city(net):
    a, b, c = net["a1"], net["b"], net["c"]
    xa, xb = _archive(a, "刘一"), _archive(b, "刘一")
    first = c.recv(a.send(c))
    second = c.recv(b.send(c))
    assert first.count("duplicates") == 0
    archives = next(t for t in second.tables if t.table == "hardship_archives")
    assert (archives.new, archives.duplicates) == (1, 1)
    [item] = [i for i in second.items if i.kind == "duplicate"]
    assert "示例县总工会的记录“刘一”身份证号相同" in item.message
    with c.db.read_session() as s:  # the archive's form lists the other county's archive
        [other] = duplicates.others(s, c.clerk, "hardship_archive", xb)
        assert (other.id, other.owner_name) == (xa, "示例县总工会")
        [group] = [g for g in duplicates.groups(s, c.clerk) if g.register == "hardship_archive"]
        assert group.across_units and {m.id for m in group.matches} == {xa, xb}
        assert group.id_number == (HEAD if c.clerk.can(Perm.REVEAL) else mask_id_number(HEAD))
    from app.sync import service

    [view] = [v for v in service.queue(c.db, c.clerk) if v.kind == "duplicate"]
    assert view.sides == ("示例县总工会", "邻县总工会")  # 冲突处理 names both counties


def test_the_citywide_report_prints_and_goes_down_as_check_requests(net, tmp_path):
    from app.printing.registry import PrintRequest
    from app.printing.service import print_form
    from tests.app.pdf_tools import text as pdf_text

    a, b, c = net["a1"], net["b"], net["c"]
    _archive(a, "刘一"), _archive(b, "刘一")
    c.recv(a.send(c))
    c.recv(b.send(c))
    out = print_form(c.db, c.clerk, "duplicate_report", PrintRequest(), tmp_path / "report.pdf")
    text = pdf_text(out.path)
    assert "重复人员核查表" in text and "刘一" in text and "邻县总工会" in text
    with c.db.session(c.clerk) as s:
        sent = duplicates.request_checks(s, c.clerk, duplicates.groups(s, c.clerk))
        assert sent == 2 and duplicates.request_checks(s, c.clerk, duplicates.groups(s, c.clerk)) == 0
    for county in (a, b):  # each county gets the check of its own archive only
        county.recv(c.send(county))
        with county.db.read_session() as s:
            [req] = requests.list_requests(s, county.clerk, incoming=True, pending_only=True)
            assert req.action == "check" and "身份证号与" in req.reason
