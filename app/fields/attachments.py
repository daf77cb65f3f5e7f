"""Attachments (附件) of records: scans and photos, stored by content hash."""

from __future__ import annotations

from app.fields.spec import Field, Kind, RecordSpec
from app.models import Attachment

ATTACHMENT = RecordSpec(
    key="attachment",
    title="附件",
    model=Attachment,
    display_key="file_name",
    default_sort="file_name",
    fields=(
        Field("file_name", "文件名", required=True, max_len=200, width=24),
        Field("mime", "类型", readonly=True, max_len=60, width=12),
        Field("size", "大小(字节)", Kind.INT, readonly=True, min_value=0, width=10),
        Field("sha256", "校验值", readonly=True, max_len=64, in_list=False, width=20),
        Field("record_table", "所属记录类型", readonly=True, max_len=40, in_list=False),
        Field("record_id", "所属记录", readonly=True, max_len=36, in_list=False),
        Field("note", "说明", max_len=200, width=20),
    ),
)

SPECS = (ATTACHMENT,)
