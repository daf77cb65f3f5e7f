"""The example's own checks beside the contract tests: its migration makes the table its model
declares, and its area is found through the manifest like any other."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import MetaData, create_engine


def test_example_migration_makes_the_model_s_table(tmp_path):
    from alembic import command

    from app.db import migrate
    from app.db.base import Base
    from tests.kit_example import migration

    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # the released chain: no kit_examples yet
        context = MigrationContext.configure(conn)
        with Operations.context(context):
            migration.upgrade()
        only = MetaData(naming_convention=Base.metadata.naming_convention)
        Base.metadata.tables["kit_examples"].to_metadata(only)
        for name in ("units", "members"):  # what its foreign keys name
            Base.metadata.tables[name].to_metadata(only)
        diff = [d for d in compare_metadata(MigrationContext.configure(conn), only)
                if "kit_examples" in repr(d)]
    assert diff == []


def test_the_example_area_is_in_the_manifest():
    from app.areas import all_areas
    from app.kit.register import area_of, register

    assert "kit_example" in [a.key for a in all_areas()]
    assert area_of("kit_example").title == "示例工作领域"
    assert register("kit_example").spec.period_key == "held_on"
