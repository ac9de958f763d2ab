"""Where an imported text was taken from (docsys.archive.provenance): the front matter's
``source`` and ``identifier`` are kept with the archived norm, shown by the source's name
on the archive's page, the portal and the API, name the notes read from the text, and are
read from the originals of norms imported before docsys kept them (`flask docsys init`)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from docsys.archive.frontmatter import read_structured
from docsys.archive.provenance import FILLED_MARKER
from docsys.archive.service import ImportSettings, finish_batch, import_bytes, start_batch
from docsys.compliance.report import check_text
from docsys.db import transaction
from docsys.models import ArchivedNorm, SystemMarker
from search import Visibility
from tests.conftest import get_user
from tests.web.test_api import api  # noqa: F401  (the API client fixture)

SPIJ = "https://spij.minjus.gob.pe/spij-ext-web/#/detallenorma/H682684"


def _norm_file(source: str, identifier: str = "LEY-27444-2001", note: str = "") -> bytes:
    return (f"---\ntitle: Ley del Procedimiento Administrativo General\nidentifier: "
            f"{identifier}\ncountry: pe\nrank: ley\npublication_date: '2001-04-11'\n"
            f"source: '{source}'\nofficial_journal: El Peruano\n---\n\n# LEY N° 27444\n\n"
            "Artículo 1.- Concepto de acto administrativo\nSon actos administrativos las "
            "declaraciones de las entidades.\n" + note).encode()


def _import(app, data: bytes, name: str = "LEY-27444-2001.md") -> int:
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        actor = get_user(session, "archivo").id
    batch = start_batch(factory, actor, "pruebas", "Prueba")
    outcome = import_bytes(factory, ImportSettings.from_config(app.config), batch, actor,
                           data, name)
    finish_batch(factory, batch)
    assert outcome.status == "imported", outcome
    return outcome.document_id


def test_the_front_matter_s_source_is_read_only_when_a_browser_may_open_it():
    meta = read_structured(_norm_file(SPIJ).decode()).metadata
    assert (meta.source_url, meta.source_identifier) == (SPIJ, "LEY-27444-2001")
    for unsafe in ("javascript:alert(1)", "file:///etc/passwd", "spij.minjus.gob.pe/x", "",
                   "http://", "https://[::1"):
        assert read_structured(_norm_file(unsafe).decode()).metadata.source_url is None


def test_an_imported_norm_shows_its_source_on_its_pages_and_in_the_api(app, browser, api):
    note = ("\n(\\*) Artículo modificado por el [Decreto Legislativo N° 1272]"
            "(/spij-ext-web/detallenorma/H1), publicado el 21 diciembre 2016\n")
    document_id = _import(app, _norm_file(SPIJ, note=note))
    with transaction(app.extensions["docsys.sessions"]) as session:
        norm = session.scalar(select(ArchivedNorm).where(ArchivedNorm.document_id == document_id))
        assert (norm.source_url, norm.source_identifier) == (SPIJ, "LEY-27444-2001")
    b = browser("asesor")
    page = b.get(f"/archivo/normas/{document_id}").get_data(as_text=True)
    shown = re.search(r'<dd id="text-source">(.*?)</dd>', page, re.DOTALL)
    assert shown is not None
    assert (f'<a href="{SPIJ}" rel="noopener noreferrer external" title="Sistema Peruano de '
            'Información Jurídica (MINJUSDH)">SPIJ</a>') in shown[1]
    assert "<code>LEY-27444-2001</code>" in shown[1]
    # a law is given by the Congreso: its office is only the one that filed it
    assert '<dt>Emitida por</dt><dd id="issuer">Congreso de la República</dd>' in page
    assert "<dt>Archivada por</dt><dd>SG · " in page and "<dt>Oficina</dt>" not in page
    hits = b.get("/buscar", query_string={"q": "ley 27444"}).get_data(as_text=True)
    assert '<div class="hit-meta">11/04/2001 · Congreso de la República · versión 1</div>' in hits
    assert '" title="Ley">LEY</a>' in hits   # the type facet names the type
    links = b.get(f"/normas/{document_id}/relaciones").get_data(as_text=True)
    assert "Según las notas del texto importado de SPIJ</h3>" in links
    portal = app.test_client().get("/normas/ley/2001/27444").get_data(as_text=True)
    assert 'id="text-source">Fuente del texto: <a href="' + SPIJ in portal
    assert "según las notas de su texto (SPIJ)" in portal
    assert '<dt>Emitida por</dt><dd id="issuer">Congreso de la República</dd>' in portal
    assert "<dt>Oficina</dt>" not in portal
    with transaction(app.extensions["docsys.sessions"]) as session:   # a draft citing it
        report = check_text(session, "Que, conforme a la Ley N° 27444, se resuelve;",
                            visibility=Visibility.everything())
    assert [w.message for w in report.warnings if w.kind == "modified"] == [
        "La Ley N° 27444 fue modificada: el Decreto Legislativo N° 1272 modificó parte de ella "
        "(Artículo 1), desde el 21 de diciembre de 2016 (según las notas del texto importado de "
        "SPIJ)."]
    body = api("GET", f"/compliance/norms/{document_id}").get_json()
    assert body["source"] == {"name": "SPIJ",
                              "full_name": "Sistema Peruano de Información Jurídica (MINJUSDH)",
                              "url": SPIJ, "identifier": "LEY-27444-2001"}


def test_an_unknown_source_is_named_by_its_host_and_a_file_without_one_shows_none(app, browser):
    platform = _import(app, _norm_file("https://cdn.www.gob.pe/uploads/ley.pdf?a=1&b=2"))
    page = browser("asesor").get(f"/archivo/normas/{platform}").get_data(as_text=True)
    assert ('<a href="https://cdn.www.gob.pe/uploads/ley.pdf?a=1&amp;b=2" rel="noopener '
            'noreferrer external" title="Plataforma digital única del Estado peruano">gob.pe</a>'
            ) in page
    ministry = _import(app, _norm_file("https://www.minam.gob.pe/n/1", "LEY-27972-2003")
                       .replace(b"27444", b"27972"), "LEY-27972-2003.md")
    page = browser("asesor").get(f"/archivo/normas/{ministry}").get_data(as_text=True)
    assert ('title="www.minam.gob.pe">www.minam.gob.pe</a> · identificador '
            '<code>LEY-27972-2003</code>') in page
    plain = _import(app, b"LEY N\xc2\xb0 27972\nLey Org\xc3\xa1nica de Municipalidades\n",
                    "ley.txt")
    page = browser("asesor").get(f"/archivo/normas/{plain}").get_data(as_text=True)
    assert 'id="text-source"' not in page and "Fuente del texto" not in page
    assert _links_source(app, plain) is None


def _links_source(app, document_id):
    from docsys.compliance.norms import norm_links
    from docsys.models import Document
    with transaction(app.extensions["docsys.sessions"]) as session:
        return norm_links(session, session.get(Document, document_id)).source


@pytest.mark.parametrize("database", ["app", "pg_app"])
def test_init_reads_the_source_of_norms_imported_before_it_was_kept(database, request):
    """An archive imported by an earlier version (migration 0024 leaves the columns empty)
    gains its sources from the originals, once (SQLite and PostgreSQL)."""
    app = request.getfixturevalue(database)
    document_id = _import(app, _norm_file(SPIJ))
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        norm = session.scalar(select(ArchivedNorm).where(ArchivedNorm.document_id == document_id))
        norm.source_url = norm.source_identifier = None
        session.execute(delete(SystemMarker).where(SystemMarker.name == FILLED_MARKER))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["docsys", "init"])
    assert first.exit_code == 0, first.output
    assert "Fuente del texto leída de su archivo original: 1 norma importada antes" in first.output
    with transaction(factory) as session:
        norm = session.scalar(select(ArchivedNorm).where(ArchivedNorm.document_id == document_id))
        assert (norm.source_url, norm.source_identifier) == (SPIJ, "LEY-27444-2001")
        norm.source_url = None      # read once per installation, not at every init
    again = runner.invoke(args=["docsys", "init"])
    assert again.exit_code == 0 and "Fuente del texto" not in again.output
    with transaction(factory) as session:
        assert session.scalar(select(ArchivedNorm.source_url).where(
            ArchivedNorm.document_id == document_id)) is None
