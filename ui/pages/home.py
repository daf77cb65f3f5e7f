"""首页: this year's key figures as cards (each opens the records it counts) and a 待办 list.
Figures and to-dos come from ``app.services.dashboard``, where each area adds its own."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.clock import now_local
from ui.errors import user_message
from ui.theme import icon
from ui.widgets.figure_card import FigureCard, FigureGrid
from ui.workers import run_in_background

WEEKDAYS = "一二三四五六日"
CARD_COLUMNS = 4


class HomePage(QScrollArea):
    target_requested = Signal(object)  # app.services.dashboard.Target

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWidgetResizable(True)
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(24, 20, 24, 20)
        self.layout_.setSpacing(12)
        actor = ctx.actor
        now = now_local()
        greeting = QLabel(f"您好,{actor.display_name or actor.username}")
        greeting.setObjectName("pageTitle")
        sub = QLabel(f"{actor.role_label} · {ctx.unit_name} · "
                     f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]}")
        sub.setObjectName("pageSubtitle")
        refresh = QPushButton(icon("refresh"), "刷新")
        refresh.clicked.connect(self.refresh)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(greeting)
        titles.addWidget(sub)
        head.addLayout(titles, 1)
        head.addWidget(refresh, 0, Qt.AlignmentFlag.AlignTop)
        self.layout_.addLayout(head)
        self.figures_box = QVBoxLayout()
        self.figures_box.setSpacing(8)
        self.layout_.addLayout(self.figures_box)
        todo_title = QLabel("待办")
        todo_title.setObjectName("sectionTitle")
        self.layout_.addWidget(todo_title)
        self.todo_panel = QFrame()
        self.todo_panel.setObjectName("panel")
        self.todo_box = QVBoxLayout(self.todo_panel)
        self.todo_box.setContentsMargins(16, 12, 16, 12)
        self.layout_.addWidget(self.todo_panel)
        self.layout_.addStretch(1)
        self.setWidget(body)
        loading = QLabel("正在统计……")
        loading.setObjectName("muted")
        self.figures_box.addWidget(loading)
        self.cards: list[FigureCard] = []
        self.county_table = None  # the city's county × figure table
        ctx.data_changed.connect(lambda _k: self.refresh() if self.isVisible() else None)
        self.refresh()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx

        def work(_progress):
            from app.services import dashboard

            with ctx.read() as s:
                return (dashboard.figures(s, ctx.actor), dashboard.todos(s, ctx.actor),
                        dashboard.county_table(s, ctx.actor))

        def failed(exc, _tb) -> None:
            _clear(self.figures_box)
            self.figures_box.addWidget(QLabel("统计失败:" + user_message(exc)[0]))

        run_in_background(self, work, self._show, failed)

    def _show(self, result) -> None:
        figures, todos, counties = result
        _clear(self.figures_box)
        self.cards = []
        self.county_table = None
        groups: dict[str, list] = {}
        for f in figures:
            groups.setdefault(f.group, []).append(f)
        for group, items in groups.items():
            title = QLabel(group)
            title.setObjectName("sectionTitle")
            self.figures_box.addWidget(title)
            grid = FigureGrid(CARD_COLUMNS)
            self.cards += grid.set_figures(items, lambda f: f"{f.value:,}",
                                           lambda f: self.target_requested.emit(f.target))
            self.figures_box.addWidget(grid)
        if not figures:
            self.figures_box.addWidget(QLabel("暂无统计数字。"))
        if counties is not None:  # the city: each county's figures and whether it has reported
            self._show_counties(counties)
        _clear(self.todo_box)
        for t in todos:
            row = QPushButton(icon("warn" if t.level != "info" else "info"), t.text)
            row.setFlat(True)
            row.setStyleSheet("text-align: left; border: none; padding: 4px 0;")
            if t.target:
                row.clicked.connect(lambda _c=False, t=t: self.target_requested.emit(t.target))
            self.todo_box.addWidget(row)
        if not todos:
            empty = QLabel("暂无待办事项。困难职工审核、年审到期、来访办理时限等提醒将在相应模块开放后显示在这里。")
            empty.setObjectName("muted")
            empty.setWordWrap(True)
            self.todo_box.addWidget(empty)


    def _show_counties(self, table) -> None:
        from app.services.dashboard import target_of
        from ui.kit.county_table import CountyTableView

        title = QLabel(f"各县(区){table.date_from.year}年情况")
        title.setObjectName("sectionTitle")
        self.figures_box.addWidget(title)
        view = CountyTableView(lambda area, f: self.target_requested.emit(target_of(area, f.query)))
        view.set_table(table)
        self.county_table = view
        self.figures_box.addWidget(view)
        if table.silent:
            note = QLabel("本期尚未报送数据包:" + "、".join(c.name for c in table.silent)
                          + "。其数字截至最近一次收到的数据包。")
            note.setObjectName("muted")
            note.setWordWrap(True)
            self.figures_box.addWidget(note)


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())
