"""Every review chain's steps carry a date (``acted_on``), so the engine can keep them in order
(``app.kit.chain._check_dates``): 困难职工 archives, rights tickets and 建会."""

from __future__ import annotations

import pytest

from app.fields.spec import Kind
from app.services.hardship.workflow import CHAIN as HARDSHIP
from app.services.organisation.founding import CHAIN as FOUNDING
from app.services.rights.ticket_chain import CHAIN as TICKETS


@pytest.mark.parametrize("chain", (HARDSHIP, TICKETS, FOUNDING), ids=lambda c: c.spec.key)
def test_every_step_is_dated_and_its_declared_dates_are_its_own(chain):
    for key in (*(s.key for s in chain.steps), "return"):
        kinds = {f.key: f.kind for f in chain.fields_of(key)}
        assert kinds.get("acted_on") == Kind.DATE, key
        for other in chain.step_dates.get(key, ()):
            assert kinds.get(other) == Kind.DATE, (key, other)
    assert set(chain.step_dates) <= {s.key for s in chain.steps}
    if chain.start is not None:
        assert chain.spec.model.__table__.c[chain.start[0]] is not None
