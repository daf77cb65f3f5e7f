"""导出: choose a trusted office, full or incremental → counts per record type → where to save
(a USB stick when one is plugged in, else a folder) → the export in the background (progress,
取消) → the read-back check and the file name."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QRadioButton, QStackedWidget, QVBoxLayout, QWidget

from app.security.abilities import may_exchange
from ui.errors import show_error, user_message
from ui.pages.exchange.common import DestinationChooser, StepStrip, cell, ensure_unlocked, fill_row, fit_table, make_table, no_permission, notice, when
from ui.theme import icon
from ui.workers import run_in_background

STEPS = ["选择接收单位", "预览", "保存位置", "完成"]


class ExportWizard(QWidget):
    exported = Signal(object)  # app.sync.export.ExportResult

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.targets = []
        self.preview = None
        self.result = None
        self.error: BaseException | None = None
        self.strip = StepStrip(STEPS)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._choose_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._where_page())
        self.stack.addWidget(self._done_page())
        self.back = QPushButton("上一步")
        self.back.clicked.connect(lambda: self.show_step(self.step - 1))
        self.next = QPushButton("下一步")
        self.next.setObjectName("primary")
        self.next.clicked.connect(self.go_next)
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.back)
        nav.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.strip)
        if not may_exchange(ctx.actor):
            layout.addWidget(no_permission(ctx, "导出数据包"))
            layout.addStretch(1)
            self.strip.hide()
            self.stack.hide()
            self.back.hide()
            self.next.hide()
        layout.addWidget(self.stack, 1)
        layout.addLayout(nav)
        self.step = 0
        if may_exchange(ctx.actor):
            self.reload_targets()
        self.show_step(0)

    # -- pages ---------------------------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = QWidget()
        self.peer_list = QListWidget()
        self.peer_list.currentRowChanged.connect(lambda _r: self._update_nav())
        self.peer_list.itemDoubleClicked.connect(lambda _i: self.go_next())
        self.no_peer = notice("还没有已信任的单位。请先在“信任的单位”中导入对方的密钥卡并电话核对指纹。")
        self.incremental = QRadioButton("增量:只发送对方还没有的数据(平时都选这一项)")
        self.full = QRadioButton("完整:发送全部数据(对方重装、丢失数据包或第一次交换时)")
        self.incremental.setChecked(True)
        group = QButtonGroup(page)
        group.addButton(self.incremental)
        group.addButton(self.full)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("发给哪个单位?")
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        layout.addWidget(self.no_peer)
        layout.addWidget(self.peer_list, 1)
        how = QLabel("导出方式")
        how.setObjectName("sectionTitle")
        layout.addWidget(how)
        layout.addWidget(self.incremental)
        layout.addWidget(self.full)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.preview_head = QLabel("")
        self.preview_head.setWordWrap(True)
        self.preview_table = make_table(["记录类型", "将发送的记录"], stretch=0)
        self.preview_empty = notice("没有需要发送的新数据。仍可导出一个空的增量数据包(对方导入后可确认双方一致)。")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        note = QLabel("这是按修改记录估算的条数;对方自己发来、本机未改动的记录不会再发回,实际条数可能略少。")
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(self.preview_head)
        layout.addWidget(self.preview_empty)
        layout.addWidget(self.preview_table)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def _where_page(self) -> QWidget:
        page = QWidget()
        self.dest = DestinationChooser("数据包")
        self.dest.changed.connect(self._update_nav)
        text = QLabel("数据包先在本机生成,再写入所选位置,写完后读回核对校验值,确认U盘上的文件完好。"
                      "文件已加密,只有接收单位能打开;U盘丢失也不会泄露数据。")
        text.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(text)
        layout.addWidget(self.dest)
        layout.addStretch(1)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_box = QVBoxLayout(page)
        self.done_box.setContentsMargins(0, 0, 0, 0)
        self.done_notice = notice("")
        self.done_details = QLabel("")
        self.done_details.setWordWrap(True)
        self.done_table = make_table(["记录类型", "记录", "其中作废"], stretch=0)
        self.done_box.addWidget(self.done_notice)
        self.done_box.addWidget(self.done_details)
        self.done_box.addWidget(self.done_table)
        self.done_box.addStretch(1)
        return page

    # -- navigation ----------------------------------------------------------------------------
    def reload_targets(self) -> None:
        from app.sync import service

        current = self.selected_peer()
        self.targets = service.export_targets(self.ctx.db, self.ctx.actor)
        self.peer_list.clear()
        for p in self.targets:
            kind = "本单位另一台电脑" if p.same_unit else p.level_label
            last = f"最近发出 {when(p.last_sent)},已发第 {p.out_seq} 号,对方确认到第 {p.acked_seq} 号"
            item = QListWidgetItem(icon("unit"), f"{p.unit_name}({p.unit_code},{kind})\n{last}")
            self.peer_list.addItem(item)
        if self.targets:
            ids = [p.id for p in self.targets]
            self.peer_list.setCurrentRow(ids.index(current.id) if current and current.id in ids else 0)
        self.no_peer.setVisible(not self.targets)
        self._update_nav()

    def selected_peer(self):
        row = self.peer_list.currentRow() if hasattr(self, "peer_list") else -1
        return self.targets[row] if 0 <= row < len(self.targets) else None

    def choose(self, peer_id: str, *, full: bool = False) -> None:
        self.peer_list.setCurrentRow([p.id for p in self.targets].index(peer_id))
        (self.full if full else self.incremental).setChecked(True)

    def show_step(self, step: int) -> None:
        self.step = max(0, min(step, len(STEPS) - 1))
        self.stack.setCurrentIndex(self.step)
        self.strip.set_current(self.step)
        self._update_nav()

    def _update_nav(self) -> None:
        step = self.step
        self.back.setVisible(step in (1, 2))
        self.next.setText({0: "下一步", 1: "下一步", 2: "导出", 3: "再导出一个"}[step])
        self.next.setIcon(icon({2: "export", 3: "refresh"}.get(step, "check"), "#ffffff"))
        ok = {0: self.selected_peer() is not None, 1: self.preview is not None,
              2: self.dest.destination() is not None, 3: True}[step]
        self.next.setEnabled(ok)

    def go_next(self) -> None:
        if not self.next.isEnabled():
            return
        if self.step == 0:
            ensure_unlocked(self, self.ctx, self.load_preview)
        elif self.step == 1:
            self.show_step(2)
        elif self.step == 2:
            ensure_unlocked(self, self.ctx, self.run_export)
        else:
            self.restart()

    def restart(self) -> None:
        self.preview = self.result = self.error = None
        self.reload_targets()
        self.show_step(0)

    # -- work ----------------------------------------------------------------------------------
    def load_preview(self) -> None:
        from app.sync import service

        ctx, peer, full = self.ctx, self.selected_peer(), self.full.isChecked()
        self.preview = None
        run_in_background(self, lambda _p: service.preview_export(ctx.db, ctx.actor, peer.id, full=full),
                          self.show_preview, title="正在统计要发送的记录")

    def show_preview(self, pv) -> None:
        self.preview = pv
        basis = ("完整数据包:发送全部数据" if pv.full else
                 f"增量数据包:第 {pv.basis_seq} 号之后的修改" if pv.basis_seq else
                 "增量数据包:此前没有向对方发过数据,将发送全部数据")
        self.preview_head.setText(f"发给 <b>{pv.peer.unit_name}</b>({pv.peer.unit_code}),"
                                  f"第 {pv.peer.out_seq + 1} 号。{basis}。共约 <b>{pv.total:,}</b> 条记录。")
        self.preview_table.setRowCount(len(pv.tables) + 1)
        for r, (title, n) in enumerate(pv.tables.items()):
            fill_row(self.preview_table, r, [title, cell(n, number=True)])
        fill_row(self.preview_table, len(pv.tables), [cell("合计", bold=True),
                                                     cell(pv.total, number=True, bold=True)])
        fit_table(self.preview_table)
        self.preview_table.setVisible(pv.total > 0)
        self.preview_empty.setVisible(pv.total == 0)
        self.show_step(1)

    def run_export(self) -> None:
        from app.sync import service

        ctx, peer, full, dest = self.ctx, self.preview.peer, self.preview.full, self.dest.destination()
        self.next.setEnabled(False)

        def failed(exc, tb) -> None:
            from app.progress import Cancelled

            self._update_nav()
            if isinstance(exc, Cancelled):
                ctx.status_message.emit("已取消导出")
                return
            message, bug = user_message(exc)
            if bug:
                show_error(self, exc, tb)
            self.error = exc
            self._show_failure(message)

        run_in_background(self, lambda progress: service.export(ctx.db, ctx.actor, peer.id, dest,
                                                                full=full, progress=progress),
                          self._show_result, failed, title=f"正在导出给{peer.unit_name}的数据包")

    def _show_failure(self, message: str) -> None:
        self.done_notice.set(f"导出没有完成:{message}\n本机记录的数据交换状态没有改变,可以重新导出。", "error")
        self.done_details.setText("")
        self.done_table.hide()
        self.show_step(3)

    def _show_result(self, r) -> None:
        from ui.pages.exchange.history_tab import table_title

        self.result = r
        self.done_notice.set(f"已导出并写入:{r.path}\n读回核对:文件校验值(SHA-256)一致,"
                             "写入的文件完好。", "ok")
        self.done_details.setText(
            f"文件名 <b>{r.path.name}</b> · {r.size / 1024:,.1f} KB · 第 {r.channel_seq} 号"
            f"{'完整' if r.full else '增量'}数据包 · {r.total_rows:,} 条记录 · {r.attachments} 个附件<br>"
            f"校验值 {r.sha256[:16]}…<br>"
            f"请把U盘交给{r.peer_name}。对方导入后会得到一个回执文件,带回来在“导入数据包”中导入,"
            "本机才知道对方已经收到。")
        self.done_table.setRowCount(len(r.counts))
        for row, (name, c) in enumerate(r.counts.items()):
            fill_row(self.done_table, row, [table_title(name), cell(c["rows"], number=True),
                                            cell(c.get("tombstones", 0), number=True)])
        fit_table(self.done_table)
        self.done_table.setVisible(bool(r.counts))
        self.show_step(3)
        self.ctx.status_message.emit(f"已导出 {r.path.name}")
        self.exported.emit(r)
