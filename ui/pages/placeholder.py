"""The page of an area that is not built yet: says so plainly, and lists what it will hold."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.areas import Area
from ui.theme import icon


class PlaceholderPage(QScrollArea):
    def __init__(self, ctx, area: Area, parent=None):
        super().__init__(parent)
        self.area = area
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        title = QLabel(area.title)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        notice = QFrame()
        notice.setObjectName("notice")
        row = QHBoxLayout(notice)
        row.setContentsMargins(12, 10, 12, 10)
        mark = QLabel()
        mark.setPixmap(icon("info", "#b26a00").pixmap(20, 20))
        row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        text = QLabel("本模块尚未开放。下面列出它将包含的记录、打印表格和统计数字;"
                      "开放后,数据会在此页面录入、查询和打印。")
        text.setWordWrap(True)
        row.addWidget(text, 1)
        layout.addWidget(notice)
        plan = area.plan
        if plan is not None:
            summary = QLabel(plan.summary)
            summary.setWordWrap(True)
            layout.addWidget(summary)
            for heading, items in (("将包含的记录", plan.records), ("将打印的表格", plan.forms),
                                   ("将统计的数字(半年工作总结中的空白)", plan.figures)):
                if items:
                    layout.addWidget(self._section(heading, items))
        layout.addStretch(1)
        self.setWidget(body)

    @staticmethod
    def _section(heading: str, items: tuple[str, ...]) -> QWidget:
        box = QFrame()
        box.setObjectName("panel")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(16, 12, 16, 12)
        inner.setSpacing(4)
        label = QLabel(heading)
        label.setObjectName("sectionTitle")
        inner.addWidget(label)
        for item in items:
            line = QLabel("·  " + item)
            line.setWordWrap(True)
            inner.addWidget(line)
        return box
