"""Editable sub-tables for one-to-many parts (ChildSpec), tested with a small test-only record:
a household and its family members, as the hardship area will use them."""

from PySide6.QtWidgets import QDialog, QTableWidgetItem

from app.fields.spec import ChildSpec, Field, Kind, RecordSpec
from ui.widgets.binding import RecordBinding
from ui.widgets.child_table import ChildTableEditor
from ui.widgets.record_form import RecordFormDialog


class _Row:  # stands in for an ORM model; the form never touches it
    pass


RELATIVE = RecordSpec("test_relative", "家庭成员", _Row, (
    Field("household_id", "户", Kind.REF, required=True, ref="test_household"),
    Field("name", "姓名", required=True, max_len=20),
    Field("relation", "与户主关系", Kind.CODE, required=True, code_table="family_relation"),
    Field("id_number", "身份证号", Kind.ID_NUMBER),
    Field("income", "月收入", Kind.MONEY),
))
HOUSEHOLD = RecordSpec("test_household", "困难户", _Row, (
    Field("name", "户主姓名", required=True),
    Field("size", "家庭人口", Kind.INT, min_value=1, max_value=20),
), children=(ChildSpec("relatives", "家庭成员", "test_relative", "household_id", max_rows=3),))


class _Saved:
    def __init__(self, values):
        self.id, self.name, self.values = "h1", values.get("name"), values


def test_child_rows_are_edited_and_checked_row_by_row(qtbot, clerk_ctx):
    editor = ChildTableEditor(clerk_ctx, HOUSEHOLD.children[0], RELATIVE)
    qtbot.addWidget(editor)
    assert [editor.table.horizontalHeaderItem(i).text() for i in range(4)] == [
        "* 姓名", "* 与户主关系", "身份证号", "月收入"]
    editor.set_rows([{"id": "r1", "name": "李梅", "relation": "10", "income": 150000}])
    assert editor.table.item(0, 3).text() == "1,500.00" and not editor.dirty
    editor.add_row()
    editor.table.setItem(1, 0, QTableWidgetItem("李小明"))
    editor.table.setItem(1, 2, QTableWidgetItem("110105194912310021"))
    errors = editor.validate()
    assert errors == {(1, "relation"): "必填", (1, "id_number"): "校验位不正确,请对照证件逐位核对"}
    assert "第 2 行 身份证号" in editor.message.text()
    editor.table.setItem(1, 1, QTableWidgetItem("子"))  # the label chosen in the cell's combo
    editor.table.item(1, 2).setText("11010519491231002X")
    assert editor.validate() == {} and editor.message.text() == ""
    assert editor.rows() == [
        {"id": "r1", "name": "李梅", "relation": "10", "id_number": None, "income": "1,500.00"},
        {"name": "李小明", "relation": "20", "id_number": "11010519491231002X", "income": None}]
    editor.add_row()
    editor.add_row()  # a fourth row is refused (max_rows=3)
    assert editor.table.rowCount() == 3 and "最多 3 行" in editor.message.text()
    editor.table.selectRow(2)
    editor.remove_selected()
    assert editor.table.rowCount() == 2 and editor.dirty


def test_the_form_saves_parent_and_children_through_the_binding(qtbot, clerk_ctx):
    saved = []
    binding = RecordBinding(HOUSEHOLD, key="test.household",
                            create=lambda s, actor, values: saved.append(values) or _Saved(values),
                            child_specs={"test_relative": RELATIVE})
    form = RecordFormDialog(clerk_ctx, binding)
    qtbot.addWidget(form)
    children = form.children_editors["relatives"]
    form.cells["name"].editor.line.setText("李梅")
    children.add_row()
    children.table.setItem(0, 0, QTableWidgetItem("李小明"))
    form.accept()  # the relative has no relation yet: nothing is saved
    assert saved == [] and "与户主关系" in children.message.text()
    # the bottom line says so too (a wrong row far down the form once left it empty), and the
    # wrong cell is the current one
    assert form.message.text() == "家庭成员 需要修改"
    assert (children.table.currentRow(), children.table.currentColumn()) == (0, 1)
    children.table.setItem(0, 1, QTableWidgetItem("子"))
    assert form.message.text() == ""  # follows the correction
    form.cells["size"].editor.line.setText("3")
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted and form.saved_id == "h1"
    assert saved == [{"name": "李梅", "size": "3", "relatives": [
        {"name": "李小明", "relation": "20", "id_number": None, "income": None}]}]


def test_no_column_label_is_cut(qtbot, clerk_ctx):
    from app.fields.hardship import ARCHIVE, FAMILY_MEMBER

    editor = ChildTableEditor(clerk_ctx, ARCHIVE.children[0], FAMILY_MEMBER)  # long labels
    qtbot.addWidget(editor)
    editor.show()
    header = editor.table.horizontalHeader()
    qtbot.waitUntil(lambda: all(editor.table.columnWidth(c) >= header.sectionSizeHint(c)
                                for c in range(editor.table.columnCount() - 1)))


def test_the_family_table_offers_no_head_of_household_and_new_rows_show_defaults(qtbot, clerk_ctx):
    from app.fields.hardship import ARCHIVE, FAMILY_MEMBER

    editor = ChildTableEditor(clerk_ctx, ARCHIVE.children[0], FAMILY_MEMBER)
    qtbot.addWidget(editor)
    offered = editor._by_label["relation"]
    assert offered["配偶"] == "10" and "本人" not in offered and "户主" not in offered
    editor.add_row()
    column = {f.key: i for i, f in enumerate(editor.fields)}
    assert editor.table.item(0, column["ethnicity"]).text() == "汉族"
    assert editor.table.item(0, column["monthly_income_fen"]).text() == "0.00"
    assert editor.rows() == [] and not editor.dirty  # only defaults: still a blank row
    editor.table.item(0, column["name"]).setText("李梅")
    [row] = editor.rows()
    assert row["name"] == "李梅" and row["ethnicity"] == "01" and row["monthly_income_fen"] == "0.00"
