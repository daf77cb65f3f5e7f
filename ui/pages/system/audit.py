"""审计日志 (auditor and administrator): the newest entries first, by action, more on demand, and
a check of the whole hash chain in the background."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.security.audit_labels import ACTION_LABELS, action_label
from app.security.roles import role_label
from app.services.audit_view import recent_entries
from ui.dialogs.ask import Ask
from ui.qt_values import EMPTY, combo_value
from ui.theme import icon
from ui.workers import run_in_background

PAGE = 200
HEADERS = ["序号", "时间", "用户", "角色", "操作", "结果", "内容"]


def _role(role: str) -> str:
    return "系统" if role == "system" else role_label(role) if role else ""


class AuditLogTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.oldest_seq: int | None = None
        self.action = QComboBox()
        self.action.addItem("全部操作", EMPTY)
        for key, label in ACTION_LABELS.items():
            self.action.addItem(label, key)
        self.action.activated.connect(lambda _i: self.reload())
        refresh = QPushButton(icon("refresh"), "刷新")
        refresh.clicked.connect(self.reload)
        self.more = QPushButton("加载更早的记录")
        self.more.clicked.connect(self.load_more)
        verify = QPushButton(icon("verify"), "校验哈希链")
        verify.setToolTip("逐条核对审计记录的哈希链,发现被修改、删除或截断的记录")
        verify.clicked.connect(self.verify)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.note = QLabel("审计日志只能追加,任何人(包括系统管理员)都不能修改或删除。")
        self.note.setObjectName("muted")
        top = QHBoxLayout()
        top.addWidget(QLabel("操作"))
        top.addWidget(self.action)
        top.addWidget(refresh)
        top.addStretch(1)
        top.addWidget(verify)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.reload()

    def reload(self) -> None:
        self.table.setRowCount(0)
        self.oldest_seq = None
        self.load_more()

    def load_more(self) -> None:
        with self.ctx.read() as s:
            rows = recent_entries(s, self.ctx.actor, limit=PAGE, action=combo_value(self.action),
                                  before_seq=self.oldest_seq)
        start = self.table.rowCount()
        self.table.setRowCount(start + len(rows))
        for r, e in enumerate(rows, start):
            cells = (f"{e.seq:,}", e.local_time, e.username, _role(e.role),
                     action_label(e.action), "成功" if e.success else "失败", e.summary)
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if rows:
            self.oldest_seq = rows[-1].seq
        self.more.setEnabled(len(rows) == PAGE)

    def verify(self) -> None:
        ctx = self.ctx

        def work(_progress):
            from app.sync.anchors import verify_anchored

            return verify_anchored(ctx.db)

        def done(result) -> None:
            if result.ok:
                Ask.info(self, "审计日志完整", f"已校验 {result.checked:,} 条审计记录,哈希链完整,与本机 "
                         f"{result.checkpoints} 个签名检查点相符,未发现修改、删除或截断。")
            else:
                Ask.info(self, "审计日志有问题", "\n".join(result.problems[:8])
                         + f"\n(已校验 {result.checked:,} 条)。"
                         "请立即报告单位负责人和技术支持,并保留本机数据库文件和审计检查点文件。")

        run_in_background(self, work, done, title="正在校验审计日志", cancellable=False)
