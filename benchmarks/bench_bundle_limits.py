"""Benchmark: a small bundle holding a huge line (issue 14 point 4) — how long and how much memory
the import takes to refuse it.

A trusted sender's bundle carries one row of a table this program does not know (as a newer
version would send) whose text is ``--mb`` MB of one letter without a newline: zlib shrinks it to
a bundle of about a thousandth of that. The import must refuse it once ``importer.MAX_LINE`` is
passed, not after decompressing and joining everything (the old reader joined the held part of the
line with every new piece: quadratic time, the whole line in memory).

    python benchmarks/bench_bundle_limits.py [--mb 256]
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path

from _common import Clock, peak_rss_mb, temp_dir

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=256)
    args = parser.parse_args()

    from app.sync import importer
    from app.sync.errors import BundleError
    from app.sync.export import BundleShape
    from tests.app.syncnet import Net, build_templates

    folder = temp_dir()
    net = Net(build_templates(folder / "templates"), folder / "net")
    a, c = net["a1"], net["c"]
    columns = ["id", "owner_unit_id", "created_at", "created_by", "updated_at", "updated_by",
               "revision", "vv", "deleted", "title"]
    row = ["4c1f7a52-0000-4000-8000-000000000001", None, "2026-12-01 08:00:00.000000", "clerk",
           "2026-12-01 08:00:00.000000", "clerk", 1, '{"dev-x":1}', 0, "a" * (args.mb << 20)]
    path = a.send(c, shape=BundleShape(schema_version="0099_future",
                                       tables={"union_awards": (columns, [row])}))
    del row
    size = path.stat().st_size
    tracemalloc.start()
    with Clock() as clock:
        try:
            c.recv(path)
            outcome = "ACCEPTED (should have been refused)"
        except BundleError as exc:
            outcome = f"refused [{exc.code}] {exc.message}"
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"bundle {size / 1e6:.2f} MB holding a {args.mb} MB line; MAX_LINE {importer.MAX_LINE >> 20} MB")
    print(f"import: {clock.wall:.2f} s wall / {clock.cpu:.2f} s CPU, Python heap peak "
          f"{peak / 1e6:.1f} MB, process peak RSS {peak_rss_mb():.0f} MB (includes building the bundle)")
    print(outcome)
    net.close()


if __name__ == "__main__":
    main()
