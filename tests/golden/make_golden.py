"""Make the golden database (and bundle) of a released schema version, with the code of that
release.

    python tests/golden/make_golden.py 0007            # at a release: the commit is HEAD
    python tests/golden/make_golden.py 0007 --commit 1a2b3c4
    python tests/golden/make_golden.py --all --force   # remake each from the commit in its R.json

For a revision R made at commit C, the script:
1. checks that R is the Alembic head at C (read from C's migration files, not imported);
2. checks out C into a temporary ``git worktree`` under the system temp folder;
3. runs *that* version's own CLI with this checkout's Python and ``PYTHONPATH`` pointing at the
   temporary checkout (nothing new is installed): ``init`` a county office PC, then ``demo
   --members 40 --seed 7`` as the administrator (password from ``UNIONDESK_PASSWORD``, fast
   hashing). Where C has bundles, a second office PC of the county (``demo --members 20 --seed
   8``) exchanges key cards with it and sends it a full bundle, kept unimported as ``R.udbx``; the
   first PC then sends its own bundle back and imports the receipt, so the sync tables hold rows;
4. checks the file is stamped R, copies it with ``VACUUM INTO``, and stores it gzip-compressed as
   ``tests/golden/R.db.gz`` beside ``R.json``: the commit, the commands, the row count of every
   table and a few known values (a member's name and ID number, an archive number, the ledger
   totals) read with plain SQL, which ``tests/app/test_golden_databases.py`` checks after
   upgrading a copy to head (test_sync_versions.py imports ``R.udbx`` at head);
5. removes the temporary checkout.

Run it from this checkout's virtual environment (``.venv/bin/python``); it needs git. Golden
files are never changed once made: an existing one is kept unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VERSIONS = "app/db/migrations/versions"
PASSWORD = "Gh#Golden2026"
UNIT = ("示例县总工会", "341122", "county")
MEMBERS, SEED = 40, 7
PC2_MEMBERS, PC2_SEED = 20, 8


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout


def has_bundles(commit: str) -> bool:
    return bool(git("ls-tree", "--name-only", commit, "app/cli/cmd_bundle.py").strip())


def head_at(commit: str) -> str:
    """The single Alembic head of ``commit``'s migration files."""
    revs, downs = set(), set()
    for name in git("ls-tree", "--name-only", commit, f"{VERSIONS}/").split():
        if not name.endswith(".py"):
            continue
        src = git("show", f"{commit}:{name}")
        revs.add(re.search(r"^revision\s*=\s*['\"](\w+)['\"]", src, re.M).group(1))
        down = re.search(r"^down_revision\s*=\s*(?:['\"](\w+)['\"]|None)", src, re.M).group(1)
        downs.add(down)
    heads = sorted(revs - downs)
    if len(heads) != 1:
        raise SystemExit(f"{commit[:10]}: not one Alembic head but {heads}")
    return heads[0]


class CliFailed(Exception):
    pass


def run_cli(checkout: Path, env: dict, *args: str) -> str:
    cmd = [sys.executable, "-m", "app", *args]
    done = subprocess.run(cmd, cwd=checkout, env=env, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        why = re.sub(r"\s*[((]详细信息已写入[^))]*[))]", "", done.stderr.strip())  # a temporary path
        raise CliFailed(f"{' '.join(args[2:6])} failed ({done.returncode}): {why}")
    return done.stdout


def new_office(checkout: Path, env: dict, db: Path, members: int, seed: int) -> None:
    run_cli(checkout, env, "--db", str(db), "init", "--unit-name", UNIT[0], "--unit-code",
            UNIT[1], "--level", UNIT[2], "--admin-user", "admin", "--admin-password", PASSWORD)
    run_cli(checkout, env, "--db", str(db), "--user", "admin", "demo", "--members", str(members),
            "--seed", str(seed))


def exchange(checkout: Path, env: dict, work: Path, pc1: Path, bundle: Path) -> str:
    """A second office PC of the county, with its own demo data, trusts and is trusted by ``pc1``;
    its full bundle to pc1 is kept (not imported: the test imports it at head); then pc1 sends its
    data to pc2, which imports it and answers with a receipt that pc1 imports. Returns how far
    that round trip went (an old version's own bug may stop it: then pc1 has sent, unanswered)."""
    pc2 = work / "pc2.db"
    new_office(checkout, env, pc2, PC2_MEMBERS, PC2_SEED)

    def cli(db: Path, *args: str) -> str:
        return run_cli(checkout, env, "--db", str(db), "--user", "admin", *args)

    cards = {}
    for db in (pc1, pc2):
        cards[db] = work / f"{db.stem}.udcard"
        cli(db, "keys", "export-card", "--out", str(cards[db]))
    for db, other in ((pc1, pc2), (pc2, pc1)):
        fp = json.loads(cli(other, "keys", "show", "--json"))["keys"]["fingerprint"]
        cli(db, "keys", "trust", str(cards[other]), "--fingerprint", fp)
    cli(pc2, "bundle", "export", "--to", UNIT[1], "--out", str(bundle), "--full")
    to_pc2 = work / "pc1-to-pc2.udbx"
    cli(pc1, "bundle", "export", "--to", UNIT[1], "--out", str(to_pc2))
    try:
        cli(pc2, "bundle", "import", str(to_pc2))
    except CliFailed as exc:
        return f"pc1 sent its bundle #1; pc2 could not import it with this version's code ({exc})"
    receipt = work / "receipt.udbx"
    cli(pc2, "bundle", "receipt", "--out", str(receipt))
    cli(pc1, "bundle", "import", str(receipt))
    return "pc1 sent its bundle #1, pc2 imported it, pc1 imported pc2's receipt"


def known_values(conn: sqlite3.Connection) -> dict:
    """Counts of every table and a few values to find again after an upgrade (plain SQL that
    every schema version answers)."""
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND "
                                         "name NOT LIKE 'sqlite_%' ORDER BY name")]
    out = {"counts": {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}}
    out["unit"] = dict(zip(("id", "name", "code"), conn.execute(
        "SELECT u.id, u.name, u.code FROM installation i JOIN units u ON u.id = i.root_unit_id")
        .fetchone()))
    out["member"] = dict(zip(("id", "name", "id_number"), conn.execute(
        "SELECT id, name, id_number FROM members WHERE deleted = 0 ORDER BY id LIMIT 1").fetchone()))
    if "hardship_archives" in tables:
        out["archive"] = dict(zip(("id", "archive_no", "name", "id_number"), conn.execute(
            "SELECT id, archive_no, name, id_number FROM hardship_archives "
            "WHERE archive_no IS NOT NULL ORDER BY id LIMIT 1").fetchone()))
        entries, cash, goods = conn.execute(
            "SELECT count(*), sum(cash_fen), sum(goods_value_fen) FROM hardship_ledger").fetchone()
        out["ledger"] = {"entries": entries, "cash_fen": cash, "goods_value_fen": goods}
    return out


def make(revision: str, commit: str, *, force: bool) -> None:
    dest = HERE / f"{revision}.db.gz"
    if dest.exists() and not force:
        print(f"{dest.name}: exists (use --force to make it again)")
        return
    commit = git("rev-parse", "--verify", f"{commit}^{{commit}}").strip()
    if (head := head_at(commit)) != revision:
        raise SystemExit(f"the Alembic head at {commit[:10]} is {head}, not {revision}")
    work = Path(tempfile.mkdtemp(prefix=f"uniondesk-golden-{revision}-"))
    checkout = work / "checkout"
    git("worktree", "add", "--detach", str(checkout), commit)
    try:
        env = old_code_env(checkout, work)
        db = work / "golden.db"
        new_office(checkout, env, db, MEMBERS, SEED)
        meta = {"revision": revision, "commit": commit,
                "subject": git("log", "-1", "--format=%s", commit).strip(),
                "made_with": [f"init --unit-name {UNIT[0]} --unit-code {UNIT[1]} --level {UNIT[2]} "
                              "--admin-user admin", f"--user admin demo --members {MEMBERS} --seed {SEED}"],
                "admin_password": PASSWORD}
        if has_bundles(commit):
            bundle = HERE / f"{revision}.udbx"
            round_trip = exchange(checkout, env, work, db, work / "pc2-to-pc1.udbx")
            shutil.copyfile(work / "pc2-to-pc1.udbx", bundle)
            with zipfile.ZipFile(bundle) as zf:
                m = json.loads(zf.read("manifest.json"))
            meta["bundle"] = {"file": bundle.name, "from": "a second office PC of the county "
                              f"(demo --members {PC2_MEMBERS} --seed {PC2_SEED}), full, not imported",
                              "schema_version": m["schema_version"], "counts": m["counts"],
                              "round_trip": round_trip}
        meta |= pack(db, dest, revision, work / "packed.db")
        (HERE / f"{revision}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
        print(f"{dest.name}: {meta['size']:,} bytes, {dest.stat().st_size:,} compressed, "
              f"from {commit[:10]}" + (f"; {revision}.udbx" if "bundle" in meta else ""))
    finally:
        git("worktree", "remove", "--force", str(checkout))
        shutil.rmtree(work, ignore_errors=True)


def old_code_env(checkout: Path, work: Path) -> dict:
    """This Python, the old code first on the path, a throw-away data folder, fast hashing."""
    env = dict(os.environ, PYTHONPATH=str(checkout), UNIONDESK_PASSWORD=PASSWORD,
               UNIONDESK_FAST_KDF="1", UNIONDESK_DATA_DIR=str(work / "data"))
    for key in ("UNIONDESK_DB", "UNIONDESK_USER"):
        env.pop(key, None)
    where = subprocess.run([sys.executable, "-c", "import app; print(app.__file__)"],
                           cwd=checkout, env=env, capture_output=True, text=True,
                           encoding="utf-8").stdout.strip()
    if not where or not Path(where).is_relative_to(checkout):
        raise SystemExit(f"the old code is not the one imported: {where!r}")
    return env


def pack(db: Path, dest: Path, revision: str, packed: Path) -> dict:
    """VACUUM INTO a compact copy, gzip it to ``dest``; its size and known values."""
    conn = sqlite3.connect(db)
    try:
        stamped = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        if stamped != revision:
            raise SystemExit(f"the file is stamped {stamped}, not {revision}")
        conn.execute("VACUUM INTO ?", (str(packed),))
    finally:
        conn.close()
    conn = sqlite3.connect(packed)
    try:
        facts = known_values(conn)
    finally:
        conn.close()
    data = packed.read_bytes()
    with open(dest, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(data)
    return {"size": len(data)} | facts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("revision", nargs="?", help="the released revision, e.g. 0007")
    p.add_argument("--commit", help="the commit of the release (default: the one recorded in "
                                    "R.json, else HEAD)")
    p.add_argument("--all", action="store_true", help="every revision that has an R.json here")
    p.add_argument("--force", action="store_true", help="make files that exist again")
    args = p.parse_args(argv)
    try:
        return run(p, args)
    except CliFailed as exc:
        raise SystemExit(str(exc)) from None


def run(p, args) -> int:
    if args.all:
        for rev, commit in recorded().items():
            make(rev, commit, force=args.force)
        return 0
    if not args.revision:
        p.error("name a revision, or --all")
    make(args.revision, args.commit or recorded().get(args.revision, "HEAD"), force=args.force)
    return 0


def recorded() -> dict[str, str]:
    """revision → the commit its golden file was made with (from the R.json files)."""
    out = {}
    for meta in sorted(HERE.glob("*.json")):
        doc = json.loads(meta.read_text(encoding="utf-8"))
        out[doc["revision"]] = doc["commit"]
    return out


if __name__ == "__main__":
    raise SystemExit(main())
