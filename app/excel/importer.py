"""Import from the app's own template (or its own export): read, check every row, report, and only
when the user accepts, write the valid rows in one transaction.

1. ``check_file`` reads the sheet (headers found by label, "*" marks ignored), converts each cell
   (dates in the forms offices write them, full-width digits, 15-digit IDs, numbers typed into text
   columns), cleans each row with the kind's RecordSpec, resolves names of referenced records, then
   asks the area's importer for its own rules (duplicates in the database and within the file).
   Nothing is written; the result is an ``ImportReport`` of (row, column, reason).
2. ``apply_import`` writes the report's valid rows through the area's service in ONE transaction
   with the area's audit entry. A dry run stops after step 1.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from app.crashpoints import crashpoint
from app.errors import AppError
from app.excel import cells
from app.excel.registry import ExcelKind, kind
from app.fields.spec import Kind
from app.progress import NO_PROGRESS, Progress
from app.security.roles import Perm

HEADER_SCAN = 6  # the header row is looked for in the first rows
ROW_REF = "@row:"  # a reference to a record defined on an earlier row of the same file
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Problem:
    row: int  # the row number Excel shows (0: the file as a whole)
    column: str  # the column label ("" for the row as a whole)
    reason: str


@dataclass
class ImportReport:
    kind: str
    title: str
    file: str
    sha256: str
    total: int = 0  # data rows read (blank rows skipped)
    valid: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: int = 0

    @property
    def refused_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self, limit: int = 200) -> list[str]:
        out = [f"{self.title}:共 {self.total} 行,可导入 {len(self.valid)} 行,"
               f"有问题 {len(self.refused_rows)} 行"]
        if self.ignored_columns:
            out.append("已忽略无法识别的列:" + "、".join(self.ignored_columns))
        for p in self.problems[:limit]:
            where = "整个文件" if p.row == 0 else f"第 {p.row} 行"
            out.append(f"{where}  {p.column or '-'}  {p.reason}")
        if len(self.problems) > limit:
            out.append(f"……另有 {len(self.problems) - limit} 个问题未列出")
        return out


def _norm_label(text) -> str:
    return str(text or "").strip().lstrip("*＊").strip()


def _find_header(rows: list[tuple], k: ExcelKind) -> tuple[int, dict[int, str], list[str]]:
    """(index of the header row, {column index: field key}, unknown labels)."""
    by_label = {f.label: f.key for f in k.fields} | {f.key: f.key for f in k.fields}
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


def read_sheet(path: Path, k: ExcelKind):
    """(header row number, {column: key}, unknown labels, [(row number, values)])."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise AppError(f"无法读取 Excel 文件 {path.name}:{exc}。"
                       "请使用 .xlsx 格式(可用本程序下载模板)") from None
    try:
        ws = wb[k.title] if k.title in wb.sheetnames else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        head = list(islice(it, HEADER_SCAN))
        idx, mapping, unknown = _find_header(head, k)
        if idx < 0:
            raise AppError(f"在 {path.name} 的前 {HEADER_SCAN} 行中找不到{k.title}的列名,"
                           "请使用本程序的导入模板")
        data = [(i + 1, row) for i, row in enumerate(head) if i > idx]
        for n, row in enumerate(it, len(head) + 1):
            data.append((n, row))
            if len(data) > MAX_ROWS:
                raise AppError(f"一次最多导入 {MAX_ROWS:,} 行,请拆分文件")
        return idx + 1, mapping, unknown, data
    finally:
        wb.close()


def check_file(db, actor, kind_key: str, path: Path | str,
               progress: Progress = NO_PROGRESS) -> ImportReport:
    """Check every row of the file; write nothing."""
    from app.services.records import codebook

    k = kind(kind_key)
    if k.importer is None:
        raise AppError(f"{k.title}不支持从 Excel 导入")
    actor.require(Perm(k.import_perm), f"导入{k.title}")
    path = Path(path)
    if not path.is_file():
        raise AppError(f"找不到文件:{path}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    report = ImportReport(k.key, f"导入{k.title}", path.name, digest)
    _, mapping, unknown, data = read_sheet(path, k)
    report.ignored_columns = unknown
    present = set(mapping.values())
    missing = [f.label for f in k.import_fields if f.required and f.key not in present]
    if missing:
        report.problems.append(Problem(0, "、".join(missing), "缺少必填列,未检查任何行"))
        report.total = sum(1 for _, row in data if any(v not in (None, "") for v in row))
        return report
    fields = {f.key: f for f in k.import_fields}
    columns = [(c, fields[key]) for c, key in mapping.items() if key in fields]
    with db.read_session() as s:
        codes = codebook(s)
        refs = {key: _reverse(fn(s)) for key, fn in k.refs.items() if key in fields}
    candidates: list[tuple[int, dict]] = []
    self_refs = [key for key, f in fields.items() if f.kind == Kind.REF and f.ref == k.spec.key]
    earlier: dict[tuple[str, str], str] = {}
    for n, (row_no, row) in enumerate(data, 1):
        if not any(v not in (None, "") for v in row):
            continue
        report.total += 1
        raw, errors = {}, {}
        for c, f in columns:
            value = row[c] if c < len(row) else None
            try:
                raw[f.key] = cells.raw_input(f, value)
            except cells.CellError as exc:
                errors[f.key] = str(exc)
                continue
            if f.kind == Kind.REF and raw[f.key] is not None:
                found = refs[f.key].get(str(raw[f.key])) or earlier.get((f.key, str(raw[f.key])))
                if found is None or found == _AMBIGUOUS:
                    errors[f.key] = (f"有多个名为“{raw[f.key]}”的记录,请改用编号" if found == _AMBIGUOUS
                                     else f"找不到“{raw[f.key]}”,名称须与系统中的完全一致")
                else:
                    raw[f.key] = found
        cleaned, clean_errors = k.spec.clean({key: v for key, v in raw.items() if key not in errors},
                                             codes)
        errors = {**clean_errors, **errors}
        if errors:
            report.problems += [Problem(row_no, k.spec.field(key).label, msg)
                                for key, msg in errors.items()]
        else:
            candidates.append((row_no, cleaned))
            for key in self_refs:  # later rows may name this one (a unit and its sub-units)
                earlier.setdefault((key, str(cleaned.get(k.spec.display_key))), f"{ROW_REF}{row_no}")
        if n % 1000 == 0:
            progress.update(n, len(data), f"正在检查第 {n:,} 行")
    area_errors = k.importer.check(db, actor, candidates)
    for row_no, cleaned in candidates:
        if row_no in area_errors:
            report.problems += [Problem(row_no, k.spec.field(key).label if k.spec.has(key) else "",
                                        msg) for key, msg in area_errors[row_no].items()]
        else:
            report.valid.append((row_no, cleaned))
    report.problems.sort(key=lambda p: p.row)
    return report


_AMBIGUOUS = object()


def _reverse(names: dict[str, str]) -> dict:
    """{name: id} from {id: name}; a name used twice maps to _AMBIGUOUS. Ids map to themselves."""
    out: dict = {}
    for rid, name in names.items():
        out[name] = _AMBIGUOUS if name in out and out[name] != rid else rid
    for rid in names:
        out.setdefault(rid, rid)
    return out


def apply_import(db, actor, report: ImportReport) -> int:
    """Write the report's valid rows in one transaction (the user accepted them)."""
    k = kind(report.kind)
    actor.require(Perm(k.import_perm), f"导入{k.title}")
    if not report.valid:
        raise AppError("没有可以导入的行")
    with db.session(actor) as s:
        n = k.importer.write(s, actor, report.valid,
                             source=f"Excel 文件 {report.file}(SHA-256 {report.sha256[:16]})")
        s.flush()
        crashpoint("excel.import.before-commit")  # every row written, not yet committed
    crashpoint("excel.import.committed")
    report.written = n
    return n


def import_file(db, actor, kind_key: str, path: Path | str, *, dry_run: bool = False,
                accept_valid: bool = False, progress: Progress = NO_PROGRESS) -> ImportReport:
    """Check, then write unless it is a dry run; with refused rows, write only if the caller
    accepts importing the valid ones."""
    report = check_file(db, actor, kind_key, path, progress)
    if dry_run or not report.valid or (report.problems and not accept_valid):
        return report
    apply_import(db, actor, report)
    return report
