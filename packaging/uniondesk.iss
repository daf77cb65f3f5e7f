; Inno Setup script for the Windows installer of 工会工作台 (UnionDesk). See docs/windows.md.
;
; Requires Inno Setup 6.3 or later (x64compatible; this file is UTF-8 without a BOM, which older
; compilers would read as ANSI and garble). Build on Windows after `python packaging\build.py` has
; made dist\uniondesk\:
;     ISCC packaging\uniondesk.iss            (the version is read from uniondesk.exe)
;     ISCC /DSign "/Soffice=signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /sha1 <thumbprint> $f" packaging\uniondesk.iss
;                                             (signed with the office's certificate; see docs)
; Output: dist\installer\UnionDesk-Setup-<version>.exe
;
; - Windows 10 1809 (build 17763) or later, 64-bit only: PySide6 has no 32-bit build and Qt 6
;   supports Windows 10 from 1809.
; - Two install modes, chosen in the first dialog or with /ALLUSERS or /CURRENTUSER:
;   for all users into Program Files (needs an administrator; the one that works on PCs locked
;   down with AppLocker, whose default rules only allow programs under Program Files and Windows),
;   or for the current user only into %LOCALAPPDATA%\Programs (no administrator needed).
;   An upgrade keeps the mode used before.
; - Start-menu entries for the app and for uninstalling; a desktop icon when ticked.
; - The data (database, backups, logs) lives in %LOCALAPPDATA%\UnionDesk of each Windows account,
;   which this installer never writes and the uninstaller never removes: uninstalling or upgrading
;   keeps every record, in either mode.

#if VER < EncodeVer(6,3,0)
  #error Inno Setup 6.3 or later is required to compile this script (x64compatible, UTF-8 without BOM)
#endif

#define AppName "工会工作台"
#define AppExe "uniondesk.exe"
#define SourceDir "..\dist\uniondesk"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(AddBackslash(SourceDir) + AppExe)
#endif

[Setup]
AppId={{5C7E0B9E-2E59-4E47-9C1B-6A1C3F0D2A41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=UnionDesk
VersionInfoVersion={#AppVersion}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\UnionDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; all users (Program Files) by default; "only for me" in the dialog or /CURRENTUSER
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
UsePreviousPrivileges=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 1809
MinVersion=10.0.17763
OutputDir=..\dist\installer
OutputBaseFilename=UnionDesk-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
#ifdef Sign
; ISCC /DSign /Soffice="…" (see the top): the installer, its uninstaller and the temporary copies
; Setup makes of itself are signed with the office's certificate
SignTool=office
SignedUninstaller=yes
#endif

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
; Put ChineseSimplified.isl (Inno Setup's translation page) into the compiler's Languages folder
; for a Chinese installer; without it the wizard speaks English.
Name: "zh"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
zh.DesktopIcon=在桌面上创建快捷方式
zh.Shortcuts=快捷方式:
zh.Launch=立即启动工会工作台
zh.Uninstall=卸载工会工作台

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an upgrade replaces the program files wholesale (old libraries must not linger beside new ones)
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:Uninstall}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:Launch}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: files the program created (a portable data\ folder, logs) stay where they are.
