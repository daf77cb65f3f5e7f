"""First run on a new database: set up this office (新建单位) or a demonstration installation
(载入演示数据) with generated unions and members, for training. Both need the unit's identity and
the administrator's account; the work runs in the background with a progress dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton, QVBoxLayout

from app import APP_TITLE
from ui.theme import icon
from ui.workers import run_in_background

DEMO_SIZES = ((2_000, "2,000 名会员(很快)"), (20_000, "20,000 名会员"),
              (100_000, "100,000 名会员"), (1_000_000, "1,000,000 名会员(约一分钟)"))


class FirstRunDialog(QDialog):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.admin_username = ""
        self.unit_name = ""
        self.counts: dict | None = None
        self.setWindowTitle(f"欢迎使用{APP_TITLE}")
        self.setWindowIcon(icon("app"))
        intro = QLabel("这个数据库还没有设置。请填写本单位和系统管理员的信息,然后选择:")
        intro.setWordWrap(True)
        self.real = QRadioButton("新建单位 —— 正式使用,从空白开始录入")
        self.demo = QRadioButton("载入演示数据 —— 试用和培训,自动生成乡镇、基层工会和会员")
        self.real.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.real)
        group.addButton(self.demo)
        self.demo_size = QComboBox()
        for n, label in DEMO_SIZES:
            self.demo_size.addItem(label, n)
        self.demo_size.setEnabled(False)
        self.demo.toggled.connect(self.demo_size.setEnabled)

        self.unit_name_edit = QLineEdit()
        self.unit_name_edit.setPlaceholderText("如:某某县总工会")
        self.unit_code = QLineEdit()
        self.unit_code.setMaxLength(6)
        self.unit_code.setPlaceholderText("6 位行政区划代码,如 341122")
        self.level = QComboBox()
        self.level.addItem("县(区)总工会", "county")
        self.level.addItem("市总工会", "city")
        self.admin = QLineEdit("admin")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors: dict[str, QLabel] = {}

        unit_box = QGroupBox("本单位")
        unit_form = QFormLayout(unit_box)
        unit_form.setVerticalSpacing(8)
        self._row(unit_form, "单位名称", self.unit_name_edit, "unit_name")
        self._row(unit_form, "行政区划代码", self.unit_code, "unit_code")
        self._row(unit_form, "级别", self.level, "level")
        admin_box = QGroupBox("系统管理员")
        admin_layout = QVBoxLayout(admin_box)
        admin_form = QFormLayout()
        admin_form.setVerticalSpacing(8)
        admin_layout.addLayout(admin_form)
        self._row(admin_form, "用户名", self.admin, "admin")
        self._row(admin_form, "密码", self.password, "password")
        self._row(admin_form, "确认密码", self.password2, "password2")
        policy = QLabel("密码至少 8 位,包含大写字母、小写字母、数字、符号中的至少三类。"
                        "系统管理员管理账户和代码表;日常录入请另建经办人账户。")
        policy.setObjectName("muted")
        policy.setWordWrap(True)
        admin_layout.addWidget(policy)
        choice_box = QGroupBox("开始方式")
        choice = QVBoxLayout(choice_box)
        choice.addWidget(self.real)
        choice.addWidget(self.demo)
        size_row = QHBoxLayout()
        size_row.addSpacing(24)
        size_row.addWidget(QLabel("规模"))
        size_row.addWidget(self.demo_size)
        size_row.addStretch(1)
        choice.addLayout(size_row)

        self.message = QLabel("")
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.start_button = QPushButton("开始")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.accept)
        cancel = QPushButton("退出")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(unit_box)
        layout.addWidget(admin_box)
        layout.addWidget(choice_box)
        layout.addLayout(buttons)
        self.setMinimumWidth(540)

    def _row(self, form: QFormLayout, label: str, widget, key: str) -> None:
        error = QLabel("")
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        self.errors[key] = error
        holder = QVBoxLayout()
        holder.setSpacing(2)
        holder.addWidget(widget)
        holder.addWidget(error)
        form.addRow(label, holder)

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)

    def check(self) -> dict[str, str]:
        from app.security.passwords import check_password_policy
        from app.security.users import USERNAME_RE
        from app.services.setup import validate_identity

        errors = validate_identity(self.unit_name_edit.text(), self.unit_code.text(),
                                   self.level.currentData())
        if not USERNAME_RE.match(self.admin.text().strip()):
            errors["admin"] = "用户名应为 2–32 个字母、数字、汉字或 _ . -"
        if reason := check_password_policy(self.password.text(), self.admin.text().strip()):
            errors["password"] = reason
        elif self.password.text() != self.password2.text():
            errors["password2"] = "两次输入的密码不一致"
        return errors

    def accept(self) -> None:
        errors = self.check()
        self._show_errors(errors)
        if errors:
            self.message.setText("请按红字提示修改")
            return
        self.message.setText("")
        self.start_button.setEnabled(False)
        db, demo, members = self.db, self.demo.isChecked(), self.demo_size.currentData()
        values = dict(unit_name=self.unit_name_edit.text().strip(),
                      unit_code=self.unit_code.text().strip(), level=self.level.currentData(),
                      admin_user=self.admin.text().strip(), admin_password=self.password.text())

        def work(progress):
            from app.services.setup import init_installation

            if db.initialised:  # set up on an earlier try whose demonstration data was cancelled
                from app.security.users import authenticate

                actor = authenticate(db, values["admin_user"], values["admin_password"])
            else:
                progress.update(0, 0, "正在建立单位和系统管理员账户")
                actor = init_installation(db, **values)
            if not demo:
                return {}
            from app.demo.generator import generate

            return generate(db, actor, members=members, progress=progress)

        def done(counts) -> None:
            self.counts = counts
            self.admin_username = values["admin_user"]
            self.unit_name = values["unit_name"]
            super(FirstRunDialog, self).accept()

        def failed(exc, tb) -> None:
            from app.errors import ValidationFailed
            from ui.errors import show_error, user_message

            self.start_button.setEnabled(True)
            if isinstance(exc, ValidationFailed):
                self._show_errors(exc.errors)
            message, bug = user_message(exc)
            if self.db.initialised and demo:  # the unit exists; only the demonstration data failed
                message = f"单位已建立,但演示数据未能生成:{message}"
                self.admin_username, self.unit_name = values["admin_user"], values["unit_name"]
            self.message.setText(message)
            if bug:
                show_error(self, exc, tb)

        title = "正在生成演示数据" if demo else "正在建立新单位"
        run_in_background(self, work, done, failed, title=title, cancellable=demo)
