"""The archive form: the generic record form (every field of the national 困难职工档案表 in titled
sections, the family and rigid-expense sub-tables) plus

- the workflow strip on top (``WorkflowStrip``), its buttons only for what this user may do now;
- a live 认定结果 panel: per-capita income and the proposed grade with its working, recomputed by
  the core (``archives.preview``) as incomes, family rows and expenses are typed; a grade other
  than the proposal needs a written reason (改定困难类别);
- tabs 审核记录, 家庭救助台账, 附件 (scans: JPEG/PNG/PDF), and the 打印 ▾ of the archive's forms.

Editable only while the core allows it (draft, returned, archived; never during review).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from app.fields.hardship import ARCHIVE
from app.fields.spec import Field, Kind
from app.services.hardship import archives, workflow
from app.validation import format_yuan
from ui.dialogs.fields_dialog import FieldsDialog
from ui.pages.hardship.archive_tabs import AttachmentsTab, LedgerTab, ReviewsTab
from ui.pages.hardship.bindings import ARCHIVE_BINDING
from ui.pages.hardship.workflow_strip import WorkflowStrip
from ui.widgets.file_actions import record_print_button
from ui.widgets.record_form import RecordFormDialog

# the inputs of the proposal: typing any of them recomputes it
ECONOMY = ("union_id", "id_number", "monthly_income_fen", "other_annual_income_fen",
           "accident_event", "accident_costs_fen", "exclusions", "applied_on")
DERIVED = ("per_capita_fen", "proposed_category", "household_size", "family_annual_income_fen",
           "rigid_expense_fen")
PREVIEW_DELAY_MS = 200
OVERRIDE_FIELDS = (
    Field("category", "困难类别", Kind.CODE, code_table="hardship_category",
          help="与系统认定不同时须写明理由;选回系统认定的类别即恢复系统认定,空着表示不予认定"),
    Field("category_reason", "改定理由", Kind.TEXTAREA, max_len=500,
          help="如:经入户调查,家庭实际支出远高于申报"),
)


class ArchiveFormDialog(RecordFormDialog):
    stays_open_after_create = True  # a new archive is submitted (提交申请) from its own form
    def __init__(self, ctx, record_id: str | None = None, parent=None, initial=None):
        binding = ARCHIVE_BINDING
        self.status = "draft"
        self.override_refused: str | None = None
        if record_id:
            with ctx.read() as s:
                archive = archives.get_archive(s, ctx.actor, record_id)
                self.status = archive.status
                self.override_refused = workflow.override_refusal(s, ctx.actor, archive)
                if not workflow.may_edit(s, ctx.actor, archive):
                    binding = replace(binding, update=None)
        self.assessment = None
        super().__init__(ctx, binding, record_id, parent, initial)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.compute_preview)

        self.strip = WorkflowStrip(ctx, self)
        self.strip.before_action = self.save_pending
        self.strip.acted.connect(lambda _key: self.reload())
        head = QHBoxLayout()
        head.addWidget(self.strip, 1)
        self.print_button = record_print_button(ctx, ARCHIVE.key, lambda: self.record_id, self)
        if self.print_button is not None:
            head.addWidget(self.print_button)
        self.layout().insertLayout(0, head)
        self._build_result_panel()
        self._hide_field("eligibility_text")  # the panel above shows the working, live
        self._employer_default = None
        self.cells["union_id"].editor.changed.connect(self._union_chosen)
        for key in ECONOMY:
            if key in self.cells:
                self.cells[key].editor.changed.connect(self._schedule_preview)
        for editor in self.children_editors.values():
            editor.changed.connect(self._schedule_preview)
        if record_id:
            self._add_record_tabs()
        self.strip.load(record_id, self.status)
        self.resize(1100, 720)
        self.compute_preview()

    def _add_record_tabs(self) -> None:
        """审核记录, 家庭救助台账, 附件: a stored archive's."""
        self.reviews = ReviewsTab(self.ctx, self.record_id)
        self.ledger = LedgerTab(self.ctx, self.record_id)
        self.attachments = AttachmentsTab(self.ctx, self.record_id, self.status)
        self.tabs.insertTab(1, self.reviews, "审核记录")
        self.tabs.insertTab(2, self.ledger, "家庭救助台账")
        self.tabs.insertTab(3, self.attachments, "附件")
        self.tabs.currentChanged.connect(self._tab_shown)

    def created(self) -> None:
        """Saved as a draft: the form stays on it, 提交申请 now on the strip."""
        self._add_record_tabs()
        self.reload()
        super().created()

    @property
    def drafting(self) -> bool:
        return self.status in archives.DRAFTS

    def _hide_field(self, key: str) -> None:
        cell = self.cells[key]
        cell.hide()
        for label in self.findChildren(QLabel):
            if label.buddy() is cell.editor:
                label.hide()

    def _union_chosen(self) -> None:
        """工作单位 follows the chosen union until the user types another one."""
        employer = self.cells["employer"].editor
        if employer.raw() not in (None, "", self._employer_default):
            return
        with self.ctx.read() as s:
            self._employer_default = archives.employer_of(s, self.cells["union_id"].editor.raw())
        employer.set_stored(self._employer_default)
        self.validate_field("employer")

    # -- the proposal ------------------------------------------------------------------------------
    def _build_result_panel(self) -> None:
        box = QGroupBox("认定结果(系统自动计算,只读)")
        self.result_line = QLabel("")
        self.result_line.setObjectName("sectionTitle")
        self.result_line.setWordWrap(True)
        self.working = QPlainTextEdit()
        self.working.setReadOnly(True)
        self.working.setMaximumHeight(120)
        self.override_button = QPushButton("改定困难类别…")
        self.override_button.clicked.connect(self.override)
        self.override_note = QLabel("")
        self.override_note.setObjectName("fieldHelp")
        self.override_note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.result_line, 1)
        row.addWidget(self.override_button)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.working)
        layout.addWidget(self.override_note)
        body = self.tabs.widget(0).widget()
        body.layout().insertWidget(0, box)
        self.result_panel = box

    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def _refresh_derived(self) -> None:
        super()._refresh_derived()
        if hasattr(self, "_preview_timer"):
            self._schedule_preview()

    def compute_preview(self) -> None:
        """The proposal for what is typed now (nothing saved): per-capita income, grade, working."""
        raw = {k: c.editor.raw() for k, c in self.cells.items() if c.editor.participates}
        union_id = raw.get("union_id") or self.cells["union_id"].editor.raw()
        members = self.children_editors["members"].rows() if "members" in self.children_editors else []
        items = self.children_editors["expenses"].rows() if "expenses" in self.children_editors else []
        if self.editable:  # what saving will store, whether or not a grade can be proposed yet
            with self.ctx.read() as s:
                figures = archives.typed_figures(s, raw, members, items)
            for key, value in figures.items():
                self.cells[key].editor.set_stored(value)
        if not union_id:
            self._show_result(None, "选择所属基层工会并填写收入后自动计算")
            return
        try:
            with self.ctx.read() as s:
                result = archives.preview(s, self.ctx.actor, raw, members, items, union_id)
        except Exception as exc:  # noqa: BLE001 — a half-typed form: say what is missing
            self._show_result(None, f"暂时无法计算:{getattr(exc, 'message', exc)}")
            return
        if isinstance(result, str):
            self._show_result(None, result)
        else:
            self._show_result(result, result.text)

    def _show_result(self, result, text: str) -> None:
        self.assessment = result
        self.working.setPlainText(text)
        if result is None:
            self.result_line.setText("尚无认定结果")
        else:
            self.result_line.setText(
                f"家庭月人均收入 {format_yuan(result.per_capita_fen)} 元 · 系统认定:{result.label}")
            values = {"per_capita_fen": result.per_capita_fen, "proposed_category": result.category}
            for key, value in values.items():
                if key in self.cells:
                    self.cells[key].editor.set_stored(value)
        stored_category = self.cells["category"].editor.raw()
        overridden = self.cells["category_overridden"].editor.raw()
        reason = self.cells["category_reason"].editor.raw()
        note = ""
        if overridden:
            note = (f"困难类别已人工改定为“{self.cells['category'].editor.line.text() or '不予认定'}”,"
                    f"理由:{reason or ''}")
        elif self.record_id and result is not None and stored_category != result.category \
                and self.status == "archived":
            note = "已建档档案的困难类别只在年审时按当年标准调整"
        self.override_note.setText(note)
        why = "请先保存档案" if self.record_id is None else self.override_refused
        self.override_button.setEnabled(why is None)
        self.override_button.setToolTip(why or "")

    def override(self) -> None:
        ctx, record_id = self.ctx, self.record_id
        if record_id is None or not self.save_pending():
            return

        def submit(raw):
            with ctx.write() as s:
                return workflow.override_category(s, ctx.actor, record_id, raw.get("category"),
                                                  raw.get("category_reason") or "")

        proposed = self.cells["proposed_category"].editor.raw()
        dialog = FieldsDialog(ctx, "改定困难类别", OVERRIDE_FIELDS, "改定", submit, self,
                              note="系统认定:" + (self.assessment.label if self.assessment else "无")
                              + "。改定后保留理由,记入审核记录和审计日志。",
                              initial={"category": self.cells["category"].editor.raw() or proposed})
        if dialog.exec():
            ctx.notify_saved(ARCHIVE.key, "已改定困难类别")
            self.reload()

    # -- after an action -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Show the archive as stored now (after a workflow action or an override)."""
        with self.ctx.read() as s:
            archive = archives.get_archive(s, self.ctx.actor, self.record_id)
            self.status = archive.status
            editable = workflow.may_edit(s, self.ctx.actor, archive)
            self.override_refused = workflow.override_refusal(s, self.ctx.actor, archive)
            stored = {f.key: getattr(archive, f.key, None) for f in ARCHIVE.fields}
        for key, value in stored.items():
            if key in self.cells:
                self.cells[key].editor.set_stored(value)
        self.set_editable(editable)
        self._initial_raw = self._raw_values(all_fields=True)
        self.strip.load(self.record_id, self.status)
        self.reviews.load()
        self.attachments.status = self.status
        self.attachments.load()
        self.compute_preview()

    def set_editable(self, on: bool) -> None:
        self.editable = on and self.binding.can_write(self.ctx.actor)
        for cell in self.cells.values():
            cell.editor.set_editable(self.editable)
        for editor in self.children_editors.values():
            editor.setEnabled(self.editable)
        self.save_button.setVisible(self.editable)
        self.cancel_button.setText("取消" if self.editable else "关闭")
        if self.editable and self.binding.update is None:
            self.binding = ARCHIVE_BINDING

    def _tab_shown(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if hasattr(widget, "load") and widget in (self.ledger, self.attachments, self.reviews):
            widget.load()

    def smoke_dialogs(self) -> list:
        return [(f"{info.label}", lambda info=info: self.strip.dialog_for(info))
                for info in self.strip.actions]
