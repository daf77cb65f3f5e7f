"""SQLAlchemy 2.0 typed models, one module per area. Importing this package registers every table."""

from app.models.core import Installation, LocalState, Unit  # noqa: F401
from app.models.codes import CodeItem  # noqa: F401
from app.models.people import Member  # noqa: F401
from app.models.security import AuditEntry, User  # noqa: F401
from app.models.attachments import AttachmentBlob  # noqa: F401
from app.models.sync import (Attachment, SyncBundle, SyncConflict, SyncExtra,  # noqa: F401
                             SyncFieldVersion, SyncKey, SyncKeySlot, SyncPeer)
from app.models.calendar import CalendarDay, CalendarYear  # noqa: F401
from app.models.hardship import (HardshipArchive, HardshipAttachment, HardshipExpense,  # noqa: F401
                                 HardshipFamilyMember, HardshipParams, HardshipReview)
from app.models.hardship_relief import (Campaign, HelpPlan, HelpPlanNote, ReliefEntry,  # noqa: F401
                                        StudyAid, Visit)

from app.db import fts as _fts

_fts.attach(Member.__table__)  # the members' trigram search index, created with the table
