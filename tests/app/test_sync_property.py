"""Property: any interleaving of edits on two office PCs of one county (a1, a2) and on a second
county (b), the city's requests to them (c), the counties' answers, conflict resolutions — some
made on a view that is no longer current — and bundles between all of them, delivered late, out of
order or twice, converges to identical data once everything is delivered, and loses no edit.

An edit is lost unless it is in the final record, or a later edit of the same field was made
knowing it (its version vector dominates), or a person saw it and decided otherwise (a resolution
whose two versions or current value showed it), or it still waits in an open conflict. A stale
resolution that puts back older values fails this (it never showed the newer value); so does a
provisional winner that reverts a field only the other side changed, a void the city made on its
own that a county edit brings back, and two PCs' bundles taken for one another.

CI runs a few dozen examples; set UNIONDESK_HYPOTHESIS_EXAMPLES=1000 (and expect many minutes) for
a deeper run.
"""

import os
import tempfile
from datetime import date
from pathlib import Path

import orjson
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from app.errors import AppError
from app.models import Member, Unit
from app.services import records, requests
from app.sync.decisions import ConflictMoved
from app.sync.errors import BundleError
from app.sync.merge import compare
from tests.app.syncnet import Net, id_number

EXAMPLES = int(os.environ.get("UNIONDESK_HYPOTHESIS_EXAMPLES", "24"))
EDITORS = ("a1", "a2", "b")
COUNTY = {"a1": "341122", "a2": "341122", "b": "341124"}
PAIRS = (("a1", "a2"), ("a2", "a1"), ("a1", "c"), ("a2", "c"), ("c", "a1"), ("c", "a2"),
         ("b", "c"), ("c", "b"))
FIELDS = {"phone": ["13900000001", "13900000002"], "department": ["一车间", "二车间"],
          "post": ["钳工", "电工"], "name": ["张三丰", "张山"], "status": ["1", "3"]}

def _status_event(session, actor, member_id: str, status: str) -> None:
    """保留会籍 (→ 3) or 恢复会籍 (→ 1), dated today."""
    from app.clock import today
    from app.services.organisation import membership

    kind, extra = ("retain", {"reason": "1"}) if status == "3" else ("resume", {})
    records.create(session, actor, membership.REGISTER, {"member_id": member_id, "kind": kind,
                                                         "event_date": today(), **extra})


ops = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(EDITORS), st.integers(0, 1),
              st.sampled_from(sorted(FIELDS)), st.integers(0, 1)),
    st.tuples(st.just("edit"), st.sampled_from(EDITORS), st.integers(0, 1),
              st.sampled_from(sorted(FIELDS)), st.integers(0, 1)),
    st.tuples(st.just("delete"), st.sampled_from(EDITORS), st.integers(0, 4)),
    st.tuples(st.just("create"), st.sampled_from(EDITORS), st.integers(0, 3)),
    st.tuples(st.just("send"), st.sampled_from(PAIRS)),
    st.tuples(st.just("deliver"), st.integers(0, 7)),
    st.tuples(st.just("look"), st.sampled_from(EDITORS)),
    st.tuples(st.just("resolve"), st.sampled_from(EDITORS), st.sampled_from(("local", "remote", "mix")),
              st.booleans()),
    st.tuples(st.just("request"), st.integers(0, 7), st.sampled_from(("void", "correct")),
              st.sampled_from(sorted(FIELDS)), st.integers(0, 1)),
    st.tuples(st.just("answer"), st.sampled_from(EDITORS), st.booleans()),
), min_size=3, max_size=18)


def _ids(node):
    with node.db.read_session() as s:
        return list(s.scalars(select(Member.id).where(Member.owner_unit_id.is_not(None))
                              .order_by(Member.id)))


def _vv(node, mid):
    with node.db.read_session() as s:
        return orjson.loads(s.get(Member, mid).vv)


def _deliver(net, bundle):
    """Import; True when the bundle is done with (imported or already there)."""
    dst, path = bundle
    try:
        net[dst].recv(path)
        return True
    except BundleError as err:
        assert err.code in ("E_GAP", "E_REPLAY"), err.message
        return err.code == "E_REPLAY"


def _norm(field, value):
    return bool(value) if field == "deleted" else value


def _shown(node, conflict_id) -> tuple[str, dict]:
    """(record id, {field: the values a person sees: both versions and the current one})."""
    with node.db.read_session() as s:
        table, rid, fields, lv, rv = s.execute(text(
            "SELECT table_name, row_id, fields, local_version, remote_version FROM sync_conflicts "
            "WHERE id = :i"), {"i": conflict_id}).one()
        if table != "members":
            return rid, {}
        current = dict(s.execute(text("SELECT * FROM members WHERE id = :i"), {"i": rid}).mappings().one())
    lv, rv = orjson.loads(lv), orjson.loads(rv)
    return rid, {f: {_norm(f, v.get(f)) for v in (lv, rv, current)} for f in orjson.loads(fields)}


class World:
    def __init__(self, net):
        self.net = net
        self.edits = []  # (member id, field, value, vv after the edit)
        self.writes = []  # the same, with the PC that made it
        self.decided = []  # (member id, field, value chosen, {values shown})
        self.views = {}  # node → the conflict views it last looked at
        self.pending = []
        self.created = 0
        self.asked = []  # (request id, target county code)

    def edit(self, name, i, field, value):
        node = self.net[name]
        ids = _ids_of_county(node)
        if not ids:
            return
        mid = ids[i % len(ids)]
        try:
            with node.db.session(node.clerk) as s:
                m = s.get(Member, mid)
                if m.deleted or getattr(m, field) == value:
                    return
                if field == "deleted":
                    records.void(s, node.clerk, "member", mid)
                elif field == "status":  # a status changes by a 会籍 event
                    _status_event(s, node.clerk, mid, value)
                else:
                    records.update(s, node.clerk, "member", mid, {field: value})
        except AppError:
            return  # a rule refused it (a second active membership): nothing changed
        self._wrote(name, mid, field, value, _vv(node, mid))

    def _wrote(self, name, mid, field, value, vv):
        self.edits.append((mid, field, value, vv))
        self.writes.append((mid, field, value, vv, name))

    def create(self, name, day):
        node = self.net[name]
        self.created += 1
        with node.db.session(node.clerk) as s:
            union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.code.is_(None),
                                                   Unit.owner_unit_id == node.db.root_unit_id))
            records.create(s, node.clerk, "member", {
                "name": f"新会员{self.created}", "union_id": union,
                "id_number": id_number(COUNTY[name], date(1985, 1, day + 1),
                                       201 + 3 * self.created + EDITORS.index(name))})

    def look(self, name):
        from app.sync import service

        node = self.net[name]
        self.views[name] = [v for v in service.conflicts(node.db, node.clerk) if v.kind == "edit"]

    def resolve(self, name, how, fresh):
        """Decide the first conflict: on a fresh view, or on the one looked at earlier (which
        may be stale: then the decision must be refused, never applied)."""
        from app.sync import service

        node = self.net[name]
        if fresh or name not in self.views:
            self.look(name)
        views = [v for v in self.views[name] if v.status == "open"]
        if not views:
            return
        view = views[0]
        rid, shown = _shown(node, view.id)
        disputed = [f.key for f in view.fields if f.differs]
        keep = None if how == "mix" else how
        choices = {k: ("local", "remote", "current")[n % 3] for n, k in enumerate(disputed)} \
            if how == "mix" else None
        try:
            service.resolve_edit(node.db, node.clerk, view.id, keep=keep, choices=choices,
                                 seen=view.current_vv)
        except ConflictMoved:
            return  # refused: the record moved on since that view
        except AppError as exc:
            if "不是待处理" in exc.message:  # closed meanwhile by a decision from another PC
                return
            raise
        if shown:
            with node.db.read_session() as s:
                row = dict(s.execute(text("SELECT * FROM members WHERE id = :i"), {"i": rid}).mappings().one())
            for f, values in shown.items():
                self.decided.append((rid, f, _norm(f, row[f]), values))
                self.writes.append((rid, f, row[f], {}, f"{name}:resolution"))

    def request(self, i, action, field, value):
        c = self.net["c"]
        with c.db.read_session() as s:
            ids = list(s.scalars(select(Member.id).where(Member.deleted.is_(False),
                                                         Member.owner_unit_id != c.db.root_unit_id)
                                .order_by(Member.id)))
        if not ids:
            return
        try:
            with c.db.session(c.clerk) as s:
                requests.request_change(s, c.clerk, "member", ids[i % len(ids)], action,
                                        changes={field: value} if action == "correct" else None,
                                        reason="核对后发现有误")
        except AppError:
            return  # the same request waits already, or nothing to correct

    def answer(self, name, accept):
        node = self.net[name]
        with node.db.read_session() as s:
            waiting = requests.list_requests(s, node.clerk, incoming=True, pending_only=True)
        if not waiting:
            return
        req = waiting[-1]
        with node.db.read_session() as s:
            before = s.get(Member, req.target_id)
            before = None if before is None else {k: getattr(before, k) for k in (*FIELDS, "deleted")}
        try:
            with node.db.session(node.clerk) as s:
                requests.answer(s, node.clerk, req.id, accept=accept, note="" if accept else "经核实无误")
        except AppError:
            with node.db.session(node.clerk) as s:
                requests.answer(s, node.clerk, req.id, accept=False, note="无法执行")
            return
        if accept and before is not None:  # the county's own edit, made through its service
            with node.db.read_session() as s:
                m = s.get(Member, req.target_id)
                for k, v in before.items():
                    if getattr(m, k) != v:
                        self._wrote(name, m.id, k, getattr(m, k), orjson.loads(m.vv))


def _ids_of_county(node):
    with node.db.read_session() as s:
        return list(s.scalars(select(Member.id).where(Member.owner_unit_id == node.db.root_unit_id)
                              .order_by(Member.id)))


@settings(max_examples=EXAMPLES, deadline=None,
          phases=[p for p in Phase if p != Phase.shrink or os.environ.get("UNIONDESK_SHRINK")],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(program=ops)
def test_any_interleaving_converges_and_loses_no_edit(sync_templates, program):
    with tempfile.TemporaryDirectory() as tmp:
        net = Net(sync_templates, Path(tmp))
        try:
            net["a2"].recv(net["a1"].send(net["a2"]))
            w = World(net)
            for op in program:
                kind = op[0]
                if kind == "edit":
                    w.edit(op[1], op[2], op[3], FIELDS[op[3]][op[4]])
                elif kind == "delete":
                    w.edit(op[1], op[2], "deleted", True)
                elif kind == "create":
                    w.create(op[1], op[2])
                elif kind == "send":
                    src, dst = op[1]
                    w.pending.append((dst, net[src].send(net[dst])))
                elif kind == "deliver" and w.pending:
                    bundle = w.pending[op[1] % len(w.pending)]
                    if _deliver(net, bundle):
                        w.pending.remove(bundle)
                elif kind == "look":
                    w.look(op[1])
                elif kind == "resolve":
                    w.resolve(op[1], op[2], op[3])
                elif kind == "request":
                    w.request(op[1], op[2], op[3], FIELDS[op[3]][op[4]])
                elif kind == "answer":
                    w.answer(op[1], op[2])
            # deliver what is still in the post, in channel order, then exchange until quiet
            for bundle in sorted(w.pending, key=lambda b: b[1].name):
                _deliver(net, bundle)
            _exchange_until_quiet(net)
            _assert_converged(net)
            _assert_no_edit_lost(net, w)
            _assert_one_sided_fields_kept(net, w)
        finally:
            net.close()


def _exchange_until_quiet(net):
    for _ in range(5):
        quiet = True
        for src, dst in PAIRS:
            report = net[dst].recv(net[src].send(net[dst]))
            quiet &= not report.has_changes
        if quiet:
            return
    raise AssertionError("still changing after five full rounds")


def _assert_converged(net):
    a1, a2, b, c = (net[n] for n in ("a1", "a2", "b", "c"))
    assert a1.synced_dump() == a2.synced_dump()
    assert a1.stats("341122") == c.stats("341122")  # the city holds each county as it is
    assert b.stats("341124") == c.stats("341124")
    city_own = [t for t in c.stats("341100") if t["table"] != "change_requests"]
    for county in (a1, b):  # the city's own records; its requests only to the county they name
        assert [t for t in county.stats("341100") if t["table"] != "change_requests"] == city_own
    for county, code in ((a1, "341122"), (b, "341124")):
        assert _requests(county, code) == _requests(c, code)


def _requests(node, code):
    with node.db.read_session() as s:
        return s.execute(text(
            "SELECT r.id, r.action, a.decision FROM change_requests r JOIN units u ON "
            "u.id = r.target_owner_id LEFT JOIN change_request_answers a ON a.id = r.id "
            "WHERE u.code = :c ORDER BY r.id"), {"c": code}).all()


def _assert_one_sided_fields_kept(net, w: World):
    """A field that only one PC ever changed is never in a conflict, so nothing may revert it:
    not a provisional winner (it once kept the other side's whole version), not a resolution of
    another field (it once put back a whole older version)."""
    from app.sync.policy import protected_fields

    protected = protected_fields("members")
    by_field: dict[tuple, list] = {}
    for mid, field, value, _vv, who in w.writes:
        by_field.setdefault((mid, field), []).append((who, value))
    for (mid, field), writes in by_field.items():
        if field in protected or len({who for who, _ in writes}) != 1:
            continue
        owner = net["b"] if writes[0][0] == "b" else net["a1"]
        with owner.db.read_session() as s:
            assert getattr(s.get(Member, mid), field) == writes[-1][1], \
                f"{field} of {mid}, changed only on {writes[0][0]}, was reverted"


def _assert_no_edit_lost(net, w: World):
    final = {}
    for name in ("a1", "b"):
        with net[name].db.read_session() as s:
            for mid, field, _v, _vv in w.edits:
                m = s.get(Member, mid)
                if m is not None and m.owner_unit_id == net[name].db.root_unit_id:
                    final[(mid, field)] = _norm(field, getattr(m, field))
    waiting = []  # the values open conflicts show, anywhere
    for name in ("a1", "a2", "b", "c"):
        node = net[name]
        with node.db.read_session() as s:
            ids = list(s.scalars(text("SELECT id FROM sync_conflicts WHERE status = 'open' "
                                      "AND kind = 'edit'")))
        for cid in ids:
            rid, shown = _shown(node, cid)
            waiting += [(rid, f, v) for f, values in shown.items() for v in values]
    for mid, field, value, vv in w.edits:
        value = _norm(field, value)
        if final[(mid, field)] == value:
            continue
        later = any(m == mid and f == field and compare(vv2, vv) == "gt" for m, f, _, vv2 in w.edits)
        decided = any(m == mid and f == field and value in shown and chosen != value
                      for m, f, chosen, shown in w.decided)
        kept = (mid, field, value) in waiting
        assert later or decided or kept, f"edit lost: {field}={value!r} of {mid}"
