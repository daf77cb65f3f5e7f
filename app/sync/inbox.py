"""Several bundles from one USB stick, imported in one go (a county's weekly bundles, the city's
stick with every county's): ordered per sending PC by channel number, whatever the file names
say, each imported on its own (one transaction, all-or-nothing, as a single import), after one
backup for the whole set. A bundle already imported is skipped quietly; a refused one stops its
sender's later bundles (they would miss it), not the other senders'.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.progress import NO_PROGRESS, Progress
from app.sync import container
from app.sync.errors import BundleError


@dataclass
class InboxItem:
    path: Path
    sender: str  # unit name, and its key id: one sending PC
    kind: str  # "data" | "receipt" | "" (not readable)
    seq: int
    status: str = "waiting"  # "imported" | "already" | "refused" | "skipped"
    message: str = ""
    report: object = None  # the applied DryRunReport

    @property
    def status_label(self) -> str:
        return {"imported": "已导入", "already": "此前已导入", "refused": "被拒收",
                "skipped": "未导入(同一发送方较早的数据包被拒收)", "waiting": "待导入"}[self.status]


def bundles_in(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.udbx") if p.is_file())


def ordered(paths: list[Path]) -> list[InboxItem]:
    """The files as items in import order: per sending PC, data by channel number, then its
    receipts; unreadable files last (their import names why)."""
    items = []
    for path in paths:
        try:
            reader = container.BundleReader(Path(path))
            try:
                _raw, m, _sig = reader.manifest()
            finally:
                reader.close()
            sender = m.get("sender") or {}
            kind = m.get("kind", "data")
            seq = int((m.get("channel") or {}).get("seq", 0) if kind == "data"
                      else (m.get("receipt") or {}).get("covered_seq", 0))
            items.append(InboxItem(Path(path), f"{sender.get('unit_name', '?')}·"
                                   f"{str(sender.get('sign_key_id', ''))[:6]}", kind, seq))
        except (BundleError, TypeError, ValueError, AttributeError):
            items.append(InboxItem(Path(path), "", "", 0))
    return sorted(items, key=lambda i: (i.kind == "", i.sender, i.kind != "data", i.seq, i.path.name))


def import_all(db, actor, paths: list[Path], progress: Progress = NO_PROGRESS) -> list[InboxItem]:
    from app.db.backup import backup_database
    from app.sync.importer import ImportSession, check_bundle

    items = ordered(paths)
    if not items:
        return items
    progress.update(0, len(items), "正在自动备份")
    backup_database(db, reason="pre-import")
    stopped: set[str] = set()
    for n, item in enumerate(items):
        progress.update(n, len(items), f"正在导入 {item.path.name}({n + 1}/{len(items)})")
        if item.sender and item.sender in stopped:
            item.status = "skipped"
            continue
        try:
            session = ImportSession(db, actor, check_bundle(db, actor, item.path), None)
            try:
                item.report = session.apply(backup=False)
            finally:
                session.close()
            item.status = "imported"
        except BundleError as err:
            item.status, item.message = ("already", err.plain) if err.code == "E_REPLAY" else \
                ("refused", err.message)
            if item.status == "refused" and item.sender:
                stopped.add(item.sender)
    from app.db.backup import after_large_change

    after_large_change(db, sum(i.report.count("new") + i.report.count("updated") for i in items
                               if i.status == "imported"), "bundle")
    progress.update(len(items), len(items), "完成")
    return items
