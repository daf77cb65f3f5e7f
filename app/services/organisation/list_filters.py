"""Named list filters of the organisation area (``listing.register_filter``): an election that is
its union's latest, and the latest elections whose term has ended by a date (换届到期)."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from app.models.organisation import Election
from app.services.listing import register_filter


def _latest():
    later = aliased(Election)
    newer = select(func.count()).select_from(later).where(
        later.union_id == Election.union_id, later.deleted.is_(False),
        later.election_on > Election.election_on).scalar_subquery()
    return newer == 0


def latest(value):
    return _latest() if value else ~_latest()


def due_by(value):
    """The union's latest election, its term ended by ``value``."""
    return and_(_latest(), Election.term_ends_on <= value)


register_filter("election", "latest", latest)
register_filter("election", "due_by", due_by)
