"""建会: the list of foundings and the founding's form — the chain strip on top (请示 → 批复 →
筹备组 → 发展会员 → 会员大会 → 选举结果批复 → 女职工委员会 → 法人登记, the buttons this user may
press now), the enterprise's facts (editable until the 请示 is sent), the steps taken, and each
step's documents (材料)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QInputDialog, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.errors import AppError
from app.fields.organisation import ACTIONS
from app.services import records
from app.services.organisation import founding
from ui.errors import show_error
from ui.kit.chain_strip import ChainStrip, ChainView
from ui.pages.hardship.lists import FormListPage
from ui.widgets.binding import RecordBinding
from ui.widgets.record_form import RecordFormDialog

BINDING = RecordBinding.of("union_founding", "organisation.union_founding", waiting=founding.waiting_text)
VIEW = ChainView(
    labels=tuple(founding.STRIP), position=founding.strip_position, marks=founding.strip_marks, status_labels=founding.STATUS_LABELS,
    actions=founding.available_actions, act=founding.act,
    status=lambda s, actor, rid: records.get(s, actor, "union_founding", rid).status,
    spec_key="union_founding", good=("registered",), danger=("return",), waiting=founding.waiting_text,
    button_texts={"apply": "报送", "approve": "批复并编号", "confirm": "批复并编号", "return": "退回",
                  "register": "登记"}, default_button="登记")


class StepsPanel(QWidget):
    """环节与材料: the steps taken (date, step, who, note) and the documents of each step."""

    def __init__(self, ctx, founding_id: str, parent=None):
        super().__init__(parent)
        self.ctx, self.founding_id = ctx, founding_id
        self.steps = QTableWidget(0, 4)
        self.steps.setHorizontalHeaderLabels(["日期", "环节", "经办人", "说明"])
        self.files = QTableWidget(0, 3)
        self.files.setHorizontalHeaderLabels(["环节", "文件", "大小"])
        for t in (self.steps, self.files):
            t.verticalHeader().hide()
            t.horizontalHeader().setStretchLastSection(True)
            t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("已办理的环节"))
        layout.addWidget(self.steps, 2)
        layout.addWidget(QLabel("各环节材料(请示、批复、会议记录、证书等的扫描件)"))
        layout.addWidget(self.files, 1)
        if records.may_write(ctx.actor, "union_founding"):
            row = QHBoxLayout()
            add = QPushButton("添加材料…")
            add.clicked.connect(self.choose_file)
            row.addWidget(add)
            row.addStretch(1)
            layout.addLayout(row)
        self.load()

    def load(self) -> None:
        with self.ctx.read() as s:
            steps = founding.history(s, self.ctx.actor, self.founding_id)
            rows = [(r.acted_on.isoformat(), dict(ACTIONS).get(r.action, r.action), r.actor_name,
                     r.opinion or "") for r in steps]
            files = [(a.note or "", a.file_name, f"{a.size / 1024:,.0f} KB")
                     for a in founding.attachments(s, self.ctx.actor, self.founding_id)]
        for table, data in ((self.steps, rows), (self.files, files)):
            table.setRowCount(len(data))
            for r, values in enumerate(data):
                for c, text in enumerate(values):
                    table.setItem(r, c, QTableWidgetItem(text))
        self.steps.resizeColumnsToContents()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择材料", "", "扫描件 (*.pdf *.jpg *.jpeg *.png)")
        if not path:
            return
        labels = [label for _key, label in ACTIONS if _key != "return"]
        label, ok = QInputDialog.getItem(self, "材料属于哪个环节", "环节:", labels, 0, False)
        if ok:
            self.add_file(Path(path), next(k for k, v in ACTIONS if v == label))

    def add_file(self, path: Path, step_key: str) -> bool:
        try:
            with self.ctx.write() as s:
                founding.attach(s, self.ctx.actor, self.founding_id, step_key, path.name, path.read_bytes())
        except (AppError, OSError) as exc:
            show_error(self, exc)
            return False
        self.load()
        return True


class FoundingForm(RecordFormDialog):
    stays_open_after_create = True  # a new 建会 is taken along its chain from its own form

    def __init__(self, ctx, record_id, parent=None, initial=None):
        super().__init__(ctx, BINDING, record_id, parent, initial)
        self.strip = ChainStrip(ctx, VIEW, self)
        self.strip.before_action = self._saved_first
        self.strip.acted.connect(lambda _k: self._refresh())
        self.layout().insertWidget(0, self.strip)
        self.steps_panel = None
        if record_id:
            self.steps_panel = StepsPanel(ctx, record_id, self)
            self.tabs.addTab(self.steps_panel, "环节与材料")
        self._refresh()

    def created(self) -> None:
        """Saved: the form stays on it, its first step now on the strip and its 环节与材料."""
        self.steps_panel = StepsPanel(self.ctx, self.record_id, self)
        self.tabs.addTab(self.steps_panel, "环节与材料")
        self._refresh()
        super().created()

    def _status(self) -> str:
        if not self.record_id:
            return "draft"
        with self.ctx.read() as s:
            return records.get(s, self.ctx.actor, "union_founding", self.record_id).status

    def _refresh(self) -> None:
        self.strip.load(self.record_id, self._status())
        if self.steps_panel is not None:
            self.steps_panel.load()
        if self.record_id:
            with self.ctx.read() as s:
                f = records.get(s, self.ctx.actor, "union_founding", self.record_id)
                stored = {key: getattr(f, key) for key in self.cells}
            for key, value in stored.items():
                self.cells[key].editor.set_stored(value)
            self._initial_raw = self._raw_values(all_fields=True)

    def _saved_first(self) -> bool:
        """A step follows what the form shows: unsaved edits are saved first."""
        return not self.dirty or self.save()

    def smoke_dialogs(self) -> list:
        return [(a.label, lambda a=a: self.strip.dialog_for(a)) for a in self.strip.actions]


class FoundingTab(FormListPage):
    def __init__(self, ctx, parent=None):
        super().__init__(ctx, BINDING, FoundingForm)

    def smoke_dialogs(self) -> list:
        out = super().smoke_dialogs()
        if self.model.rows:
            self._smoke_form = self.make_form(self.model.rows[0].id)
            out += self._smoke_form.smoke_dialogs()
        return out
