"""Import from the app's own template (or its own export): read, check every row, report, and only
when the user accepts, write the valid rows in one transaction.

1. ``check_file`` reads the sheet (headers found by label or a field's ``aliases``, "*" marks
   ignored; a 合计 row at the foot is recognised and skipped, and said so), converts each cell
   (dates in the forms offices write them, full-width digits, 15-digit IDs, numbers typed into text
   columns), cleans each row with the kind's RecordSpec, resolves reference columns through the
   spec they refer to (``app.excel.refs``: a unit by name, a member by ID number …), then asks the
   kind's importer for its rules (duplicates in the database and within the file).
   Nothing is written; the result is an ``ImportReport`` of (row, column, reason).
   A kind with child sheets (家庭成员) reads them too: each child row names its parent row by the
   parent's key (户主身份证号) and is cleaned with its own spec; a parent whose child row is wrong
   is refused as a whole, with the child's row, column and reason.
2. ``apply_import`` writes the report's valid rows through the area's service in ONE transaction
   with the area's audit entry. A dry run stops after step 1. Rows the area flags with a warning
   (not an error) are written only when the user accepts the import, and the confirmation is
   audited with it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from app.crashpoints import crashpoint
from app.errors import AppError, log_technical, os_error_text
from app.excel import cells, refs
from app.excel.registry import CheckResult, ExcelKind, kind
from app.excel.xlsx_guard import check_xlsx
from app.progress import NO_PROGRESS, Progress
from app.security.roles import Perm

HEADER_SCAN = 6  # the header row is looked for in the first rows
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Problem:
    row: int  # the row number Excel shows (0: the file as a whole)
    column: str  # the column label ("" for the row as a whole)
    reason: str
    sheet: str = ""  # a child sheet's name; "" for the kind's own sheet

    def where(self) -> str:
        at = "整个文件" if self.row == 0 else f"第 {self.row} 行"
        return f"“{self.sheet}”表{at}" if self.sheet else at


@dataclass
class ImportReport:
    kind: str
    title: str
    file: str
    sha256: str
    total: int = 0  # data rows read (blank rows skipped)
    valid: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # valid rows to confirm
    ignored_columns: list[str] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)  # rows recognised as 合计 and skipped
    children: dict[str, int] = field(default_factory=dict)  # child rows read, by sheet
    written: int = 0
    # rows recognised as records already here (``app.excel.reimport``): the same as the record,
    # and — in the 更新已有记录 mode (``update``) — changes to it, {row: Match} with the diff
    unchanged: list[int] = field(default_factory=list)
    updates: dict = field(default_factory=dict)
    update: bool = False
    updated: int = 0
    doubtful_rows: list[int] = field(default_factory=list)  # probable duplicates, refused unless confirmed
    confirmed_rows: frozenset[int] = frozenset()  # of those, the rows the user confirmed one by one
    checked_state: str = ""  # the database's state the rows were checked against (``checked_state``)

    @property
    def refused_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if not p.sheet})

    @property
    def warned_rows(self) -> list[int]:
        return sorted({p.row for p in self.warnings})

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def writable(self) -> bool:
        """Whether accepting it writes anything (new rows or updates)."""
        return bool(self.valid or self.updates)

    def lines(self, limit: int = 200) -> list[str]:
        out = [f"{self.title}:共 {self.total} 行,可导入 {len(self.valid)} 行"
               + (f"(其中 {len(self.warned_rows)} 行需确认)" if self.warnings else "")
               + (f",更新已有记录 {len(self.updates)} 行" if self.update else "")
               + (f",与已有记录相同 {len(self.unchanged)} 行" if self.unchanged else "")
               + f",有问题 {len(self.refused_rows)} 行"]
        if self.children:
            out.append("另有" + "、".join(f"“{t}”表 {n} 行" for t, n in self.children.items()))
        if self.ignored_columns:
            out.append("已忽略无法识别的列:" + "、".join(self.ignored_columns))
        if self.totals:
            out.append("已跳过合计行:" + "、".join(f"第 {n} 行" for n in self.totals))
        for p in self.problems[:limit]:
            out.append(f"{p.where()}  {p.column or '-'}  {p.reason}")
        if len(self.problems) > limit:
            out.append(f"……另有 {len(self.problems) - limit} 个问题未列出")
        for p in self.warnings[:limit]:
            out.append(f"{p.where()}  {p.column or '-'}  需确认:{p.reason}")
        if len(self.warnings) > limit:
            out.append(f"……另有 {len(self.warnings) - limit} 个提示未列出")
        for row, m in list(self.updates.items())[:limit]:
            out.append(f"第 {row} 行  {m.name}  更新:"
                       + ";".join(f"{label} {old} → {new}" for label, old, new in m.changes))
        if len(self.updates) > limit:
            out.append(f"……另有 {len(self.updates) - limit} 行更新未列出")
        return out


def _norm_label(text) -> str:
    return str(text or "").strip().lstrip("*＊").strip()


def find_header(rows: list[tuple], fields) -> tuple[int, dict[int, str], list[str]]:
    """(index of the header row, {column index: field key}, unknown labels)."""
    by_label = ({a: f.key for f in fields for a in f.aliases} | {f.label: f.key for f in fields}
                | {f.key: f.key for f in fields})
    best = (-1, {}, [])
    for idx, row in enumerate(rows[:HEADER_SCAN]):
        mapping, unknown = {}, []
        for c, value in enumerate(row):
            label = _norm_label(value)
            if not label:
                continue
            if label in by_label and by_label[label] not in mapping.values():
                mapping[c] = by_label[label]
            else:
                unknown.append(label)
        if len(mapping) > len(best[1]):
            best = (idx, mapping, unknown)
    return best


@dataclass
class Sheet:
    """One sheet as read: {column: field key}, unknown labels, [(row number, values)]."""

    mapping: dict[int, str]
    unknown: list[str]
    data: list[tuple[int, tuple]]


def _read(ws, fields, what: str, file_name: str) -> Sheet:
    it = ws.iter_rows(values_only=True)
    head = list(islice(it, HEADER_SCAN))
    idx, mapping, unknown = find_header(head, fields)
    if idx < 0:
        raise AppError(f"在 {file_name} 的前 {HEADER_SCAN} 行中找不到{what}的列名,"
                       "请使用本程序的导入模板")
    data = [(i + 1, row) for i, row in enumerate(head) if i > idx]
    for n, row in enumerate(it, len(head) + 1):
        data.append((n, row))
        if len(data) > MAX_ROWS:
            raise AppError(f"一次最多导入 {MAX_ROWS:,} 行,请拆分文件")
    return Sheet(mapping, unknown, data)


def read_book(path: Path, k: ExcelKind) -> tuple[Sheet, dict[str, Sheet]]:
    """The kind's sheet (by its title, else the first) and each child sheet present."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx(path)  # sizes, cell lengths and no DTD, before the XML parser sees it
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        log_technical(f"reading {path}", exc)
        reason = os_error_text(exc) if isinstance(exc, OSError) else "不是 .xlsx 格式的 Excel 文件,或文件已损坏"
        raise AppError(f"无法读取 Excel 文件 {path.name}:{reason}。"
                       "请使用 .xlsx 格式(可用本程序下载模板)") from None
    try:
        ws = wb[k.title] if k.title in wb.sheetnames else wb.worksheets[0]
        main = _read(ws, k.fields, k.title, path.name)
        children = {}
        for c in k.children:
            if c.title in wb.sheetnames:
                children[c.title] = _read(wb[c.title], [*c.link_fields(k.spec), *c.fields],
                                          f"“{c.title}”表", path.name)
        return main, children
    except SyntaxError as exc:  # xml.etree's ParseError and lxml's XMLSyntaxError: damaged XML
        log_technical(f"reading {path}", exc)
        raise AppError(f"无法读取 Excel 文件 {path.name}:文件内容已损坏。"
                       "请用 Excel 或 WPS 打开后另存为 .xlsx") from None
    finally:
        wb.close()


def _blank(row) -> bool:
    return not any(v not in (None, "") for v in row)


TOTAL_WORDS = ("合计", "总计", "小计", "共计")


def is_total(row) -> bool:
    """A 合计 (总计, 小计) row at the foot of a sheet: its first filled cell says so ("合 计",
    "合计:56人"). It counts rows; it is not a record."""
    first = next((v for v in row if v not in (None, "")), None)
    return isinstance(first, str) and "".join(first.split()).startswith(TOTAL_WORDS)


def _raw_row(columns, row, errors: dict) -> dict:
    """Cell values as raw input for ``RecordSpec.clean``; cells that cannot be read go to errors."""
    raw = {}
    for c, f in columns:
        try:
            raw[f.key] = cells.raw_input(f, row[c] if c < len(row) else None)
        except cells.CellError as exc:
            errors[f.key] = str(exc)
    return raw


def checked_state(session, actor) -> str:
    """What an import's checks depend on besides the file: every write to the database moves the
    audit chain's head and the change counter, the day moves date rules, and the user their scope.
    When it is the same at writing time as at checking time, the checks need not run again."""
    from sqlalchemy import text

    from app.clock import today

    state = dict(session.execute(text("SELECT key, value FROM local_state "
                                      "WHERE key IN ('audit_head', 'change_seq')")).all())
    return (f"{state.get('audit_head')}|{state.get('change_seq')}|{today()}|"
            f"{actor.username}|{actor.role}|{actor.unit_id}")


def check_file(db, actor, kind_key: str, path: Path | str,
               progress: Progress = NO_PROGRESS, *, update: bool = False,
               confirm_rows: frozenset[int] = frozenset()) -> ImportReport:
    """Check every row of the file; write nothing. ``update``: the 更新已有记录 mode, rows of
    records already here that differ from them are offered as updates (``app.excel.reimport``).
    ``confirm_rows``: probable duplicates the user confirmed row by row (the others are refused)."""
    from app.services.records import codebook

    k = kind(kind_key)
    if k.importer is None:
        raise AppError(f"{k.title}不支持从 Excel 导入")
    actor.require(Perm(k.import_perm), f"导入{k.title}")
    path = Path(path)
    if not path.is_file():
        raise AppError(f"找不到文件:{path}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if update and not k.updatable:
        raise AppError(f"{k.title}不支持“更新已有记录”方式导入")
    report = ImportReport(k.key, f"导入{k.title}", path.name, digest, update=update,
                          confirmed_rows=frozenset(confirm_rows))
    with db.read_session() as s:
        before = checked_state(s, actor)
    main, child_sheets = read_book(path, k)
    report.ignored_columns = list(main.unknown) + [
        f"{t}·{label}" for t, sh in child_sheets.items() for label in sh.unknown]
    present = set(main.mapping.values())
    # a required field with a default (会籍状态: 正常) takes it when the sheet has no such column
    missing = [f.label for f in k.import_fields if f.required and f.default is None and f.key not in present]
    for c in k.children:
        sheet = child_sheets.get(c.title)
        if sheet is not None:
            have = set(sheet.mapping.values())
            lacking = [f.label for f in [c.link_fields(k.spec)[0], *c.import_fields]
                       if f.required and f.key not in have]
            if lacking:
                report.problems.append(Problem(0, "、".join(lacking), "缺少必填列,未检查任何行", c.title))
    if missing:
        report.problems.append(Problem(0, "、".join(missing), "缺少必填列,未检查任何行"))
    if missing or report.problems:
        report.total = sum(1 for _, row in main.data if not _blank(row))
        return report
    fields = {f.key: f for f in k.import_fields}
    columns = [(c, fields[key]) for c, key in main.mapping.items() if key in fields]
    rows: list[tuple[int, dict, dict]] = []  # (sheet row, cleaned values, errors)
    with db.read_session() as s:
        codes = codebook(s)
        for n, (row_no, row) in enumerate(main.data, 1):
            if _blank(row):
                continue
            if is_total(row):
                report.totals.append(row_no)
                continue
            report.total += 1
            errors: dict[str, str] = {}
            raw = _raw_row(columns, row, errors)
            cleaned, clean_errors = k.spec.clean({key: v for key, v in raw.items() if key not in errors},
                                                 codes)
            rows.append((row_no, cleaned, {**clean_errors, **errors}))
            if n % 1000 == 0:
                progress.update(n, len(main.data), f"正在检查第 {n:,} 行")
        refs.link(s, k.spec, rows)
    candidates: list[tuple[int, dict]] = []
    for row_no, cleaned, errors in rows:
        if errors:
            report.problems += [Problem(row_no, k.spec.field(key).label, msg) for key, msg in errors.items()]
        else:
            candidates.append((row_no, cleaned))
    for c in k.children:
        candidates = _attach(report, k, c, child_sheets.get(c.title), candidates, main, codes)
    extra = {"update": update, "columns": frozenset(present)} if k.updatable else {}
    if getattr(k.importer, "confirms_rows", False):
        extra["confirm_rows"] = frozenset(confirm_rows)
    result = k.importer.check(db, actor, candidates, **extra)
    if not isinstance(result, CheckResult):
        result = CheckResult(result, {})
    area_errors, area_warnings = dict(result.errors), result.warnings
    report.unchanged, report.updates = result.unchanged, result.updates
    report.doubtful_rows = sorted(result.doubtful)
    for row_no, found in result.doubtful.items():
        if row_no in confirm_rows:
            area_warnings = {**area_warnings, row_no: {**area_warnings.get(row_no, {}),
                                                       **{k_: "已逐行确认:" + m for k_, m in found.items()}}}
        else:
            area_errors[row_no] = {**area_errors.get(row_no, {}), **found}
    for row_no, cleaned in candidates:
        if row_no in result.updates or row_no in result.unchanged:
            continue
        if row_no in area_errors:
            report.problems += [Problem(row_no, _column(k, key), msg)
                                for key, msg in area_errors[row_no].items()]
            continue
        report.valid.append((row_no, cleaned))
        report.warnings += [Problem(row_no, _column(k, key), msg)
                            for key, msg in area_warnings.get(row_no, {}).items()]
    report.problems.sort(key=lambda p: (p.sheet != "", p.sheet, p.row))
    with db.read_session() as s:  # nothing was written while the rows were checked
        report.checked_state = before if checked_state(s, actor) == before else ""
    return report


def _column(k: ExcelKind, key: str) -> str:
    """The column an area's message is about: a field's label, or a child sheet's name."""
    if k.spec.has(key):
        return k.spec.field(key).label
    return next((c.title for c in k.children if c.attach == key), "")


def _attach(report: ImportReport, k: ExcelKind, child, sheet: Sheet | None,
            candidates: list[tuple[int, dict]], main: Sheet, codes) -> list[tuple[int, dict]]:
    """Read a child sheet and give each parent candidate its child rows (``child.attach``); a
    parent with a wrong child row is refused. Returns the parents still standing."""
    from app.fields.spec import clean_value

    for _, values in candidates:
        values[child.attach] = []
    if sheet is None:
        return candidates
    key_field, name_field = child.link_fields(k.spec)
    parent_field = k.spec.field(child.parent_key)
    by_key = {values[child.parent_key]: (row_no, values) for row_no, values in candidates}
    key_col = next((c for c, key in main.mapping.items() if key == child.parent_key), None)
    all_parents: dict[str, int] = {}  # parent keys on the kind's sheet, refused rows included
    for row_no, row in main.data:
        if key_col is not None and key_col < len(row) and row[key_col] not in (None, ""):
            try:
                all_parents.setdefault(clean_value(parent_field, cells.raw_input(parent_field, row[key_col])),
                                       row_no)
            except (ValueError, cells.CellError):
                pass
    fields = {f.key: f for f in (key_field, name_field, *child.import_fields)}
    columns = [(c, fields[key]) for c, key in sheet.mapping.items() if key in fields]
    bad_parents: dict[int, list[int]] = {}
    for row_no, row in sheet.data:
        if _blank(row):
            continue
        report.children[child.title] = report.children.get(child.title, 0) + 1
        errors: dict[str, str] = {}
        raw = _raw_row(columns, row, errors)
        key = None
        try:
            key = clean_value(key_field, raw.get(key_field.key))
        except ValueError as exc:
            errors[key_field.key] = str(exc)
        if key is None and key_field.key not in errors:
            errors[key_field.key] = "必填:本行属于哪一户"
        cleaned, clean_errors = child.spec.clean(
            {f: v for f, v in raw.items() if child.spec.has(f) and f not in errors}, codes)
        errors.update(clean_errors)
        parent = by_key.get(key) if key else None
        if key and parent is None and key_field.key not in errors:
            errors[key_field.key] = (f"所属户(“{k.title}”表第 {all_parents[key]} 行)未通过检查"
                                     if key in all_parents else
                                     f"“{k.title}”表中没有{parent_field.label}为 {key} 的行")
        elif parent is not None and raw.get(name_field.key) and \
                str(raw[name_field.key]) != str(parent[1].get(k.spec.display_key)):
            errors[name_field.key] = (f"与“{k.title}”表第 {parent[0]} 行的姓名"
                                      f"“{parent[1].get(k.spec.display_key)}”不一致")
        if errors:
            report.problems += [Problem(row_no, fields[f].label if f in fields else
                                        child.spec.field(f).label, msg, child.title)
                                for f, msg in errors.items()]
            if parent is not None:
                bad_parents.setdefault(parent[0], []).append(row_no)
            continue
        parent[1][child.attach].append(cleaned)
    for row_no, child_rows in bad_parents.items():
        report.problems.append(Problem(row_no, child.title, f"“{child.title}”表第 "
                                       f"{'、'.join(str(r) for r in child_rows)} 行有问题,本户未导入"))
    return [(row_no, values) for row_no, values in candidates if row_no not in bad_parents]


def apply_import(db, actor, report: ImportReport) -> int:
    """Write the report's valid rows in one transaction (the user accepted them)."""
    k = kind(report.kind)
    actor.require(Perm(k.import_perm), f"导入{k.title}")
    if not report.writable:
        raise AppError("没有可以导入的行" + ("(各行与已有记录相同)" if report.unchanged else ""))
    extra = {"confirmed": [f"第 {p.row} 行:{p.reason}" for p in report.warnings]} if report.warnings else {}
    if report.confirmed_rows:
        extra["confirmed_rows"] = report.confirmed_rows
    source = f"Excel 文件 {report.file}(SHA-256 {report.sha256[:16]})"
    with db.session(actor) as s:
        # under the write lock: when nothing has changed since the check, its verdict stands
        if report.checked_state and checked_state(s, actor) == report.checked_state:
            extra["checked"] = True
        n = k.importer.write(s, actor, report.valid, source=source, **extra) if report.valid else 0
        if report.updates:
            report.updated = k.importer.update(s, actor, report.updates, source=source)
        s.flush()
        crashpoint("excel.written")  # every row in the file's log, the commit not yet
    crashpoint("excel.committed")
    report.written = n
    from app.db.backup import after_large_change

    after_large_change(db, n, "excel")
    return n


def import_file(db, actor, kind_key: str, path: Path | str, *, dry_run: bool = False,
                accept_valid: bool = False, update: bool = False,
                confirm_rows: frozenset[int] = frozenset(),
                progress: Progress = NO_PROGRESS) -> ImportReport:
    """Check, then write unless it is a dry run; with refused rows or rows to confirm, write only
    if the caller accepts importing the valid ones (which confirms the warned rows). ``update``:
    the 更新已有记录 mode."""
    report = check_file(db, actor, kind_key, path, progress, update=update, confirm_rows=confirm_rows)
    if dry_run or not report.writable or ((report.problems or report.warnings) and not accept_valid):
        return report
    apply_import(db, actor, report)
    return report
