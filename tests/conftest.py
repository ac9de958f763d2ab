"""Shared fixtures: real SQLite and PostgreSQL databases, a seeded app, clients and logins.

PostgreSQL tests use the server from DOCSYS_TEST_POSTGRES_URL (default: the local one on
127.0.0.1:5432, database ``test``), each test in its own schema. When CI=true a missing
server is an error; elsewhere those tests are skipped with the reason shown.
"""
from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from docsys import accounts, migrate, policy, totp
from docsys.config import PROJECT_ROOT
from docsys.db import make_engine, make_session_factory, transaction
from docsys.drafting.service import load_template_files
from docsys.signing import keystore

# The tests sign with the local demo certification authority, trusted only in demo mode.
os.environ.setdefault("DOCSYS_DEMO_PKI", "1")

PG_URL = os.environ.get("DOCSYS_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEMPLATES_DIR = str(PROJECT_ROOT / "templates" / "documents")
PASSWORD = "clave-segura-1"
KEYSTORE_KEY = "clave-maestra-de-pruebas-0123456789"
# The seeded signers and administrators have this TOTP secret (as if enrolled already), so
# logging in as them adds no enrollment to the audit trail; tests/second_factor.py computes
# their codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# username -> (full name, roles, office)
TEST_USERS = {
    "redactor": ("Rosa Quispe Huamán", ["drafter"], "GM"),
    "redactor2": ("Luis Condori Mamani", ["drafter"], "GDUR"),
    "asesor": ("Carmen Rojas Villanueva", ["legal"], "GAJ"),
    "gerente": ("Jorge Mendoza Salas", ["signer"], "GM"),
    "archivo": ("Ana Torres Paredes", ["archivist"], "SG"),
    "admin": ("Pedro Ccori Flores", ["admin"], "OTI"),
}
# Each test user's DNI (the identity their certificates must carry).
TEST_DNIS = {username: f"4100000{index}" for index, username in enumerate(TEST_USERS, 1)}
OFFICES = {
    "GM": "Gerencia Municipal", "GDUR": "Gerencia de Desarrollo Urbano y Rural",
    "GAJ": "Gerencia de Asesoría Jurídica", "SG": "Secretaría General",
    "OTI": "Oficina de Tecnologías de la Información", "A": "Alcaldía",
}


_real_hash_password = accounts.hash_password
_hash_cache: dict[str, str] = {}


def _cached_hash_password(password: str) -> str:
    """A real argon2 hash, computed once per password per test session (argon2 is slow on
    purpose; seeding six users for every test would dominate the suite's run time)."""
    if password not in _hash_cache:
        _hash_cache[password] = _real_hash_password(password)
    return _hash_cache[password]


accounts.hash_password = _cached_hash_password

_real_holder_key = keystore._holder_key
_holder_keys: dict[tuple[str, bytes], object] = {}


def _cached_holder_key(secret: str, salt: bytes):
    """A real scrypt-derived key (the production cost), derived once per clave de firma
    and salt per test session: every visto bueno and issue of a test opens the same sealed
    certificates again, and scrypt is slow on purpose (about a fifth of the suite's time).
    A wrong clave is another key, derived for real, and refused as in production."""
    key = (secret, bytes(salt))
    if key not in _holder_keys:
        _holder_keys[key] = _real_holder_key(secret, salt)
    return _holder_keys[key]


keystore._holder_key = _cached_holder_key


def seed(session_factory) -> None:
    """Offices, one user per role and the document templates."""
    with transaction(session_factory) as session:
        for code, name in OFFICES.items():
            accounts.ensure_office(session, code, name)
        for username, (full_name, roles, office) in TEST_USERS.items():
            user = accounts.create_user(session, username, PASSWORD, full_name, roles,
                                        office_code=office,
                                        position="Gerente Municipal" if username == "gerente" else "",
                                        dni=TEST_DNIS[username])
            if policy.needs_second_factor(user):
                totp.set_secret({"KEYSTORE_KEY": KEYSTORE_KEY}, user, TOTP_SECRET)
        load_template_files(session, TEMPLATES_DIR)


def _postgres_available() -> str | None:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any connection failure means "not available"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


@pytest.fixture(scope="session")
def postgres_url():
    problem = _postgres_available()
    if problem:
        message = f"PostgreSQL no disponible en {PG_URL} ({problem})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return PG_URL


@contextmanager
def fresh_pg_schema(postgres_url: str):
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_schema_url(postgres_url):
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    with fresh_pg_schema(postgres_url) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Both databases: tests using this run once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'docsys.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def session_factory(database_url):
    """A migrated and seeded database on each engine."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    seed(factory)
    yield factory
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory) -> Path:
    """A migrated, seeded SQLite file made once; each app test gets a copy (fast)."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    seed(make_session_factory(engine))
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


def make_test_app(db_url: str, instance: Path, **extra):
    from docsys import create_app
    config = {"DATABASE_URL": db_url, "SECRET_KEY": "test-secret", "INSTANCE_DIR": str(instance),
              "TESTING": True, "SEARCH_DIR": str(instance / "search"),
              "BLOB_DIR": str(instance / "blobs"), "SEARCH_BACKGROUND": False,
              "PKI_DIR": str(instance / "pki"), "KEYSTORE_KEY": KEYSTORE_KEY,
              "DEMO_ARCHIVE_SIZE": 6}
    config.update(extra)
    return create_app(config)


@pytest.fixture
def app(seeded_sqlite, tmp_path):
    db_path = tmp_path / "app.db"
    shutil.copy(seeded_sqlite, db_path)
    application = make_test_app(f"sqlite:///{db_path}", tmp_path)
    yield application
    application.extensions["docsys.engine"].dispose()


@pytest.fixture
def pg_app(pg_schema_url, tmp_path):
    engine = make_engine(pg_schema_url)
    migrate.upgrade(engine)
    seed(make_session_factory(engine))
    engine.dispose()
    application = make_test_app(pg_schema_url, tmp_path)
    yield application
    application.extensions["docsys.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class Browser:
    """A logged-in test client that carries the CSRF token like a real form would."""

    def __init__(self, client, app=None):
        self.client = client
        self.app = app or client.application
        self.csrf = None

    def refresh_csrf(self, path="/ingresar"):
        import re
        html = self.client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf-token" content="([^"]+)"', html)
        self.csrf = match.group(1) if match else None
        return self.csrf

    def login(self, username, password=PASSWORD, app=None):
        """Log in; for a signer or administrator also the second step (enrolling through
        the page the first time), as a person with an authenticator app would."""
        self.refresh_csrf("/ingresar")
        response = self.client.post("/ingresar", data={"username": username, "password": password,
                                                        "csrf_token": self.csrf})
        location = response.headers.get("Location", "")
        app = app or self.app
        if response.status_code == 302 and app is not None and "/ingresar/" in location:
            response = self.second_step(app, username, location)
        self.refresh_csrf("/")
        return response

    def second_step(self, app, username, location):
        """The code page (or, the first time, the enrollment page) after the password."""
        from tests import second_factor
        self.refresh_csrf(location)
        if location.endswith("/ingresar/segundo-factor"):
            secret = second_factor.secret_from_page(self.client.get(location).get_data(as_text=True))
            second_factor.remember(app, username, secret)
        return self.client.post(location, data={"code": second_factor.fresh_code(app, username),
                                                "csrf_token": self.csrf})

    def post_form(self, path, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf)
        return self.client.post(path, data=data, **kwargs)

    def post_json(self, path, payload, **kwargs):
        headers = {"X-CSRFToken": self.csrf or ""}
        headers.update(kwargs.pop("headers", {}))
        return self.client.post(path, json=payload, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)


@pytest.fixture
def browser(app):
    """Factory: ``browser('redactor')`` returns a logged-in Browser."""
    def make(username=None):
        b = Browser(app.test_client(), app)
        if username:
            response = b.login(username)
            assert response.status_code == 302, response.get_data(as_text=True)
        return b
    return make


@pytest.fixture
def api_token(app):
    """Factory: ``api_token('redactor')`` returns a bearer token for that user."""
    from sqlalchemy import select
    from docsys.models import User

    def make(username):
        with transaction(app.extensions["docsys.sessions"]) as session:
            user = session.scalar(select(User).where(User.username == username))
            return accounts.create_api_token(session, user, "tests")
    return make


def get_user(session, username):
    from sqlalchemy import select
    from docsys.models import User
    return session.scalar(select(User).where(User.username == username))


# The suite's longest tests (each 15–60 s on a slow two-core machine), started first: the
# two workers then end together instead of one finishing a long test alone at the end.
# Only the order changes; a test renamed here simply runs in its usual place.
LONGEST_FIRST = (
    "tests/issuing/test_concurrent_numbering.py::",
    "tests/test_policy_matrix.py::test_every_door_gives_the_policys_answer",
    "tests/archive/test_pending_analysis.py::test_kill_9_mid_import_and_mid_analysis_loses_nothing",
    "tests/browser/test_review_flow.py::test_review_round_trip_until_approved",
    "tests/test_demo.py::",
    "tests/web/test_api_contract.py::test_property_based_run_against_the_contract",
    "tests/corrections/test_routes.py::test_round_trip_on_",
)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))   # stable
