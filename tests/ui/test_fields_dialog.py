"""The small dialogs that ask for a step's inputs (FieldsDialog): messages beside the fields, and
a message that goes as soon as its field is corrected."""

from datetime import date, timedelta

from PySide6.QtWidgets import QDialog

from app.errors import ValidationFailed
from app.fields.spec import Field, Kind


def test_a_corrected_field_loses_its_message(qtbot, clerk_ctx):
    from ui.dialogs.fields_dialog import FieldsDialog

    submitted = []

    def submit(raw):
        if raw["acted_on"] > date.today():  # a rule the core checks (as 帮扶中心审核 does)
            raise ValidationFailed({"acted_on": "日期不能晚于今天"}, {"acted_on": "日期"})
        submitted.append(raw)

    fields = (Field("opinion", "意见", Kind.TEXTAREA, required=True),
              Field("acted_on", "日期", Kind.DATE, required=True))
    dialog = FieldsDialog(clerk_ctx, "帮扶中心审核", fields, "审核通过", submit)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.errors["opinion"].text() == "必填" and dialog.errors["acted_on"].text() == "必填"
    dialog.set_value("opinion", "符合条件")
    dialog.editors["opinion"].changed.emit()  # as typing does
    assert dialog.errors["opinion"].text() == "" and dialog.errors["opinion"].isHidden()
    dialog.set_value("acted_on", date.today() + timedelta(days=2))
    assert dialog.errors["acted_on"].text() == ""  # the date editor reports its own change
    dialog.accept()
    assert dialog.errors["acted_on"].text() == "日期不能晚于今天" and not submitted
    dialog.set_value("acted_on", date.today())
    assert dialog.errors["acted_on"].text() == "" and dialog.errors["acted_on"].isHidden()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and len(submitted) == 1
