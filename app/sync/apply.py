"""The row engine of an import: check every incoming row, decide what it does to this database,
and (when writing) write it — one engine for the dry run and for the apply, so the report the
user accepted is what the apply does (it runs again inside the one transaction).

Per row: values against the model and the RecordSpec; the sender's right to change it (owner);
references to other records and code values resolvable in the bundle or the database (a row whose
reference comes later waits, and is refused at the end if it never resolves); then, against the
local copy, by version vectors: new, unchanged (same or older), updated (newer), or concurrent
(merged, or a conflict with a provisional winner); possible duplicate persons; immutable rows.
"""

from __future__ import annotations

from collections import defaultdict

import orjson

from app.clock import utcnow
from app.crashpoints import crashpoint
from app.db.base import new_id
from app.sync import extras, fieldversions, merge
from app.sync.report import DryRunReport
from app.sync.rows import well_formed_id
from app.sync.shapes import TableShape

_RESERVE = ("INSERT INTO local_state(key, value) VALUES ('change_seq', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + ? "
            "RETURNING CAST(value AS INTEGER)")
_CONFLICT = ("INSERT INTO sync_conflicts(id, kind, table_name, row_id, other_row_id, label, fields, "
             "local_version, remote_version, winner, bundle_id, peer_name, detected_at, status, "
             "resolved_by, resolved_at, resolution) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', '', NULL, '')")


def _in_chunks(seq, n=500):
    seq = list(seq)
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


class RowEngine:
    def __init__(self, conn, *, report: DryRunReport, sender: dict, same_unit: bool, write: bool,
                 bundle_id: str, peer_name: str, bundle_shas: set[str], schema_version: str = ""):
        self.conn, self.report, self.write = conn, report, write
        self.sender, self.same = sender, same_unit
        self.bundle_id, self.peer_name, self.schema_version = bundle_id, peer_name, schema_version
        # values of columns this schema lacks, per table: id -> (vv, {column: value}, dots),
        # until the row is decided (then kept aside) or refused (then dropped with it)
        self.kept: dict[str, dict[str, tuple]] = defaultdict(dict)
        self.units = {uid: code for uid, code in conn.execute("SELECT id, code FROM units")}
        self.codes: dict[str, set] = defaultdict(set)
        for t, c in conn.execute("SELECT table_key, code FROM code_items WHERE deleted = 0"):
            self.codes[t].add(c)
        self.known: dict[str, set] = defaultdict(set)
        self.refused: dict[str, set] = defaultdict(set)
        self.blobs = set(bundle_shas)
        self.pending: list = []
        self.seen: dict[str, set] = defaultdict(set)
        self.verbatim: list[list[int]] = []
        self.open_clashes = {frozenset(pair) for pair in conn.execute(
            "SELECT row_id, other_row_id FROM sync_conflicts WHERE status = 'open' AND kind = 'number'")}
        # per table with a number key: id -> number of every row this bundle writes, and
        # number -> (id, label) of the first of them (clashes inside the bundle, across batches)
        self.numbers: dict[str, dict[str, str | None]] = defaultdict(dict)
        self.number_holders: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
        self.now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
        self.own_root = (conn.execute("SELECT root_unit_id FROM installation").fetchone() or (None,))[0]
        self.unit_names: dict[str, str] = {}

    # -- checks -------------------------------------------------------------------------------
    def _refuse(self, codec, row_id, label, message) -> None:
        self.refused[codec.name].add(row_id)
        self.kept[codec.name].pop(row_id, None)
        self.report.table(codec.name, codec.title).refused += 1
        self.report.add("refused", codec, row_id, label, message)

    def _owner_problem(self, codec, row, local_owner=...) -> str | None:
        from app.sync.policy import owner_refusal

        owner = row[codec.index["owner_unit_id"]]
        if local_owner is not ... and local_owner != owner:
            return "不能更改记录的归属单位"
        code = self.units.get(owner)
        if code is None and codec.name == "units" and owner == row[codec.index["id"]]:
            code = row[codec.index["code"]]
        return owner_refusal(sender_code=self.sender["unit_code"], sender_level=self.sender["level"],
                             sender_name=self.sender["unit_name"], same=self.same, owner_id=owner,
                             owner_code=code)

    def _lookup_refs(self, codec, rows) -> None:
        """Mark as known the referenced ids of this batch that exist in the database."""
        for i, _label, ref in codec.refs:
            want = {r[i] for r in rows if r[i] is not None} - self.known[ref]
            if ref == "units":
                want -= self.units.keys()
            for part in _in_chunks(want):
                self.known[ref].update(x for (x,) in self.conn.execute(
                    f"SELECT id FROM {ref} WHERE id IN ({','.join('?' * len(part))})", part))

    def _missing(self, codec, row, live: bool) -> tuple[list[str], list[str]]:
        """(unresolved references, refused references) of one row."""
        missing, dead = [], []
        owner = row[codec.index["owner_unit_id"]]
        if owner is not None and owner not in self.units and not (
                codec.name == "units" and owner == row[codec.index["id"]]):
            (dead if owner in self.refused["units"] else missing).append("归属单位")
        for i, label, ref in codec.refs:
            v = row[i]
            if v is None or v in self.known[ref] or (ref == "units" and v in self.units):
                continue
            if v == row[codec.index["id"]] and ref == codec.name:
                continue
            (dead if v in self.refused[ref] else missing).append(f"{label}所指记录 {v[:8]}…")
        if live:
            for i, label, table, multi in codec.codes:
                v = row[i]
                if v is None:
                    continue
                for code in (v.split(",") if multi else (v,)):
                    if code not in self.codes[table]:
                        missing.append(f"{label}“{code}”不在代码表中")
            if codec.attachment_sha is not None and row[codec.attachment_sha] not in self.blobs:
                missing.append("附件文件不在数据包中,本机也没有")
        return missing, dead

    def _accept_known(self, codec, row) -> None:
        rid = row[codec.index["id"]]
        self.known[codec.name].add(rid)
        if codec.name == "units":
            self.units[rid] = row[codec.index["code"]]
        elif codec.name == "code_items" and not row[codec.index["deleted"]]:
            self.codes[row[codec.index["table_key"]]].add(row[codec.index["code"]])

    # -- the stream -----------------------------------------------------------------------------
    def run_batch(self, codec, rows: list[list], shape: TableShape | None = None) -> None:
        """Check and decide one batch of a table's rows, laid out as ``shape`` says (the bundle's
        columns; this program's when None)."""
        self.report.table(codec.name, codec.title)
        shape = shape or TableShape(codec, codec.columns)
        b_id = shape.sent.index("id")
        i_id, i_del, i_vv = codec.index["id"], codec.index["deleted"], codec.index["vv"]
        parsed = []
        for row in rows:
            if type(row) is not list or len(row) != shape.width or not well_formed_id(row[b_id]):
                rid = row[b_id] if type(row) is list and len(row) > b_id and \
                    well_formed_id(row[b_id]) else "?"  # never an arbitrary value in the report
                self._refuse(codec, rid, "?", "记录格式不符(列数或编号不对)")
                continue
            dots = row.pop()
            row, extra, extra_dots = shape.split(row, dots if type(dots) is dict else {})
            if row[i_id] in self.seen[codec.name]:
                self._refuse(codec, row[i_id], codec.label(row), "同一数据包中编号重复")
                continue
            self.seen[codec.name].add(row[i_id])
            if dots is not None and not _valid_dots(dots):
                self._refuse(codec, row[i_id], codec.label(row), "字段版本信息格式不符")
                continue
            parsed.append((row, dots or {}, extra, extra_dots))
        refusals = shape.fill(self.conn, [(r, d) for r, d, _, _ in parsed])
        ok = []
        for row, dots, extra, extra_dots in parsed:
            problems = [refusals[row[i_id]]] if row[i_id] in refusals else \
                codec.check_values(row, not row[i_del])
            if problems:  # named by its id: none of a refused row's content is repeated
                self._refuse(codec, row[i_id], row[i_id], ";".join(problems[:5]))
                continue
            if extra:
                self.kept[codec.name][row[i_id]] = (row[i_vv], extra, extra_dots)
            ok.append((row, dots))
        if codec.refs:
            self._lookup_refs(codec, [r for r, _ in ok])
        ready = []
        for row, dots in ok:
            missing, dead = self._missing(codec, row, not row[i_del])
            if not missing and not dead and (why := self._owner_problem(codec, row)):
                self._refuse(codec, row[i_id], codec.label(row), why)
            elif dead:
                self._refuse(codec, row[i_id], codec.label(row), "引用的记录被拒收:" + ";".join(dead[:3]))
            elif missing:
                self.pending.append((codec, row, dots, missing))
            else:
                self._accept_known(codec, row)
                ready.append((row, dots))
        if ready:
            self._decide(codec, ready)

    def finish(self) -> list[list[int]]:
        """Resolve rows that waited for a later reference; the rest are refused."""
        progress = True
        while self.pending and progress:
            progress, still = False, []
            for codec, row, dots, _ in self.pending:
                missing, dead = self._missing(codec, row, not row[codec.index["deleted"]])
                if not missing and not dead and (why := self._owner_problem(codec, row)):
                    self._refuse(codec, row[codec.index["id"]], codec.label(row), why)
                    progress = True
                elif dead:
                    self._refuse(codec, row[codec.index["id"]], codec.label(row),
                                 "引用的记录被拒收:" + ";".join(dead[:3]))
                    progress = True
                elif missing:
                    still.append((codec, row, dots, missing))
                else:
                    self._accept_known(codec, row)
                    self._decide(codec, [(row, dots)])
                    progress = True
            self.pending = still
        for codec, row, _dots, missing in self.pending:
            self._refuse(codec, row[codec.index["id"]], codec.label(row), ";".join(missing[:3]))
        self.pending = []
        return self.verbatim

    # -- decisions and writes ---------------------------------------------------------------
    def _decide(self, codec, rows: list[tuple[list, dict]]) -> None:
        rep = self.report.table(codec.name, codec.title)
        cols, idx = codec.columns, codec.index
        i_id, i_vv = idx["id"], idx["vv"]
        local = {}
        for part in _in_chunks([r[i_id] for r, _ in rows]):
            for lrow in self.conn.execute(f"SELECT {', '.join(cols)} FROM {codec.name} WHERE id IN "
                                          f"({','.join('?' * len(part))})", part):
                local[lrow[i_id]] = list(lrow)
        inserts, verbatim, merged, dots_out, conflicts = [], [], [], {}, []
        new_people = []
        for row, dots in rows:
            rid = row[i_id]
            lrow = local.get(rid)
            if lrow is None:
                inserts.append(row)
                dots_out[rid] = dots
                rep.new += 1
                if codec.person_key is not None and not row[idx["deleted"]] and row[codec.person_key]:
                    new_people.append(row)
                continue
            if why := self._owner_problem(codec, row, lrow[idx["owner_unit_id"]]):
                self._refuse(codec, rid, codec.label(row), why)
                continue
            rvv, lvv = orjson.loads(row[i_vv]), orjson.loads(lrow[i_vv])
            rel = merge.compare(rvv, lvv)
            same_content = lrow == row
            if codec.immutable and (rel != "eq" or not same_content):
                if all(lrow[i] == row[i] for i in codec.user_idx):
                    rep.unchanged += 1
                else:
                    rep.conflicts += 1
                    self.report.add("alarm", codec, rid, codec.label(row),
                                    "不可更改的记录内容与本机不同:已保留本机记录,请核查")
                    conflicts.append(("immutable", codec, rid, None, lrow, row, "local",
                                      [cols[i] for i in codec.user_idx if lrow[i] != row[i]]))
                continue
            if rel == "lt" or (rel == "eq" and (same_content or all(
                    lrow[i] == row[i] for i in codec.user_idx))):
                rep.unchanged += 1  # (the same built-in row, seeded at another time)
            elif rel == "gt":
                verbatim.append(row)
                dots_out[rid] = dots
                rep.updated += 1
            elif rel == "eq":  # same vector, different content: a copied installation
                w = "remote" if merge.content_key(row, idx["updated_at"]) > \
                    merge.content_key(lrow, idx["updated_at"]) else "local"
                rep.conflicts += 1
                self.report.add("conflict", codec, rid, codec.label(row), "两个版本的版本号相同而内容不同")
                conflicts.append(("edit", codec, rid, None, lrow, row, w,
                                  [cols[i] for i in codec.user_idx if lrow[i] != row[i]]))
                if w == "remote":
                    verbatim.append(row)
                    dots_out[rid] = dots
            else:
                ldots = self._local_dots(codec, rid)
                m = merge.merge(codec, lrow, row, lvv, rvv, ldots, dots)
                merged.append(m.row)
                dots_out[rid] = m.dots
                if m.auto and not m.fields:  # nothing differs (a built-in row seeded on both)
                    rep.unchanged += 1
                elif m.auto:
                    rep.updated += 1
                    self.report.add("merged", codec, rid, codec.label(row),
                                    "双方修改了不同字段,已自动合并:" + codec.field_labels(m.fields))
                else:
                    rep.conflicts += 1
                    also = f";另已合并{codec.field_labels(m.taken)}" if m.taken else ""
                    self.report.add("conflict", codec, rid, codec.label(row),
                                    "双方都修改了:" + codec.field_labels(m.fields) +
                                    f"(暂以{'对方' if m.winner == 'remote' else '本机'}版本为准,请处理)"
                                    + also)
                    conflicts.append(("edit", codec, rid, None, lrow, row, m.winner, m.fields))
        for row, other, _ in self._duplicates(codec, new_people):
            rep.duplicates += 1
            where = self._owner_words(other[2])
            self.report.add("duplicate", codec, row[i_id], codec.label(row),
                            f"与{where}记录“{other[1]}”身份证号相同,可能是同一人,请核对后合并")
            conflicts.append(("duplicate", codec, row[i_id], other[0], None, row, "", []))
        if codec.number_key is not None:
            key = codec.labels.get(cols[codec.number_key], cols[codec.number_key])
            for row, (oid, other), number in self._number_clashes(codec, inserts + verbatim + merged):
                rep.conflicts += 1
                self.report.add("conflict", codec, row[i_id], codec.label(row),
                                f"{key} {number} 与“{other}”相同(两台电脑在交换数据前各自编了号):"
                                f"已导入,请在冲突处理中为其中一份重新编号")
                conflicts.append(("number", codec, row[i_id], oid, None, row, "", [cols[codec.number_key]]))
        if self.write:
            self._write(codec, inserts, verbatim, merged, dots_out, conflicts, local)
        self._keep_aside(codec, [r[i_id] for r, _ in rows])

    def _keep_aside(self, codec, ids) -> None:
        """The values of columns this schema lacks, of the decided rows (not refused)."""
        pending = self.kept.get(codec.name)
        entries = [(rid, *pending.pop(rid)) for rid in ids if rid in pending] if pending else []
        if not entries:
            return
        self.report.keep(codec.name, codec.title, list(entries[0][2]), len(entries))
        if self.write:
            extras.keep(self.conn, codec.name, entries, whole_row=False, bundle_id=self.bundle_id,
                        schema_version=self.schema_version, now=self.now)

    def _local_dots(self, codec, rid) -> dict:
        return fieldversions.read_many(self.conn, codec.name, [rid]).get(rid, {})

    def _live_holders(self, codec, column: int, values):
        """(id, value, label) of the live local records whose ``column`` holds one of ``values``."""
        if not values:
            return
        col = codec.columns[column]
        disp = codec.columns[codec.display] if codec.display is not None else "id"
        for part in _in_chunks(values):
            yield from self.conn.execute(
                f"SELECT id, {col}, {disp} FROM {codec.name} WHERE {col} IN "
                f"({','.join('?' * len(part))}) AND deleted = 0", part)

    def _duplicates(self, codec, rows):
        """(row, (other id, other label, other's owner), key) per new record whose person key a
        live record here holds (at the city: another county's record of the same person too)."""
        by_key = defaultdict(list)
        for r in rows:
            by_key[r[codec.person_key]].append(r)
        found = [(r, (oid, label), key)
                 for oid, key, label in self._live_holders(codec, codec.person_key, by_key)
                 for r in by_key[key] if r[codec.index["id"]] != oid]
        owners = dict(self._owners(codec.name, [o[0] for _, o, _ in found]))
        return [(r, (o[0], o[1], owners.get(o[0])), key) for r, o, key in found]

    def _owners(self, table: str, ids):
        for part in _in_chunks(ids):
            yield from self.conn.execute(f"SELECT id, owner_unit_id FROM {table} WHERE id IN "
                                         f"({','.join('?' * len(part))})", part)

    def _owner_words(self, other_owner) -> str:
        """How a message names where the other record is from: 本机, or its county at the city."""
        if other_owner is None or other_owner == self.own_root:
            return "本机"
        if other_owner not in self.unit_names:
            found = self.conn.execute("SELECT name FROM units WHERE id = ?", (other_owner,)).fetchone()
            self.unit_names[other_owner] = found[0] if found else "另一单位"
        return f"{self.unit_names[other_owner]}的"

    def _number_clashes(self, codec, rows):
        """(row, (other id, other label), number) for each written live row whose number another
        live record holds: one already here (unless this bundle renumbers it) or an earlier row of
        this bundle. A pair already queued is not queued again."""
        i_id, i_del, k = codec.index["id"], codec.index["deleted"], codec.number_key
        numbers, holders = self.numbers[codec.name], self.number_holders[codec.name]
        for r in rows:
            numbers[r[i_id]] = None if r[i_del] else r[k]
        live = defaultdict(list)
        for r in rows:
            if r[k] and not r[i_del]:
                live[r[k]].append(r)
        found = []
        for oid, number, label in self._live_holders(codec, k, live):
            if oid not in numbers:  # a record this bundle writes is judged by its new number
                found += [(r, (oid, label), number) for r in live[number] if r[i_id] != oid]
        for number, rs in live.items():
            for r in rs:
                first = holders.setdefault(number, (r[i_id], codec.label(r)))
                if first[0] != r[i_id] and numbers.get(first[0]) == number:
                    found.append((r, first, number))
        out, seen = [], set()
        for r, other, number in found:
            pair = frozenset((r[i_id], other[0]))
            if pair not in self.open_clashes and pair not in seen:
                seen.add(pair)
                out.append((r, other, number))
        return out

    def _reserve(self, n: int) -> int:
        last = self.conn.execute(_RESERVE, (n, n)).fetchone()[0]
        return last - n + 1

    def _write(self, codec, inserts, verbatim, merged, dots_out, conflicts, local_rows) -> None:
        cols = codec.columns
        nv = len(inserts) + len(verbatim)
        total = nv + len(merged)
        if total:
            first = self._reserve(total)
            if nv:
                lo, hi = first, first + nv - 1
                if self.verbatim and self.verbatim[-1][1] + 1 == lo:
                    self.verbatim[-1][1] = hi
                else:
                    self.verbatim.append([lo, hi])
            seq = first
            if inserts:
                self.conn.executemany(
                    f"INSERT INTO {codec.name} ({', '.join(cols)}, change_seq) "
                    f"VALUES ({', '.join('?' * (len(cols) + 1))})",
                    [(*r, first + k) for k, r in enumerate(inserts)])
                seq += len(inserts)
            # UPDATE only the columns that changed, grouped, so unchanged indexed columns cost
            # nothing (a typical bundle changes the same few fields in many rows)
            i_id = codec.index["id"]
            groups: dict[tuple, list] = defaultdict(list)
            for k, r in enumerate(verbatim + merged):
                old = local_rows[r[i_id]]
                changed = tuple(i for i in range(len(cols)) if r[i] != old[i])
                groups[changed].append((*[r[i] for i in changed], seq + k, r[i_id]))
            for changed, params in groups.items():
                sets = "".join(f"{cols[i]} = ?, " for i in changed)
                self.conn.executemany(f"UPDATE {codec.name} SET {sets}change_seq = ? WHERE id = ?",
                                      params)
            with_dots = {rid: d for rid, d in dots_out.items() if d}
            stale = [rid for rid in dots_out if rid not in with_dots]
            if with_dots:
                fieldversions.write_many(self.conn, codec.name, with_dots)
            for part in _in_chunks(stale):
                self.conn.execute(f"DELETE FROM sync_field_versions WHERE table_name = ? AND row_id "
                                  f"IN ({','.join('?' * len(part))})", [codec.name, *part])
        for kind, c, rid, other, lrow, rrow, winner, fields in conflicts:
            self.conn.execute(_CONFLICT, (
                new_id(), kind, c.name, rid, other, c.label(rrow)[:200],
                orjson.dumps(fields).decode(),
                orjson.dumps(dict(zip(c.columns, lrow))).decode() if lrow else "{}",
                orjson.dumps(dict(zip(c.columns, rrow))).decode(), winner, self.bundle_id,
                self.peer_name, self.now))
        crashpoint("apply.rows")


def _valid_dots(dots) -> bool:
    return type(dots) is dict and all(
        type(k) is str and type(v) is list and len(v) == 2 and type(v[0]) is str
        and type(v[1]) is int for k, v in dots.items())
