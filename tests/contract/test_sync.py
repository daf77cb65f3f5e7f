"""Every travelling table goes from a county to the city by bundle, whole: after the county's full
bundle is imported, ``db stats`` of the county's records agrees on both sides, table by table."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORDS, UNIT_CODE


@pytest.fixture(scope="session")
def county_to_city(template_path, tmp_path_factory):
    """The test county (its demo data, every register filled) and a new city that trusts it; the
    county's full bundle imported at the city. Built once: the tests only read both sides."""
    from app.db.engine import open_database
    from app.models import SyncPeer, User
    from app.security.users import actor_for
    from app.services.setup import init_installation
    from app.sync import keyslots, service
    from app.sync.export import export_bundle
    from app.sync.importer import import_bundle

    folder = tmp_path_factory.mktemp("county-to-city")
    county_path, city_path = folder / "county.db", folder / "city.db"
    shutil.copyfile(template_path, county_path)
    city = open_database(city_path, create=True)
    init_installation(city, unit_name="示例市总工会", unit_code="341100", level="city",
                      admin_user="admin", admin_password=PASSWORDS["admin"])
    city.close()
    nodes = {}
    for name, path in (("county", county_path), ("city", city_path)):
        db = open_database(path)
        with db.session() as s:
            admin = actor_for(s.scalar(select(User).where(User.username == "admin")))
        if name == "county":  # a copy of the template, which is never used again: moved, not copied
            from app.sync import check_identity
            from app.sync.enrol import declare_moved

            check_identity(db)
            declare_moved(db, admin)
        keyslots.unlock(db, admin, PASSWORDS["admin"])
        nodes[name] = (db, admin)
    (cdb, cadmin), (tdb, tadmin) = nodes["county"], nodes["city"]
    for (src, sadmin), (dst, dadmin), card in ((nodes["county"], nodes["city"], folder / "county.card"),
                                               (nodes["city"], nodes["county"], folder / "city.card")):
        service.export_card(src, sadmin, card)
        preview = service.read_card(dst, dadmin, card)
        service.trust_card(dst, dadmin, preview.peer_id, preview.fingerprint)
    with cdb.read_session() as s:
        peer = s.scalar(select(SyncPeer.id).where(SyncPeer.unit_code == "341100"))
    bundle = export_bundle(cdb, cadmin, peer, folder, full=True).path
    report = import_bundle(tdb, tadmin, bundle).report
    yield cdb, tdb, report
    cdb.close()
    tdb.close()


def _stats(db) -> dict:
    from app.services.stats import db_stats

    with db.read_session() as s:
        return {t.table: t for t in db_stats(s, UNIT_CODE)}


def _tables() -> list[str]:
    import app.models  # noqa: F401 - every table registered
    from app.db.base import synced_tables

    return [t.name for t in synced_tables()]


@pytest.mark.parametrize("table", _tables())
def test_the_city_holds_the_county_s_table_whole(county_to_city, table):
    county, city, _report = county_to_city
    here, there = _stats(county)[table], _stats(city)[table]
    assert (there.live, there.tombstones, there.content_hash) == (here.live, here.tombstones,
                                                                   here.content_hash), table


def test_every_register_travels_with_records(county_to_city, register_key):
    """The demo filled the register, so the comparison above is not of two empty tables."""
    from app.kit.register import register

    county, _city, _report = county_to_city
    table = register(register_key).spec.model.__table__.name
    assert _stats(county)[table].live > 0, f"{register_key}: no records at the county"
