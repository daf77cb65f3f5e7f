"""Alembic environment. The app passes its open connection in ``config.attributes``; developers
can also run ``alembic -x db=PATH upgrade head`` from the repository root."""

from alembic import context
from sqlalchemy import create_engine

import app.models  # noqa: F401
from app.db.base import Base
from app.db.fts import alembic_include_name as include_name

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, compare_type=True,
                          include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()
        return
    db = context.get_x_argument(as_dictionary=True).get("db")
    if not db:
        raise SystemExit("usage: alembic -x db=PATH <command>")
    from app.db.engine import sqlite_url

    engine = create_engine(sqlite_url(db))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata,
                          render_as_batch=True, compare_type=True,
                          include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()


run()
