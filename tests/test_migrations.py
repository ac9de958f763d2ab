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


def _upgraded(database_url, revision: str, documents: list[dict], *columns):
    """Store ``documents`` (an archivist's, published) on a database at ``revision``, upgrade
    it, and give ``columns`` of every document, in order."""
    from sqlalchemy import select
    from docsys.db import make_session_factory, transaction
    from docsys.models import Document, User
    from tests.conftest import seed
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, revision)
        factory = make_session_factory(engine)
        seed(factory)
        with transaction(factory) as session:
            author = session.scalar(select(User).where(User.username == "archivo"))
            session.add_all(Document(title="Norma", status="publicado", latest_version=1,
                                     office_id=author.office_id, created_by_id=author.id,
                                     **values) for values in documents)
        migrate.upgrade(engine)
        with transaction(factory) as session:
            return [tuple(row) for row in session.execute(
                select(*(getattr(Document, c) for c in columns)).order_by(Document.id))]
    finally:
        engine.dispose()


def test_an_empty_number_key_becomes_null_on_upgrade(database_url):
    """Before 0022 imports could file a norm without a number under "" as well as NULL;
    the upgrade leaves NULL only, and keeps every real key. (0022 changes data only, so the
    models describe the 0021 schema too.)"""
    rows = _upgraded(database_url, "0021", [dict(doc_type="OM", number_key=key)
                                            for key in ("", "OM-8-2021", None)], "number_key")
    assert rows == [(None,), ("OM-8-2021",), (None,)]


def test_the_constitutions_get_their_key_and_official_number_on_upgrade(database_url):
    """Before 0023 an imported Constitution had neither number nor key; the upgrade files
    each under CONST with its name and year (a second copy of one keeps waiting for
    review), and leaves other norms alone. (0023 changes data only.)"""
    rows = _upgraded(database_url, "0022", [
        dict(doc_type=doc_type, issue_date=date) for doc_type, date in (
            ("CONST", "1979-07-12"), ("CONST", "1993-12-30"), ("CONST", "1993-12-30"),
            ("OM", None))], "official_number", "number_key")
    assert rows == [("Constitución Política del Perú de 1979", "CONST"),
                    ("Constitución Política del Perú de 1993", "CONST"), (None, None),
                    (None, None)]
