"""收发记录: every bundle sent and received here — when, which way, with whom (the unit and which
of its PCs: two PCs of one county each number their own bundles), how many records of which kinds,
by whom, and whether the other side's receipt confirmed it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.pages.exchange.common import cell, fill_row, make_table, when
from ui.qt_values import EMPTY, combo_value
from ui.theme import COLORS, icon

HEADERS = ["时间", "方向", "单位", "对方电脑", "内容", "记录数", "明细", "经办人", "对方确认", "文件"]


def table_title(name: str) -> str:
    from app.fields.registry import spec_for_table

    spec = spec_for_table(name)
    return spec.title if spec else name


def detail_text(entry) -> str:
    if entry.kind == "receipt":
        return ""
    parts = []
    for name, c in entry.counts.items():
        if not isinstance(c, dict):
            continue
        if entry.direction == "out":
            text = f"{c.get('rows', 0):,}" + (f"(含作废 {c['tombstones']:,})" if c.get("tombstones") else "")
        else:
            bits = [(k, c.get(k, 0)) for k in ("new", "updated", "conflicts", "duplicates", "refused")]
            labels = {"new": "新增", "updated": "更新", "conflicts": "冲突", "duplicates": "疑似重复",
                      "refused": "拒收"}
            text = " ".join(f"{labels[k]} {v:,}" for k, v in bits if v) or "无变化"
        parts.append(f"{table_title(name)} {text}")
    return ";".join(parts)


def content_text(entry) -> str:
    if entry.kind == "receipt":
        return (f"回执:对方确认收到第 {entry.channel_seq} 号及以前" if entry.direction == "in"
                else f"回执:本机已收到对方第 {entry.channel_seq} 号及以前")
    return f"第 {entry.channel_seq} 号{'完整' if entry.full else '增量'}数据包"


class HistoryTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.entries = []
        self.peer = QComboBox()
        self.peer.activated.connect(lambda _i: self.refresh())
        refresh = QPushButton(icon("refresh"), "刷新")
        refresh.clicked.connect(self.refresh)
        self.count = QLabel("")
        self.count.setObjectName("countLabel")
        top = QHBoxLayout()
        top.addWidget(QLabel("单位"))
        top.addWidget(self.peer)
        top.addWidget(refresh)
        top.addStretch(1)
        top.addWidget(self.count)
        self.table = make_table(HEADERS, stretch=6)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(len(HEADERS) - 1, header.ResizeMode.Interactive)
        header.resizeSection(len(HEADERS) - 1, 220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.refresh()

    def _fill_peers(self) -> None:
        from app.sync import service

        current = combo_value(self.peer)
        self.peer.clear()
        self.peer.addItem("全部单位", EMPTY)
        for p in service.peers(self.ctx.db, self.ctx.actor):
            self.peer.addItem(f"{p.unit_name}({p.unit_code})", p.id)
        index = self.peer.findData(current) if current else 0
        self.peer.setCurrentIndex(max(index, 0))

    def refresh(self) -> None:
        from app.sync import service

        self._fill_peers()
        self.entries = service.history(self.ctx.db, self.ctx.actor, peer_id=combo_value(self.peer))
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            out = e.direction == "out"
            if e.kind == "receipt" or not out:
                acked = cell("—", color=COLORS["muted"])
            else:
                acked = cell("✔ 已确认", color=COLORS["ok"]) if e.acked else cell("未确认", color=COLORS["warn"])
            device = e.device.removeprefix(e.peer_name).strip("()") or "—"
            if e.by_other_pc:  # a copied history: sent or received by the PC this one was copied from
                device += "(复制来源电脑的记录)"
            fill_row(self.table, r, [when(e.at), "↑ 发出" if out else "↓ 收到", e.peer_name, device,
                                     content_text(e), cell(e.rows if e.kind == "data" else "", number=True),
                                     detail_text(e), e.username, acked, e.file_name])
            self.table.item(r, 6).setToolTip(detail_text(e).replace(";", "\n"))
            self.table.item(r, 9).setToolTip(e.file_name)
        sent = sum(1 for e in self.entries if e.direction == "out" and e.kind == "data")
        got = sum(1 for e in self.entries if e.direction == "in" and e.kind == "data")
        self.count.setText(f"发出 {sent} 个 · 收到 {got} 个数据包")
