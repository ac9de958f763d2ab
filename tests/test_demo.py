"""The demo data: loaded through the domain functions on a fresh migrated database."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from demo.cli import register as register_demo
from demo.loader import DEFAULT_PASSWORD, document_specs, load_demo, user_specs
from docsys import audit, migrate, workflow
from docsys.config import PROJECT_ROOT
from docsys.db import make_engine, make_session_factory, transaction
from docsys.drafting.structure import plain_text
from docsys.models import (Comment, Document, DocumentTemplate, DocumentVersion, Office, User,
                           VistoBueno)
from docsys.versions import latest_version
from tests.conftest import make_test_app

SIGNED = ("aprobado", "emitido", "publicado")
EXPECTED_USERS = {
    # username: (roles, office)
    "admin": ({"admin"}, "OTI"),
    "redactor.gm": ({"drafter"}, "GM"),
    "redactor.gdur": ({"drafter"}, "GDUR"),
    "redactor.gds": ({"drafter"}, "GDS"),
    "asesor.legal": ({"legal"}, "GAJ"),
    "gerente.municipal": ({"signer"}, "GM"),
    "alcalde": ({"signer"}, "A"),
    "gerente.gdur": ({"signer"}, "GDUR"),
    "archivo.sg": ({"archivist"}, "SG"),
}
DOCUMENTS = document_specs()
USERS = user_specs()
ALL_TYPES = {"RA", "RGM", "RG", "OM", "DA", "AC", "DIR"}


def _totals(session) -> dict:
    def count(model):
        return session.scalar(select(func.count()).select_from(model))
    return {model.__name__: count(model) for model in
            (Office, User, Document, DocumentVersion, Comment, VistoBueno)}


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory):
    from docsys.config import load_config
    base = tmp_path_factory.mktemp("demo")
    settings = load_config()
    settings.update({"DOCUMENT_TEMPLATES_DIR": str(PROJECT_ROOT / "templates" / "documents"),
                     "INSTANCE_DIR": str(base), "BLOB_DIR": str(base / "blobs"),
                     "PKI_DIR": str(base / "pki"),
                     "KEYSTORE_KEY": "clave-maestra-de-pruebas-0123456789"})
    return settings


@pytest.fixture(scope="module")
def demo_db(demo_settings):
    """One fresh database with the demo loaded once (the module's tests only read it)."""
    from pathlib import Path
    path = Path(demo_settings["INSTANCE_DIR"]) / "d.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with transaction(factory) as session:
        summary = load_demo(session, demo_settings)
    elapsed = time.perf_counter() - started
    yield factory, summary, elapsed
    engine.dispose()


@pytest.fixture
def session(demo_db):
    factory, _, _ = demo_db
    with transaction(factory) as session:
        yield session


def _documents(session) -> list[Document]:
    return list(session.scalars(select(Document).order_by(Document.id)))


def test_reports_counts_and_logins(demo_db):
    _, summary, _ = demo_db
    counts = summary["counts"]
    for key in ("oficinas", "usuarios", "documentos", "versiones"):
        assert counts[key] > 0
    assert counts["oficinas"] == 9 and counts["documentos"] == len(DOCUMENTS) >= 14
    assert summary["created"]["documentos"] == len(DOCUMENTS)
    logins = {login["username"]: login for login in summary["logins"]}
    assert set(EXPECTED_USERS) <= set(logins)
    for username, (roles, office) in EXPECTED_USERS.items():
        login = logins[username]
        assert login["password"] == DEFAULT_PASSWORD
        assert set(login["roles"]) == roles and isinstance(login["roles"], list)
        assert login["office"] == office


def test_users_roles_offices_and_the_gdur_head(session):
    for username, (roles, office) in EXPECTED_USERS.items():
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None, username
        assert user.roles == roles and user.office.code == office
        assert user.full_name and user.position and user.password_hash.startswith("$argon2")
    positions = {u.username: u.position for u in session.scalars(select(User))}
    assert positions["asesor.legal"] == "Gerente de Asesoría Jurídica"
    assert positions["gerente.municipal"] == "Gerente Municipal"
    assert positions["alcalde"] == "Alcalde"
    assert positions["gerente.gdur"] == "Gerente de Desarrollo Urbano y Rural"
    assert positions["archivo.sg"] == "Secretario General"
    gdur = session.scalar(select(Office).where(Office.code == "GDUR"))
    head = session.scalar(select(User).where(User.username == "gerente.gdur"))
    assert gdur.head_id == head.id
    assert {o.code for o in session.scalars(select(Office))} == {
        "A", "GM", "GAJ", "SG", "GDUR", "GAF", "GDS", "GDE", "OTI"}


def test_documents_cover_all_types_offices_and_states(session):
    documents = _documents(session)
    assert len(documents) >= 14
    assert {d.doc_type for d in documents} == ALL_TYPES
    assert len({d.office.code for d in documents}) >= 4
    states = {d.status for d in documents}
    assert {"borrador", "en_revision", "observado", "aprobado", "emitido", "publicado"} <= states
    # Every template is the one the document came from, and all seven were loaded.
    assert session.scalar(select(func.count()).select_from(DocumentTemplate)) == 7
    multi = [d for d in documents if d.latest_version >= 3]
    assert len(multi) >= 4
    assert all(d.latest_version >= 2 for d in documents)
    # Later versions are by different authors, with notes.
    authored = {v.author.username for d in multi for v in d.versions}
    assert {"asesor.legal", "redactor.gm"} <= authored
    notes = [v.note for d in documents for v in d.versions]
    assert any("Se incorporan observaciones de Asesoría Jurídica" in n for n in notes)


def test_latest_texts_have_no_template_hints_and_no_issue_date(session):
    for document in _documents(session):
        content = latest_version(session, document).content
        text = plain_text(content)
        assert "[" not in text and "]" not in text, (document.title, text[:200])
        assert "…" not in text
        fields = content["fields"]
        assert not any("[" in value for value in fields.values()), document.title
        assert fields.get("fecha", "") == ""
        assert fields["firmante_nombre"] and fields["firmante_cargo"]
        assert "Megantoni" in text


def test_aprobados_have_both_vistos_on_the_latest_version_and_no_open_comments(session):
    approved = [d for d in _documents(session) if d.status in SIGNED]
    assert len(approved) >= 4
    for document in approved:
        vistos = workflow.current_vistos(session, document)
        assert set(vistos) == {"legal", "area"}, document.title
        assert all(v.version_number == document.latest_version for v in vistos.values())
        assert workflow.open_comment_count(session, document) == 0
        assert document.assignee is not None and document.assignee.has_role("signer")


def test_issued_norms_are_numbered_signed_and_some_published(session, demo_settings):
    from docsys import issuing
    from docsys.signing import VALID, verify_pdf
    from docsys.verification import revocation, trust_roots
    issued = [d for d in _documents(session) if d.status in ("emitido", "publicado")]
    assert len(issued) >= 3 and any(d.status == "publicado" for d in issued)
    roots = trust_roots(demo_settings)
    for document in issued:
        issuance = issuing.get_issuance(session, document)
        assert document.official_number == issuance.official_number
        report = verify_pdf(issuing.signed_pdf(demo_settings, issuance), roots,
                            **revocation(demo_settings))
        assert report.verdict == VALID and len(report.signatures) == 3, report.summary


def test_review_states_carry_assignees_comments_and_reasons(session):
    documents = _documents(session)
    legal = session.scalar(select(User).where(User.username == "asesor.legal"))
    in_review = [d for d in documents if d.status == "en_revision"]
    assert in_review and all(d.assignee_id == legal.id for d in in_review)
    # Open comments anchored to an item, one of them with a reply.
    with_open = [d for d in in_review if workflow.open_comment_count(session, d)]
    assert with_open
    threads = [t for d in with_open for t in workflow.comment_threads(session, d)]
    assert all(t["comment"].item_id and t["current_position"] for t in threads)
    assert {t["comment"].section_key for t in threads} & {"considerando", "resuelve",
                                                          "articulado"}
    assert any(t["replies"] for t in threads)
    observed = [d for d in documents if d.status == "observado"]
    assert observed
    for document in observed:
        last = workflow.history(session, document)[-1]
        assert last.action == "observar" and len(last.reason) > 40
        assert document.assignee_id == document.created_by_id
    # An approved document went through an observation round, and a visto given before a
    # later version no longer counts.
    assert any(any(t.action == "observar" for t in workflow.history(session, d))
               for d in documents if d.status in SIGNED)
    stale = session.scalars(select(VistoBueno)).all()
    assert any(v.version_number < session.get(Document, v.document_id).latest_version
               for v in stale)


def test_audit_chain_verifies(session):
    report = audit.verify_chain(session)
    assert report.ok, report.message
    assert report.checked > 50


def test_second_call_creates_nothing(demo_db, demo_settings):
    factory, first, _ = demo_db
    with transaction(factory) as session:
        before = _totals(session)
        audit_before = audit.verify_chain(session).checked
    with transaction(factory) as session:
        second = load_demo(session, demo_settings)
    assert second["created"] == {"oficinas": 0, "usuarios": 0, "documentos": 0}
    assert second["counts"] == first["counts"]
    with transaction(factory) as session:
        assert _totals(session) == before
        assert audit.verify_chain(session).checked == audit_before


def test_content_entries_are_unique():
    assert len({spec["key"] for spec in DOCUMENTS}) == len(DOCUMENTS)
    assert len({spec["username"] for spec in USERS}) == len(USERS)
    assert len({(spec["template"], spec["fields"]["sumilla"]) for spec in DOCUMENTS}) \
        == len(DOCUMENTS)


def test_cli_demo_command_prints_counts_and_logins(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path,
                        DEMO_PASSWORD="clave-de-demo-1")
    register_demo(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["docsys", "demo"])
    assert result.exit_code == 0, result.output
    assert "Datos de demostración cargados." in result.output
    assert f"documentos: {len(DOCUMENTS)}" in result.output
    assert "asesor.legal" in result.output and "clave-de-demo-1" in result.output
    again = runner.invoke(args=["docsys", "demo"])
    assert again.exit_code == 0 and f"documentos: {len(DOCUMENTS)}" in again.output
    app.extensions["docsys.engine"].dispose()


def test_cli_demo_command_outside_the_demo_mode_says_how_to_run_it(tmp_path):
    """Without DOCSYS_DEMO_PKI=1 the demo's certificates are not trusted: the command says
    so before storing anything, instead of failing on the first signature."""
    app = make_test_app(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path, DEMO_PKI=False)
    register_demo(app)
    result = app.test_cli_runner().invoke(args=["docsys", "demo"])
    assert result.exit_code == 1
    assert "DOCSYS_DEMO_PKI=1" in result.output and "Traceback" not in result.output
    from sqlalchemy import inspect
    assert "documents" not in inspect(app.extensions["docsys.engine"]).get_table_names()
    app.extensions["docsys.engine"].dispose()
