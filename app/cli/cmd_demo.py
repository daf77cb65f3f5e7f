"""demo: fill a new database with generated demonstration data."""

from __future__ import annotations

import sys
import time


def register(sub) -> None:
    p = sub.add_parser("demo", help="生成演示数据(虚构的单位和会员)",
                       description="在新初始化的数据库中生成演示数据:乡镇、街道、系统工会,数百个基层工会,以及 N 名虚构会员(身份证号校验位正确)。需要系统管理员登录。")
    p.add_argument("--members", type=int, default=1000, metavar="N", help="会员人数,默认 1000")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="随机种子(相同种子生成相同数据)")
    p.set_defaults(func=run)


def run(ctx) -> int:
    from app.demo.generator import generate
    from app.progress import Progress

    actor = ctx.login()
    last = [0.0]

    def show(done, total, message):
        now = time.monotonic()
        if sys.stderr.isatty() and now - last[0] > 0.5:
            last[0] = now
            print(f"\r{message}", end="", file=sys.stderr, flush=True)

    started = time.perf_counter()
    counts = generate(ctx.db(), actor, members=ctx.args.members, seed=ctx.args.seed,
                      progress=Progress(show))
    elapsed = time.perf_counter() - started
    if sys.stderr.isatty():
        print(file=sys.stderr)
    ctx.out("已生成演示数据:" + ",".join(f"{k} {v:,}" for k, v in counts.items())
            + f"(用时 {elapsed:.1f} 秒)")
    return 0
