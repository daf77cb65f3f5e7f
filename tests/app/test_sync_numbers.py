"""Two office PCs of one county approve different archives between exchanges and issue the same
档案编号: the bundle is still imported, the clash is queued, one archive is renumbered on the PC of
the unit that owns it, and the clash settles everywhere once the new number has travelled."""

import pytest
from sqlalchemy import select

from app.errors import AppError
from app.models import HardshipArchive, HardshipReview, SyncConflict
from app.sync import service
from tests.app.syncnet import approved_archive


def _numbers(node) -> dict[str, str]:
    with node.db.read_session() as s:
        return dict(s.execute(select(HardshipArchive.id, HardshipArchive.archive_no)
                              .where(HardshipArchive.deleted.is_(False))).all())


def _open(node) -> list[tuple[str, str]]:
    """(incoming, existing) ids of the open number clashes."""
    with node.db.read_session() as s:
        return list(s.execute(select(SyncConflict.row_id, SyncConflict.other_row_id).where(
            SyncConflict.kind == "number", SyncConflict.status == "open")).all())


def test_the_same_archive_number_on_two_pcs_is_queued_and_renumbered(net):
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    x, no_x = approved_archive(a1, "张三", 11)
    y, no_y = approved_archive(a2, "王五", 12)
    assert no_x == no_y  # each PC issued the first serial of the year

    bundle = a1.send(a2)
    dry = a2.recv(bundle, dry_run=True)
    assert dry.count("conflicts") == 1 and not _open(a2)
    rep = a2.recv(bundle)  # once a UNIQUE failure that threw the whole bundle away
    assert rep.count("conflicts") == 1
    [item] = [i for i in rep.items if i.kind == "conflict"]
    assert f"档案编号 {no_x}" in item.message and "王五" in item.message
    assert _numbers(a2) == {x: no_x, y: no_y}
    from app.services.hardship import archives

    with a2.db.read_session() as s, pytest.raises(AppError, match="重新编号"):
        archives.find_archive(s, a2.clerk, no_x)  # the number no longer names one archive
    a1.recv(a2.send(a1))  # the other PC sees the same clash from its side
    assert _open(a1) == [(y, x)]

    [clash] = service.conflicts(a2.db, a2.clerk)
    assert clash.kind == "number" and clash.kind_label == "档案编号重复" and clash.row_id == x
    names = {f.key: (f.local, f.remote) for f in clash.fields}
    assert names["name"] == ("王五", "张三") and names["archive_no"] == (no_y, no_x)
    with pytest.raises(AppError, match="请选择"):
        service.resolve_number(a2.db, a2.clerk, clash.id, "keep_both")
    old, new = service.resolve_number(a2.db, a2.clerk, clash.id, "renumber_existing")
    assert old == no_y and new == no_y[:-4] + "0002"
    assert _numbers(a2) == {x: no_x, y: new} and not _open(a2)
    with a2.db.read_session() as s:
        step = s.scalars(select(HardshipReview).where(HardshipReview.archive_id == y)
                         .order_by(HardshipReview.step_no.desc())).first()
        assert step.action == "renumber" and no_y in step.data and new in step.data

    a1.recv(a2.send(a1))  # the new number travels; the clash queued on a1 settles by itself
    assert _numbers(a1) == {x: no_x, y: new} and not _open(a1)
    with a1.db.read_session() as s:
        settled = s.scalar(select(SyncConflict).where(SyncConflict.kind == "number"))
        assert settled.status == "superseded" and "不再重复" in settled.resolution
    assert a2.recv(a1.send(a2)).count("conflicts") == 0


def test_the_city_leaves_a_countys_archive_number_to_the_county(net):
    a1, a2, city = net["a1"], net["a2"], net["c"]
    a2.recv(a1.send(a2))
    approved_archive(a1, "张三", 21)
    approved_archive(a2, "王五", 22)
    city.recv(a1.send(city))
    assert city.recv(a2.send(city)).count("conflicts") == 1
    [clash] = service.conflicts(city.db, city.clerk)
    with pytest.raises(AppError, match="编号须由该单位重新编"):
        service.resolve_number(city.db, city.clerk, clash.id, "renumber_incoming")
    assert len(_open(city)) == 1
