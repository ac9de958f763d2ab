"""Hostile input, generated: whatever is typed in the box or put in the URL, the parser, the
engine, the page and the API answer with a reading of it (never a 500, never a traceback)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import SearchResults, Visibility
from search.embedded import EmbeddedBackend
from tests.search.conftest import CORPUS
from tests.search.test_app_search import api_search, login, make_token

# Pieces a lawyer (or an attacker) might type, glued together at random.
PIECES = ['"', "-", "+", "OR", "AND", "NOT", "(", ")", ":", "tipo:", "año:", "anio:2019-",
          "oficina:", "estado:", "estado:derogada", "firmante:\"", "desde:", "hasta:31/02/2024",
          "número:", "numero:12-2019", "ordenanza 12-2019", "RGM 45-2024", "Ley 27972", "n°",
          "licencia", "arbitrios", "de", "la", "ñandú", "ÁÉÍÓÚ", "İstanbul", "ﬁn", "ß",
          "<script>", "&amp;", "%", "*", "?", "\\", "\x00", "\n", "\u200b", "🙂", "x" * 41]
queries = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.text(max_size=300),
)
numbers = st.one_of(st.integers(min_value=-10**20, max_value=10**20).map(str),
                    st.text(max_size=12), st.just(""))


@pytest.fixture(scope="module")
def engine():
    backend = EmbeddedBackend(None)
    backend.index(CORPUS)
    yield backend
    backend.close()


@settings(max_examples=300, deadline=None)
@given(query=queries, page=numbers, per_page=numbers,
       sort=st.sampled_from(["relevance", "date", "fecha", "???"]),
       who=st.sampled_from([Visibility.everything(), Visibility.public(),
                            Visibility.for_user(["GM"], 10)]))
def test_the_engine_reads_anything(engine, query, page, per_page, sort, who):
    results = engine.search(query, visibility=who, page=page, per_page=per_page, sort=sort)
    assert isinstance(results, SearchResults)
    assert 1 <= results.page <= results.pages and 1 <= results.per_page <= 100
    assert len(results.hits) <= results.per_page
    assert all(who.allows(next(d for d in CORPUS if d.id == h.id)) for h in results.hits)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries, page=numbers, per_page=numbers)
def test_the_page_and_the_api_never_fail(app, query, page, per_page):
    if not hasattr(app, "_fuzz"):
        app._fuzz = (make_token(app, "asesor"), login(app, "redactor"))
    token, browser = app._fuzz
    response = api_search(app, token, q=query, page=page, per_page=per_page)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert {"total", "hits", "facets", "warnings", "page", "pages"} <= set(body)
    html = browser.get("/buscar", query_string={"q": query, "pagina": page, "orden": page})
    assert html.status_code == 200
