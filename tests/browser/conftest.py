"""Browser tests: the real app served by werkzeug in a thread, driven by Debian's chromium.

One server and one browser per module (fast); every test gets fresh browser contexts
(separate cookies, like separate people) and creates its own documents.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "clave-segura-1"
TEMPLATE_KEY = "resolucion-gerencia-municipal"
OFFICES = {
    "GM": "Gerencia Municipal",
    "GAJ": "Gerencia de Asesoría Jurídica",
    "GDUR": "Gerencia de Desarrollo Urbano y Rural",
    "SG": "Secretaría General",
}
# username -> (full name, roles, office)
USERS = {
    "redactora": ("Rosa Quispe Huamán", ["drafter"], "GM"),
    "redactor2": ("Luis Condori Mamani", ["drafter"], "GM"),
    "asesora": ("Ana Lucía Torres Vargas", ["legal"], "GAJ"),
    "gerente": ("Jorge Mendoza Salas", ["signer"], "GM"),
    "redactor_gdur": ("Carmen Rojas Ccori", ["drafter"], "GDUR"),
    "archivera": ("Ana Torres Paredes", ["archivist"], "SG"),
}
# Signers who hold a TOTP secret from the start (others enroll on first login).
ENROLLED = {"gerente"}
SCREENSHOT_DIR = os.environ.get("DOCSYS_SCREENSHOT_DIR")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The whole application on 127.0.0.1:<free port>, over a fresh SQLite database."""
    from werkzeug.serving import make_server

    from docsys import accounts, create_app, migrate, totp
    from tests.conftest import TOTP_SECRET
    from docsys.drafting.service import load_template_files

    tmp = tmp_path_factory.mktemp("browser")
    app = create_app({"DATABASE_URL": "sqlite:///" + str(tmp / "t.db"), "SECRET_KEY": "test",
                      "INSTANCE_DIR": str(tmp), "SEARCH_DIR": str(tmp / "search"),
                      "BLOB_DIR": str(tmp / "blobs"), "AUTOSAVE_SECONDS": 2,
                      "PKI_DIR": str(tmp / "pki"), "KEYSTORE_KEY": "clave-maestra-de-pruebas-0123456789"})
    with app.app_context():
        migrate.upgrade(app.extensions["docsys.engine"])
        session = app.extensions["docsys.sessions"]()
        try:
            for code, name in OFFICES.items():
                accounts.ensure_office(session, code, name)
            for username, (full_name, roles, office) in USERS.items():
                user = accounts.create_user(session, username, PASSWORD, full_name, roles,
                                            office_code=office)
                if username in ENROLLED:  # as if enrolled already (tests.conftest.TOTP_SECRET)
                    totp.set_secret(app.config, user, TOTP_SECRET)
            load_template_files(session, app.config["DOCUMENT_TEMPLATES_DIR"])
            session.commit()
        finally:
            session.close()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="docsys-live-server", daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        _APPS[url] = app
        yield SimpleNamespace(url=url, app=app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        app.extensions["docsys.engine"].dispose()


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} no está instalado (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def autosave(live_server):
    """``autosave(seconds)`` sets the editor's autosave interval for pages opened afterwards.

    The server starts with 2 s; tests that do not exercise autosave get a long interval so
    that an autosave cannot slip in between their own saves."""
    config = live_server.app.config
    previous = config["AUTOSAVE_SECONDS"]
    config["AUTOSAVE_SECONDS"] = 600

    def set_interval(seconds: int) -> None:
        config["AUTOSAVE_SECONDS"] = seconds

    yield set_interval
    config["AUTOSAVE_SECONDS"] = previous


# Reports every Content-Security-Policy violation of a page to the test (init scripts
# are the browser's own, not subject to the page's policy).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__docsysCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
                              + ` at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
});
"""


@pytest.fixture
def new_page(chromium, live_server, autosave):
    """Factory: ``new_page('redactora')`` is a logged-in page in its own browser context.

    Every page of every browser test runs under docsys's Content-Security-Policy: a
    violation (the page's securitypolicyviolation event) fails the test that caused it;
    ``page.csp_violations`` lists them as they happen."""
    contexts = []
    violations: list[str] = []

    def make(username=None, width=1440, height=900):
        context = chromium.new_context(base_url=live_server.url, accept_downloads=True,
                                       locale="es-PE", timezone_id="America/Lima",
                                       viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        context.expose_function("__docsysCspViolation", lambda text: violations.append(text))
        context.add_init_script(_CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        page.csp_violations = violations
        if username:
            login(page, username)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"


_APPS: dict[str, object] = {}   # live server address -> its app (for the second factor)


def login(page, username, password=PASSWORD):
    """Log in as a person would; a signer or administrator then types a code from their
    authenticator app (enrolling through the QR page the first time)."""
    from tests import second_factor

    page.goto("/ingresar")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(lambda url: url.endswith("/") or "/ingresar/" in url)
    if "/ingresar/" in page.url:
        app = _APPS[page.url.split("/ingresar/")[0]]
        if page.url.endswith("/ingresar/segundo-factor"):
            second_factor.remember(app, username, page.locator("#totp-secret").inner_text())
        page.get_by_label("Código").fill(second_factor.fresh_code(app, username))
        page.get_by_role("button", name=re.compile("Verificar|Confirmar")).click()
        page.wait_for_url("**/")


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: a picture for a human to look at, written only when
    DOCSYS_SCREENSHOT_DIR is set (e.g. DOCSYS_SCREENSHOT_DIR=/tmp/docsys-shots)."""
    def take(page, name: str) -> None:
        if SCREENSHOT_DIR:
            Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"))
    return take


@pytest.fixture(scope="module")
def nearly_finished_template(live_server, tmp_path_factory):
    """The RGM template with every prompt filled except the first article's ("APROBAR
    [indique …]"): a draft the author finishes by writing that one article (approval
    refuses prompts). Loaded once per live server; returns its key."""
    import re

    from docsys.config import PROJECT_ROOT
    from docsys.drafting import service
    key = TEMPLATE_KEY + "-casi-completa"
    source = (PROJECT_ROOT / "templates" / "documents" / f"{TEMPLATE_KEY}.yaml").read_text(
        encoding="utf-8")
    lines = []
    for line in source.splitlines():
        if line.startswith("key:"):
            line = f"key: {key}"
        elif "APROBAR [" not in line:
            line = re.sub(r"\[[^\]\n]{3,200}\]", "lo que consta en el expediente", line)
        lines.append(line)
    directory = tmp_path_factory.mktemp("plantillas")
    (directory / f"{key}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    session = live_server.app.extensions["docsys.sessions"]()
    try:
        service.load_template_files(session, directory)
        session.commit()
    finally:
        session.close()
    return key


@pytest.fixture
def demo_certificates(live_server):
    """Demo certificates for the legal adviser and the Gerente, stored under the demo clave
    de firma (docsys.signing.demo_setup.DEMO_SIGNING_SECRET), which they type to sign."""
    from docsys.signing.demo_setup import setup_demo_pki
    session = live_server.app.extensions["docsys.sessions"]()
    try:
        setup_demo_pki(session, live_server.app.config, usernames=["asesora", "gerente"])
        session.commit()
    finally:
        session.close()


@pytest.fixture
def make_draft(live_server):
    """Factory: create a draft (version 1) through the domain service, as ``username``."""
    from sqlalchemy import select

    from docsys.drafting import service
    from docsys.models import User

    def make(username="redactora", sumilla="Aprobar el expediente técnico del proyecto de agua potable",
             template=TEMPLATE_KEY):
        session = live_server.app.extensions["docsys.sessions"]()
        try:
            user = session.scalar(select(User).where(User.username == username))
            document = service.create_document(session, template, {
                "sumilla": sumilla, "expediente": "2026-004512",
                "informes": "el Informe N° 045-2026-GIP-MDM",
                "resolucion_delegacion": "Resolución de Alcaldía N° 002-2026-A-MDM",
                "firmante_nombre": "Ing. Jorge Mendoza Salas",
            }, user)
            session.commit()
            return document.id
        finally:
            session.close()

    return make


@pytest.fixture
def db_versions(live_server):
    """Read a document's versions straight from the database: [(number, note, autosave, content)]."""
    from sqlalchemy import select

    from docsys.models import DocumentVersion

    def read(document_id):
        session = live_server.app.extensions["docsys.sessions"]()
        try:
            rows = session.scalars(select(DocumentVersion)
                                   .where(DocumentVersion.document_id == document_id)
                                   .order_by(DocumentVersion.number))
            return [SimpleNamespace(number=v.number, note=v.note, autosave=v.autosave,
                                    content=v.content) for v in rows]
        finally:
            session.close()

    return read
