"""Build the one-folder package for this platform and check that the frozen programs work.

    python packaging/build.py            # build dist/uniondesk/, then run the frozen checks
    python packaging/build.py --check-only
    python packaging/build.py --zip      # also dist/uniondesk-<version>-<platform>.zip
    python packaging/build.py --sign "signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /sha1 <thumbprint> {file}"
                                         # sign both executables before the checks run them

The signing command can also come from the environment variable ``UNIONDESK_SIGN_COMMAND``; its
``{file}`` is replaced by the quoted path of each executable, and it runs through the shell (as if
typed). Without one the build says that the programs are unsigned (what SmartScreen then shows is
in docs/windows.md).

Works on Windows and Linux (PyInstaller does not cross-build: the Windows package is built on a
Windows PC; see README). The checks run the frozen ``uniondesk-cli`` on a fresh temporary database
(``--version``, ``init``, ``db check``, ``status``, ``backup``, ``audit verify``) and, when
``uniondesk --help`` lists ``--smoke-test``, the frozen ``uniondesk --smoke-test`` headless — so a
missing hidden import or data file fails the build.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "uniondesk.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "uniondesk"
EXE = ".exe" if os.name == "nt" else ""
SIGN_ENV = "UNIONDESK_SIGN_COMMAND"
ADMIN_PW = "Gh#Build2026"
CLERK_PW = "Qing#Build2026"


def run(argv, *, env=None, timeout=600, check=True) -> subprocess.CompletedProcess:
    shown = " ".join(str(a) for a in argv)
    print(f"$ {shown}", flush=True)
    proc = subprocess.run([str(a) for a in argv], env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout)
    if proc.stdout.strip():
        print(proc.stdout.rstrip())
    if proc.stderr.strip():
        print(proc.stderr.rstrip(), file=sys.stderr)
    if check and proc.returncode != 0:
        raise SystemExit(f"FAILED ({proc.returncode}): {shown}")
    return proc


def build(clean: bool) -> float:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("PyInstaller is missing: pip install -e .[build]") from None
    started = time.perf_counter()
    argv = [sys.executable, "-m", "PyInstaller", SPEC, "--noconfirm", "--distpath", DIST,
            "--workpath", ROOT / "build" / "pyinstaller", "--log-level", "WARN"]
    if clean:
        argv.append("--clean")
    run(argv, timeout=3600)
    return time.perf_counter() - started


def executables(bundle: Path) -> list[Path]:
    return [bundle / f"uniondesk{EXE}", bundle / f"uniondesk-cli{EXE}"]


def sign_bundle(bundle: Path, command: str) -> list[Path]:
    """Run the office's signing command on each executable of the bundle (before the checks, so
    they run the signed programs). Raises SystemExit when the command fails."""
    if "{file}" not in command:
        raise SystemExit(f"the signing command needs {{file}} where the file goes: {command!r}")
    signed = []
    for exe in executables(bundle):
        if not exe.is_file():
            raise SystemExit(f"missing {exe}: build first")
        line = command.replace("{file}", f'"{exe}"')
        print(f"$ {line}", flush=True)
        proc = subprocess.run(line, shell=True, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=600)
        if proc.returncode != 0:
            print((proc.stdout + proc.stderr).rstrip(), file=sys.stderr)
            raise SystemExit(f"FAILED ({proc.returncode}): signing {exe.name}")
        signed.append(exe)
    return signed


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def frozen_env(workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("UNIONDESK_", "PYTHON")) and k not in ("VIRTUAL_ENV",)}
    env.update(UNIONDESK_DATA_DIR=str(workdir / "data"), QT_QPA_PLATFORM="offscreen",
               PYTHONIOENCODING="utf-8")
    return env


def check(smoke: str) -> None:
    cli, gui = BUNDLE / f"uniondesk-cli{EXE}", BUNDLE / f"uniondesk{EXE}"
    for exe in (cli, gui):
        if not exe.is_file():
            raise SystemExit(f"missing {exe}: build first")
    with tempfile.TemporaryDirectory(prefix="uniondesk-frozen-") as tmp:
        work = Path(tmp)
        env = frozen_env(work)
        db = work / "check.db"
        from app import __version__

        version = run([cli, "--version"], env=env).stdout
        if __version__ not in version:
            raise SystemExit(f"frozen --version says {version!r}, expected {__version__}")
        run([cli, "--db", db, "init", "--unit-name", "示例县总工会", "--unit-code", "341122", "--level",
             "county", "--admin-user", "admin", "--admin-password", ADMIN_PW], env=env)
        run([cli, "--db", db, "db", "check"], env=env)
        run([cli, "--db", db, "status"], env=env)
        env_pw = {**env, "UNIONDESK_PASSWORD": ADMIN_PW}
        run([cli, "--db", db, "--user", "admin", "demo", "--members", "500", "--seed", "1"], env=env_pw)
        run([cli, "--db", db, "--user", "admin", "backup"], env=env_pw)
        run([cli, "--db", db, "--user", "admin", "audit", "verify"], env=env_pw)
        # a 经办人's day: print (reportlab, fonts, QR) and Excel (openpyxl) from the frozen program
        run([cli, "--db", db, "--user", "admin", "user", "add", "clerk", "--role", "clerk",
             "--password", ADMIN_PW], env=env_pw)
        run([cli, "--db", db, "--user", "clerk", "user", "passwd", "clerk", "--new-password",
             CLERK_PW], env=env_pw)
        env_clerk = {**env, "UNIONDESK_PASSWORD": CLERK_PW}
        run([cli, "--db", db, "--user", "clerk", "print", "member_roster", "--out", work / "roster.pdf"],
            env=env_clerk)
        run([cli, "--db", db, "--user", "clerk", "print", "archive_form", "--status", "已建档", "--out",
             work / "archives.pdf"], env=env_clerk)
        run([cli, "--db", db, "--user", "clerk", "excel", "export", "members", "--out",
             work / "members.xlsx"], env=env_clerk)
        for made in ("roster.pdf", "archives.pdf", "members.xlsx"):
            if (work / made).stat().st_size < 1000:
                raise SystemExit(f"frozen program wrote an empty {made}")
        run([cli, "--db", db, "db", "check"], env=env)
        run_smoke(gui, db, env_pw, smoke)
    print("frozen checks passed")


def run_smoke(gui: Path, db: Path, env: dict, smoke: str) -> None:
    """``uniondesk --smoke-test`` once the desktop app has it (detected from ``--help``)."""
    if smoke == "no":
        return
    helptext = run([gui, "--help"], env=env, check=False)
    listed = "--smoke-test" in (helptext.stdout + helptext.stderr)
    if not listed and smoke == "auto":
        if not (helptext.stdout + helptext.stderr).strip() and os.name == "nt":
            print("note: the windowed exe printed no help (no console); use --smoke yes to force")
        else:
            print("note: uniondesk --help does not list --smoke-test yet; GUI smoke test skipped")
        return
    run([gui, "--db", db, "--user", "admin", "--smoke-test"], env=env, timeout=300)
    # and on its own demonstration database: a backup and restore, then a 经办人's round, which
    # opens the print preview (pypdfium2's native library) and the Excel dialogs
    run([gui, "--smoke-test"], env=env, timeout=600)


def make_zip() -> Path:
    from app import __version__

    name = f"uniondesk-{__version__}-{platform.system().lower()}-{platform.machine().lower()}"
    archive = shutil.make_archive(str(DIST / name), "zip", DIST, "uniondesk")
    return Path(archive)


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description="Build and check the UnionDesk one-folder package.")
    parser.add_argument("--check-only", action="store_true", help="check an existing dist/ build")
    parser.add_argument("--no-check", action="store_true", help="build without the frozen checks")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    parser.add_argument("--smoke", choices=("auto", "yes", "no"), default="auto",
                        help="run `uniondesk --smoke-test` (auto: when --help lists it)")
    parser.add_argument("--zip", action="store_true", help="also make a zip of the folder")
    parser.add_argument("--sign", metavar="COMMAND", default=os.environ.get(SIGN_ENV) or None,
                        help=f"sign the executables with COMMAND ({{file}} = the file; default: ${SIGN_ENV})")
    args = parser.parse_args(argv)
    if not args.check_only:
        seconds = build(args.clean)
        print(f"built {BUNDLE} in {seconds:.0f} s")
        if args.sign:
            for exe in sign_bundle(BUNDLE, args.sign):
                print(f"signed {exe.name}")
        elif os.name == "nt":
            print("note: the executables are NOT signed (no --sign / UNIONDESK_SIGN_COMMAND): "
                  "SmartScreen will warn about them; see docs/windows.md")
    if not args.no_check:
        check(args.smoke)
    size, count = folder_size(BUNDLE)
    print(f"bundle: {BUNDLE} — {size / 1024 / 1024:.0f} MB in {count} files")
    if args.zip:
        archive = make_zip()
        print(f"zip: {archive} — {archive.stat().st_size / 1024 / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
