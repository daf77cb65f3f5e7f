"""The lazy table model: Qt's model tester, and a big register that is never loaded whole."""

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.services import listing
from app.services.listing import ListQuery
from ui.widgets import record_table_model
from ui.widgets.record_table_model import RecordTableModel

BIG = 20_000


@pytest.fixture(scope="module")
def big_db_path(tmp_path_factory):
    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.services.setup import init_installation

    path = tmp_path_factory.mktemp("big") / "big.db"
    db = open_database(path, create=True)
    admin = init_installation(db, unit_name="大县总工会", unit_code="341122", level="county",
                              admin_user="admin", admin_password="Big#Desk2026")
    generate(db, admin, members=BIG, seed=3)
    db.close()
    return path


def _loaded(qtbot, model):
    qtbot.waitUntil(lambda: not model.loading and model.total is not None, timeout=20_000)


def test_model_passes_qt_model_tester(qtbot, qtmodeltester, clerk_ctx):
    model = RecordTableModel(clerk_ctx, ListQuery.of("member"))
    model.reload()
    _loaded(qtbot, model)
    assert model.rowCount() == listing.PAGE_SIZE
    qtmodeltester.check(model, force_py=False)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    _loaded(qtbot, model)
    qtmodeltester.check(model, force_py=False)
    names = [r.texts[0] for r in model.rows]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "姓名" and len(set(names)) > 1


def test_a_big_register_is_read_a_window_at_a_time(qtbot, big_db_path, monkeypatch):
    from app.db.engine import open_database
    from app.security.users import authenticate
    from ui.context import AppContext
    from ui.widgets.record_table_view import RecordTableView

    db = open_database(big_db_path)
    try:
        ctx = AppContext(db, authenticate(db, "admin", "Big#Desk2026"))
        model = RecordTableModel(ctx, ListQuery.of("member"))
        view = RecordTableView()
        qtbot.addWidget(view)
        view.setModel(model)
        view.resize(900, 500)
        view.show()
        model.reload()
        _loaded(qtbot, model)
        assert model.total == BIG and model.rowCount() == listing.PAGE_SIZE
        view.scrollToBottom()  # the view asks for more only near the end of what it has
        qtbot.waitUntil(lambda: model.rowCount() == 2 * listing.PAGE_SIZE and not model.loading)
        ids = [r.id for r in model.rows]
        assert len(set(ids)) == len(ids)
        assert model.rowCount() < BIG // 10  # a window, never the whole table
        monkeypatch.setattr(record_table_model, "MAX_LOADED_ROWS", 600)
        for _ in range(5):
            model.fetchMore(QModelIndex())
            qtbot.waitUntil(lambda: not model.loading)
        assert model.rowCount() == 600 and model.capped and not model.canFetchMore()
    finally:
        from ui.workers import wait_for_jobs

        wait_for_jobs()
        db.close()
