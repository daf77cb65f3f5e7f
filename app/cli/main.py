"""Argument parsing, login and error handling shared by every command (one module per group).

Global options come before the command: ``uniondesk-cli --db X --user admin demo --members 1000``.
Commands that touch business data log in as ``--user``; the password comes from the environment
variable ``UNIONDESK_PASSWORD`` or a prompt. A user mistake prints one Chinese line on stderr and
exits non-zero; only a bug prints a traceback (to the log file).
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import os
import sys
from pathlib import Path

from app import APP_TITLE, __version__
from app.errors import AppError

# The commands every installation has; an area adds its own in the manifest (``app.areas``).
CORE_COMMANDS = ("status", "init", "user", "db", "audit", "demo", "codes", "record", "print", "excel",
                 "backup", "keys", "bundle", "stats")


def command_modules() -> tuple[str, ...]:
    from app.areas import entries

    return CORE_COMMANDS + tuple(entries("cli"))

log = logging.getLogger("app.cli")

# argparse's own messages, in Chinese (it looks them up through gettext at call time).
_ARGPARSE_ZH = {
    "usage: ": "用法:",
    "the following arguments are required: %s": "缺少必需的参数:%s",
    "unrecognized arguments: %s": "无法识别的参数:%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r(可选:%(choices)s)",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s:%(message)s",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "show this help message and exit": "显示帮助并退出",
    "positional arguments": "位置参数",
    "options": "选项",
    "%(prog)s: error: %(message)s\n": "%(prog)s:错误:%(message)s\n",
}


def _zh(message: str) -> str:
    return _ARGPARSE_ZH.get(message, message)


argparse._ = _zh  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    def error(self, message):  # exit code 2 like argparse, message in Chinese
        self.print_usage(sys.stderr)
        self.exit(2, f"错误:{message}\n")


class Context:
    """What a command needs: the parsed arguments, the database, the logged-in user."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._start = None
        self.actor = None

    @property
    def db_path(self) -> Path:
        from app.config import default_db_path

        return Path(self.args.db) if self.args.db else default_db_path()

    def startup(self):
        """The start-up checks and the instance lock (app.services.startup), once per command.
        Every command that opens the database takes the lock: logging in, code-table refreshes and
        migrations write, and two programs writing one file is what the WAL-reset bug needs."""
        if self._start is None:
            from app.services.startup import Startup, StorageRefused

            start = Startup(self.db_path, program="cli")
            report = start.begin(integrity=False)  # `db check` is the CLI's integrity check
            if report.errors:
                raise StorageRefused(report.errors[0].message)
            for finding in report.warnings:
                print(f"警告:{finding.message}", file=sys.stderr)
            self._start = start
        return self._start

    def db(self, *, create: bool = False):
        start = self.startup()
        if start.db is None:
            from app.services.setup import refresh_builtin_codes

            refresh_builtin_codes(start.open(create=create))
        return start.db

    def login(self, *, allow_password_change: bool = False):
        """Log in as --user (password from UNIONDESK_PASSWORD or a prompt)."""
        from app.security.users import authenticate

        if self.actor is not None:
            return self.actor
        username = self.args.user or os.environ.get("UNIONDESK_USER")
        if not username:
            raise AppError("此命令需要登录:请在命令前加 --user 用户名(密码用环境变量 UNIONDESK_PASSWORD 或按提示输入)")
        db = self.db()
        if not db.initialised:
            raise AppError("数据库尚未初始化,请先运行 uniondesk-cli init")
        password = os.environ.get("UNIONDESK_PASSWORD")
        if password is None:
            password = self.prompt_password(f"用户 {username} 的密码:")
        self.password = password
        actor = authenticate(db, username, password)
        if actor.must_change_password and not allow_password_change:
            raise AppError(f"用户 {username} 须先修改初始密码:uniondesk-cli --user {username} user passwd {username}")
        self.actor = actor
        return actor

    @staticmethod
    def prompt_password(prompt: str) -> str:
        if not sys.stdin.isatty():
            raise AppError("无法在非交互模式下输入密码:请设置环境变量 UNIONDESK_PASSWORD")
        return getpass.getpass(prompt)

    def close(self, *, succeeded: bool = False) -> None:
        """Release the database; after a command that changed it, a backup unless one is less
        than an hour old (scripts that call the CLI a hundred times do not make a hundred)."""
        if self._start is None:
            return
        try:
            db = self._start.db
            if succeeded and db is not None:
                from datetime import timedelta

                from app.db.backup import ensure_recent_backup

                with db.raw_connection() as conn:
                    changed = conn.total_changes > 0
                try:
                    if changed:
                        ensure_recent_backup(db, max_age=timedelta(hours=1))
                except Exception as exc:  # the command itself succeeded: say so, and why no backup
                    log_exception_quietly("automatic backup after the command failed")
                    from app.errors import AppError as _AppError
                    from app.errors import os_error_text

                    reason = (exc.message if isinstance(exc, _AppError) else os_error_text(exc)
                              if isinstance(exc, OSError) else "详细信息已写入日志")
                    print(f"警告:自动备份未完成({reason})", file=sys.stderr)
        finally:
            start, self._start = self._start, None  # closing twice is harmless
            start.close(backup=False)

    def out(self, text: str = "") -> None:
        print(text)


EXIT_PIPE_CLOSED = 141


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests)
        pass


def log_exception_quietly(message: str) -> None:
    try:
        from app.logs import log_exception

        log_exception(message)
    except Exception:
        pass


def _command_in(argv: list[str]) -> str | None:
    """The command named on the command line (skipping the global options), if any."""
    it = iter(argv)
    for token in it:
        if token in ("--db", "--user", "--encoding"):
            next(it, None)
        elif not token.startswith("-"):
            return token
    return None


def build_parser(argv: list[str] | None = None) -> Parser:
    """The parser; when ``argv`` names a known command only that command's module is loaded (the
    others stay unimported, which keeps ``--version`` and everyday commands quick)."""
    parser = Parser(
        prog="uniondesk-cli",
        description=f"{APP_TITLE}命令行工具(管理员、脚本和验收检查使用)。",
        epilog="需要登录的命令:密码取自环境变量 UNIONDESK_PASSWORD,未设置时在终端中提示输入。"
               "退出码:0 成功,1 一般错误,2 输入有误(格式不对、密码太弱、角色/字段/状态等不在可选范围内),"
               "3 无权限,4 登录失败,5 数据库问题,6 数据包被拒收,141 输出已被关闭(如 | head)。",
    )
    parser.add_argument("--db", metavar="PATH", help="数据库文件(默认:用户数据目录下的 uniondesk.db,或环境变量 UNIONDESK_DB)")
    parser.add_argument("--user", metavar="NAME", help="以该用户身份执行(也可用环境变量 UNIONDESK_USER)")
    parser.add_argument("--encoding", metavar="NAME",
                        help="输出使用的编码(如 utf-8)。默认:Windows 上重定向到文件或管道时用系统的 ANSI 代码页"
                             "(中文系统为 GBK/GB18030),在控制台中直接显示;也遵从 PYTHONIOENCODING")
    parser.add_argument("--version", action="version", version=f"{APP_TITLE} {__version__}",
                        help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    chosen = _command_in(argv) if argv is not None else None
    modules = command_modules()
    names = [chosen] if chosen in modules and "-h" not in argv[:argv.index(chosen)] else modules
    if argv is not None and chosen is None and "--version" in argv:
        names = ()
    for name in names:
        importlib.import_module(f"app.cli.cmd_{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from app import logs
    from app.cli import console

    argv = sys.argv[1:] if argv is None else argv
    requested = console.requested_encoding(argv)
    if requested is not None and console.known_encoding(requested) is None:
        print(f"错误:不认识的编码 {requested!r}(例如 utf-8、gb18030)", file=sys.stderr)
        return 2
    console.configure_streams(requested)
    guard = console.guard_stdout()
    previous_log = logs.set_program("cli")  # its own log file: a window may be writing the other
    try:
        return _run(argv)
    finally:
        logs.set_program(previous_log)
        console.unguard_stdout(guard)


def check_arguments(argv: list[str]) -> None:
    """Bytes that are not UTF-8 (a GBK name typed into a UTF-8 terminal) reach Python as lone
    surrogates: answered with a message naming the argument's position, never its content."""
    from app.errors import InvalidInput

    for n, arg in enumerate(argv, 1):
        if any("\ud800" <= ch <= "\udfff" for ch in arg):
            raise InvalidInput(f"第 {n} 个命令行参数含有无法识别的字符(不是 UTF-8 编码)。"
                               "请检查终端的编码设置,或把中文写在文件中导入")


def _run(argv: list[str]) -> int:
    ctx = None
    succeeded = False
    try:
        check_arguments(argv)
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            sys.stdout.flush()
            return 0 if args.command is None else 2
        ctx = Context(args)
        result = int(args.func(ctx) or 0)
        sys.stdout.flush()  # a reader that went away (`| head`) is noticed here, not at exit
        succeeded = result == 0
        return result
    except BrokenPipeError:
        # The reader closed the pipe (`uniondesk-cli stats … | head`): not a mistake and not a
        # bug. Quietly, as the Python docs recommend: stdout to devnull so the final flush at exit
        # stays silent, and the shell's exit status for SIGPIPE (128 + 13). Windows reports it as
        # OSError(EINVAL); the guard in front of stdout turns that into BrokenPipeError.
        _silence_stdout()
        return EXIT_PIPE_CLOSED
    except AppError as exc:
        print(f"错误:{exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as exc:
        from app.errors import storage_error_message
        from app.logs import log_exception

        where = log_exception("CLI command failed")
        if (friendly := storage_error_message(exc)) is not None:
            print(f"错误:{friendly}", file=sys.stderr)
            return 5
        # a bug: the traceback goes to the log for IT, the user sees one line
        print(f"内部错误:{type(exc).__name__}: {exc}(详细信息已写入 {where})", file=sys.stderr)
        return 70
    finally:
        try:
            if ctx is not None:
                ctx.close(succeeded=succeeded)
        except Exception:  # closing a damaged file must not hide the real message
            log_exception_quietly("closing the database failed")
