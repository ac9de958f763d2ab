"""The Elasticsearch backend without a server: mapping, query translation, alias swap."""
from __future__ import annotations

import json

import pytest

from search import Visibility, get_backend, parse_query
from search.analysis import STOP_WORDS
from search.elastic import (
    ElasticsearchBackend, alias_swap_actions, build_mapping, build_query, doc_source,
    hit_from_es,
)
from search.embedded import EmbeddedBackend
from tests.search.conftest import CORPUS

ALL = Visibility.everything()


def _walk(node):
    """Every dict inside a query body."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_get_backend_selects_by_configuration(tmp_path):
    es = get_backend({"ELASTICSEARCH_URL": "http://localhost:9200", "SEARCH_DIR": None})
    assert isinstance(es, ElasticsearchBackend) and es.alias == "docsys"
    es.close()
    embedded = get_backend({"ELASTICSEARCH_URL": None, "SEARCH_DIR": str(tmp_path / "i")})
    assert isinstance(embedded, EmbeddedBackend) and embedded.path == tmp_path / "i"
    memory = get_backend({"SEARCH_DIR": None})
    assert isinstance(memory, EmbeddedBackend) and memory.path is None


def test_mapping_has_the_spanish_analyzer():
    analysis = build_mapping()["settings"]["analysis"]
    spanish = analysis["analyzer"]["docsys_spanish"]
    assert spanish["filter"] == ["lowercase", "docsys_max_length", "docsys_spanish_stop",
                                 "asciifolding", "docsys_spanish_stemmer"]
    assert analysis["filter"]["docsys_spanish_stemmer"] == {"type": "stemmer",
                                                            "language": "spanish"}
    stop = analysis["filter"]["docsys_spanish_stop"]
    assert stop["type"] == "stop" and set(stop["stopwords"]) == STOP_WORDS
    exact = analysis["analyzer"]["docsys_folded"]
    assert "asciifolding" in exact["filter"] and "docsys_spanish_stemmer" not in exact["filter"]
    assert analysis["tokenizer"]["docsys_words"]["type"] == "pattern"


def test_mapping_fields():
    mappings = build_mapping()["mappings"]
    props = mappings["properties"]
    assert mappings["dynamic"] == "strict"
    for field in ("id", "doc_type", "office", "status", "number_key", "cites"):
        assert props[field] == {"type": "keyword"}, field
    assert props["year"] == {"type": "integer"}
    assert props["published"] == {"type": "boolean"}
    assert props["date"]["type"] == "date"
    assert props["created_by"]["type"] == "long"
    for field in ("title", "body"):
        assert props[field]["analyzer"] == "docsys_spanish"
        assert props[field]["fields"]["exact"]["analyzer"] == "docsys_folded"
    assert json.dumps(build_mapping())  # serialisable as is


def test_source_documents_fit_the_mapping():
    props = build_mapping()["mappings"]["properties"]
    for doc in CORPUS:
        src = doc_source(doc.normalized())
        assert set(src) <= set(props), set(src) - set(props)
    src = doc_source(CORPUS[1].normalized())
    # every key the norm is found by (with its sector for national norms; issue 11)
    assert src["number_key"] == ["RA-145-2023", "RA-145"]   # and typed without its year
    assert src["cites"] == ["LEY-27972", "OM-12-2019"]


def test_words_are_required_across_fields():
    body = build_query("licencia funcionamiento", ALL)
    must = body["query"]["bool"]["must"]
    assert len(must) == 2
    fields = {next(iter(c["match"])) for c in must[0]["bool"]["should"]}
    assert fields == {"title", "body", "title.exact", "body.exact", "number"}
    assert must[0]["bool"]["minimum_should_match"] == 1
    assert "filter" not in body["query"]["bool"]


def test_phrase_becomes_match_phrase():
    body = build_query('"dejar sin efecto"', ALL)
    (clause,) = body["query"]["bool"]["must"]
    phrases = [c["match_phrase"] for c in clause["bool"]["should"]]
    assert {next(iter(p)) for p in phrases} == {"title.exact", "body.exact", "number"}
    assert all(next(iter(p.values()))["query"] == "dejar sin efecto" for p in phrases)


def test_exclusion_becomes_must_not():
    body = build_query('licencia -edificación -"sin efecto"', ALL)
    must_not = body["query"]["bool"]["must_not"]
    assert len(must_not) == 2
    assert must_not[0]["bool"]["should"][0] == {"match": {"title": {"query": "edificación",
                                                                    "boost": 3.0}}}
    assert "match_phrase" in must_not[1]["bool"]["should"][0]


def test_only_exclusion_matches_everything_else():
    body = build_query("-arbitrios", ALL)
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert body["query"]["bool"]["must_not"]


def test_or_group_is_a_should_with_one_required():
    body = build_query("edificación OR funcionamiento", ALL)
    (group,) = body["query"]["bool"]["must"]
    assert group["bool"]["minimum_should_match"] == 1 and len(group["bool"]["should"]) == 2


def test_filters_become_filter_terms_and_range():
    body = build_query('tipo:OM,RA año:2019 oficina:gm estado:vigente firmante:"Juan Pérez" '
                       "desde:2019-01-01 hasta:2019-06", ALL)
    filters = body["query"]["bool"]["filter"]
    assert {"terms": {"doc_type": ["OM", "RA"]}} in filters
    assert {"terms": {"year": [2019]}} in filters
    assert {"terms": {"office": ["GM"]}} in filters
    assert {"terms": {"status": ["vigente"]}} in filters
    assert {"match": {"signer": {"query": "Juan Pérez", "operator": "and"}}} in filters
    assert {"range": {"date": {"gte": "2019-01-01", "lte": "2019-06-30"}}} in filters
    assert "must" not in body["query"]["bool"]  # filters alone select


def test_visibility_for_a_user():
    body = build_query("arbitrios", Visibility.for_user(["GM", "GAJ"], 10))
    (vis,) = body["query"]["bool"]["filter"]
    assert vis == {"bool": {"should": [
        {"term": {"published": True}},
        {"terms": {"office": ["GAJ", "GM"]}},
        {"term": {"created_by": 10}},
    ], "minimum_should_match": 1}}


def test_visibility_public_and_all():
    assert build_query("x", Visibility.public())["query"]["bool"]["filter"] == [
        {"term": {"published": True}}]
    assert "filter" not in build_query("x", ALL)["query"]["bool"]


def test_known_item_is_boosted_far_above_text():
    body = build_query("ordenanza 12-2019", ALL)
    (clause,) = body["query"]["bool"]["must"]
    should = clause["bool"]["should"]
    assert should[0] == {"constant_score": {"filter": {"term": {"number_key": "OM-12-2019"}},
                                            "boost": 1000.0}}
    assert should[1]["constant_score"]["filter"] == {"term": {"cites": "OM-12-2019"}}
    assert len(should[2]["bool"]["must"]) == 3  # ordenanza, 12, 2019 as words


def test_paging_sort_highlight_and_facets():
    body = build_query("arbitrios", ALL, sort="relevance", page=3, per_page=10)
    assert (body["from"], body["size"], body["track_total_hits"]) == (20, 10, True)
    assert body["sort"][0] == "_score"
    assert body["_source"] == {"excludes": ["body"]}
    hl = body["highlight"]
    assert (hl["pre_tags"], hl["post_tags"], hl["encoder"]) == (["<mark>"], ["</mark>"], "html")
    assert set(hl["fields"]) == {"title", "title.exact", "body", "body.exact"}
    assert set(body["aggs"]) == {"doc_type", "year", "office", "status", "signer"}
    assert body["aggs"]["signer"] == {"terms": {"field": "signer.keyword", "size": 200}}
    assert body["aggs"]["office"] == {"terms": {"field": "office", "size": 200}}
    dated = build_query("arbitrios", ALL, sort="date")
    assert dated["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert build_query("tipo:OM", ALL)["sort"][0] == dated["sort"][0]  # no words: newest first
    assert "aggs" not in build_query("x", ALL, facets=False)


def test_deep_pages_stay_within_the_result_window():
    body = build_query("x", ALL, page=10**6, per_page=100)
    assert body["from"] + body["size"] <= 10_000


def test_the_same_tree_drives_both_backends():
    tree = parse_query('"recurso de apelación" -tipo:OM licencia OR permiso año:2024')
    body = build_query(tree, ALL)
    kinds = {k for d in _walk(body["query"]) for k in d}
    assert {"match_phrase", "match", "terms"} <= kinds


def test_hit_from_response():
    raw = {"_id": "doc-11", "_score": 7.5, "_source": {
        "id": "doc-11", "document_id": 11, "version_number": 2, "number": "N° 1",
        "title": "Dejan <sin> efecto", "doc_type": "RA", "year": 2023, "date": "2023-11-20",
        "status": "vigente", "office": "ALC", "signer": "", "published": True},
        "highlight": {"title.exact": ["Dejan &lt;sin&gt; <mark>efecto</mark>"],
                      "body": ["la <mark>licencia</mark> de", "otra"],
                      "body.exact": ["<mark>licencia</mark> de <mark>funcionamiento</mark>"]}}
    hit = hit_from_es(raw, by_date=False)
    assert hit.title_html == "Dejan &lt;sin&gt; <mark>efecto</mark>"
    assert hit.snippets == ["<mark>licencia</mark> de <mark>funcionamiento</mark>"]
    assert hit.score == 7.5 and hit.document_id == 11
    bare = hit_from_es({**raw, "highlight": {}}, by_date=True)
    assert bare.title_html == "Dejan &lt;sin&gt; efecto" and bare.score is None


def test_alias_swap_is_one_atomic_update():
    actions = alias_swap_actions("docsys", "docsys-building", ["docsys-1"], "docsys-2")
    assert actions == [
        {"remove": {"index": "docsys-1", "alias": "docsys"}},
        {"add": {"index": "docsys-2", "alias": "docsys"}},
        {"remove": {"index": "docsys-2", "alias": "docsys-building"}},
    ]
    assert alias_swap_actions("docsys", "docsys-building", [], "docsys-2")[0] == {
        "add": {"index": "docsys-2", "alias": "docsys"}}


@pytest.mark.parametrize("query", ['"abierta', "OR", "-", "x" * 10_000, "campo:valor", None])
def test_bad_input_builds_a_valid_body(query):
    assert json.dumps(build_query(query, ALL, page=-5, per_page=0))


def test_elasticsearch_settings_come_from_the_environment(monkeypatch, tmp_path):
    from docsys.config import load_config

    monkeypatch.setenv("DOCSYS_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("DOCSYS_SECRET_KEY", "secreto-de-prueba")
    monkeypatch.setenv("ELASTICSEARCH_URL", "https://es.megantoni.test:9200")
    monkeypatch.setenv("ELASTICSEARCH_API_KEY", "clave-api")
    monkeypatch.setenv("DOCSYS_SEARCH_INDEX_PREFIX", "normas")
    config = load_config()
    assert (config["ELASTICSEARCH_URL"], config["ELASTICSEARCH_API_KEY"],
            config["SEARCH_INDEX_PREFIX"]) == ("https://es.megantoni.test:9200", "clave-api",
                                               "normas")
    backend = get_backend(config)
    assert isinstance(backend, ElasticsearchBackend)
    assert (backend.alias, backend.building_alias) == ("normas", "normas-building")
    backend.close()


def test_more_like_this_body():
    from search.elastic import build_more_like_this

    text = "Ordenanza que regula los arbitrios de limpieza pública " * 5000
    body = build_more_like_this(text, Visibility.for_user(["GM"], 7), limit=500,
                                statuses=["Vigente", "derogada"], exclude_document_ids=[3, 3, 9])
    mlt = body["query"]["bool"]["must"][0]["more_like_this"]
    assert mlt["fields"] == ["title", "body"]
    assert len(mlt["like"]) == 100_000                       # the text is capped
    assert mlt["max_query_terms"] == 30 and mlt["min_word_length"] == 3
    filters = body["query"]["bool"]["filter"]
    assert {"terms": {"status": ["derogada", "vigente"]}} in filters
    assert any("bool" in f and {"term": {"published": True}} in f["bool"]["should"]
               for f in filters)
    assert body["query"]["bool"]["must_not"] == [{"terms": {"document_id": [3, 9]}}]
    assert body["size"] == 100 and body["_source"] == {"excludes": ["body"]}
    json.dumps(body)
    plain = build_more_like_this("arbitrios", ALL)
    assert "filter" not in plain["query"]["bool"] and "must_not" not in plain["query"]["bool"]
    assert build_more_like_this("  ", ALL) is None


def test_more_like_this_calls_the_server_once():
    class FakeClient:
        def __init__(self):
            self.bodies = []

        def search(self, index, body):
            self.bodies.append((index, body))
            return {"hits": {"hits": [{"_id": "doc-1", "_score": 3.5, "_source": {
                "id": "doc-1", "document_id": 1, "number": "ORDENANZA MUNICIPAL N° 012-2019-MDM",
                "title": "Arbitrios", "doc_type": "OM", "status": "vigente"}}]}}

    backend = ElasticsearchBackend("http://localhost:9200", client=FakeClient())
    backend._ready = True
    hits = backend.more_like_this("arbitrios de limpieza", visibility=ALL, limit=3)
    assert [(h.id, h.score) for h in hits] == [("doc-1", 3.5)]
    index, body = backend.client.bodies[0]
    assert index == "docsys" and body["size"] == 3
    assert backend.more_like_this("", visibility=ALL) == []
    assert len(backend.client.bodies) == 1
