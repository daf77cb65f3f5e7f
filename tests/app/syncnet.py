"""A small network of installations for the exchange tests: two office PCs of county 341122
(``a1``, ``a2``), county 341124 (``b``) and the city 341100 (``c``). Templates are built once per
test session (keys made, cards exchanged and trusted) and copied per test."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

from sqlalchemy import select, text

from tests.conftest import PASSWORDS

NODES = {"a1": ("示例县总工会", "341122", "county"), "a2": ("示例县总工会", "341122", "county"),
         "b": ("邻县总工会", "341124", "county"), "c": ("示例市总工会", "341100", "city")}
LOCAL_TABLES = {"audit_log", "local_state", "alembic_version"}


def id_number(region: str, birth: date, seq: int) -> str:
    from app.validation.idcard import id_check_char

    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def approved_archive(node, name: str, seq: int) -> tuple[str, str]:
    """A new archive on ``node``, given the next archive number the way 党组审批 gives it."""
    from app.clock import today
    from app.models import Unit
    from app.services.hardship import archives, workflow
    from app.services.units import root_unit
    from tests.app.hardship.helpers import archive_values

    with node.db.session(node.clerk) as s:
        union = s.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False)))
        values = archive_values(union, name=name, id_no=id_number(node.code, date(1976, 4, 5), seq))
        a = archives.create_archive(s, node.clerk, values, members=[], expense_items=[])
        a.archive_no = workflow.next_archive_no(s, root_unit(s), today().year)
        a.status, a.archived_on = "archived", today()
        return a.id, a.archive_no


class Node:
    def __init__(self, name: str, path: Path):
        from app.db.engine import open_database
        from app.models import User
        from app.security.users import actor_for
        from app.sync import keyslots

        self.name, self.path = name, path
        self.db = open_database(path)
        from app.sync import check_identity
        from app.sync.enrol import declare_moved

        check_identity(self.db)  # as every start does: a node copied from the template settles here
        with self.db.session() as s:
            self.admin = actor_for(s.scalar(select(User).where(User.username == "admin")))
            self.clerk = actor_for(s.scalar(select(User).where(User.username == "clerk")))
        declare_moved(self.db, self.admin)  # the template is never used again: moved, not copied
        keyslots.unlock(self.db, self.admin, PASSWORDS["admin"])
        keyslots.unlock(self.db, self.clerk, PASSWORDS["clerk"])
        self.outbox = path.parent / "outbox"
        self.outbox.mkdir(exist_ok=True)

    @property
    def code(self) -> str:
        return NODES[self.name][1]

    def peer_id(self, other: Node) -> str:
        from app.models import SyncPeer
        from app.sync import crypto, keys

        with other.db.read_session() as s:
            s.info["root_unit_id"] = other.db.root_unit_id
            kid = crypto.key_id(keys.own_key(s).sign_pub)
        with self.db.read_session() as s:
            return s.scalar(select(SyncPeer.id).where(SyncPeer.sign_key_id == kid))

    def send(self, other: Node, *, full: bool = False, shape=None) -> Path:
        """A bundle for ``other``; ``shape`` (app.sync.export.BundleShape): as another schema
        version would write it."""
        from app.sync.export import CURRENT, export_bundle

        return export_bundle(self.db, self.admin, self.peer_id(other), self.outbox, full=full,
                             shape=shape or CURRENT).path

    def recv(self, path: Path, *, dry_run: bool = False):
        from app.sync.importer import import_bundle

        return import_bundle(self.db, self.admin, path, dry_run=dry_run).report

    def stats(self, unit_code: str) -> list[dict]:
        from app.services.stats import db_stats

        with self.db.read_session() as s:
            return [t.as_dict() for t in db_stats(s, unit_code)]

    def content_hash(self, exclude: tuple[str, ...] = ()) -> str:
        """Every table but the audit log and local counters (what a refused import may touch)."""
        h = hashlib.sha256()
        with self.db.read_session() as s:
            conn = s.connection().connection.driver_connection
            names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                                "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            for n in names:
                if n in LOCAL_TABLES or n in exclude:
                    continue
                for row in conn.execute(f"SELECT * FROM {n} ORDER BY 1, 2"):
                    h.update(repr((n, row)).encode())
        return h.hexdigest()

    def synced_dump(self, owner_code: str | None = None) -> dict:
        """Synchronised rows (all columns but change_seq) by table, for convergence checks."""
        from app.db.base import synced_tables
        from app.sync.policy import bundle_columns

        out = {}
        with self.db.read_session() as s:
            conn = s.connection().connection.driver_connection
            for t in synced_tables():
                cols = bundle_columns(t)
                out[t.name] = conn.execute(f"SELECT {', '.join(cols)} FROM {t.name} ORDER BY id").fetchall()
        return out

    def close(self) -> None:
        self.db.close()


def build_templates(folder: Path) -> dict[str, Path]:
    from app.db.engine import open_database
    from app.security.users import create_user
    from app.services import records
    from app.services.setup import init_installation
    from app.sync import service

    paths, handles = {}, {}
    for name, (unit_name, code, level) in NODES.items():
        path = folder / name / "uniondesk.db"
        path.parent.mkdir(parents=True)
        db = open_database(path, create=True)
        admin = init_installation(db, unit_name=unit_name, unit_code=code, level=level,
                                  admin_user="admin", admin_password=PASSWORDS["admin"])
        with db.session(admin) as s:
            create_user(s, admin, "clerk", "clerk", password=PASSWORDS["clerk"]).user.must_change_password = False
        if name != "a2":  # the second office PC starts empty and gets its unit's data by exchange
            with db.session(admin) as s:
                town = records.create(s, admin, "unit", {"name": f"{name}镇工会", "kind": "township",
                                                    "parent_id": db.root_unit_id})
                records.create(s, admin, "unit", {"name": f"{name}机械厂工会", "kind": "grassroots",
                                             "parent_id": town.id})
        paths[name], handles[name] = path, (db, admin)
    for name, (db, admin) in handles.items():
        card = service.export_card(db, admin, folder / f"{name}.udcard")
        for other, (odb, oadmin) in handles.items():
            if other != name:
                p = service.read_card(odb, oadmin, card)
                service.trust_card(odb, oadmin, p.peer_id, p.fingerprint)
    from app.models import Unit

    for name, (db, admin) in handles.items():
        if name in ("a2", "c"):
            continue
        from app.models import User
        from app.security.users import actor_for

        with db.session() as s:
            clerk = actor_for(s.scalar(select(User).where(User.username == "clerk")))
        with db.session(clerk) as s:
            union = s.scalar(select(Unit).where(Unit.kind == "grassroots"))
            for i in range(3):
                records.create(s, clerk, "member", {
                    "name": ["张三", "李四", "王小五"][i], "union_id": union.id,
                    "id_number": id_number(NODES[name][1], date(1980 + i, 3, 5), 11 + 2 * i),
                    "phone": f"1380000{i:04d}"})
    for db, _ in handles.values():
        db.close()
    return paths


class Net:
    def __init__(self, templates: dict[str, Path], folder: Path):
        self.folder = folder
        self.nodes: dict[str, Node] = {}
        self.templates = templates

    def __getitem__(self, name: str) -> Node:
        if name not in self.nodes:
            dest = self.folder / name / "uniondesk.db"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.templates[name], dest)
            self.nodes[name] = Node(name, dest)
        return self.nodes[name]

    def close(self) -> None:
        for n in self.nodes.values():
            n.close()


def resign(node: Node, path: Path, out: Path, change) -> Path:
    """Rewrite a bundle's manifest with ``change`` and sign it again with ``node``'s key."""
    import zipfile

    from app.sync import container, crypto, keys, keyslots
    from app.sync.canonical import dumps, loads

    with zipfile.ZipFile(path) as zin:
        manifest = loads(zin.read("manifest.json"))
        change(manifest)
        with node.db.session(node.admin) as s:
            k = keys.load_keys(s, keyslots.data_key(node.db, node.admin))
        raw = dumps(manifest)
        with container.open_writer(out) as zout:
            for info in zin.infolist():
                if info.filename not in ("manifest.json", "manifest.sig"):
                    container.write_member(zout, info.filename, zin.read(info.filename))
            container.write_member(zout, "manifest.json", raw)
            container.write_member(zout, "manifest.sig", crypto.sign(k.sign_priv, raw))
    return out


def member_ids(node: Node) -> list[str]:
    from app.models import Member

    with node.db.read_session() as s:
        return list(s.scalars(select(Member.id).order_by(Member.id)))


def scalar(node: Node, sql: str, **params):
    with node.db.read_session() as s:
        return s.execute(text(sql), params).scalar()
