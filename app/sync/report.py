"""The dry-run report (and the final summary) of one bundle import, per table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ITEM_CAP = 500  # items kept per kind for display; the counts are always complete

KIND_LABELS = {"conflict": "冲突", "duplicate": "疑似重复人员", "refused": "拒收", "merged": "自动合并",
               "alarm": "完整性警报"}


@dataclass
class TableReport:
    table: str
    title: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    duplicates: int = 0
    refused: int = 0

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged + self.conflicts + self.refused


@dataclass
class ReportItem:
    kind: str  # conflict | duplicate | refused | merged | alarm
    table: str
    title: str
    row_id: str
    label: str
    message: str


@dataclass
class DryRunReport:
    bundle_id: str
    sender_name: str
    sender_code: str
    created_at: str
    channel_seq: int
    full: bool
    tables: list[TableReport] = field(default_factory=list)
    items: list[ReportItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    attachments_new: int = 0
    attachments_total: int = 0
    applied: bool = False
    schema_version: str = ""  # the sender's
    # bundles of another schema version: {table, title, columns, rows, whole, unreadable}
    kept_aside: list[dict] = field(default_factory=list)
    defaulted: list[dict] = field(default_factory=list)  # {table, title, columns}: not sent
    _seen: dict = field(default_factory=dict, repr=False)

    def table(self, name: str, title: str) -> TableReport:
        for t in self.tables:
            if t.table == name:
                return t
        t = TableReport(name, title)
        self.tables.append(t)
        return t

    def add(self, kind: str, codec, row_id: str, label: str, message: str) -> None:
        n = self._seen.get(kind, 0)
        self._seen[kind] = n + 1
        if n < ITEM_CAP:
            self.items.append(ReportItem(kind, codec.name, codec.title, row_id, label, message))

    def keep(self, table: str, title: str, columns: list[str], rows: int = 1, *,
             whole: bool = False, unreadable: int = 0) -> None:
        """Count rows whose ``columns`` (or, ``whole``, the entire record) are kept aside."""
        for k in self.kept_aside:
            if k["table"] == table:
                k["rows"] += rows
                k["unreadable"] += unreadable
                return
        self.kept_aside.append({"table": table, "title": title, "columns": list(columns),
                                "rows": rows, "whole": whole, "unreadable": unreadable})

    def schema_notes(self) -> list[str]:
        """What a bundle of another schema version does here, in words."""
        done = "已" if self.applied else "将"
        out = []
        for k in self.kept_aside:
            if k["whole"]:
                bad = f"(其中 {k['unreadable']:,} 条格式不符,无法保存)" if k["unreadable"] else ""
                out.append(f"数据包中有本程序不认识的记录类型 {k['table']}({k['rows'] + k['unreadable']:,} "
                           f"条):本程序不能导入,{done}原样另存在本机{bad},不会丢失;"
                           "本机升级到认识它的版本后可以补入")
            elif k["rows"]:
                out.append(f"{k['title']}:数据包中有本程序没有的字段 {'、'.join(k['columns'])}"
                           f"({k['rows']:,} 条记录),这些字段的值{done}另存在本机,不会丢失")
        for d in self.defaulted:
            out.append(f"{d['title']}:数据包由较旧版本的程序生成,没有字段 {'、'.join(d['columns'])};"
                       "本机已有的记录保留本机的值,新增的记录按本程序的规则推算或取默认值")
        return out

    def count(self, attr: str) -> int:
        return sum(getattr(t, attr) for t in self.tables)

    @property
    def has_changes(self) -> bool:
        return any(t.new or t.updated or t.conflicts for t in self.tables) or self.attachments_new > 0

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("_seen", None)
        return d

    def lines(self) -> list[str]:
        head = "导入结果" if self.applied else "试导入报告(尚未写入)"
        if not self.channel_seq:  # a receipt
            return [f"{head}:来自 {self.sender_name}({self.sender_code})的回执"] + \
                [f"注意:{w}" for w in self.warnings]
        out = [f"{head}:来自 {self.sender_name}({self.sender_code})的第 {self.channel_seq} 号"
               f"{'完整' if self.full else '增量'}数据包,生成于 {self.created_at}"]
        out.append(f"{'记录类型':<10}{'新增':>8}{'更新':>8}{'未变':>8}{'冲突':>6}{'疑似重复':>8}{'拒收':>6}")
        for t in self.tables:
            out.append(f"{t.title:<10}{t.new:>8,}{t.updated:>8,}{t.unchanged:>8,}{t.conflicts:>6,}"
                       f"{t.duplicates:>8,}{t.refused:>6,}")
        if self.attachments_total:
            out.append(f"附件:{self.attachments_total} 个,其中本机没有的 {self.attachments_new} 个")
        for w in self.warnings + self.schema_notes():
            out.append(f"注意:{w}")
        for it in self.items[:50]:
            out.append(f"[{KIND_LABELS.get(it.kind, it.kind)}] {it.title} {it.label}:{it.message}")
        if len(self.items) > 50:
            out.append(f"……另有 {len(self.items) - 50} 条明细")
        return out
