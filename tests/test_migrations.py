"""Alembic migrations build exactly the schema the models describe, on both databases."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from docsys import migrate
from docsys.db import Base, make_engine


def test_migrations_match_models(database_url):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    migrate.upgrade(engine)  # idempotent
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], f"the models changed without a migration: {diff}"
