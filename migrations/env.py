"""Alembic environment: runs on the connection docsys hands it (see docsys/migrate.py),
or on DOCSYS_DATABASE_URL when invoked through the `alembic` command."""
from alembic import context
from sqlalchemy import pool

import docsys.models  # noqa: F401  (registers every table on Base.metadata)
from docsys.config import load_config
from docsys.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or load_config()["DATABASE_URL"])
    with engine.connect() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
