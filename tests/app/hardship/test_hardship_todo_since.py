"""Issue 12, point 5: the hardship 待办 says since when an archive waits (``app.kit.waiting``),
as the rights tickets' 待办 does."""

from datetime import date

from app.services.hardship import dashboard, reminders
from tests.app.hardship.helpers import drive, id_number, make_archive


def test_a_review_todo_says_since_when_it_waits(county):
    from app.kit.waiting import waiting_on
    from app.models import HardshipArchive
    from app.services.hardship.workflow import CHAIN

    pending = make_archive(county, "c", id_no=id_number("341122", date(1980, 1, 1), 19), members=[])
    drive(county, pending, "township")
    with county.db.read_session() as s:
        since = waiting_on(s, CHAIN, s.get(HardshipArchive, pending)).since
        items = [r for r in reminders.reminders(s, county.actors["reviewer"]) if r.kind == "review"]
        assert [(r.object_id, r.due_on) for r in items] == [(pending, since)]
        assert items[0].title.endswith(f"(自 {since.isoformat()})")
        assert any(t.text.endswith(f"(自 {since.isoformat()})")
                   for t in dashboard.todos(s, county.actors["reviewer"]))
