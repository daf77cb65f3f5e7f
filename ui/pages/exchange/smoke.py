"""What ``uniondesk --smoke-test`` opens on the 数据交换 page: a fresh copy of each tab, each step
of both wizards and each dialog. Real data where this database has it (trusted offices, open
conflicts); otherwise a small sample labelled 示例, so every view is drawn at least once. Nothing
here writes to the database."""

from __future__ import annotations

from datetime import datetime

from app.security.abilities import may_exchange


def _sample_report():
    from app.sync.report import DryRunReport, ReportItem, TableReport

    rep = DryRunReport("sample", "示例市总工会", "341100", "2026-01-02T09:30:00Z", 3, False)
    rep.tables = [TableReport("units", "单位", new=2, updated=1, unchanged=40),
                  TableReport("members", "会员", new=1200, updated=3, unchanged=880, conflicts=1,
                              duplicates=1, refused=1)]
    rep.items = [ReportItem("conflict", "members", "会员", "", "张三(示例)", "双方都修改了:手机号码"),
                 ReportItem("refused", "members", "会员", "", "李四(示例)", "身份证号校验位不正确")]
    rep.warnings = ["这是示例报告"]
    return rep


def _sample_conflict():
    from app.sync.conflicts import ConflictView, FieldDiff

    return ConflictView("", "edit", "修改冲突", "members", "会员", "", "张三(示例)", datetime(2026, 1, 2),
                        "示例市总工会", "open", "remote",
                        [FieldDiff("name", "姓名", "张三", "张三", False, True),
                         FieldDiff("phone", "手机号码", "137****1111", "138****2222", True, False),
                         FieldDiff("post", "职务", "电工", "", True, False)])


def _export_at(ctx, step: int):
    from app.sync import service
    from ui.pages.exchange.export_wizard import ExportWizard

    w = ExportWizard(ctx)
    if step >= 1 and may_exchange(ctx.actor) and w.targets:
        w.show_preview(service.preview_export(ctx.db, ctx.actor, w.targets[0].id))
    w.show_step(step)
    return w


def _import_at(ctx, what: str):
    from types import SimpleNamespace

    from app.sync.errors import BundleError
    from ui.pages.exchange.import_wizard import ImportWizard

    w = ImportWizard(ctx)
    if what == "refused":
        w.show_refusal(BundleError("E_SIG_INVALID", "签名不正确(示例)"))
    elif what == "report":
        w.show_report(SimpleNamespace(report=_sample_report(), close=lambda: None))
        w.session = None  # a sample: nothing to apply or close
    elif what == "done":
        rep = _sample_report()
        rep.applied = True
        w.show_done(rep, None)
    return w


def _trust_dialog(page):
    from app.sync import service
    from ui.pages.exchange.peers_tab import TrustCardDialog

    pending = [p for p in page.peers.rows if not p.trusted]
    if pending:
        p = pending[0]
        preview = service.CardPreview(p.id, p.unit_name, p.unit_code, p.level_label, p.fingerprint, False)
    else:
        st = service.status(page.ctx.db, page.ctx.actor)
        preview = service.CardPreview("", f"{st.unit_name}(示例)", st.unit_code, "示例",
                                      st.fingerprint, False)
    return TrustCardDialog(page.ctx, preview, page)


def _conflict_dialog(page):
    from app.sync import service
    from ui.pages.exchange.conflicts_tab import ConflictDialog

    views = service.conflicts(page.ctx.db, page.ctx.actor)
    return ConflictDialog(page.ctx, views[0] if views else _sample_conflict(), page,
                          read_only=not views)


def dialogs(page) -> list:
    from ui.pages.exchange.common import PassphraseDialog, UnlockDialog
    from ui.pages.exchange.conflicts_tab import ConflictsTab
    from ui.pages.exchange.history_tab import HistoryTab
    from ui.pages.exchange.keys_tab import KeysTab
    from ui.pages.exchange.peers_tab import PeersTab

    ctx = page.ctx
    out = [("数据交换 › 本单位密钥", lambda: KeysTab(ctx)),
           ("数据交换 › 信任的单位", lambda: PeersTab(ctx)),
           ("数据交换 › 收发记录", lambda: HistoryTab(ctx)),
           ("数据交换 › 冲突处理", lambda: ConflictsTab(ctx))]
    out += [(f"导出向导 第 {i + 1} 步", lambda i=i: _export_at(ctx, i)) for i in range(4)]
    out += [(f"导入向导 {name}", lambda what=what: _import_at(ctx, what))
            for name, what in (("选择文件", "file"), ("拒收", "refused"), ("试导入报告", "report"),
                               ("完成", "done"))]
    out += [("冲突并排比较", lambda: _conflict_dialog(page)),
            ("核对密钥卡指纹", lambda: _trust_dialog(page))]
    if may_exchange(ctx.actor):
        out += [("解锁本单位密钥", lambda: UnlockDialog(ctx, page)),
                ("恢复密钥口令", lambda: PassphraseDialog("设定恢复密钥口令", confirm=True, parent=page))]
    return out
