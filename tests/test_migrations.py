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


def test_an_empty_number_key_becomes_null_on_upgrade(database_url):
    """Before 0022 imports could file a norm without a number under "" as well as NULL;
    the upgrade leaves NULL only, and keeps every real key. (0022 changes data only, so the
    models describe the 0021 schema too.)"""
    from sqlalchemy import select
    from docsys.db import make_session_factory, transaction
    from docsys.models import Document, User
    from tests.conftest import seed
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0021")
        factory = make_session_factory(engine)
        seed(factory)
        with transaction(factory) as session:
            author = session.scalar(select(User).where(User.username == "archivo"))
            session.add_all(Document(doc_type="OM", title=f"Norma {n}", status="publicado",
                                     office_id=author.office_id, created_by_id=author.id,
                                     latest_version=1, number_key=key)
                            for n, key in enumerate(("", "OM-8-2021", None)))
        migrate.upgrade(engine)
        with transaction(factory) as session:
            keys = session.scalars(select(Document.number_key).order_by(Document.id))
            assert list(keys) == [None, "OM-8-2021", None]
    finally:
        engine.dispose()
