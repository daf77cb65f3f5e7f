"""Four eyes over the whole history: the creator, every editor (not only the last) and the previous
step's actor are excluded from the next review or approval; the 公示 has a floor only the
administrator changes, audited."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationFailed
from app.models import AuditEntry, User
from app.services import settings
from app.services.hardship import archives, params, workflow
from app.services.hardship.settings import PUBLICITY_FLOOR
from tests.app.hardship.helpers import STEP_INPUTS, drive, make_archive, paper_day


def _become(county, who, role):
    with county.session("admin") as s:
        s.scalar(select(User).where(User.username == who)).role = role
    county.actors[who] = replace(county.actors[who], role=role)


def _act(county, who, aid, step, **values):
    with county.session(who) as s:
        return workflow.act(s, county.actors[who], aid, step, {**STEP_INPUTS.get(step, {}), **values})


def _offered(county, who, aid):
    with county.db.read_session() as s:
        return [a.key for a in workflow.available_actions(s, county.actors[who], aid)]


def test_an_earlier_editor_may_not_review_though_someone_else_edited_last(county):
    aid = make_archive(county, who="clerk")
    with county.session("clerk2") as s:
        archives.update_archive(s, county.actors["clerk2"], aid, {"notes": "补充了收入证明"})
    with county.session("clerk") as s:  # the last editor is someone else again
        archives.update_archive(s, county.actors["clerk"], aid, {"notes": "核对无误"})
    drive(county, aid, "township")
    _become(county, "clerk2", "reviewer")
    assert "center" not in _offered(county, "clerk2", aid)
    with pytest.raises(PermissionDenied, match="四眼原则"):
        _act(county, "clerk2", aid, "center")
    _act(county, "reviewer", aid, "center")


def test_the_previous_steps_actor_may_not_take_the_next_decision(county):
    aid = make_archive(county)
    drive(county, aid, "publicize")
    _act(county, "clerk2", aid, "end_publicity")
    _become(county, "clerk2", "approver")
    with pytest.raises(PermissionDenied, match="四眼原则"):
        _act(county, "clerk2", aid, "approve")
    _act(county, "approver", aid, "approve")


def test_a_step_that_only_moved_the_record_is_not_an_edit(county):
    """A reviewer who sent the archive back may review it once it comes round again."""
    aid = make_archive(county)
    drive(county, aid, "township")
    _act(county, "reviewer", aid, "return", opinion="材料不全", acted_on=paper_day())  # before the next round
    drive(county, aid, "township")
    _act(county, "reviewer", aid, "center")


def test_a_publicity_shorter_than_the_years_parameter_is_refused(county):
    aid = make_archive(county)
    drive(county, aid, "center")
    with pytest.raises(ValidationFailed, match="公示期不能少于 5 个工作日"):
        _act(county, "clerk", aid, "publicize", publicity_days="1")
    _act(county, "clerk", aid, "publicize", publicity_days="6")


def test_the_floor_is_the_administrators_setting_and_audited(county):
    for who in ("reviewer", "approver", "clerk"):
        with county.session(who) as s, pytest.raises(PermissionDenied):
            settings.put(s, county.actors[who], PUBLICITY_FLOOR, 1)
    with county.session("admin") as s:
        settings.put(s, county.actors["admin"], PUBLICITY_FLOOR, 7)
    with county.db.read_session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.object_id == PUBLICITY_FLOOR)).one()
        assert entry.username == "admin" and "7" in entry.summary
    year_values = {"unit_id": county.ids["county"], "year": 2030, "dibao_monthly_fen": "720",
                   "rigid_items": "1", "accident_ratio_pct": 80, "publicity_days": 5,
                   "study_univ_archived_fen": "0", "study_high_archived_fen": "0",
                   "study_univ_other_fen": "0", "study_high_other_fen": "0"}
    with county.session("reviewer") as s, pytest.raises(ValidationFailed, match="下限 7"):
        params.set_params(s, county.actors["reviewer"], year_values)
    aid = make_archive(county)
    drive(county, aid, "center")
    with pytest.raises(ValidationFailed, match="不能少于 7"):
        _act(county, "clerk", aid, "publicize", publicity_days="5")
    _act(county, "clerk", aid, "publicize")
    with county.db.read_session() as s:
        assert archives.get_archive(s, county.actors["clerk"], aid).publicity_days == 7
