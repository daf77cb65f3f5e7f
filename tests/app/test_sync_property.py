"""Property: any interleaving of edits on two office PCs of one county, bundles between them and
the city, delivered late, out of order or twice, converges to identical data once everything is
delivered, and loses no edit (each is in the final record, overwritten by a later edit made with
knowledge of it, or kept in a conflict queue).

CI runs a few dozen examples; set UNIONDESK_HYPOTHESIS_EXAMPLES=1000 (and expect minutes) for a
deeper run.
"""

import os
import tempfile
from datetime import date
from pathlib import Path

import orjson
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import Member
from app.services import records
from app.sync.errors import BundleError
from app.sync.merge import compare
from tests.app.syncnet import Net, id_number

EXAMPLES = int(os.environ.get("UNIONDESK_HYPOTHESIS_EXAMPLES", "24"))
EDITORS = ("a1", "a2")
PAIRS = (("a1", "a2"), ("a2", "a1"), ("a1", "c"), ("a2", "c"), ("c", "a1"), ("c", "a2"))
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
    st.tuples(st.just("edit"), st.sampled_from(EDITORS), st.integers(0, 4),
              st.sampled_from(sorted(FIELDS)), st.integers(0, 1)),
    st.tuples(st.just("delete"), st.sampled_from(EDITORS), st.integers(0, 4)),
    st.tuples(st.just("create"), st.sampled_from(EDITORS), st.integers(0, 3)),
    st.tuples(st.just("send"), st.sampled_from(PAIRS)),
    st.tuples(st.just("deliver"), st.integers(0, 7)),
    st.tuples(st.just("resolve"), st.sampled_from(EDITORS)),
), min_size=3, max_size=14)


def _ids(node):
    with node.db.read_session() as s:
        return list(s.scalars(select(Member.id).order_by(Member.id)))


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


@settings(max_examples=EXAMPLES, deadline=None,
          phases=[p for p in Phase if p != Phase.shrink or os.environ.get("UNIONDESK_SHRINK")],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(program=ops)
def test_any_interleaving_converges_and_loses_no_edit(sync_templates, program):
    from app.sync import service

    with tempfile.TemporaryDirectory() as tmp:
        net = Net(sync_templates, Path(tmp))
        try:
            net["a2"].recv(net["a1"].send(net["a2"]))
            edits, pending, created = [], [], 0
            for op in program:
                kind = op[0]
                if kind in ("edit", "delete"):
                    node = net[op[1]]
                    ids = _ids(node)
                    mid = ids[op[2] % len(ids)]
                    field, value = ("deleted", True) if kind == "delete" else (op[3], FIELDS[op[3]][op[4]])
                    with node.db.session(node.clerk) as s:
                        m = s.get(Member, mid)
                        if m.deleted or getattr(m, field) == value:
                            continue
                        if kind == "delete":
                            records.void(s, node.clerk, "member", mid)
                        elif field == "status":  # a status changes by a 会籍 event
                            _status_event(s, node.clerk, mid, value)
                        else:
                            records.update(s, node.clerk, "member", mid, {field: value})
                    edits.append((mid, field, value, _vv(node, mid)))
                elif kind == "create":
                    node = net[op[1]]
                    created += 1
                    with node.db.session(node.clerk) as s:
                        union = s.get(Member, _ids(node)[0]).union_id
                        records.create(s, node.clerk, "member", {
                            "name": f"新会员{created}", "union_id": union,
                            "id_number": id_number("341122", date(1985, 1, op[2] + 1),
                                                   201 + 2 * created + (op[1] == "a2"))})
                elif kind == "send":
                    src, dst = op[1]
                    pending.append((dst, net[src].send(net[dst])))
                elif kind == "deliver" and pending:
                    bundle = pending[op[1] % len(pending)]
                    if _deliver(net, bundle):
                        pending.remove(bundle)
                elif kind == "resolve":
                    node = net[op[1]]
                    queue = [c for c in service.conflicts(node.db, node.clerk) if c.kind == "edit"]
                    if queue:
                        service.resolve_edit(node.db, node.clerk, queue[0].id, keep="remote")
            # deliver what is still in the post, in channel order, then exchange until quiet
            for bundle in sorted(pending, key=lambda b: b[1].name):
                _deliver(net, bundle)
            for _ in range(4):
                quiet = True
                for src, dst in PAIRS:
                    report = net[dst].recv(net[src].send(net[dst]))
                    quiet &= not report.has_changes
                if quiet:
                    break
            assert quiet, "still changing after four full rounds"
            a1, a2, c = net["a1"], net["a2"], net["c"]
            assert a1.synced_dump() == a2.synced_dump()
            assert a1.stats("341122") == c.stats("341122")
            assert a1.stats("341100") == c.stats("341100")
            _assert_no_edit_lost(net, edits)
        finally:
            net.close()


def _assert_no_edit_lost(net, edits):
    from sqlalchemy import text

    final = {}
    with net["a1"].db.read_session() as s:
        for mid, field, _v, _vv in edits:
            final[(mid, field)] = getattr(s.get(Member, mid), field)
    queued = []
    for name in ("a1", "a2"):
        with net[name].db.read_session() as s:
            for lv, rv in s.execute(text("SELECT local_version, remote_version FROM sync_conflicts")):
                queued += [orjson.loads(lv), orjson.loads(rv)]
    for mid, field, value, vv in edits:
        if final[(mid, field)] == value:
            continue
        later = any(m == mid and f == field and compare(vv2, vv) == "gt"
                    for m, f, _, vv2 in edits)
        kept = any(q.get("id") == mid and q.get(field) == value for q in queued)
        assert later or kept, f"edit lost: {field}={value!r} of {mid}"
