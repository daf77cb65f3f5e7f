"""基层组织: the tree of unions beside the chosen union's page — who leads it and how many members
it has (by status, its subtree counted), how it was founded (the 建会 chain, its steps and
buttons for what this user may do next), its elections and the term now running, and its
latest 会籍 changes — and the unions directly under it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.clock import today
from app.fields.organisation import ELECTION, MEMBERSHIP_EVENT
from app.services.organisation import founding, membership, union_page
from ui.kit.chain_strip import ChainStrip
from ui.pages.organisation import UNIT_BINDING
from ui.pages.organisation.founding import VIEW as FOUNDING_VIEW
from ui.widgets.list_page import ListPage
from ui.widgets.object_table import ObjectTable
from ui.widgets.unit_tree import UnitTree

FACTS = ("单位", "上级工会", "工会主席", "主席电话", "成立日期", "工会统一社会信用代码", "职工人数",
         "会员", "基层工会", "本届委员会")


class UnionPanel(QScrollArea):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id: str | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(8)
        self.title = QLabel("")
        self.title.setObjectName("pageTitle")
        layout.addWidget(self.title)
        facts = QGroupBox("基本情况")
        form = QFormLayout(facts)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.facts: dict[str, QLabel] = {}
        for name in FACTS:
            value = QLabel("")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[name] = value
            form.addRow(name + ":", value)
        layout.addWidget(facts)
        self.founding_box = QGroupBox("建会进程")
        fl = QVBoxLayout(self.founding_box)
        self.strip = ChainStrip(ctx, FOUNDING_VIEW)
        self.strip.acted.connect(lambda _k: self.show_unit(self.unit_id))
        self.steps = QLabel("")
        self.steps.setWordWrap(True)
        fl.addWidget(self.strip)
        fl.addWidget(self.steps)
        layout.addWidget(self.founding_box)
        elections = QGroupBox("换届选举")
        QVBoxLayout(elections).addWidget(self._table("elections", ELECTION, (
            "term_no", "election_on", "term_years", "term_ends_on", "eligible", "present", "seats",
            "candidates", "margin", "chair_name", "approval_no"), 150))
        layout.addWidget(elections)
        events = QGroupBox("会籍变动(最近 30 条,含下级工会)")
        QVBoxLayout(events).addWidget(self._table("events", MEMBERSHIP_EVENT, (
            "event_date", "kind", "member_id", "union_id", "doc_no"), 220))
        layout.addWidget(events)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)

    def _table(self, name: str, spec, columns, height: int) -> ObjectTable:
        table = ObjectTable(self.ctx, spec, columns)
        table.setMinimumHeight(height)
        setattr(self, name, table)
        return table

    def show_unit(self, unit_id: str | None) -> None:
        if unit_id is None:
            return
        self.unit_id = unit_id
        with self.ctx.read() as s:
            u = union_page.summary(s, self.ctx.actor, unit_id)
            self.elections.set_objects(s, u.elections)
            self.events.set_objects(s, u.events)
            unit = u.unit
            self.title.setText(f"{unit.name}({u.kind_label})")
            counts = "、".join(f"{label} {u.members[code]:,} 人" for code, label in membership.STATUS_LABELS.items()
                               if u.members.get(code))
            shown = {
                "单位": unit.enterprise_name or "", "上级工会": u.parent_name,
                "工会主席": unit.chair_name or "", "主席电话": _masked(unit.chair_phone),
                "成立日期": unit.founded_on.isoformat() if unit.founded_on else "",
                "工会统一社会信用代码": unit.union_uscc or "",
                "职工人数": "" if unit.worker_count is None else f"{unit.worker_count:,} 人",
                "会员": f"在册 {u.active:,} 人" + (f"({counts})" if counts else ""),
                "基层工会": "" if u.holds_members else f"{u.unions_below:,} 个",
                "本届委员会": u.term_text(today()) if u.holds_members else "",
            }
            f = u.founding
            chain = (f.id, f.status) if f is not None else None
            self.founding_box.setVisible(f is not None)
            if f is not None:
                steps = founding.history(s, self.ctx.actor, f.id)
                self.steps.setText("\n".join(f"{r.acted_on.isoformat()}  {dict(founding.ACTIONS)[r.action]}"
                                             for r in steps))  # one step a line, as a 建会 file lists them
        for name, text in shown.items():
            self.facts[name].setText(text)
            self.facts[name].parentWidget().layout().labelForField(self.facts[name]).setVisible(bool(text))
            self.facts[name].setVisible(bool(text))
        if chain is not None:
            self.strip.load(*chain)


def _masked(phone: str | None) -> str:
    from app.fields.masking import mask_field
    from app.fields.units import UNIT

    return mask_field(UNIT.field("chair_phone"), phone) if phone else ""


class UnionsTab(QWidget):
    """The tree; on the right 本会概况 (the union's page) and 下级单位 (the units directly under
    it — a new union goes under it)."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.list = ListPage(ctx, UNIT_BINDING)
        self.panel = UnionPanel(ctx)
        self.tree = UnitTree(ctx, include_grassroots=True)
        self.tree.setMinimumWidth(220)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.panel, "本会概况")
        self.tabs.addTab(self.list, "下级单位")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 1000])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.tree.unit_chosen.connect(self._chosen)
        self.tree.loaded.connect(lambda: self.panel.show_unit(self.tree.current_id() or self.tree.root_id))
        ctx.data_changed.connect(self._changed)

    def _chosen(self, unit_id: str | None, name: str, kind: str) -> None:
        unit_id = unit_id or self.tree.root_id
        self.panel.show_unit(unit_id)
        self.list.set_scope({"parent_id": unit_id}, name, options={"union": unit_id})
        self.list.new_values = {"parent_id": unit_id}

    def _changed(self, key: str) -> None:
        if key == "unit":
            self.tree.reload()
        elif key in ("member", "membership_event", "election", "union_founding"):
            self.panel.show_unit(self.panel.unit_id)

    def apply_filters(self, filters) -> None:
        self.tree.select(self.tree.root_id)
        self.tabs.setCurrentWidget(self.list)
        self.list.apply_filters(filters)

    def smoke_dialogs(self) -> list:
        return self.list.smoke_dialogs()
