"""普法活动: the kit's list of events, whose form has a 照片 tab (photos and scans of the sign-in
sheet, kept with the event and sent with it in bundles)."""

from __future__ import annotations

from ui.kit.form_list import FormListPage
from ui.widgets.binding import RecordBinding
from ui.widgets.files_tab import FilesTab
from ui.widgets.record_form import RecordFormDialog

BINDING = RecordBinding.of("rights_event", "rights.event")


class EventFormDialog(RecordFormDialog):
    def __init__(self, ctx, record_id=None, parent=None, initial=None):
        super().__init__(ctx, BINDING, record_id, parent, initial)
        if record_id:
            self.files = FilesTab(ctx, BINDING.spec.key, record_id,
                                  "活动照片、签到表的扫描件(JPEG、PNG、PDF),保存后随活动一起交换。")
            self.tabs.insertTab(1, self.files, "照片")
            self.files.load()


class EventsTab(FormListPage):
    def __init__(self, ctx, **kw):
        super().__init__(ctx, BINDING, EventFormDialog, **kw)
