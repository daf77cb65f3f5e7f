"""The main window: the work areas on the left in the seed's order, the chosen area's page on the
right, menus, a status bar (user and role, unit, database file, last backup), and the screen lock
(after idle time, or from the menu)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app import APP_TITLE
from app.db.backup import list_backups
from ui.idle import IdleWatcher
from ui.pages.registry import AREAS, Area, load_registry
from ui.startup import RESTART, RESTORE
from ui.theme import CLOSED_ICON_COLOR, ICON_COLOR, apply_theme, icon, large_font_enabled, set_large_font

STATUS_MESSAGE_MS = 6000


class MainWindow(QMainWindow):
    closed = Signal(int)  # 0 退出, RESTART 切换用户, RESTORE 从备份恢复 (the start-up loop acts)

    def __init__(self, ctx, registry=None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.registry = registry or load_registry()
        self.pages: dict[str, QWidget] = {}
        self._shown: set[str] = set()
        self.switching_user = False
        self.restore_source: Path | None = None  # the checked backup to restore after closing
        self.setWindowTitle(f"{APP_TITLE} — {ctx.unit_name}")
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(1180, 660)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(232)
        self.nav.setSpacing(1)
        for a in AREAS:
            is_open = self.registry.is_open(a.key)
            # areas not open yet: a paler icon and a tooltip (their page says what is coming)
            item = QListWidgetItem(icon(a.icon, ICON_COLOR if is_open else CLOSED_ICON_COLOR), a.title)
            item.setData(Qt.ItemDataRole.UserRole, a.key)
            if not is_open:
                item.setToolTip("尚未开放:点开查看本模块将包含的内容")
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self._brand())
        left_layout.addWidget(self.nav, 1)
        left.setFixedWidth(232)
        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addWidget(left)
        body_layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self._menus()
        self._status_bar()
        ctx.status_message.connect(lambda m: self.statusBar().showMessage(m, STATUS_MESSAGE_MS))
        ctx.data_changed.connect(self._data_changed)
        ctx.restore_requested.connect(self.restore_from)

        from ui.dialogs.lock_screen import LockScreen

        self.lock_screen = LockScreen(ctx, self)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.lock_screen.quit_requested.connect(self.quit_app)
        self.idle = IdleWatcher(self._idle_minutes, parent=self)
        self.idle.idle.connect(self.lock)
        self.idle.start()

        self.nav.currentRowChanged.connect(self._nav_changed)
        self.nav.setCurrentRow(0)

    # -- layout --------------------------------------------------------------------------------
    def _brand(self) -> QWidget:
        brand = QWidget()
        brand.setObjectName("brand")
        brand.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        mark = QFrame()
        mark.setObjectName("brandMark")
        mark.setFixedSize(5, 34)
        title = QLabel(APP_TITLE)
        title.setObjectName("brandTitle")
        self.brand_unit = QLabel(self.ctx.unit_name)
        self.brand_unit.setObjectName("brandUnit")
        self.brand_unit.setWordWrap(True)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(title)
        names.addWidget(self.brand_unit)
        row = QHBoxLayout(brand)
        row.setContentsMargins(14, 12, 10, 12)
        row.setSpacing(10)
        row.addWidget(mark)
        row.addLayout(names, 1)
        return brand

    def _action(self, menu, text: str, slot, shortcut=None, icon_name: str | None = None) -> QAction:
        action = QAction(icon(icon_name), text, self) if icon_name else QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("文件(&F)")
        self.lock_action = self._action(file, "锁定屏幕", self.lock, QKeySequence("Ctrl+L"), "lock")
        self._action(file, "切换用户…", self.switch_user, None, "user")
        self._action(file, "修改密码…", self.change_password, None, "key")
        file.addSeparator()
        self._action(file, "退出", self.quit_app, QKeySequence("Ctrl+Q"), "logout")
        edit = bar.addMenu("编辑(&E)")
        self._action(edit, "新增记录", lambda: self._on_list("new_record"), None, "add")
        self._action(edit, "查找", lambda: self._on_list("focus_search"), None, "search")
        self._action(edit, "刷新", lambda: self._on_list("reload"), None, "refresh")
        view = bar.addMenu("视图(&V)")
        self.large_font_action = QAction("大字体", self, checkable=True)
        self.large_font_action.setChecked(large_font_enabled())
        self.large_font_action.toggled.connect(self._large_font)
        view.addAction(self.large_font_action)
        view.addSeparator()
        for i, a in enumerate(AREAS[:9]):
            self._action(view, a.title, lambda i=i: self.nav.setCurrentRow(i),
                         QKeySequence(f"Ctrl+{i + 1}"), a.icon)
        help_menu = bar.addMenu("帮助(&H)")
        self.manual_action = self._action(help_menu, "使用手册", self.open_manual,
                                          QKeySequence(Qt.Key.Key_F1), "document")
        help_menu.addSeparator()
        self._action(help_menu, "关于工会工作台", self.about, None, "info")

    def _status_bar(self) -> None:
        actor, bar = self.ctx.actor, self.statusBar()
        name = actor.display_name or actor.username
        self.user_label = QLabel(name if name == actor.role_label else f"{name}({actor.role_label})")
        self.unit_label = QLabel(self.ctx.unit_name)
        self.db_label = QLabel(f"数据库:{self.ctx.db.path.name}")
        self.db_label.setToolTip(str(self.ctx.db.path))
        self.backup_label = QLabel()
        self.refresh_backup_label()
        for w in (self.user_label, self.unit_label, self.db_label, self.backup_label):
            bar.addPermanentWidget(w)

    def refresh_backup_label(self) -> None:
        """The newest finished backup of this database (any kind), from the backups folder."""
        try:
            newest = next(iter(list_backups(self.ctx.db.path)), None)
        except OSError:
            newest = None
        self.backup_label.setText("最近备份:" + (f"{newest.taken_at:%Y-%m-%d %H:%M}" if newest else "无"))
        self.backup_label.setToolTip(str(newest.path) if newest else "还没有备份")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.nav.doItemsLayout()  # item heights as the stylesheet makes them, not as first guessed

    def show_sized(self) -> None:
        """Maximised on small screens (1366×768), a comfortable size on larger ones."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None and (screen.width() < 1500 or screen.height() < 860):
            self.showMaximized()
        else:
            self.resize(1440, 880)
            self.show()

    # -- pages ---------------------------------------------------------------------------------
    def area_keys(self) -> list[str]:
        return [a.key for a in AREAS]

    def page(self, key: str) -> QWidget:
        """The page of an area, made on first use."""
        if key not in self.pages:
            area = next(a for a in AREAS if a.key == key)
            factory = self.registry.factory(key)
            page = factory(self.ctx) if factory else self._placeholder(area)
            if hasattr(page, "target_requested"):
                page.target_requested.connect(self.open_target)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def _placeholder(self, area: Area) -> QWidget:
        from ui.pages.placeholder import PlaceholderPage

        return PlaceholderPage(self.ctx, area)

    def navigate(self, key: str) -> QWidget:
        self.nav.setCurrentRow(self.area_keys().index(key))
        return self.pages[key]

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = AREAS[row].key
        page = self.page(key)
        fresh = self.stack.currentWidget() is not page
        self.stack.setCurrentWidget(page)
        if fresh and hasattr(page, "activated") and key in self._shown:
            page.activated()
        self._shown.add(key)

    def open_target(self, target) -> None:
        """A home-page figure or to-do: open its page, tab and filters."""
        if target is None:
            return
        page = self.navigate(target.page)
        if hasattr(page, "open_target"):
            page.open_target(target.tab, dict(target.filters))

    def _current_list(self):
        from ui.widgets.list_page import ListPage

        page = self.stack.currentWidget()
        lists = [w for w in page.findChildren(ListPage) if w.isVisible()] if page else []
        return lists[0] if lists else None

    def _on_list(self, method: str) -> None:
        target = self._current_list()
        if target is not None:
            getattr(target, method)()
        else:
            self.statusBar().showMessage("当前页面没有记录列表", STATUS_MESSAGE_MS)

    def _data_changed(self, key: str) -> None:
        if key == "backup":
            self.refresh_backup_label()
        if key == "unit":
            self.brand_unit.setText(self.ctx.unit_name)
            self.unit_label.setText(self.ctx.unit_name)
            self.setWindowTitle(f"{APP_TITLE} — {self.ctx.unit_name}")

    # -- dialogs and session -------------------------------------------------------------------
    def open_manual(self):
        from ui.dialogs.manual import open_manual

        self.last_manual = open_manual(self)
        return self.last_manual

    def about(self) -> None:
        self.make_about().exec()

    def make_about(self):
        from ui.dialogs.about import AboutDialog

        return AboutDialog(self.ctx, self)

    def make_change_password(self):
        from ui.dialogs.change_password import ChangePasswordDialog

        return ChangePasswordDialog(self.ctx.db, self.ctx.actor, parent=self)

    def change_password(self) -> None:
        if self.make_change_password().exec():
            self.statusBar().showMessage("密码已修改", STATUS_MESSAGE_MS)

    def _idle_minutes(self) -> int:
        from app.services import settings

        with self.ctx.read() as s:
            return int(settings.get(s, "idle_lock_minutes"))

    def lock(self) -> None:
        self.idle.paused = True
        self.lock_screen.lock()

    def _unlocked(self) -> None:
        self.idle.resume()
        self.statusBar().showMessage("已解锁", STATUS_MESSAGE_MS)

    @property
    def locked(self) -> bool:
        return self.lock_screen.isVisible()

    def _large_font(self, on: bool) -> None:
        set_large_font(on)
        apply_theme(QApplication.instance(), large=on)
        self.nav.doItemsLayout()

    def smoke_dialogs(self) -> list:
        return [("关于", self.make_about), ("修改密码", self.make_change_password)]

    def switch_user(self) -> None:
        self.switching_user = True
        self.close()

    def restore_from(self, source) -> None:
        """从备份恢复 (a checked backup): close; the start-up loop restores and asks to log in."""
        self.restore_source = Path(source)
        self.switching_user = False
        self.lock_screen.hide()
        self.close()

    def quit_app(self) -> None:
        self.switching_user = False
        self.restore_source = None
        self.lock_screen.hide()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.pages.values():
            if hasattr(page, "can_close") and not page.can_close():
                event.ignore()
                self.switching_user = False
                self.restore_source = None
                return
        self.idle.stop()
        self.lock_screen.close()
        from app.security.users import logout

        reason = ("从备份恢复" if self.restore_source else "切换用户" if self.switching_user else "退出程序")
        try:
            logout(self.ctx.db, self.ctx.actor, reason)
        except Exception:  # noqa: BLE001 — leaving must always work
            pass
        super().closeEvent(event)
        self.closed.emit(RESTORE if self.restore_source else RESTART if self.switching_user else 0)
