"""The demo site as its users walk it: the demo (and two archived files) on a fresh
database, and a walk from the start pages along the links the
pages show, as tests/web/test_every_link_opens.py and test_every_form_takes_junk.py use
it. Pages of one shape ("/documentos/N/historial") are opened a few times each, not for
every document."""
from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

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


def demo_app(url: str, base: Path):
    """An application on ``url`` (a fresh database) holding the demo."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = make_test_app(url, base)
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        load_demo(session, app.config)
    _import_archive_files(factory, app.config)
    return app


def visitor(app, username: str | None) -> Browser:
    """A browser on ``app``: signed in as the demo's ``username``, or a citizen (None)."""
    browser = Browser(app.test_client(), app)
    if username:
        assert browser.login(username, DEFAULT_PASSWORD).status_code == 302
    return browser


def _import_archive_files(factory, config) -> None:
    """Two files into the archive, each with pages of its own kind: the open data's
    Constitution (a type given without a number: its archive page, its portal address
    and original), and an ordinance whose number cannot be read (the archivist's review
    queue and form). The demo's own archive (OCR of scans) would take ten seconds more."""
    constitution = (
        "---\ntitle: Constitución Política del Perú\nidentifier: CON-1993\ncountry: pe\n"
        "rank: constitucion\npublication_date: '1993-12-30'\n---\n\n"
        "# CONSTITUCIÓN POLÍTICA DEL PERÚ\n\n**Artículo 194.-** Las municipalidades "
        "provinciales y distritales son los órganos de gobierno local.\n").encode("utf-8")
    unnumbered = ("ORDENANZA MUNICIPAL\n\nEL CONCEJO MUNICIPAL DISTRITAL DE MEGANTONI\n\n"
                  "ORDENA:\n\nArtículo 1.- Aprobar el régimen de arbitrios municipales del "
                  "ejercicio.\n").encode("utf-8")
    with factory() as session:
        archivist = session.scalar(select(User.id).where(User.username == "archivo.sg"))
    batch = start_batch(factory, archivist, "pruebas", "Archivo de las pruebas")
    settings = ImportSettings.from_config(config)
    imported = import_bytes(factory, settings, batch, archivist, constitution, "CON-1993.md")
    to_review = import_bytes(factory, settings, batch, archivist, unnumbered, "ordenanza.txt")
    finish_batch(factory, batch)
    assert imported.status == "imported", imported.reason
    assert to_review.status == "imported" and to_review.needs_review, to_review.reason


def _links(html: str, page: str) -> list[str]:
    """The same-site addresses ``page``'s links lead to (path and query)."""
    out = []
    for href in re.findall(r'href="([^"#]+)"', html):
        parts = urlsplit(urljoin(ORIGIN + page, href.replace("&amp;", "&")))
        if parts.netloc == "localhost" and not parts.path.startswith(NOT_FOLLOWED):
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def walk(browser: Browser, pages: list | None = None) -> tuple[int, list[tuple[str, str, int]]]:
    """Pages opened, and every (page, link, status) that answered an error; ``pages``
    receives (address, HTML) of every page opened."""
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
            html = response.get_data(as_text=True)
            if pages is not None:
                pages.append((page, html))
            queue.extend((page, link) for link in _links(html, page))
    return opened, failures
