"""导入: pick a .udbx file (those on a USB stick are listed) → every check and the dry run in the
background → the report per record type, or the refusal naming its step → 「导入 N 条」 →
progress → the final summary → a receipt for the sender, written where the user chooses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.security.abilities import may_exchange
from ui.errors import show_error, user_message
from ui.pages.exchange.common import (
    BUNDLE_FILTER,
    DestinationChooser,
    Pick,
    StepStrip,
    button_row,
    cell,
    ensure_unlocked,
    fill_row,
    fit_table,
    make_table,
    no_permission,
    notice,
)
from ui.theme import COLORS, icon
from ui.workers import run_in_background

STEPS = ["选择文件", "检查与试导入", "完成"]
# The checks in the order the importer makes them, each with the refusal codes it stands for.
CHECKS = [
    ("复制到本机", ("E_IO",)),
    ("文件完整、压缩包结构与安全", ("E_TRUNCATED", "E_ZIP", "E_UNSAFE")),
    ("清单与版本", ("E_FORMAT", "E_FORMAT_NEWER", "E_SCHEMA_NEWER")),
    ("发送方已信任、签名正确", ("E_UNTRUSTED", "E_SIG_INVALID")),
    ("接收方是本单位", ("E_WRONG_RECIPIENT",)),
    ("此前未导入过", ("E_REPLAY",)),
    ("没有缺少此前的数据包", ("E_GAP",)),
    ("每个文件的校验值", ("E_HASH",)),
    ("解密", ("E_DECRYPT",)),
    ("逐条校验记录(试导入,不写入)", ("E_ROWS",)),
]
REPORT_HEADERS = ["记录类型", "新增", "更新", "未变", "冲突", "疑似重复人员", "拒收"]
ITEM_LABELS = {"conflict": "冲突", "duplicate": "疑似重复人员", "refused": "拒收",
               "merged": "自动合并", "alarm": "完整性警报"}


def checklist_html(failed_code: str | None) -> str:
    """✔ for the checks passed, ✘ for the one that refused, grey for those not reached; all
    passed: one line."""
    if failed_code is None:
        return (f"<span style='color:{COLORS['ok']}'>✔ {len(CHECKS)} 项检查全部通过</span>"
                f"<span style='color:{COLORS['muted']}'>(发送方签名、接收方、未导入过、不缺前序数据包、"
                "校验值、解密、逐条校验记录)</span>")
    lines, failed = [], False
    for name, codes in CHECKS:
        if failed:
            lines.append(f"<span style='color:{COLORS['muted']}'>○ {name}(未进行)</span>")
        elif failed_code in codes:
            failed = True
            lines.append(f"<span style='color:{COLORS['error']}'><b>✘ {name}</b></span>")
        else:
            lines.append(f"<span style='color:{COLORS['ok']}'>✔ {name}</span>")
    return "<br>".join(lines)


def rows_to_write(report) -> int:
    return report.count("new") + report.count("updated") + report.count("conflicts")


def apply_label(report) -> str:
    if not report.channel_seq:
        return "导入回执"
    n = rows_to_write(report)
    return f"导入 {n:,} 条" if n else "导入(没有新数据)"


class ImportWizard(QWidget):
    imported = Signal(object)  # the applied DryRunReport
    conflicts_requested = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        self.session = None  # app.sync.importer.ImportSession between the dry run and the apply
        self.refusal = None
        self.final = None
        self.receipt_path: Path | None = None
        self._receipt_peer: str | None = None
        self.strip = StepStrip(STEPS)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_page())
        self.stack.addWidget(self._report_page())
        self.stack.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.strip)
        if not may_exchange(ctx.actor):
            layout.addWidget(no_permission(ctx, "导入数据包"))
            layout.addStretch(1)
            self.strip.hide()
            self.stack.hide()
        layout.addWidget(self.stack, 1)
        self.show_step(0)

    # -- step 1: the file ------------------------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        self.found = QListWidget()
        self.found.currentRowChanged.connect(self._found_chosen)
        self.found.itemDoubleClicked.connect(lambda _i: self.check())
        self.found_note = QLabel("")
        self.found_note.setObjectName("muted")
        rescan = QPushButton(icon("refresh"), "重新检测U盘")
        rescan.clicked.connect(self.scan_drives)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("选择一个 .udbx 数据包或回执文件")
        browse = QPushButton("浏览……")
        browse.clicked.connect(self.browse)
        self.check_button = QPushButton(icon("verify", "#ffffff"), "检查并试导入")
        self.check_button.setObjectName("primary")
        self.check_button.clicked.connect(self.check)
        # a stick with several bundles (weekly ones, or every county's): one go, in sequence order
        self.all_button = QPushButton(icon("import"), "全部导入(按编号顺序)……")
        self.all_button.clicked.connect(self.import_all)
        self.all_result = QLabel("")
        self.all_result.setWordWrap(True)
        head = QHBoxLayout()
        title = QLabel("U盘上的数据包")
        title.setObjectName("sectionTitle")
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(rescan)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("文件"))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        explain = QLabel("检查全部通过后先给出试导入报告(新增、更新、冲突……),确认后才写入;"
                         "写入前自动备份,任何一步不通过都不会改动本机数据。")
        explain.setWordWrap(True)
        explain.setObjectName("muted")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.found, 1)
        layout.addWidget(self.found_note)
        layout.addLayout(file_row)
        layout.addWidget(explain)
        layout.addWidget(self.all_result)
        layout.addLayout(button_row(self.all_button, self.check_button))
        self.found_paths: list[Path] = []
        self.scan_drives()
        return page

    def scan_drives(self) -> None:
        from app.sync import service

        found = []
        for drive in service.removable_drives():
            try:
                found += [p for pattern in ("*.udbx", "*/*.udbx") for p in drive.path.glob(pattern)]
            except OSError:
                continue
        found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        self.found_paths = found
        self.found.clear()
        for p in found:
            self.found.addItem(QListWidgetItem(icon("import"), f"{p.name}\n{p.parent}"))
        self.found_note.setText(f"在U盘上找到 {len(found)} 个数据包" if found else
                                "没有在U盘上找到数据包(.udbx)。可插入U盘后重新检测,或点“浏览”选择文件。")
        self.all_button.setEnabled(len(found) > 1)

    def import_all(self) -> None:
        from ui.dialogs.ask import Ask

        paths = list(self.found_paths)
        if not paths or not Ask.confirm(
                self, "全部导入", f"导入U盘上的 {len(paths)} 个数据包?按每台发送电脑的编号顺序逐个检查并导入"
                "(先自动备份);已导入过的跳过,某个被拒收时同一发送方之后的数据包不再导入。", "全部导入"):
            return
        ensure_unlocked(self, self.ctx, lambda: self._import_all(paths))

    def _import_all(self, paths) -> None:
        from app.sync import service

        ctx = self.ctx
        self.all_button.setEnabled(False)
        self.all_result.setText("正在导入……")

        def done(items) -> None:
            self.all_button.setEnabled(True)
            self.all_result.setText(_html("\n".join(
                f"{i.path.name}:{i.status_label}" + (f"({i.message})" if i.message else "")
                for i in items)))
            for i in items:
                if i.status == "imported":
                    self.imported.emit(i.report)

        def failed(exc, _tb) -> None:
            self.all_button.setEnabled(True)
            self.all_result.setText("导入失败:" + user_message(exc)[0])

        run_in_background(self, lambda progress: service.import_all(ctx.db, ctx.actor, paths, progress),
                          done, failed)

    def _found_chosen(self, row: int) -> None:
        if 0 <= row < len(self.found_paths):
            self.set_file(self.found_paths[row])

    def browse(self) -> None:
        path = Pick.open_file(self, "选择数据包", BUNDLE_FILTER)
        if path is not None:
            Pick.remember(path)
            self.set_file(path)

    def set_file(self, path: Path) -> None:
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self.check_button.setEnabled(True)

    # -- step 2: checks and the dry-run report ---------------------------------------------------
    def _report_page(self) -> QWidget:
        page = QWidget()
        self.checks = QLabel("")
        self.checks.setWordWrap(True)
        self.refused_notice = notice("", "error")
        self.report_head = QLabel("")
        self.report_head.setWordWrap(True)
        self.warnings = notice("")
        self.report_table = make_table(REPORT_HEADERS, stretch=0)
        self.items_title = QLabel("需要注意的记录")
        self.items_title.setObjectName("sectionTitle")
        self.items_table = make_table(["类别", "记录类型", "记录", "说明"], stretch=3)
        self.apply_button = QPushButton(icon("import", "#ffffff"), "导入")
        self.apply_button.setObjectName("primary")
        self.apply_button.clicked.connect(self.apply)
        self.again_button = QPushButton("重新选择文件")
        self.again_button.clicked.connect(self.restart)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.checks)
        layout.addWidget(self.refused_notice)
        layout.addWidget(self.report_head)
        layout.addWidget(self.warnings)
        layout.addWidget(self.report_table)
        layout.addWidget(self.items_title)
        layout.addWidget(self.items_table, 100)
        layout.addStretch(1)
        layout.addLayout(button_row(self.again_button, self.apply_button))
        return page

    def check(self) -> None:
        if self.path is None:
            return
        ensure_unlocked(self, self.ctx, self._check)

    def _check(self) -> None:
        from app.sync import service

        ctx, path = self.ctx, self.path
        self._close_session()
        self.check_button.setEnabled(False)

        def failed(exc, tb) -> None:
            from app.progress import Cancelled

            self.check_button.setEnabled(True)
            if isinstance(exc, Cancelled):
                return
            self.show_refusal(exc, tb)

        run_in_background(self, lambda progress: service.open_import(ctx.db, ctx.actor, path, progress),
                          self.show_report, failed, title="正在检查数据包")

    def show_refusal(self, exc, tb: str = "") -> None:
        from app.sync.errors import BundleError

        self.refusal = exc
        message, bug = user_message(exc)
        if bug:
            show_error(self, exc, tb)
        if isinstance(exc, BundleError):
            self.checks.setText(checklist_html(exc.code))
            text = (f"<b>拒收:在“{exc.step}”这一步没有通过。</b><br>{_html(exc.plain)}<br>"
                    f"本机数据没有任何改动。<span style='color:{COLORS['muted']}'>(代码 {exc.code})</span>")
        else:
            self.checks.setText("")
            text = f"<b>没有导入:</b>{_html(message)}<br>本机数据没有任何改动。"
        self.refused_notice.set(text, "error")
        self.refused_notice.show()
        for w in (self.report_head, self.warnings, self.report_table, self.items_title,
                  self.items_table, self.apply_button):
            w.hide()
        self.again_button.show()
        self.show_step(1)

    def show_report(self, session) -> None:
        self.session, self.refusal = session, None
        rep = session.report
        self.checks.setText(checklist_html(None))
        self.refused_notice.hide()
        self.report_head.show()
        if not rep.channel_seq:  # a receipt
            self.report_head.setText(f"来自 <b>{rep.sender_name}</b>({rep.sender_code})的回执。")
        else:
            self.report_head.setText(
                f"来自 <b>{rep.sender_name}</b>({rep.sender_code})的第 {rep.channel_seq} 号"
                f"{'完整' if rep.full else '增量'}数据包,生成于 {rep.created_at[:19].replace('T', ' ')}。"
                "以下是试导入的结果,<b>尚未写入</b>:")
        self._fill_report(rep)
        self.apply_button.setText(apply_label(rep))
        self.apply_button.setEnabled(True)
        self.apply_button.show()
        self.again_button.show()
        self.again_button.setText("放弃,重新选择文件")
        self.show_step(1)

    def _fill_report(self, rep, table=None, items=None, warnings=None, kinds=None) -> None:
        """The counts table, the warnings and the items (``kinds``: only those kinds)."""
        table = table or self.report_table
        items = items or self.items_table
        warnings = warnings or self.warnings
        receipt = not rep.channel_seq
        table.setRowCount(len(rep.tables) + 1 if rep.tables else 0)
        keys = ("new", "updated", "unchanged", "conflicts", "duplicates", "refused")
        for r, t in enumerate(rep.tables):
            fill_row(table, r, [t.title] + [self._count(getattr(t, k), k) for k in keys])
        if rep.tables:
            fill_row(table, len(rep.tables), [cell("合计", bold=True)] +
                     [self._count(rep.count(k), k, bold=True) for k in keys])
        fit_table(table, max_rows=12)
        table.setVisible(not receipt and bool(rep.tables))
        notes = list(rep.warnings) + rep.schema_notes()
        if rep.attachments_total:
            notes.append(f"附件 {rep.attachments_total} 个,其中本机没有的 {rep.attachments_new} 个")
        warnings.set("\n".join(notes))
        warnings.setVisible(bool(notes))
        shown = [it for it in rep.items if kinds is None or it.kind in kinds]
        items.setRowCount(len(shown))
        for r, it in enumerate(shown):
            color = COLORS["error"] if it.kind in ("refused", "alarm") else \
                COLORS["warn"] if it.kind in ("conflict", "duplicate") else COLORS["muted"]
            fill_row(items, r, [cell(ITEM_LABELS.get(it.kind, it.kind), color=color, bold=True),
                                it.title, it.label, it.message])
        items.setVisible(bool(shown))
        if items is self.items_table:
            self.items_title.setVisible(bool(shown))

    @staticmethod
    def _count(n: int, key: str, bold: bool = False):
        color = None
        if n and key == "refused":
            color = COLORS["error"]
        elif n and key in ("conflicts", "duplicates"):
            color = COLORS["warn"]
        return cell(n, number=True, color=color, bold=bold)

    def apply(self) -> None:
        if self.session is None:
            return
        session = self.session
        self.apply_button.setEnabled(False)

        def failed(exc, tb) -> None:
            from app.progress import Cancelled
            from app.sync.errors import BundleError

            self.apply_button.setEnabled(True)
            if isinstance(exc, Cancelled):
                self.ctx.status_message.emit("已取消导入,未写入任何数据")
                return
            if isinstance(exc, BundleError):
                self._close_session()
                self.show_refusal(exc, tb)
            else:
                show_error(self, exc, tb)

        def done(report) -> None:
            peer_id = session.checked.peer_id
            self._close_session()
            self.show_done(report, peer_id)

        run_in_background(self, lambda progress: session.apply(progress), done, failed,
                          title="正在导入")

    # -- step 3: done, and the receipt -----------------------------------------------------------
    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_notice = notice("", "ok")
        self.done_table = make_table(REPORT_HEADERS, stretch=0)
        self.done_items = make_table(["类别", "记录类型", "记录", "说明"], stretch=3)
        self.done_warnings = notice("")
        self.conflicts_notice = notice("")
        self.to_conflicts = QPushButton(icon("warn"), "去处理冲突")
        self.to_conflicts.clicked.connect(self.conflicts_requested.emit)
        self.receipt_box = QGroupBox("回执")
        rb = QVBoxLayout(self.receipt_box)
        text = QLabel("把回执带回给发送单位导入,对方就知道这个数据包已经送达,下次从这里接着发送。")
        text.setWordWrap(True)
        self.receipt_dest = DestinationChooser("回执")
        self.receipt_button = QPushButton(icon("export", "#ffffff"), "写回执")
        self.receipt_button.setObjectName("primary")
        self.receipt_button.clicked.connect(self.write_receipt)
        self.receipt_dest.changed.connect(
            lambda: self.receipt_button.setEnabled(self.receipt_dest.destination() is not None))
        self.receipt_done = QLabel("")
        self.receipt_done.setWordWrap(True)
        rb.addWidget(text)
        rb.addWidget(self.receipt_dest)
        rb.addLayout(button_row(self.receipt_done, self.receipt_button))
        another = QPushButton("导入另一个数据包")
        another.clicked.connect(self.restart)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.done_notice)
        layout.addWidget(self.done_warnings)
        layout.addWidget(self.done_table)
        layout.addWidget(self.done_items, 100)
        conflict_row = QHBoxLayout()
        conflict_row.addWidget(self.conflicts_notice, 1)
        conflict_row.addWidget(self.to_conflicts)
        layout.addLayout(conflict_row)
        layout.addStretch(1)
        layout.addWidget(self.receipt_box)
        layout.addLayout(button_row(another))
        return page

    def show_done(self, rep, peer_id: str | None) -> None:
        self.final = rep
        self._receipt_peer = peer_id
        if not rep.channel_seq:
            self.done_notice.set(f"已导入{rep.sender_name}的回执。" + ";".join(rep.warnings), "ok")
        else:
            self.done_notice.set(
                f"已导入{rep.sender_name}的第 {rep.channel_seq} 号数据包:新增 {rep.count('new'):,} 条,"
                f"更新 {rep.count('updated'):,} 条,冲突 {rep.count('conflicts'):,} 项,"
                f"疑似重复人员 {rep.count('duplicates'):,} 项,拒收 {rep.count('refused'):,} 条。"
                "导入前已自动备份数据库。", "ok")
        # conflicts and duplicates wait in 冲突处理; refusals are only shown here
        self._fill_report(rep, self.done_table, self.done_items, self.done_warnings,
                          kinds=("refused", "alarm"))
        queued = rep.count("conflicts") + rep.count("duplicates")
        self.conflicts_notice.set(f"有 {queued:,} 项冲突或疑似重复人员需要人工处理。")
        self.conflicts_notice.setVisible(bool(queued))
        self.to_conflicts.setVisible(bool(queued))
        self.receipt_box.setVisible(bool(rep.channel_seq))
        self.receipt_done.setText("")
        self.receipt_path = None
        self.receipt_dest.rescan()
        self.show_step(2)
        self.ctx.status_message.emit("导入完成")
        self.imported.emit(rep)

    def write_receipt(self) -> None:
        ensure_unlocked(self, self.ctx, self._write_receipt)

    def _write_receipt(self) -> None:
        from app.sync import service

        ctx, dest, peer_id = self.ctx, self.receipt_dest.destination(), self._receipt_peer
        if dest is None:
            return

        def done(path) -> None:
            self.receipt_path = path
            self.receipt_done.setText(f"✔ 回执已写入 {path}")

        run_in_background(self, lambda _p: service.write_receipt(ctx.db, ctx.actor, dest, peer_id=peer_id),
                          done, title="正在写回执", cancellable=False)

    # -- navigation ----------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self.strip.set_current(step)
        if step == 0:
            self.check_button.setEnabled(self.path is not None)

    def restart(self) -> None:
        self._close_session()
        self.final = self.refusal = None
        self.path = None
        self.file_edit.clear()
        self.scan_drives()
        self.show_step(0)

    def _close_session(self) -> None:
        if self.session is not None:
            self.session.close()  # removes the local copy of a bundle not applied
            self.session = None

    def can_close(self) -> bool:
        self._close_session()
        return True



def _html(text: str) -> str:
    from html import escape

    return escape(text).replace("\n", "<br>")
