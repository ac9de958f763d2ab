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


def test_the_constitutions_get_their_key_and_official_number_on_upgrade(database_url):
    """Before 0023 an imported Constitution had neither number nor key; the upgrade files
    each under CONST with its name and year (a second copy of one keeps waiting for
    review), and leaves other norms alone. (0023 changes data only.)"""
    from sqlalchemy import select
    from docsys.db import make_session_factory, transaction
    from docsys.models import Document, User
    from tests.conftest import seed
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0022")
        factory = make_session_factory(engine)
        seed(factory)
        with transaction(factory) as session:
            author = session.scalar(select(User).where(User.username == "archivo"))
            session.add_all(Document(doc_type=doc_type, title="Norma", status="publicado",
                                     office_id=author.office_id, created_by_id=author.id,
                                     latest_version=1, issue_date=date)
                            for doc_type, date in (("CONST", "1979-07-12"),
                                                   ("CONST", "1993-12-30"),
                                                   ("CONST", "1993-12-30"), ("OM", None)))
        migrate.upgrade(engine)
        with transaction(factory) as session:
            rows = session.execute(select(Document.official_number, Document.number_key)
                                   .order_by(Document.id)).all()
        assert [tuple(r) for r in rows] == [
            ("Constitución Política del Perú de 1979", "CONST"),
            ("Constitución Política del Perú de 1993", "CONST"), (None, None), (None, None)]
    finally:
        engine.dispose()
