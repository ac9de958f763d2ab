"""Every link a page shows opens: each demo user (and an anonymous citizen) walks the
site from its start pages, following the links the pages show, and no link answers an
error — no 404 for a link docsys itself printed, no 403 for one it offered, no 500.

Issue 11's «every hit opens», for the whole site: a page that links to something its
reader may not open, or to an address no route answers, is caught here. Pages of one
shape ("/documentos/N/historial") are opened a few times each, not for every document."""
from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from demo.archive import import_demo_archive
from demo.loader import DEFAULT_PASSWORD, load_demo
from docsys import migrate
from docsys.archive.service import ImportSettings, finish_batch, import_bytes, start_batch
from docsys.db import make_engine, transaction
from docsys.models import User
from tests.conftest import Browser, make_test_app

USERS = ["redactor.gm", "asesor.legal", "gerente.municipal", "alcalde", "archivo.sg", "admin"]
# The searches first: their hits (an imported Constitution first) take the first turns of
# their shapes, so an archived norm's pages are among those opened.
START = ["/buscar?q=constitución", "/normas?q=constitución", "/buscar?q=ordenanza",
         "/normas?q=ordenanza", "/", "/normas", "/verificar"]
NOT_FOLLOWED = ("/salir", "/static/")   # leaving, and files the pages only load
PER_SHAPE = 2
MAX_PAGES = 300
ORIGIN = "http://localhost"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    base = tmp_path_factory.mktemp("links")
    url = f"sqlite:///{base / 'demo.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = make_test_app(url, base)
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        load_demo(session, app.config)
    assert import_demo_archive(factory, app.config)["imported"] > 0
    _import_the_constitution(factory, app.config)
    yield app
    app.extensions["docsys.engine"].dispose()


def _import_the_constitution(factory, config) -> None:
    """A national norm of a type given without a number, as the open data has it: its
    links (archive page, portal address, original) are of their own kind."""
    data = ("---\ntitle: Constitución Política del Perú\nidentifier: CON-1993\ncountry: pe\n"
            "rank: constitucion\npublication_date: '1993-12-30'\n---\n\n"
            "# CONSTITUCIÓN POLÍTICA DEL PERÚ\n\n**Artículo 194.-** Las municipalidades "
            "provinciales y distritales son los órganos de gobierno local.\n").encode("utf-8")
    with factory() as session:
        archivist = session.scalar(select(User.id).where(User.username == "archivo.sg"))
    batch = start_batch(factory, archivist, "pruebas", "Constitución")
    outcome = import_bytes(factory, ImportSettings.from_config(config), batch, archivist,
                           data, "CON-1993.md")
    finish_batch(factory, batch)
    assert outcome.status == "imported", outcome.reason


def _links(html: str, page: str) -> list[str]:
    """The same-site addresses ``page``'s links lead to (path and query)."""
    out = []
    for href in re.findall(r'href="([^"#]+)"', html):
        parts = urlsplit(urljoin(ORIGIN + page, href.replace("&amp;", "&")))
        if parts.netloc == "localhost" and not parts.path.startswith(NOT_FOLLOWED):
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _walk(browser: Browser) -> tuple[int, list[tuple[str, str, int]]]:
    """Pages opened, and every (page, link, status) that answered an error."""
    queue = deque((None, page) for page in START)
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    opened, failures = 0, []
    while queue and opened < MAX_PAGES:
        source, page = queue.popleft()
        if page in seen:
            continue
        seen.add(page)
        shape = re.sub(r"\d+", "N", urlsplit(page).path)
        if shapes.get(shape, 0) >= PER_SHAPE:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = browser.get(page)
        opened += 1
        if response.status_code >= 400:
            failures.append((source or "(inicio)", page, response.status_code))
        elif response.status_code in (301, 302, 303, 307, 308):  # where it leads opens too
            queue.extendleft((source, target) for target in
                             _links(f'href="{response.location}"', page))
        elif response.status_code == 200 and response.mimetype == "text/html":
            queue.extend((page, link) for link in _links(response.get_data(as_text=True), page))
    return opened, failures


@pytest.mark.parametrize("username", [*USERS, None])
def test_every_link_a_page_shows_opens(demo_app, username):
    browser = Browser(demo_app.test_client(), demo_app)
    if username:
        assert browser.login(username, DEFAULT_PASSWORD).status_code == 302
    opened, failures = _walk(browser)
    assert opened >= (30 if username else 10), f"only {opened} pages reached"
    assert not failures, failures
