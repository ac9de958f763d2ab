"""Search wired into docsys: saves and transitions reach the index through the outbox, the
page, the API and the CLI answer with the user's visibility, bad input never gives a 500.
Real HTTP through Flask's test client, a real tantivy index, SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from docsys.models._common import utcnow

from docsys.db import transaction
from docsys.models import Document, SearchOutbox
from tests.conftest import Browser, make_test_app
from tests.web.test_drafts_routes import content_of, create_draft, with_article


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request):
    """The same tests on both databases."""
    return request.getfixturevalue("app" if request.param == "sqlite" else "pg_app")


def login(app, username):
    b = Browser(app.test_client())
    assert b.login(username).status_code == 302
    return b


def api_search(app, token, **params):
    response = app.test_client().get("/api/v1/search", query_string=params,
                                     headers={"Authorization": f"Bearer {token}"})
    return response


def make_token(app, username):
    from docsys import accounts
    from tests.conftest import get_user
    with transaction(app.extensions["docsys.sessions"]) as session:
        return accounts.create_api_token(session, get_user(session, username), "pruebas")


def saved_draft(b, title: str, article: str) -> int:
    """A new draft whose first article is ``article``, saved as its version 2."""
    doc_id = create_draft(b, title)
    content = with_article(content_of(b, doc_id, 1), article)
    assert b.post_json(f"/documentos/{doc_id}/guardar",
                       {"content": content, "base_version": 1}).status_code == 200
    return doc_id


def test_a_saved_draft_is_found_by_its_words_at_once(any_app):
    rosa = login(any_app, "redactor")
    doc_id = saved_draft(rosa, "Aprobar el plan de arborización del malecón de Camisea",
                         "APROBAR las ordenanzas de ornato y la licencia de edificación.")
    html = rosa.get("/buscar", query_string={"q": "arborizacion malecon"}).get_data(as_text=True)
    assert "plan de <mark>arborización</mark>" in html
    # Spanish stemming and accent folding, on the text of the latest version.
    html = rosa.get("/buscar", query_string={"q": "ordenanza edificacion"}).get_data(as_text=True)
    assert f"/documentos/{doc_id}/versiones/2" in html
    assert "<mark>" in html and 'class="snippet"' in html
    with transaction(any_app.extensions["docsys.sessions"]) as session:
        assert session.scalar(select(SearchOutbox.id).limit(1)) is None  # caught up


def test_drafts_of_another_office_stay_hidden(app):
    rosa = login(app, "redactor")          # drafter, GM
    create_draft(rosa, "Aprobar la directiva reservada de caja chica")
    pedro = login(app, "redactor2")        # drafter, GDUR
    html = pedro.get("/buscar", query_string={"q": "caja chica"}).get_data(as_text=True)
    assert "caja chica" not in html.split('id="q"')[1].split("</form>")[1]
    assert "0 resultados" in html
    carmen = login(app, "asesor")          # legal adviser: reviews every office
    assert "1 resultado" in carmen.get("/buscar", query_string={"q": "caja chica"}).get_data(as_text=True)
    token = make_token(app, "redactor2")
    assert api_search(app, token, q="caja chica").get_json()["total"] == 0


def test_api_search_json_with_facets_filters_and_norm_status(any_app):
    rosa = login(any_app, "redactor")
    first = create_draft(rosa, "Aprobar el cronograma de arbitrios municipales 2025")
    second = create_draft(rosa, "Modificar el cronograma de arbitrios municipales 2025")
    with transaction(any_app.extensions["docsys.sessions"]) as session:
        # As issuing will: a number, a date and a legal status (the update queues it).
        doc = session.get(Document, first)
        doc.official_number = "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM"
        doc.issue_date = "2024-05-14"
        doc.legal_status = "vigente"
    token = make_token(any_app, "asesor")
    body = api_search(any_app, token, q="arbitrios").get_json()
    assert body["total"] == 2
    assert {h["document_id"] for h in body["hits"]} == {first, second}
    hit = next(h for h in body["hits"] if h["document_id"] == first)
    assert hit["number"].endswith("0045-2024-GM-MDM") and hit["year"] == 2024
    assert hit["status"] == "vigente" and hit["type"] == "RGM"
    assert hit["url"].endswith(f"/api/v1/documents/{first}/versions/1")
    assert {f["value"]: f["count"] for f in body["facets"]["status"]} == {"vigente": 1, "borrador": 1}
    assert api_search(any_app, token, q="arbitrios estado:vigente").get_json()["total"] == 1
    known = api_search(any_app, token, q="RGM 45-2024").get_json()
    assert known["hits"][0]["document_id"] == first
    by_date = api_search(any_app, token, q="arbitrios", sort="date").get_json()
    assert by_date["sort"] == "date" and by_date["hits"][0]["score"] is None


@pytest.mark.parametrize("q", ['"licencia de', "OR", "-", "campo:raro arbitrios", "x" * 10_000,
                               "tipo: año:", "\x00\x01 ñandú", ")))((("])
def test_bad_queries_get_a_reading_not_an_error(app, q):
    token = make_token(app, "asesor")
    response = api_search(app, token, q=q)
    assert response.status_code == 200, response.get_data(as_text=True)
    page = login(app, "asesor").get("/buscar", query_string={"q": q})
    assert page.status_code == 200


def test_page_out_of_range_and_bad_parameters(app):
    rosa = login(app, "redactor")
    for i in range(3):
        create_draft(rosa, f"Aprobar el padrón de beneficiarios número {i}")
    token = make_token(app, "asesor")
    late = api_search(app, token, q="padron", page=99, per_page=2).get_json()
    assert late["page"] == 2 and any("no existe" in w for w in late["warnings"])
    assert api_search(app, token, q="padron", page="abc").status_code == 200
    bad_sort = api_search(app, token, q="padron", sort="alfabetico")
    assert bad_sort.status_code == 400 and "orden" in bad_sort.get_json()["error"]["message"]
    assert app.test_client().get("/api/v1/search?q=x").status_code == 401
    html = rosa.get("/buscar", query_string={"q": "padron", "pagina": "-5"}).get_data(as_text=True)
    assert "no es válido" in html


def test_transitions_reach_the_index(app):
    rosa = login(app, "redactor")
    doc_id = create_draft(rosa, "Aprobar el reglamento de mercados")
    token = make_token(app, "asesor")
    api_search(app, token, q="mercados")  # indexed as a draft
    with transaction(app.extensions["docsys.sessions"]) as session:
        # A bulk status change, as the workflow makes, must be queued explicitly.
        from docsys.workflow import move
        from tests.conftest import get_user
        move(session, session.get(Document, doc_id), "en_revision", get_user(session, "redactor"),
             "enviar")
        session.execute(update(Document).where(Document.id == doc_id).values(
            status="publicado", official_number="RGM N° 0001-2025-GM-MDM", issue_date="2025-01-02",
            legal_status="vigente"))
    public = api_search(app, token, q="mercados").get_json()["hits"][0]
    assert public["published"] is True and public["status"] == "vigente"


def test_an_unreachable_index_never_blocks_a_save(tmp_path, seeded_sqlite):
    import shutil
    db = tmp_path / "app.db"
    shutil.copy(seeded_sqlite, db)
    app = make_test_app(f"sqlite:///{db}", tmp_path, ELASTICSEARCH_URL="http://127.0.0.1:9")
    rosa = login(app, "redactor")
    doc_id = create_draft(rosa, "Aprobar la feria de la yuca")
    assert rosa.post_json(f"/documentos/{doc_id}/guardar",
                          {"content": content_of(rosa, doc_id, 1), "base_version": 1}).status_code == 200
    page = rosa.get("/buscar", query_string={"q": "yuca"})
    assert page.status_code == 200 and "flash-error" in page.get_data(as_text=True)
    token = make_token(app, "asesor")
    assert api_search(app, token, q="yuca").status_code == 503
    with transaction(app.extensions["docsys.sessions"]) as session:
        rows = session.scalars(select(SearchOutbox).where(SearchOutbox.document_id == doc_id)).all()
        assert rows and all(r.attempts >= 1 for r in rows)  # kept for when the index is back
    app.extensions["docsys.engine"].dispose()


def test_cli_search_json_and_reindex(app):
    rosa = login(app, "redactor")
    doc_id = create_draft(rosa, "Aprobar la campaña de vacunación canina")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["docsys", "search", "vacunacion canina", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["total"] == 1 and body["hits"][0]["document_id"] == doc_id
    assert "snippets" in body["hits"][0] and "facets" in body
    hidden = runner.invoke(args=["docsys", "search", "vacunacion", "--json", "--user", "redactor2"])
    assert json.loads(hidden.output)["total"] == 0
    assert runner.invoke(args=["docsys", "search", "x", "--user", "nadie"]).exit_code == 1
    rebuilt = runner.invoke(args=["docsys", "reindex", "--quiet"])
    assert rebuilt.exit_code == 0 and "Índice reconstruido" in rebuilt.output
    again = json.loads(runner.invoke(args=["docsys", "search", "vacunacion", "--json"]).output)
    assert again["total"] == 1
    text = runner.invoke(args=["docsys", "search", "vacunacion"]).output
    assert "1 resultado(s)" in text and f"documento {doc_id}" in text


def test_cli_json_has_the_shape_of_the_api(app):
    rosa = login(app, "redactor")
    doc_id = create_draft(rosa, "Aprobar el plan de fumigación de mercados")
    api = api_search(app, make_token(app, "asesor"), q="fumigacion").get_json()
    cli = json.loads(app.test_cli_runner().invoke(
        args=["docsys", "search", "fumigacion", "--json"]).output)
    assert set(cli) == set(api) and cli["total"] == api["total"] == 1
    assert set(cli["hits"][0]) == set(api["hits"][0])
    assert {f: [v["value"] for v in vs] for f, vs in cli["facets"].items()} == \
        {f: [v["value"] for v in vs] for f, vs in api["facets"].items()}
    path = f"/api/v1/documents/{doc_id}/versions/1"
    assert api["hits"][0]["url"].endswith(path)
    assert cli["hits"][0]["url"] == app.config["PUBLIC_BASE_URL"] + path


@pytest.mark.parametrize("args", [
    ['"licencia de'], ["OR"], ["-"], ["campo:raro"], ["x" * 10_000], ["tipo: año:"],
    [")))((("], ["licencia", "--page", "99999"], ["licencia", "--page", "-3"],
    ["licencia", "--per-page", "0"], ["", "--sort", "date"],
])
def test_cli_bad_input_gets_a_reading_not_a_traceback(app, args):
    result = app.test_cli_runner().invoke(args=["docsys", "search", *args, "--json"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    body = json.loads(result.stdout)
    assert body["page"] >= 1 and 1 <= body["per_page"] <= 100


def test_cli_refuses_unusable_options_with_a_message(app):
    result = app.test_cli_runner().invoke(args=["docsys", "search", "x", "--page", "abc"])
    assert result.exit_code == 2 and "--page" in result.output
    assert not isinstance(result.exception, (ValueError, TypeError))


def test_cli_reindex_shows_a_progress_bar(app):
    login(app, "redactor")  # the seeded database has documents to index
    result = app.test_cli_runner().invoke(args=["docsys", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Reindexando búsqueda" in result.stderr and "doc" in result.stderr
    assert "Índice reconstruido" in result.stdout


def test_a_drafter_opens_another_offices_published_norm_found_by_search(app):
    rosa = login(app, "redactor")          # drafter, GM
    published = create_draft(rosa, "Aprobar el reglamento de ferias agropecuarias")
    draft = create_draft(rosa, "Proyecto reservado sobre ferias agropecuarias")
    with transaction(app.extensions["docsys.sessions"]) as session:
        session.get(Document, published).status = "publicado"
        doc = session.get(Document, published)
        doc.official_number = "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0077-2025-GM-MDM"
        doc.legal_status = "vigente"
    pedro = login(app, "redactor2")        # drafter, GDUR
    html = pedro.get("/buscar", query_string={"q": "ferias agropecuarias"}).get_data(as_text=True)
    assert "1 resultado" in html
    link = f"/documentos/{published}/versiones/1"
    assert link in html and f"/documentos/{draft}/" not in html
    page = pedro.get(link)
    assert page.status_code == 200 and "ferias agropecuarias" in page.get_data(as_text=True)
    assert pedro.get(f"/documentos/{draft}/versiones/1").status_code == 403


def test_facet_links_add_a_filter_once_and_active_filters_take_it_away():
    from docsys.web.search import active_filters, with_filter

    q = with_filter("licencia", "signer", "Juan Pérez Quispe")
    assert q == 'licencia firmante:"Juan Pérez Quispe"'
    assert with_filter(q, "signer", "Juan Pérez Quispe") == q      # not twice
    q = with_filter(q, "year", "2024")
    assert q.endswith("año:2024") and with_filter(q, "year", "2024") == q
    assert active_filters(q) == [
        ('firmante:"Juan Pérez Quispe"', "licencia año:2024"),
        ("año:2024", 'licencia firmante:"Juan Pérez Quispe"'),
    ]
    assert active_filters("hora 10:30 http://x.pe licencia") == []  # not filters


def test_api_search_checks_the_token_on_every_request(app):
    """Nothing about tokens is remembered between requests: a revoked token or a
    deactivated user is refused by the very next search (in any worker process, as each
    asks the database). The answer is UTF-8 JSON."""
    from docsys.models import ApiToken, User

    token = make_token(app, "redactor")
    response = api_search(app, token, q="licencia")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert json.loads(response.data.decode("utf-8"))["total"] == 0
    with transaction(app.extensions["docsys.sessions"]) as session:
        session.execute(update(ApiToken).values(revoked_at=utcnow()))
    assert api_search(app, token, q="licencia").status_code == 401
    token = make_token(app, "redactor")
    assert api_search(app, token, q="licencia").status_code == 200
    with transaction(app.extensions["docsys.sessions"]) as session:
        session.execute(update(User).where(User.username == "redactor").values(active=False))
    assert api_search(app, token, q="licencia").status_code == 401


def test_the_results_page_says_when_a_number_fits_several_norms(app):
    """Issue 11, point 4: "D.S. 3-2009" fits two decrees; the page lists both first and says
    so, the one the archive cites before."""
    rosa = login(app, "redactor")
    ef = create_draft(rosa, "Reglamento del impuesto")
    produce = create_draft(rosa, "Reglamento de pesca")
    citing = saved_draft(rosa, "Aplicación del reglamento",
                         "Conforme al Decreto Supremo N° 003-2009-EF, se aplica el reglamento.")
    with transaction(app.extensions["docsys.sessions"]) as session:
        for doc_id, number, when in ((ef, "DECRETO SUPREMO N° 003-2009-EF", "2009-01-10"),
                                     (produce, "DECRETO SUPREMO N° 003-2009-PRODUCE",
                                      "2009-03-01"),
                                     (citing, "RESOLUCIÓN DE GERENCIA MUNICIPAL N° "
                                              "0078-2025-GM-MDM", "2025-02-01")):
            doc = session.get(Document, doc_id)
            doc.status, doc.official_number, doc.legal_status = "publicado", number, "vigente"
            if number.startswith("DECRETO"):
                doc.doc_type = "DS"
    html = rosa.get("/buscar", query_string={"q": "D.S. 3-2009"}).get_data(as_text=True)
    assert "corresponde a 2 normas" in html
    assert html.index(f"/documentos/{ef}/") < html.index(f"/documentos/{produce}/")
    assert "003-2009-EF (citada por 1 norma del archivo)" in html


def test_the_results_page_says_when_no_norm_has_the_number(app):
    """A drafter looks for Ley 27972, which the archive does not hold: the draft citing it
    comes first, and the page says it only mentions the law."""
    rosa = login(app, "redactor")
    citing = saved_draft(rosa, "Horario de atención",
                         "Conforme a la Ley N° 27972, Ley Orgánica de Municipalidades.")
    html = rosa.get("/buscar", query_string={"q": "Ley 27972"}).get_data(as_text=True)
    assert ("Ninguna norma del archivo tiene el número «Ley 27972»; se muestran los "
            "documentos que lo mencionan.") in html
    assert f"/documentos/{citing}/" in html
