"""The installer and the package (issue 15, point 6): what Windows is required and enforced, both
install modes, signing as a build step. The Inno Setup script cannot be compiled here (no Windows):
its directives are read as text, which is what the compiler reads."""

import re
import sys
from collections import namedtuple
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "uniondesk.iss"
WinVer = namedtuple("WinVer", "major minor build")


def setup_directives() -> dict[str, str]:
    text = ISS.read_text(encoding="utf-8")
    section = text.split("[Setup]", 1)[1].split("\n[", 1)[0]
    out = {}
    for line in section.splitlines():
        line = line.strip()
        if line and not line.startswith((";", "#")) and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def test_the_installer_requires_windows_10_1809_64_bit():
    d = setup_directives()
    assert d["MinVersion"] == "10.0.17763"
    assert d["ArchitecturesAllowed"] == "x64compatible"
    assert d["ArchitecturesInstallIn64BitMode"] == "x64compatible"


def test_the_script_refuses_inno_setup_before_6_3_and_is_utf8_without_bom():
    raw = ISS.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")  # strict: the script is valid UTF-8
    assert re.search(r"^#if VER < EncodeVer\(6,\s*3,\s*0\)\s*\n\s*#error", text, re.M)


def test_both_install_modes_all_users_by_default():
    """All users into Program Files (AppLocker's default rules allow only Program Files and
    Windows) by default; "only for me" without an administrator in the dialog or /CURRENTUSER."""
    d = setup_directives()
    assert d["PrivilegesRequired"] == "admin"
    assert set(d["PrivilegesRequiredOverridesAllowed"].split()) == {"commandline", "dialog"}
    assert d["DefaultDirName"].startswith("{autopf}")
    assert d.get("UsePreviousPrivileges", "yes") == "yes"


def test_the_installer_is_signed_when_asked():
    text = ISS.read_text(encoding="utf-8")
    block = text.split("#ifdef Sign", 1)[1].split("#endif", 1)[0]
    assert "SignTool=office" in block and "SignedUninstaller=yes" in block


@pytest.mark.parametrize("version, ok", [
    (WinVer(10, 0, 17763), True), (WinVer(10, 0, 22631), True), (WinVer(10, 0, 17134), False),
    (WinVer(6, 3, 9600), False),
])
def test_the_program_refuses_an_older_windows_before_loading_qt(version, ok):
    from app.system_check import unsupported_windows

    message = unsupported_windows("win32", version)
    assert (message is None) is ok
    if not ok:
        assert "1809" in message and str(version.build) in message
    assert unsupported_windows("linux", version) is None


@pytest.fixture
def build_module(monkeypatch, tmp_path):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import build
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    bundle = tmp_path / "dist" / "uniondesk"
    bundle.mkdir(parents=True)
    for exe in build.executables(bundle):
        exe.write_bytes(b"MZ")
    monkeypatch.setattr(build, "BUNDLE", bundle)
    monkeypatch.setattr(build, "build", lambda clean: 0.0)
    monkeypatch.setattr(build, "check", lambda smoke: None)
    return build


def _recorder(log: Path) -> str:
    script = f"import sys; open(r'{log}', 'a', encoding='utf-8').write(sys.argv[1] + chr(10))"
    return f'"{sys.executable}" -c "{script}" {{file}}'


def test_the_build_signs_both_executables_with_the_configured_command(build_module, tmp_path):
    log = tmp_path / "signed.txt"
    assert build_module.main(["--sign", _recorder(log)]) == 0
    signed = log.read_text(encoding="utf-8").split()
    assert [Path(p).name for p in signed] == [p.name for p in build_module.executables(build_module.BUNDLE)]


def test_the_signing_command_can_come_from_the_environment(build_module, tmp_path, monkeypatch):
    log = tmp_path / "signed.txt"
    monkeypatch.setenv("UNIONDESK_SIGN_COMMAND", _recorder(log))
    assert build_module.main([]) == 0
    assert len(log.read_text(encoding="utf-8").split()) == 2


def test_a_failing_signing_command_fails_the_build(build_module):
    with pytest.raises(SystemExit, match="signing"):
        build_module.main(["--sign", f'"{sys.executable}" -c "raise SystemExit(3)" {{file}}'])
