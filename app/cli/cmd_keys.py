"""keys show | export-card | trust | export-recovery | import-recovery: this unit's exchange keys
and the key cards of the offices it exchanges with."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from app.errors import AppError, InvalidInput
from app.fileio import write_atomically


def register(sub) -> None:
    p = sub.add_parser("keys", help="数据交换密钥:show、export-card、trust",
                       description="本单位的数据交换密钥(签名 Ed25519、加密 X25519)和对方单位的密钥卡。"
                                   "私钥只以加密形式保存在数据库中,由有数据交换权限的用户用登录密码解锁。")
    s = p.add_subparsers(dest="keys_command", metavar="子命令", required=True)
    sh = s.add_parser("show", help="显示本单位公钥和指纹", description="显示本单位名称、公钥编号和密钥卡指纹(8 组 4 位数字,供电话核对),以及已导入的对方密钥卡。无需登录。")
    sh.add_argument("--json", action="store_true", help="以 JSON 输出")
    sh.set_defaults(func=run_show)
    ex = s.add_parser("export-card", help="导出本单位密钥卡", description="把本单位的密钥卡(单位名称、代码、级别、公钥和自签名)写入文件,交给对方单位导入。需要登录(数据交换权限)。")
    ex.add_argument("--out", required=True, metavar="FILE", help="密钥卡文件(或目录)")
    ex.set_defaults(func=run_export_card)
    tr = s.add_parser("trust", help="导入并信任对方密钥卡", description=(
        "导入对方的密钥卡并显示其指纹。只有与对方电话核对指纹一致后才信任:给出 --fingerprint 时逐位比较,"
        "否则在终端中询问是否一致。只有系统管理员可以信任或撤销密钥卡。"))
    tr.add_argument("card", metavar="CARD", help="对方的密钥卡文件")
    tr.add_argument("--fingerprint", metavar="FP", help="对方电话中念出的指纹(空格、短横线可省略)")
    tr.set_defaults(func=run_trust)
    er = s.add_parser("export-recovery", help="导出市级恢复密钥(口令保护)", description=(
        "市级单位:把恢复密钥写入一个用口令保护的文件,离线保存(封存于保险柜)。所有县级数据包都同时加密给恢复密钥,"
        "市级电脑损坏、密钥丢失后,新装的市级系统导入该文件即可继续读取。口令取自环境变量 UNIONDESK_RECOVERY_PASSPHRASE 或提示输入。"))
    er.add_argument("--out", required=True, metavar="FILE", help="恢复密钥文件")
    er.set_defaults(func=run_export_recovery)
    ir = s.add_parser("import-recovery", help="导入市级恢复密钥", description="在重新安装的市级系统中导入恢复密钥文件(口令同上)。")
    ir.add_argument("file", metavar="FILE", help="恢复密钥文件")
    ir.set_defaults(func=run_import_recovery)


def unlocked_login(ctx):
    """Log in and unlock the data key with the same password (first use creates the keys)."""
    from app.sync import keyslots

    actor = ctx.login()
    keyslots.unlock(ctx.db(), actor, ctx.password)
    return actor


def run_show(ctx) -> int:
    from sqlalchemy import select

    from app.models import SyncPeer
    from app.services.units import root_unit
    from app.sync import crypto, keys, keyslots

    db = ctx.db()
    if not db.initialised:
        raise AppError("数据库尚未初始化,请先运行 uniondesk-cli init")
    with db.read_session() as s:
        s.info["root_unit_id"] = db.root_unit_id
        root = root_unit(s)
        info = {"unit_name": root.name, "unit_code": root.code, "level": db.level,
                "device_id": db.device_id, "keys": None, "peers": []}
        if keyslots.keys_exist(s):
            k = keys.own_key(s)
            info["keys"] = {"sign_key_id": crypto.key_id(k.sign_pub),
                            "enc_key_id": crypto.key_id(k.enc_pub),
                            "recovery_key_id": crypto.key_id(k.recovery_pub) if k.recovery_pub else None,
                            "fingerprint": keys.own_fingerprint(s)}
        for p in s.scalars(select(SyncPeer).order_by(SyncPeer.unit_code)):
            info["peers"].append({"unit_name": p.unit_name, "unit_code": p.unit_code,
                                  "level": p.level, "sign_key_id": p.sign_key_id,
                                  "fingerprint": p.fingerprint,
                                  "trusted": p.trusted and not p.revoked, "revoked": p.revoked})
    if ctx.args.json:
        ctx.out(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    ctx.out(f"本单位:{info['unit_name']}({info['unit_code']},{'市级' if db.level == 'city' else '县级'})")
    ctx.out(f"设备标识:{info['device_id']}")
    if info["keys"] is None:
        ctx.out("尚未生成数据交换密钥:有数据交换权限的用户第一次导出密钥卡或数据包时自动生成")
    else:
        k = info["keys"]
        ctx.out(f"签名公钥编号:{k['sign_key_id']}  加密公钥编号:{k['enc_key_id']}")
        if k["recovery_key_id"]:
            ctx.out(f"市级恢复公钥编号:{k['recovery_key_id']}")
        ctx.out(f"密钥卡指纹:{k['fingerprint']}")
    for p in info["peers"]:
        state = "已信任" if p["trusted"] else ("已撤销" if p["revoked"] else "未核对")
        ctx.out(f"  对方 {p['unit_name']}({p['unit_code']}) 指纹 {p['fingerprint']}  {state}")
    return 0


def run_export_card(ctx) -> int:
    from app.sync import service

    actor = unlocked_login(ctx)
    path = service.export_card(ctx.db(), actor, Path(ctx.args.out))
    status = service.status(ctx.db(), actor)
    ctx.out(f"已导出密钥卡:{path}")
    ctx.out(f"指纹:{status.fingerprint}  (请在对方导入时电话核对)")
    return 0


def run_trust(ctx) -> int:
    from app.sync import service

    actor = ctx.login()
    db = ctx.db()
    card = Path(ctx.args.card)
    if not card.is_file():
        raise AppError(f"找不到密钥卡文件 {card}")
    preview = service.read_card(db, actor, card)
    ctx.out(f"密钥卡:{preview.unit_name}({preview.unit_code},{preview.level_label})")
    ctx.out(f"指纹:{preview.fingerprint}")
    fp = ctx.args.fingerprint
    if fp is None:
        if not sys.stdin.isatty():
            raise InvalidInput("请用 --fingerprint 给出对方电话中念出的指纹,或在终端中运行以便确认")
        answer = input("请与对方电话核对以上指纹。完全一致吗?(输入 yes 确认)").strip().lower()
        if answer not in ("yes", "y", "是"):
            ctx.out("未信任该密钥卡")
            return 1
        fp = preview.fingerprint
    service.trust_card(db, actor, preview.peer_id, fp)
    ctx.out(f"已信任 {preview.unit_name}({preview.unit_code})的密钥卡")
    return 0


def _passphrase(ctx, confirm: bool) -> str:
    pw = os.environ.get("UNIONDESK_RECOVERY_PASSPHRASE")
    if pw is None:
        pw = ctx.prompt_password("恢复密钥口令:")
        if confirm and ctx.prompt_password("再次输入口令:") != pw:
            raise InvalidInput("两次输入的口令不一致")
    if len(pw) < 12:
        raise InvalidInput("恢复密钥口令至少 12 个字符")
    return pw


def run_export_recovery(ctx) -> int:
    from app.sync import keys, keyslots

    actor = unlocked_login(ctx)
    db = ctx.db()
    pw = _passphrase(ctx, True)
    with db.session(actor) as s:
        data = keys.export_recovery(s, actor, keyslots.data_key(db, actor), pw)
    write_atomically(Path(ctx.args.out), data)
    ctx.out(f"已导出恢复密钥:{ctx.args.out}(请与口令分开、离线保存)")
    return 0


def run_import_recovery(ctx) -> int:
    from app.sync import keys, keyslots

    actor = unlocked_login(ctx)
    db = ctx.db()
    pw = _passphrase(ctx, False)
    with db.session(actor) as s:
        keys.import_recovery(s, actor, keyslots.data_key(db, actor), Path(ctx.args.file).read_bytes(), pw)
    ctx.out("已导入恢复密钥:发给原市级密钥的数据包现在可以导入。请把新的密钥卡发给各县重新核对")
    return 0
