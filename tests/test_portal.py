"""The public portal's norm pages: confirmed relations and citations shown to the public
(linking only published norms), and norms imported into the archive with their original."""
from __future__ import annotations

from sqlalchemy import select

from demo import specimens
from docsys.archive.service import ImportSettings, finish_batch, import_bytes, start_batch
from docsys.compliance.norms import confirm_relation
from docsys.db import transaction
from docsys.models import NormRelation
from tests.compliance.support import CUIS, REPEALER, add_norm
from tests.conftest import Browser, get_user


def _archive(app, *norms: dict) -> list[int]:
    """Store norms in the archive as the import stores them (``store_archive_norm``'s
    fields; ``office`` a code, the Secretaría General's by default); their ids."""
    from demo.compliance import store_archive_norm
    from docsys.models import Office
    with transaction(app.extensions["docsys.sessions"]) as session:
        author = get_user(session, "archivo")
        return [store_archive_norm(
            session, office=session.scalar(select(Office).where(
                Office.code == fields.pop("office", "SG"))), author=author, **fields).id
            for fields in (dict(n) for n in norms)]


def _found_and_opened(client, query: str, href: str) -> tuple[str, str]:
    """The portal's search for ``query`` links a hit to ``href``, which opens: the hit's
    link text and the page."""
    found = client.get("/normas", query_string={"q": query}).get_data(as_text=True)
    start = f'class="hit-title" href="{href}">'
    assert start in found
    page = client.get(href)
    assert page.status_code == 200
    return found.split(start, 1)[1].split("</a>", 1)[0], page.get_data(as_text=True)


def test_a_repealed_norm_says_so_and_links_the_norm_that_repealed_it(app):
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        cuis = add_norm(session, CUIS)
        repealer = add_norm(session, REPEALER)
        relation = session.scalar(select(NormRelation))
    client = app.test_client()
    # While the relation is only proposed, the public sees nothing of it.
    page = client.get("/normas/om/2021/8").get_data(as_text=True)
    assert "Vigente" in page and "Ninguna norma publicada la modifica" in page
    with transaction(factory) as session:
        confirm_relation(session, session.get(NormRelation, relation.id),
                         get_user(session, "archivo"))
    page = client.get("/normas/om/2021/8").get_data(as_text=True)
    assert 'id="legal-status">Derogada' in page
    assert ('Derogada por <a href="/normas/om/2025/2">ORDENANZA MUNICIPAL N° 002-2025-MDM</a> '
            '<span class="muted">(desde el 14/02/2025)</span>') in page
    other = client.get("/normas/om/2025/2").get_data(as_text=True)
    assert 'Deroga <a href="/normas/om/2021/8">ORDENANZA MUNICIPAL N° 008-2021-MDM</a>' in other
    assert cuis.id != repealer.id


def test_a_norm_repealed_by_the_source_s_notes_says_by_which_norm(app):
    """A national norm's status from SPIJ's notes: the portal says which norm repealed it
    (linked when published here) and that SPIJ records it."""
    from docsys.compliance.norms import record_source_notes
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        cuis = add_norm(session, CUIS)
        record_source_notes(session, cuis, (
            "## ORDENANZA MUNICIPAL N° 008-2021-MDM (\\*)\n\n(\\*) DEROGADA por la [Ley N° "
            "32114](/spij-ext-web/detallenorma/H1), publicada el 03 setiembre 2024\n"))
    page = app.test_client().get("/normas/om/2021/8").get_data(as_text=True)
    assert 'id="legal-status">Derogada' in page
    assert ('Derogada por Ley N° 32114 <span class="muted">(desde el 03/09/2024, según las notas de su texto)'
            '</span>') in page
    assert "Ninguna norma publicada la modifica" not in page


def test_a_law_has_a_portal_page_at_the_year_it_was_given(app):
    """Laws and legislative decrees are numbered without a year ("LEY-27972"): the portal
    gives them the year they were given, and every search hit opens (issue 11, point 6)."""
    _archive(app, *(dict(doc_type=doc_type, number=number, date=date, sumilla=title,
                         paragraphs=[title, "Artículo 1.- Objeto."])
                    for doc_type, number, date, title in (
        ("LEY", "LEY N° 27972", "2003-05-27", "Ley Orgánica de Municipalidades"),
        ("DLEG", "DECRETO LEGISLATIVO N° 1440", "2018-09-16",
         "Decreto Legislativo del Sistema Nacional de Presupuesto Público"))))
    client = app.test_client()
    label, page = _found_and_opened(client, "municipalidades", "/normas/ley/2003/27972")
    assert label == "LEY N° 27972" and "Ley Orgánica de Municipalidades" in page
    assert client.get("/normas/dleg/2018/1440").status_code == 200
    assert client.get("/normas/ley/2004/27972").status_code == 404   # another year: none
    found = client.get("/normas?q=decreto+legislativo+1440").get_data(as_text=True)
    assert 'href="/normas/dleg/2018/1440"' in found and 'href="#"' not in found


def test_the_constitution_has_a_portal_page_by_its_type_s_slug_and_year(app):
    """A type given without a number has its address from the registry's portal slug and
    its year: the Constitution's search hit opens it (before, it was shown unlinked)."""
    _archive(app, dict(doc_type="CONST", number="Constitución Política del Perú",
                       date="1993-12-30", sumilla="Constitución Política del Perú",
                       paragraphs=["Artículo 1.- La defensa de la persona humana y el respeto "
                                   "de su dignidad son el fin supremo de la sociedad y del "
                                   "Estado."]))
    client = app.test_client()
    _, page = _found_and_opened(client, "dignidad persona humana", "/normas/constitucion/1993")
    assert "el fin supremo de la sociedad" in page
    assert 'href="http://localhost/normas/constitucion/1993"' in page
    missing = client.get("/normas/constitucion/1979")                     # no such year here
    assert missing.status_code == 404
    assert "No hay una norma publicada de ese tipo en ese año" in missing.get_data(as_text=True)
    assert client.get("/normas/leyes/1993").status_code == 404            # a numbered type


def test_an_imported_constitution_offers_its_original_at_its_address(app):
    """The open data's Constitution, imported: its page's download names the document, and
    the original opens at the unnumbered address (``/normas/constitucion/1993/original``)."""
    factory = app.extensions["docsys.sessions"]
    data = ("---\ntitle: Constitución Política del Perú\nidentifier: CON-1993\ncountry: pe\n"
            "rank: constitucion\npublication_date: '1993-12-30'\n---\n\n"
            "# CONSTITUCIÓN POLÍTICA DEL PERÚ\n\n**Artículo 1.-** La defensa de la persona "
            "humana y el respeto de su dignidad son el fin supremo de la sociedad y del "
            "Estado.\n").encode("utf-8")
    with transaction(factory) as session:
        actor_id = get_user(session, "archivo").id
    batch = start_batch(factory, actor_id, "pruebas", "Prueba")
    outcome = import_bytes(factory, ImportSettings.from_config(app.config), batch, actor_id,
                           data, "CON-1993.md")
    finish_batch(factory, batch)
    assert outcome.status == "imported", outcome.reason
    client = app.test_client()
    html = client.get("/normas/constitucion/1993").get_data(as_text=True)
    link = f"/normas/constitucion/1993/original?documento={outcome.document_id}"
    assert f'id="download-original" href="{link}"' in html
    original = client.get(link)
    assert original.status_code == 200 and original.data == data


def test_two_unnumbered_norms_of_one_year_each_open(app):
    """Texts of a type given without a number share their address within a year: the page
    lists them and each link opens its own (the office, which they share, could not)."""
    ids = _archive(app, *(dict(doc_type="TUO", number=f"Texto Único Ordenado de la {title}",
                               date=date, sumilla=f"TUO de la {title}",
                               paragraphs=[title, "Artículo 1.- Objeto."])
                          for date, title in (
        ("2019-01-25", "Ley del Procedimiento Administrativo General"),
        ("2019-03-12", "Ley de Contrataciones del Estado"))))
    client = app.test_client()
    listing = client.get("/normas/textos-unicos-ordenados/2019").get_data(as_text=True)
    assert "Varias normas del mismo tipo y año" in listing
    for document_id, title in zip(ids, ("Procedimiento Administrativo", "Contrataciones")):
        link = f"/normas/textos-unicos-ordenados/2019?documento={document_id}"
        assert f'href="{link}"' in listing
        page = client.get(link).get_data(as_text=True)
        assert "Varias normas" not in page and title in page
    assert client.get("/normas/textos-unicos-ordenados/2019?documento=999999").status_code == 404


def test_national_namesakes_of_two_sectors_each_open(app):
    """"D.S. 003-2001" of two sectors share an address: the page lists both, each link
    (and each search hit) opens its own norm (before, both pointed back to the list)."""
    _archive(app, *(dict(doc_type="DS", number=f"DECRETO SUPREMO N° 003-2001-{sector}",
                         date="2001-02-01", sumilla=title, paragraphs=[title])
                    for sector, title in (("PE", "Refinanciación de deudas pesqueras"),
                                          ("TR", "Comisión especial de regímenes previsionales"))))
    client = app.test_client()
    listing = client.get("/normas/ds/2001/3").get_data(as_text=True)
    assert '<a href="/normas/ds/2001/3?sector=PE">DECRETO SUPREMO N° 003-2001-PE</a>' in listing
    assert '<a href="/normas/ds/2001/3?sector=TR">DECRETO SUPREMO N° 003-2001-TR</a>' in listing
    for sector, title in (("PE", "Refinanciación"), ("TR", "Comisión especial")):
        page = client.get(f"/normas/ds/2001/3?sector={sector}").get_data(as_text=True)
        assert f'id="norm-number">DECRETO SUPREMO N° 003-2001-{sector}' in page and title in page
    assert client.get("/normas/ds/2001/3?sector=EF").status_code == 404
    found = client.get("/normas?q=refinanciaci%C3%B3n+deudas").get_data(as_text=True)
    assert 'class="hit-title" href="/normas/ds/2001/3?sector=PE"' in found


def test_two_gerencias_resolutions_of_one_number_each_open(app):
    """A Resolución de Gerencia number repeats across gerencias: the list links each by
    its office."""
    _archive(app, *(dict(doc_type="RG", date="2024-03-01", sumilla=title, paragraphs=[title],
                         number=f"RESOLUCIÓN DE GERENCIA N° 021-2024-{code}-MDM", office=code)
                    for code, title in (("GDUR", "Licencia de edificación"),
                                        ("GAJ", "Opinión legal"))))
    client = app.test_client()
    listing = client.get("/normas/rg/2024/21").get_data(as_text=True)
    for code, title in (("GDUR", "Licencia de edificación"), ("GAJ", "Opinión legal")):
        assert f'href="/normas/rg/2024/21?oficina={code}"' in listing
        page = client.get(f"/normas/rg/2024/21?oficina={code}").get_data(as_text=True)
        assert f"021-2024-{code}-MDM" in page and title in page


def test_unpublished_norms_are_never_linked_from_the_portal(app):
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        cuis = add_norm(session, CUIS)
        repealer = add_norm(session, REPEALER)
        repealer.status = "emitido"   # issued, not yet published
        session.flush()
        relation = session.scalar(select(NormRelation))
        confirm_relation(session, relation, get_user(session, "archivo"))
    page = app.test_client().get("/normas/om/2021/8").get_data(as_text=True)
    assert "002-2025" not in page
    assert app.test_client().get("/normas/om/2025/2").status_code == 404
    assert cuis.legal_status == "derogada"


def test_an_imported_norm_shows_its_text_and_offers_its_original(app):
    factory = app.extensions["docsys.sessions"]
    norm = specimens.specimens(1, seed=5, types=("RA",))[0]
    data = specimens.to_pdf(norm)
    with transaction(factory) as session:
        actor_id = get_user(session, "archivo").id
    settings = ImportSettings.from_config(app.config)
    batch = start_batch(factory, actor_id, "pruebas", "Prueba")
    outcome = import_bytes(factory, settings, batch, actor_id, data, "resolucion.pdf")
    finish_batch(factory, batch)
    assert outcome.status == "imported", outcome.reason
    client = app.test_client()
    address = f"/normas/ra/{norm.year}/{norm.number}"
    page = client.get(address)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and norm.heading in html
    assert "CONSIDERANDO" in html and "Descargar el original" in html
    original = client.get(address + "/original")
    assert original.status_code == 200 and original.data == data
    assert client.get("/normas/ra/1999/1/original").status_code == 404


def test_the_constitutions_are_norms_of_the_archive_that_citations_find(app):
    """Two Constitutions (1979 and 1993), imported for one office: each is filed under its
    type's code (CONST), with its name and year as its official number, neither is taken
    for a copy of the other nor sent to review for a number it cannot have, each has its
    portal address, and a citation of "la Constitución" finds the one in force."""
    from docsys.compliance.report import check_text
    from docsys.models import ArchivedNorm, Document
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        actor_id = get_user(session, "archivo").id
    settings = ImportSettings.from_config(app.config)
    batch = start_batch(factory, actor_id, "pruebas", "Prueba")
    outcomes = [import_bytes(factory, settings, batch, actor_id, (
        f"---\ntitle: Constitución Política del Perú\nidentifier: CON-{year}\ncountry: pe\n"
        f"rank: constitucion\npublication_date: '{year}-07-12'\n---\n\n"
        f"# CONSTITUCIÓN POLÍTICA DEL PERÚ\n\n**Artículo 1.-** {article}\n"
    ).encode("utf-8"), f"CON-{year}.md") for year, article in (
        (1979, "La persona humana es el fin supremo de la sociedad y del Estado."),
        (1993, "La defensa de la persona humana y el respeto de su dignidad son el fin "
               "supremo de la sociedad y del Estado."))]
    finish_batch(factory, batch)
    assert [o.status for o in outcomes] == ["imported", "imported"]
    with transaction(factory) as session:
        for outcome, year in zip(outcomes, (1979, 1993)):
            document = session.get(Document, outcome.document_id)
            assert (document.doc_type, document.number_key, document.official_number) == (
                "CONST", "CONST", f"Constitución Política del Perú de {year}")
            norm = session.scalar(select(ArchivedNorm).where(
                ArchivedNorm.document_id == document.id))
            assert not norm.needs_review, norm.guessed
            notes = norm.guessed.get("notes", [])
            assert not any("mismo número" in note for note in notes), notes
        report = check_text(session, "Que, el artículo 194 de la Constitución Política del "
                                     "Perú reconoce a las municipalidades autonomía política.")
        [cited] = report.citations
        assert cited.match is not None and cited.match.document_id == outcomes[1].document_id
        add_norm(session, ("ORDENANZA MUNICIPAL N° 004-2024-MDM", "2024-03-01",
                           "Aprueba el reglamento de organización y funciones",
                           ["Que, el artículo 194 de la Constitución Política del Perú "
                            "reconoce a las municipalidades autonomía política.",
                            "Artículo 1.- Aprobar el reglamento."]))
    client = app.test_client()
    for outcome, year in zip(outcomes, (1979, 1993)):
        page = client.get(f"/normas/constitucion/{year}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and f"Constitución Política del Perú de {year}" in html
        # the ordinance is stored as citing the Constitution in force when it was given,
        # whose page lists it; the one of 1979 does not
        assert ("004-2024-MDM" in html) == (year == 1993)
    archivist = Browser(app.test_client(), app)
    assert archivist.login("archivo").status_code == 302
    page = archivist.get(f"/archivo/normas/{outcomes[1].document_id}").get_data(as_text=True)
    assert "<dt>Número</dt><dd>No lleva número</dd>" in page
