; Inno Setup script for the Windows installer of 工会工作台 (UnionDesk).
;
; Build on Windows after `python packaging\build.py` has made dist\uniondesk\:
;     ISCC packaging\uniondesk.iss            (the version is read from uniondesk.exe)
; Output: dist\installer\UnionDesk-Setup-<version>.exe
;
; - Installs per user without administrator rights (%LOCALAPPDATA%\Programs\UnionDesk); an
;   administrator may choose "for all users" in the first dialog instead.
; - Start-menu entries for the app and for uninstalling; a desktop icon when ticked.
; - The data (database, backups, logs) lives in %LOCALAPPDATA%\UnionDesk, which this installer never
;   writes and the uninstaller never removes: uninstalling or upgrading keeps every record.

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
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
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
