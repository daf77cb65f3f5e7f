"""bundle export | import | inspect | receipt: exchange data with trusted offices by file."""

from __future__ import annotations

import json
from pathlib import Path

from app.errors import AppError


def register(sub) -> None:
    p = sub.add_parser("bundle", help="数据包交换:export、import、inspect、receipt",
                       description="用U盘在办公室电脑之间、县与市之间交换数据。数据包经本单位签名,并加密给对方(及市级恢复密钥),"
                                   "丢失U盘不会泄露数据。需要登录(数据交换权限),登录密码同时解锁本单位密钥。")
    s = p.add_subparsers(dest="bundle_command", metavar="子命令", required=True)
    ex = s.add_parser("export", help="导出数据包给一个已信任的单位", description=(
        "把对方尚未收到的记录(增量,默认)或全部记录(--full)写成一个 .udbx 数据包:先写在本机,再复制到目标位置、"
        "刷新到磁盘并读回核对校验值。对方须先导入本单位的密钥卡。"))
    ex.add_argument("--to", required=True, metavar="UNIT_CODE",
                    help="对方单位的区划代码(同一单位有多台电脑时,可写对方密钥编号的前几位)")
    ex.add_argument("--out", required=True, metavar="FILE", help="数据包文件或目录(例如U盘)")
    ex.add_argument("--full", action="store_true", help="导出全部记录,而不只是对方尚未收到的")
    ex.set_defaults(func=run_export)
    im = s.add_parser("import", help="导入数据包(或回执)", description=(
        "依次检查:文件完整、压缩包安全、签名(发送方须已信任)、接收方是本单位、未导入过、前序数据包齐全、校验值;"
        "然后解密并逐条校验记录,给出试导入报告。不加 --dry-run 时自动备份数据库后一次性写入。"
        "被拒收时说明原因(错误代码如 E_SIG_INVALID、E_GAP),退出码非零,数据库不变。"))
    im.add_argument("file", metavar="FILE", help="数据包文件")
    im.add_argument("--dry-run", action="store_true", help="只检查并显示试导入报告,不写入")
    im.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    im.set_defaults(func=run_import)
    ins = s.add_parser("inspect", help="查看数据包的清单和签名", description="显示数据包的明文清单(发送方、接收方、序号、各类记录条数),以及签名能否用本机信任的密钥验证。不解密、不写入。")
    ins.add_argument("file", metavar="FILE", help="数据包文件")
    ins.set_defaults(func=run_inspect)
    rc = s.add_parser("receipt", help="为最近一次导入生成回执", description="为最近一次导入的数据包生成签名回执,交回发送方导入,对方即知道哪些数据包已经送达、下次从哪里发起。")
    rc.add_argument("--out", default=".", metavar="FILE", help="回执文件或目录(默认:当前目录)")
    rc.set_defaults(func=run_receipt)


def _peer_for(db, actor, target: str):
    from app.sync import service

    peers = service.export_targets(db, actor)
    by_code = [p for p in peers if p.unit_code == target]
    if len(by_code) == 1:
        return by_code[0]
    from sqlalchemy import select

    from app.models import SyncPeer

    with db.read_session() as s:
        ids = [p.id for p in s.scalars(select(SyncPeer).where(SyncPeer.sign_key_id.startswith(target.lower())))]
    by_key = [p for p in peers if p.id in ids]
    if len(by_key) == 1:
        return by_key[0]
    if len(by_code) > 1:
        raise AppError(f"区划代码 {target} 有多台已信任的电脑,请改用对方密钥编号(uniondesk-cli keys show 可查看)")
    raise AppError(f"没有已信任的单位 {target}:请先导入对方密钥卡并核对指纹(uniondesk-cli keys trust)")


def run_export(ctx) -> int:
    from app.cli.cmd_keys import unlocked_login
    from app.sync import service

    actor = unlocked_login(ctx)
    db = ctx.db()
    peer = _peer_for(db, actor, ctx.args.to)
    r = service.export(db, actor, peer.id, Path(ctx.args.out), full=ctx.args.full)
    ctx.out(f"已导出第 {r.channel_seq} 号{'完整' if r.full else '增量'}数据包给 {r.peer_name}:{r.path}")
    for table, c in r.counts.items():
        ctx.out(f"  {table}:{c['rows']:,} 条(其中作废 {c['tombstones']:,})")
    ctx.out(f"  附件 {r.attachments} 个;文件 {r.size:,} 字节;SHA-256 {r.sha256}")
    return 0


def run_import(ctx) -> int:
    from app.cli.cmd_keys import unlocked_login
    from app.sync.importer import import_bundle

    actor = unlocked_login(ctx)
    session = import_bundle(ctx.db(), actor, Path(ctx.args.file), dry_run=ctx.args.dry_run)
    report = session.report
    if ctx.args.json:
        ctx.out(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        for line in report.lines():
            ctx.out(line)
        if report.applied and session.checked.kind == "data":
            ctx.out("已写入。可用 uniondesk-cli bundle receipt --out U盘 生成回执交回对方。")
    return 0


def run_inspect(ctx) -> int:
    from app.sync.receipts import inspect_bundle

    db = ctx.db() if ctx.db_path.exists() else None
    r = inspect_bundle(db, Path(ctx.args.file))
    ctx.out(json.dumps(r.manifest, ensure_ascii=False, indent=2))
    sig = {True: "正确", False: "不正确(文件被改动或不是该单位签发)", None: "无法验证(本机没有该单位的密钥卡)"}[r.signature_ok]
    ctx.out(f"签名者:{r.signer};签名{sig};{'已信任' if r.trusted else '未信任'}")
    ctx.out(f"文件 SHA-256:{r.file_sha256}")
    if r.problem:
        ctx.out(f"问题:{r.problem}")
    return 0 if r.signature_ok is not False and not r.problem else 1


def run_receipt(ctx) -> int:
    from app.cli.cmd_keys import unlocked_login
    from app.sync import service

    actor = unlocked_login(ctx)
    path = service.write_receipt(ctx.db(), actor, Path(ctx.args.out))
    ctx.out(f"已生成回执:{path}")
    return 0
