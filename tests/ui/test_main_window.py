"""The main window (booted once here): every area in the seed's order, every page opens, the
status bar, the About dialog, home figures opening their records. Plus the idle lock."""

from PySide6.QtCore import Qt

from app import __version__
from ui.pages.registry import AREAS, PageRegistry, load_registry

SEED_ORDER = ["首页", "疫情防控与复工复产", "表彰评先", "职工文体活动", "队伍建设与技能人才",
              "权益保障与法律援助", "困难职工帮扶", "基层组织建设", "精准扶贫", "党风廉政与机关管理",
              "工作计划与总结", "统计报表", "数据交换", "系统管理"]


def test_navigate_every_page(qtbot, clerk_ctx):
    from ui.main_window import MainWindow
    from ui.pages.placeholder import PlaceholderPage

    window = MainWindow(clerk_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "工会工作台 — 示例县总工会"
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == SEED_ORDER
    for key in window.area_keys():
        page = window.navigate(key)
        assert window.stack.currentWidget() is page
    placeholders = {k for k, p in window.pages.items() if isinstance(p, PlaceholderPage)}
    assert placeholders == {"epidemic", "honours", "culture", "workforce", "poverty", "office",
                            "plans", "reports"}
    poverty = window.pages["poverty"]
    texts = " ".join(w.text() for w in poverty.findChildren(type(window.user_label)))
    assert "尚未开放" in texts and "一户一册一卡" in texts
    hardship = window.pages["hardship"]
    assert [hardship.tabText(i) for i in range(hardship.count())] == [
        "档案", "救助发放", "走访慰问", "金秋助学", "帮扶计划", "统计"]
    status = [window.user_label.text(), window.unit_label.text(), window.db_label.text()]
    assert status == ["clerk(经办人)", "示例县总工会", f"数据库:{clerk_ctx.db.path.name}"]
    about = window.make_about()
    qtbot.addWidget(about)
    assert __version__ in " ".join(w.text() for w in about.findChildren(type(window.user_label)))

    home = window.navigate("home")
    qtbot.waitUntil(lambda: len(home.cards) >= 7, timeout=10_000)
    card = next(c for c in home.cards if c.figure.label == "农民工会员")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    organisation = window.pages["organisation"]
    assert window.stack.currentWidget() is organisation
    members = organisation.list_of("member")
    assert members.filters.values()["is_migrant_worker"] is True
    qtbot.waitUntil(lambda: members.model.total == card.figure.value, timeout=10_000)
    window.quit_app()


def test_system_page_shows_what_each_role_may_use(qtbot, db, actors):
    from tests.ui.conftest import make_ctx
    from ui.pages.system import SystemPage

    expected = {"admin": ["users", "codes", "settings", "audit", "backups"], "clerk": ["codes", "settings"],
                "auditor": ["codes", "settings", "audit"]}
    for role, tabs in expected.items():
        page = SystemPage(make_ctx(db, actors[role]))
        qtbot.addWidget(page)
        assert list(page.tabs_by_key) == tabs
    from ui.workers import wait_for_jobs

    wait_for_jobs()


def test_an_area_plugs_in_its_page():
    registry = load_registry()
    assert registry.is_open("organisation") and not registry.is_open("poverty")
    registry.provide("poverty", lambda ctx: None)
    assert registry.is_open("poverty")
    assert [a.key for a in AREAS][:2] == ["home", "epidemic"]
    empty = PageRegistry()
    try:
        empty.provide("no-such-area", lambda ctx: None)
    except KeyError:
        pass
    else:
        raise AssertionError("an unknown area must be refused")


def test_idle_time_locks_the_screen_and_only_the_password_unlocks(qtbot, clerk_ctx):
    from tests.conftest import PASSWORDS
    from ui.dialogs.lock_screen import LockScreen
    from ui.idle import IdleWatcher

    now = [1000.0]
    watcher = IdleWatcher(lambda: 10, clock=lambda: now[0])
    screen = LockScreen(clerk_ctx)
    qtbot.addWidget(screen)
    watcher.idle.connect(screen.lock)
    screen.unlocked.connect(watcher.resume)
    now[0] += 9 * 60
    watcher.check()
    assert not screen.isVisible()
    watcher.eventFilter(None, _key_press())  # activity restarts the count
    now[0] += 9 * 60
    watcher.check()
    assert not screen.isVisible()
    now[0] += 61
    watcher.check()
    assert screen.isVisible() and watcher.paused
    screen.password.setText("wrong")
    screen.try_unlock()
    assert screen.isVisible() and screen.message.text().startswith("密码错误(连续输错 5 次")
    screen.password.setText(PASSWORDS["clerk"])
    screen.try_unlock()
    assert not screen.isVisible() and not watcher.paused


def test_typing_in_any_window_counts_as_activity(qtbot):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from ui.idle import IdleWatcher

    now = [1000.0]
    watcher = IdleWatcher(lambda: 10, clock=lambda: now[0])
    line = QLineEdit()
    qtbot.addWidget(line)
    line.show()
    qtbot.waitExposed(line)
    watcher.start()
    try:
        watcher.watch(line.windowHandle())
        now[0] += 9 * 60
        QTest.keyClick(line.windowHandle(), Qt.Key.Key_A)  # as the platform delivers input
        assert line.text() == "a" and watcher.last_activity == now[0]
        now[0] += 9 * 60
        watcher.check()
        assert not watcher.paused
        now[0] += 61
        watcher.check()
        assert watcher.paused
    finally:
        watcher.stop()


def _key_press():
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
