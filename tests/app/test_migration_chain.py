"""The Alembic chain stays one straight line in file order, so that offices upgrading at different
times all walk the same steps: one head, no branches or merge points, every revision's
``down_revision`` the one before it, and file names (``YYYYMMDD_NNNN_slug.py``, NNNN = the
revision id) sorting in chain order. Two work areas that both add "the next" migration on their
branches fail here when the second one is merged, before any office gets two heads."""

import re
import shutil
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from app.db import migrate

NAME = re.compile(r"^(\d{8})_(\d{4})_[a-z0-9_]+\.py$")
# The released files keep their history: 0002 (the member search index) was written beside
# 0003–0004 and re-chained after 0004 when its branch was merged. Every later file follows them
# in name order.
RELEASED = ["0001", "0003", "0004", "0002", "0005", "0006"]


def chain_problems(scripts: Path) -> list[str]:
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    sd = ScriptDirectory.from_config(cfg)
    problems = []
    heads, bases = sd.get_heads(), sd.get_bases()
    if len(heads) != 1 or len(bases) != 1:
        problems.append(f"heads {heads}, bases {bases}")
    revs = {r.revision: r for r in sd.walk_revisions()}
    for r in revs.values():
        if r.branch_labels or r.dependencies or isinstance(r.down_revision, (tuple, list)):
            problems.append(f"{r.revision}: branch label, dependency or merge point")
        if len(r.nextrev) > 1:
            problems.append(f"{r.revision}: branches into {sorted(r.nextrev)}")
    chain = [r.revision for r in reversed(list(sd.walk_revisions()))]
    if chain[:len(RELEASED)] != RELEASED:
        problems.append(f"the released chain changed: {chain[:len(RELEASED)]}")
    files = sorted(p.name for p in (scripts / "versions").glob("*.py"))
    by_file = []
    for name in files:
        m = NAME.match(name)
        rev = next((r for r in revs.values() if Path(r.path).name == name), None)
        if m is None or rev is None or rev.revision != m.group(2):
            problems.append(f"{name}: not YYYYMMDD_NNNN_slug.py of revision NNNN")
            continue
        by_file.append((name, rev))
    later = [(n, r) for n, r in by_file if r.revision not in RELEASED]
    if later and by_file[-len(later):] != later:
        problems.append("a new migration file sorts before a released one")
    previous = RELEASED[-1]
    previous_date = Path(revs[previous].path).name[:8]
    for name, r in later:
        if r.down_revision != previous:
            problems.append(f"{name}: down_revision {r.down_revision!r}, the file before is {previous}")
        if name[:8] < previous_date:
            problems.append(f"{name}: dated before the file it follows")
        previous, previous_date = r.revision, name[:8]
    if chain[len(RELEASED):] != [r.revision for _, r in later]:
        problems.append(f"chain {chain} is not in file order")
    return problems


def test_the_chain_is_one_line_in_file_order():
    assert chain_problems(migrate.MIGRATIONS_DIR) == []


NEXT = '''"""test-only"""
revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
'''


def _copy(tmp_path: Path, files: dict[str, tuple[str, str]]) -> Path:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    for name, (rev, down) in files.items():
        (scripts / "versions" / name).write_text(NEXT.format(rev=rev, down=down), encoding="utf-8")
    return scripts


def test_the_check_finds_two_heads_a_wrong_order_and_a_bad_name(tmp_path):
    head = migrate.head_revision()
    # two areas each added "the next" migration on their own branch
    two_heads = _copy(tmp_path / "a", {"20270101_0901_area_one.py": ("0901", head),
                                       "20270101_0902_area_two.py": ("0902", head)})
    assert any("heads" in p for p in chain_problems(two_heads))
    assert any("branches into" in p for p in chain_problems(two_heads))
    # chained 0902 → 0901, but the file names sort the other way
    swapped = _copy(tmp_path / "b", {"20270101_0901_one.py": ("0901", "0902"),
                                     "20270101_0902_two.py": ("0902", head)})
    assert any("down_revision" in p for p in chain_problems(swapped))
    # a name that does not carry its revision
    misnamed = _copy(tmp_path / "c", {"20270101_0903_three.py": ("0904", head)})
    assert any("not YYYYMMDD_NNNN_slug.py" in p for p in chain_problems(misnamed))
    # and a straight continuation passes
    fine = _copy(tmp_path / "d", {"20270101_0901_one.py": ("0901", head),
                                  "20270102_0902_two.py": ("0902", "0901")})
    assert chain_problems(fine) == []
