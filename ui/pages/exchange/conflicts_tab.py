"""冲突处理: the queue of two versions met in an import, possible duplicate persons, archive-number
clashes and integrity alarms; the side-by-side view with the differing fields highlighted (sensitive
numbers masked); keep one version or choose field by field, keep both persons or void one, renumber
one of two archives, acknowledge an alarm."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.security.abilities import may_resolve_conflicts
from ui.dialogs.ask import Ask
from ui.errors import show_error
from ui.pages.exchange.common import CLASH_BACKGROUND, DIFF_BACKGROUND, cell, fill_row, make_table, notice, when
from ui.qt_values import combo_value
from ui.theme import COLORS, icon
from ui.workers import run_in_background

STATUS_LABELS = {"open": "待处理", "resolved": "已处理", "superseded": "已被后续版本取代"}
SIDES = {"edit": ("本机版本", "对方版本"), "duplicate": ("本机原有的记录", "导入的记录"),
         "immutable": ("本机记录(已保留)", "对方发来的版本"),
         "number": ("本机原有的档案", "导入的档案"),
         "request": ("现在的值", "请求的值"), "request_out": ("现在的值", "请求的值")}
EXPLAIN = {
    "edit": "同一条记录在两处分别被修改。目前暂以{winner}版本为准(各台电脑一致)。请比较后决定保留哪个版本,"
            "或逐个字段选择;处理结果会随下一个数据包发给对方。",
    "duplicate": "导入的记录与本机一条记录的身份证号相同,可能是同一个人登记了两次。"
                 "请核对:不是同一人则两条都保留;是同一人则作废其中一条。",
    "immutable": "只增不改的记录(如发放台账)在对方被改动过。本机记录已保留,对方的版本没有写入。"
                 "请核查原因(必要时联系对方),核查后确认。",
    "number": "两台电脑在交换数据之前各自审批建档,给两份不同的档案编了同一个档案编号。两份档案都已保留。"
              "请为其中一份重新编号(取本县当年的下一个空号),用原编号打印的表格作废、需重新打印;"
              "新编号会随下一个数据包发给对方,对方的这一项随之自动消除。",
    "request": "上级工会请求更正或作废本单位的这条记录。记录只由本单位修改:核对后“执行”(按本单位的规则"
               "写入,如同在表单中修改),或“不同意”并写明理由。处理结果随下一个数据包发回。",
    "request_out": "这条记录属于{owner},本机不能修改;已向其提出请求,请求随下一个数据包发出,"
                   "对方处理后结果随其数据包发回。",
}
NOT_OURS = ("该记录属于{owner},冲突由{owner}处理(本机不能修改其记录);{owner}的处理结果随数据包到达后,"
            "此项自动消除。")


class ConflictDialog(QDialog):
    resolved = Signal()

    def __init__(self, ctx, view, parent=None, *, read_only: bool = False):
        super().__init__(parent)
        self.ctx, self.view = ctx, view
        self.choices: dict[str, QComboBox] = {}
        self.setWindowTitle(f"{view.kind_label} — {view.title}")
        self.setMinimumSize(820, 560)
        can_act = may_resolve_conflicts(ctx.actor) and view.status == "open" and not read_only \
            and view.owned_here and view.kind != "request_out"
        local_name, remote_name = SIDES.get(view.kind, SIDES["edit"])
        if view.kind in ("edit", "duplicate"):  # which unit (and PC) each version came from
            local_name, remote_name = f"{local_name}({view.sides[0]})", f"{remote_name}({view.sides[1]})"
        title = QLabel(f"{view.kind_label}:{view.title}“{view.label}”")
        title.setObjectName("pageTitle")
        meta = QLabel(f"来自 {view.peer_name or '—'} · 发现于 {when(view.detected_at)} · "
                      f"{STATUS_LABELS.get(view.status, view.status)}")
        meta.setObjectName("muted")
        winner = "对方" if view.winner == "remote" else "本机"
        text = EXPLAIN.get(view.kind, "").format(winner=winner, owner=view.owner_name)
        if view.kind in ("edit", "duplicate") and not view.owned_here:
            text = NOT_OURS.format(owner=view.owner_name) if view.kind == "edit" else text
        if view.moved:
            text += "该记录在这个冲突之后又被修改或处理过:“当前”一列是记录现在的值,请按它核对。"
        if view.resolution and view.kind.startswith("request"):
            text += "\n" + view.resolution
        explain = QLabel(text)
        explain.setWordWrap(True)
        self.only_diffs = QCheckBox("只显示不同的字段")
        self.only_diffs.toggled.connect(self._filter)
        self.show_current = view.kind == "edit" and view.moved
        headers = ["字段", local_name, remote_name] + (["当前"] if self.show_current else []) \
            + (["采用"] if view.kind == "edit" else [])
        self.table = make_table(headers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self._fill(can_act)
        legend = QLabel(("红色底色:两份档案相同的编号。" if view.kind == "number" else "")
                        + "黄色底色:两边不同的字段。带锁形图标的是关键字段(身份证号、姓名、金额、状态等),"
                        "两边都改过时从不自动合并。身份证号、电话、银行账号已脱敏显示。")
        legend.setObjectName("muted")
        legend.setWordWrap(True)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(meta)
        layout.addWidget(explain)
        differing = sum(f.differs for f in view.fields)
        counts = QLabel(f"共 {len(view.fields)} 个字段,其中 {differing} 个不同")
        counts.setObjectName("muted")
        filter_row = QHBoxLayout()
        filter_row.addWidget(counts)
        filter_row.addStretch(1)
        filter_row.addWidget(self.only_diffs)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        if not may_resolve_conflicts(ctx.actor) and view.status == "open":
            layout.addWidget(notice("处理冲突需要“录入和修改数据”的权限(经办人)。您可以查看,"
                                    "请由经办人登录处理。"))
        layout.addWidget(self.message)
        layout.addLayout(self._buttons(can_act))

    def _fill(self, can_act: bool) -> None:
        from app.sync.policy import number_key

        view = self.view
        clash = number_key(view.table) if view.kind == "number" else None
        self.table.setRowCount(len(view.fields))
        for r, f in enumerate(view.fields):
            items = [cell(f.label, bold=f.differs or f.key == clash), cell(f.local or "(空)"),
                     cell(f.remote or "(空)")] + ([cell(f.current or "(空)")] if self.show_current else [])
            if f.protected:
                items[0].setIcon(icon("lock"))
                items[0].setToolTip("关键字段:两边都改过时从不自动合并")
            fill_row(self.table, r, items)
            if f.differs or f.key == clash:
                for c in range(3):
                    self.table.item(r, c).setBackground(CLASH_BACKGROUND if f.key == clash
                                                        else DIFF_BACKGROUND)
            if view.kind == "edit" and f.differs:
                combo = QComboBox()
                combo.addItem("本机", "local")
                combo.addItem("对方", "remote")
                if self.show_current:
                    combo.addItem("当前", "current")
                combo.setCurrentIndex(2 if self.show_current else 1 if view.winner == "remote" else 0)
                combo.setEnabled(can_act)
                self.choices[f.key] = combo
                self.table.setCellWidget(r, self.table.columnCount() - 1, combo)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for c in range(1, 4 if self.show_current else 3):
            header.setSectionResizeMode(c, header.ResizeMode.Stretch)
        if view.kind == "edit":
            last = self.table.columnCount() - 1
            header.setSectionResizeMode(last, header.ResizeMode.Fixed)
            header.resizeSection(last, 96)
        # a long record with few differences opens on them; two different records are compared in full
        differing = sum(f.differs for f in view.fields)
        self.only_diffs.setChecked(view.kind not in ("duplicate", "number")
                                   and 0 < differing * 3 < len(view.fields))

    def _filter(self, only: bool) -> None:
        for r, f in enumerate(self.view.fields):
            self.table.setRowHidden(r, only and not f.differs)

    def _buttons(self, can_act: bool) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        actions = []
        if can_act and self.view.kind == "edit":
            actions = [("保留本机版本", lambda: self.resolve_edit(keep="local")),
                       ("保留对方版本", lambda: self.resolve_edit(keep="remote")),
                       ("按所选逐字段保存", lambda: self.resolve_edit(choices=self.field_choices()))]
        elif can_act and self.view.kind == "duplicate":
            actions = [("两条都保留(不是同一人)", lambda: self.resolve_duplicate("keep_both")),
                       ("作废导入的记录", lambda: self.resolve_duplicate("void_incoming")),
                       ("作废本机原有的记录", lambda: self.resolve_duplicate("void_existing"))]
        elif can_act and self.view.kind == "number":
            actions = [("为导入的档案重新编号", lambda: self.resolve_number("renumber_incoming")),
                       ("为本机原有的档案重新编号", lambda: self.resolve_number("renumber_existing"))]
        elif can_act and self.view.kind == "immutable":
            actions = [("已核查,保留本机记录", self.acknowledge)]
        elif can_act and self.view.kind == "request":
            actions = [("执行", lambda: self.answer(True)), ("不同意……", lambda: self.answer(False))]
        self.action_buttons = {}
        for text, slot in actions:
            b = QPushButton(text)
            b.setAutoDefault(False)  # Enter closes; a decision is always a click
            b.clicked.connect(slot)
            self.action_buttons[text] = b
            row.addWidget(b)
        close = QPushButton("关闭")
        close.setDefault(True)
        close.clicked.connect(self.reject)
        row.addWidget(close)
        return row

    def field_choices(self) -> dict[str, str]:
        return {key: combo_value(combo) for key, combo in self.choices.items()}

    def _run(self, fn, done_text) -> None:
        """``done_text``: the status-bar line, or a function of ``fn``'s result giving it."""
        from app.sync.decisions import ConflictMoved

        try:
            result = fn()
        except ConflictMoved as exc:  # shown again: the list reloads with the current values
            show_error(self, exc)
            self.resolved.emit()
            self.accept()
            return
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.ctx.status_message.emit(done_text(result) if callable(done_text) else done_text)
        self.resolved.emit()
        self.accept()

    def resolve_edit(self, *, keep: str | None = None, choices: dict | None = None) -> None:
        from app.sync import service

        ctx, cid, seen = self.ctx, self.view.id, self.view.current_vv
        self._run(lambda: service.resolve_edit(ctx.db, ctx.actor, cid, keep=keep, choices=choices,
                                               seen=seen),
                  f"已处理冲突:{self.view.label}")

    def answer(self, accept: bool) -> None:
        from app.sync import service

        note = ""
        if not accept:
            note = Ask.text(self, "不同意", f"请写明不同意的理由(发回给{self.view.peer_name}):")
            if not note:
                return
        ctx, rid = self.ctx, self.view.id
        self._run(lambda: service.answer_request(ctx.db, ctx.actor, rid, accept=accept, note=note),
                  f"已{'执行' if accept else '答复'}{self.view.peer_name}的请求:{self.view.label}")

    def resolve_duplicate(self, action: str) -> None:
        from app.sync import service

        if action != "keep_both":
            which = "导入的记录" if action == "void_incoming" else "本机原有的记录"
            if not Ask.confirm(self, "作废记录", f"作废{which}“{self.view.label}”?本单位的记录在本机作废,"
                               "作废后不再出现在列表中(可在修改历史中查到),随下一个数据包发给对方;"
                               "其他单位的记录不在本机修改,而是向其所属单位提出作废请求,由其处理。",
                               "作废", danger=True):
                return
        ctx, cid = self.ctx, self.view.id
        self._run(lambda: service.resolve_duplicate(ctx.db, ctx.actor, cid, action),
                  lambda done: f"疑似重复人员“{self.view.label}”:{done}")

    def resolve_number(self, action: str) -> None:
        from app.sync import service

        which = "导入的档案" if action == "renumber_incoming" else "本机原有的档案"
        if not Ask.confirm(self, "重新编号", f"为{which}重新编号?它将取本县当年的下一个空号,"
                           "用原编号打印的表格作废、需重新打印。", "重新编号"):
            return
        ctx, cid = self.ctx, self.view.id
        self._run(lambda: service.resolve_number(ctx.db, ctx.actor, cid, action),
                  lambda numbers: f"已为{which}重新编号:{numbers[0]} → {numbers[1]}")

    def acknowledge(self) -> None:
        from app.sync import service

        ctx, cid = self.ctx, self.view.id
        self._run(lambda: service.acknowledge_alarm(ctx.db, ctx.actor, cid), "已确认完整性警报")


class ConflictsTab(QWidget):
    changed = Signal()
    loaded = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.views = []
        self.status = QComboBox()
        for key, label in (("open", "待处理"), ("resolved", "已处理"), ("all", "全部")):
            self.status.addItem(label, key)
        self.status.activated.connect(lambda _i: self.refresh())
        self.county = QComboBox()  # at the city: the conflicts and requests of one county
        self.county.setAccessibleName("县(区)")
        self.county.addItem("全部", None)
        self.county.activated.connect(lambda _i: self._show(self.all_views))
        self.all_views = []
        self.open_button = QPushButton(icon("edit"), "查看并处理……")
        self.open_button.clicked.connect(self.open_selected)
        refresh = QPushButton(icon("refresh"), "刷新")
        refresh.clicked.connect(self.refresh)
        self.count = QLabel("")
        self.count.setObjectName("countLabel")
        top = QHBoxLayout()
        top.addWidget(QLabel("状态"))
        top.addWidget(self.status)
        self.report_button = self.checks_button = None
        if ctx.is_city:  # 精准识别 across the counties: print, and send down as 核查 requests
            top.addWidget(QLabel("县(区)"))
            top.addWidget(self.county)
            self.report_button = QPushButton(icon("print"), "打印重复人员核查表……")
            self.report_button.clicked.connect(self.print_report)
            self.checks_button = QPushButton("重复人员发各县核查……")
            self.checks_button.clicked.connect(self.send_checks)
            self.checks_button.setEnabled(may_resolve_conflicts(ctx.actor))
        top.addWidget(self.open_button)
        top.addWidget(refresh)
        top.addStretch(1)
        for b in (self.report_button, self.checks_button):
            if b is not None:
                top.addWidget(b)
        top.addWidget(self.count)
        self.table = make_table(["类别", "记录类型", "记录", "不同的字段", "所属单位", "两个版本来自",
                                 "发现时间", "状态"], stretch=3)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.itemSelectionChanged.connect(
            lambda: self.open_button.setEnabled(self.selected() is not None))
        self.empty = notice("没有待处理的冲突。两处分别修改了同一条记录、同一个人登记了两次或只增不改的记录"
                            "被改动时,导入后会列在这里。", "ok")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        if not may_resolve_conflicts(ctx.actor):
            note = QLabel("处理冲突需要“录入和修改数据”的权限(经办人);您可以查看。")
            note.setObjectName("muted")
            layout.addWidget(note)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        from app.sync import service

        ctx, status = self.ctx, combo_value(self.status)
        wanted = None if status == "all" else status
        self.count.setText("正在读取……")
        self._reads = getattr(self, "_reads", 0) + 1
        run_in_background(self, lambda _p: service.queue(ctx.db, ctx.actor, status=wanted),
                          lambda views, n=self._reads: self._loaded(views, n))

    def _loaded(self, views, n: int | None = None) -> None:
        if n is not None and n != self._reads:  # an older read (another status) finished late
            return
        self.all_views = views
        chosen = self.county.currentData()
        self.county.clear()
        self.county.addItem("全部", None)
        for owner, name in sorted({(v.owner_id, v.owner_name) for v in views if v.owner_id},
                                  key=lambda x: x[1]):
            self.county.addItem(name, owner)
        self.county.setCurrentIndex(max(0, self.county.findData(chosen)))
        self._show(views)

    def _show(self, views) -> None:
        owner = self.county.currentData()
        views = [v for v in views if owner is None or v.owner_id == owner]
        self.views = views
        self.table.setRowCount(len(views))
        for r, v in enumerate(views):
            diffs = "、".join(f.label for f in v.fields if f.differs) or "(各字段相同)"
            color = COLORS["warn"] if v.status == "open" else COLORS["muted"]
            came = " / ".join(v.sides) if v.kind in ("edit", "duplicate") else v.peer_name
            fill_row(self.table, r, [cell(v.kind_label, color=COLORS["error"] if v.kind == "immutable"
                                          else None, bold=True),
                                     v.title, v.label, diffs, v.owner_name, came, when(v.detected_at),
                                     cell(STATUS_LABELS.get(v.status, v.status), color=color)])
        self.count.setText(f"共 {len(views):,} 项")
        self.empty.setVisible(not views and combo_value(self.status) == "open")
        self.open_button.setEnabled(self.selected() is not None)
        self.loaded.emit()

    def selected(self):
        row = self.table.currentRow()
        return self.views[row] if 0 <= row < len(self.views) and self.table.selectedItems() else None

    def print_report(self):
        from app.printing.registry import PrintRequest
        from ui.dialogs.print_preview import PrintPreviewDialog

        dialog = PrintPreviewDialog(self.ctx, "duplicate_report", PrintRequest(), self)
        dialog.open()
        return dialog

    def send_checks(self) -> None:
        """Each record of a group of people registered twice that a county owns: a 核查 request to
        that county (one already waiting is not sent twice)."""
        from app.services import duplicates

        if not Ask.confirm(self, "发各县核查", "把全市身份证号相同的记录作为核查请求,随下一个数据包发给"
                           "各记录所属的县(区)?各县核对后作废多余的一条,或写明两条都保留的原因。",
                           "发出核查请求"):
            return
        try:
            with self.ctx.write() as s:
                n = duplicates.request_checks(s, self.ctx.actor, duplicates.groups(s, self.ctx.actor))
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.ctx.status_message.emit(f"已生成 {n} 项核查请求,随下一个数据包发给各县(区)" if n
                                     else "没有需要发出的核查请求")
        self.refresh()

    def make_dialog(self, view) -> ConflictDialog:
        dialog = ConflictDialog(self.ctx, view, self)
        dialog.resolved.connect(self._resolved)
        return dialog

    def open_selected(self) -> None:
        view = self.selected()
        if view is not None:
            self.make_dialog(view).exec()

    def _resolved(self) -> None:
        self.refresh()
        self.changed.emit()
