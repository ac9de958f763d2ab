"""The archive search in a real browser: reached from the main navigation, a query with a
filter, facets with their counts, a facet clicked, highlighted snippets, the next page, and
a norm found by its number opened at the exact version the index holds."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

pytestmark = pytest.mark.browser

TOPIC = "riego tecnificado en Kepashiato"
VIGENTES = 23       # published, in force: two pages of 20
DEROGADAS = 2       # published, repealed
DRAFTS = 2          # unpublished drafts of the same office
AMENDED_ARTICLE = "AMPLIAR el canal de regadío de Kiteni hasta el anexo Shivankoreni."


@pytest.fixture
def archive(live_server, make_draft):
    """Norms about the same topic in several states, and one norm with two versions."""
    from docsys import events, versions
    from docsys.models import Document, User

    ids = {"vigente": [], "derogada": [], "borrador": []}
    for n in range(VIGENTES + DEROGADAS + DRAFTS):
        status = ("vigente" if n < VIGENTES else
                  "derogada" if n < VIGENTES + DEROGADAS else "borrador")
        ids[status].append(make_draft(sumilla=f"Aprobar el proyecto {n + 1} de {TOPIC}"))
    amended = make_draft(sumilla="Aprobar la ampliación del canal de regadío de Kiteni")
    session = live_server.app.extensions["docsys.sessions"]()
    try:
        day = date(2025, 1, 6)
        for status in ("vigente", "derogada"):
            for n, doc_id in enumerate(ids[status]):
                doc = session.get(Document, doc_id)
                doc.status = "publicado"
                doc.official_number = (f"RESOLUCIÓN DE GERENCIA MUNICIPAL N° "
                                       f"{doc_id:04d}-2025-GM-MDM")
                doc.issue_date = (day + timedelta(days=doc_id)).isoformat()
                doc.legal_status = status
                events.record(session, "publish", None, doc_id)  # as issuing would: re-index
        # A second version, then issued and published: the search shows version 2.
        author = session.scalar(select(User).where(User.username == "redactora"))
        doc = session.get(Document, amended)
        content = versions.latest_version(session, doc).content
        articles = next(s for s in content["sections"] if s["kind"] == "articles")
        articles["items"][0]["text"] = AMENDED_ARTICLE
        versions.save_version(session, doc, content, 1, author, note="Amplía el alcance")
        doc.status = "publicado"
        doc.official_number = "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0090-2025-GM-MDM"
        doc.issue_date = "2025-06-30"
        doc.legal_status = "vigente"
        events.record(session, "publish", None, doc.id)
        session.commit()
    finally:
        session.close()
    return ids, amended


def facet(page, name, label):
    return page.locator(f"section.facet[data-facet='{name}'] li", has_text=label)


def test_search_with_filter_facets_snippets_pages_and_exact_version(new_page, archive, screenshot):
    ids, amended = archive
    page = new_page("asesora")

    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Buscar").click()
    expect(page.get_by_role("heading", name="Buscar en el archivo normativo")).to_be_visible()

    box = page.get_by_role("searchbox")
    assert box.bounding_box()["width"] > 400  # the box, not the sort menu, takes the row
    box.fill("riego Kepashiato tipo:RGM")
    page.get_by_role("button", name="Buscar").click()
    total = VIGENTES + DEROGADAS + DRAFTS
    expect(page.locator("p.total")).to_contain_text(f"{total} resultados")
    expect(page.locator("p.total")).to_contain_text("página 1 de 2")

    # Facets beside the results, with the counts of this query.
    expect(facet(page, "status", "Vigente").locator(".count")).to_have_text(str(VIGENTES))
    expect(facet(page, "status", "Derogada").locator(".count")).to_have_text(str(DEROGADAS))
    expect(facet(page, "status", "Borrador").locator(".count")).to_have_text(str(DRAFTS))
    expect(facet(page, "doc_type", "RGM").locator(".count")).to_have_text(str(total))
    expect(facet(page, "year", "2025").locator(".count")).to_have_text(str(VIGENTES + DEROGADAS))
    screenshot(page, "search-1-results")

    facet(page, "status", "Vigente").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"estado%3Avigente|estado:vigente"))
    expect(page.get_by_role("searchbox")).to_have_value("riego Kepashiato tipo:RGM estado:vigente")
    expect(page.locator("p.total")).to_contain_text(f"{VIGENTES} resultados · página 1 de 2")
    expect(facet(page, "status", "Vigente").locator(".count")).to_have_text(str(VIGENTES))
    expect(page.locator("section.facet[data-facet='status'] li")).to_have_count(1)

    hits = page.locator("li.hit")
    expect(hits).to_have_count(20)
    for i in range(3):
        marks = hits.nth(i).locator(".snippet mark, .hit-sumilla mark")
        expect(marks.first).to_be_visible()
        assert {m.lower() for m in marks.all_inner_texts()} <= {"riego", "kepashiato"}
    expect(hits.locator(".status", has_text="Derogada")).to_have_count(0)
    first_page = set(hits.locator("a.hit-title").all_inner_texts())

    page.get_by_role("link", name="Siguiente »").click()
    expect(page.locator("p.total")).to_contain_text("página 2 de 2")
    expect(hits).to_have_count(VIGENTES - 20)
    assert not first_page & set(hits.locator("a.hit-title").all_inner_texts())
    page.get_by_role("link", name="« Anterior").click()
    expect(page.locator("p.total")).to_contain_text("página 1 de 2")
    screenshot(page, "search-2-facet")

    # The filters in force are shown, and each can be taken away again.
    page.get_by_role("link", name="Quitar el filtro estado:vigente").click()
    expect(page.get_by_role("searchbox")).to_have_value("riego Kepashiato tipo:RGM")
    expect(page.locator("p.total")).to_contain_text(f"{total} resultados")

    # A norm by its number, first, opened at the version the index holds (version 2).
    page.get_by_role("searchbox").fill("RGM 90-2025")
    page.get_by_role("button", name="Buscar").click()
    first = hits.first
    expect(first.locator("a.hit-title")).to_have_text(
        "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0090-2025-GM-MDM")
    expect(first.locator(".hit-meta")).to_contain_text("versión 2")
    first.locator("a.hit-title").click()
    expect(page).to_have_url(re.compile(rf"/documentos/{amended}/versiones/2$"))
    expect(page.get_by_role("heading", name="Versión 2 (actual)")).to_be_visible()
    expect(page.locator(".paper")).to_contain_text(AMENDED_ARTICLE)
    assert page.js_errors == []


def test_a_drafter_finds_no_draft_of_another_office(new_page, make_draft):
    make_draft(sumilla="Proyecto confidencial de saneamiento de Timpía")
    page = new_page("redactor_gdur")
    page.goto("/buscar?q=saneamiento+Timpía")
    expect(page.locator("p.total")).to_contain_text("0 resultados")
    expect(page.locator("li.empty")).to_be_visible()
    colleague = new_page("redactor2")       # same office (GM) as the author
    colleague.goto("/buscar?q=saneamiento+Timpia")
    expect(colleague.locator("p.total")).to_contain_text("1 resultado")
    expect(colleague.locator("li.hit .hit-title")).to_contain_text("saneamiento de Timpía")
