"""A norm cited by many (the Constitution by nearly every norm, a law by hundreds) lists
those that cite it a page at a time, newest first, on its archive page, on the portal and
in the API, with how many there are."""
from __future__ import annotations

import re

import pytest

from docsys.compliance.norms import CITED_BY_PAGE, norm_links
from docsys.db import transaction
from tests.compliance.support import ROF, add_norm
from tests.web.test_api import api  # noqa: F401  (the API client fixture)

CITING = CITED_BY_PAGE + 3


@pytest.fixture
def cited(app):
    """The ROF ordinance, and CITING decrees that cite it, one a day (ids)."""
    with transaction(app.extensions["docsys.sessions"]) as session:
        rof = add_norm(session, ROF)
        decrees = [add_norm(session, (
            f"DECRETO DE ALCALDÍA N° {n:03d}-2023-MDM", f"2023-{1 + n // 28:02d}-{1 + n % 28:02d}",
            f"Reglamenta el procedimiento {n}",
            ["EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI",
             f"Que, la Ordenanza Municipal N° 012-2019-MDM regula el procedimiento {n};",
             "DECRETA:", "Artículo 1.- Aprobar el procedimiento.",
             "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])).id for n in range(CITING)]
        return rof.id, decrees


def _listed(html: str) -> list[str]:
    listed = re.search(r'<ul id="cited-by">(.*?)</ul>', html, re.S)
    return re.findall(r"N° (\d{3})-2023-MDM", listed.group(1)) if listed else []


def test_the_norms_that_cite_one_come_a_page_at_a_time_newest_first(app, cited):
    rof_id, decrees = cited
    with transaction(app.extensions["docsys.sessions"]) as session:
        from docsys.models import Document
        rof = session.get(Document, rof_id)
        first = norm_links(session, rof).cited_by
        assert [n.document_id for n in first] == decrees[::-1][:CITED_BY_PAGE]
        assert (first.paging.total, first.paging.page, first.paging.pages) == (CITING, 1, 2)
        last = norm_links(session, rof, cited_by_page=2).cited_by
        assert [n.document_id for n in last] == decrees[::-1][CITED_BY_PAGE:]
        assert (last.paging.first, last.paging.last) == (CITED_BY_PAGE + 1, CITING)
        # past the last page: the last
        beyond = norm_links(session, rof, cited_by_page=999).cited_by
        assert [n.document_id for n in beyond] == [n.document_id for n in last]


def test_the_archive_page_and_the_portal_page_through_them(app, cited, browser):
    from docsys.models import Document
    from docsys.states import Status
    rof_id, decrees = cited
    with transaction(app.extensions["docsys.sessions"]) as session:
        session.get(Document, decrees[0]).status = Status.ISSUED    # issued, not published
    adviser = browser("asesor")
    citizen = app.test_client()
    for client, address, counted in ((adviser, f"/normas/{rof_id}/relaciones", CITING),
                                     (citizen, "/normas/om/2019/12", CITING - 1)):
        first = client.get(address).get_data(as_text=True)
        assert len(_listed(first)) == CITED_BY_PAGE
        assert _listed(first)[0] == f"{CITING - 1:03d}"      # the newest first
        # the portal counts (and pages) only the published ones
        assert f"La citan {counted} normas; se muestran de la 1 a la {CITED_BY_PAGE}" in first
        following = re.search(r'<a rel="next" href="([^"]+)"', first).group(1)
        second = client.get(following.replace("&amp;", "&")).get_data(as_text=True)
        assert _listed(second) == ["002", "001", "000"][:counted - CITED_BY_PAGE]
        assert 'rel="next"' not in second and 'rel="prev"' in second
        # junk in the page's number reads as the first page, never an error
        for junk in ("abc", "0", "-1", "1e999", "9" * 30):
            page = client.get(f"{address}?citada_por={junk}")
            assert page.status_code == 200 and len(_listed(page.get_data(as_text=True))) \
                == CITED_BY_PAGE


def test_the_api_gives_a_page_of_them_and_their_count(app, cited, api):  # noqa: F811
    rof_id, decrees = cited
    body = api("GET", f"/compliance/norms/{rof_id}?cited_by_page=2").get_json()
    assert [n["document_id"] for n in body["cited_by"]] == decrees[::-1][CITED_BY_PAGE:]
    assert body["cited_by_page"] == {"page": 2, "pages": 2, "total": CITING}
