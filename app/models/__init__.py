"""SQLAlchemy 2.0 typed models, one module per area. Importing this package registers every table:
the modules the manifest names (``app.areas``) are imported here, so an area's tables exist
without an edit to this file. The names below are re-exported for the code written before the
manifest; a new area imports its models from its own module."""

from app.areas import import_models as _import_models
from app.db import fts as _fts
from app.models.attachments import AttachmentBlob  # noqa: F401
from app.models.calendar import CalendarDay, CalendarYear  # noqa: F401
from app.models.codes import CodeItem  # noqa: F401
from app.models.core import Installation, LocalState, Unit  # noqa: F401
from app.models.hardship import HardshipArchive, HardshipAttachment, HardshipExpense, HardshipFamilyMember, HardshipParams, HardshipReview  # noqa: F401
from app.models.hardship_relief import Campaign, HelpPlan, HelpPlanNote, ReliefEntry, StudyAid, Visit  # noqa: F401
from app.models.people import Member  # noqa: F401
from app.models.security import AuditEntry, User  # noqa: F401
from app.models.sync import Attachment, SyncBundle, SyncConflict, SyncExtra, SyncFieldVersion, SyncKey, SyncKeySlot, SyncPeer  # noqa: F401

_import_models()
_fts.attach(Member.__table__)  # the members' trigram search index, created with the table
