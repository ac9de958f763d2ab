"""A number that fits several norms: the order and the notice (search.fitting), and the
Elasticsearch requests that compute them, without a server (the engines themselves are
held to it by test_contract.py)."""
from __future__ import annotations

from search import Visibility, parse_query
from search.elastic import (
    ElasticsearchBackend, build_citations, build_fitting, build_query, citations_from_es,
    fitting_from_es, fits_anywhere,
)
from search.fitting import (
    MAX_FITTING, ORDER_STEP, Fitting, absent_notice, citation_keys, notice, order, scores,
)

ALL = Visibility.everything()
EF = Fitting(1, "DS", "Decreto Supremo N° 003-2009-EF", ("DS-3-2009", "DS-3-2009-EF"),
             "2009-01-10")
MTC = Fitting(2, "DS", "Decreto Supremo N° 003-2009-MTC", ("DS-3-2009", "DS-3-2009-MTC"),
              "2009-02-01")
PLAIN = Fitting(3, "DS", "Decreto Supremo N° 003-2009", ("DS-3-2009",), "2009-12-01")


def test_the_most_cited_first_then_the_newest():
    assert order([MTC, EF], {"DS-3-2009-EF": 2, "DS-3-2009-MTC": 1}) == [EF, MTC]
    assert order([EF, MTC], {}) == [MTC, EF]                     # no citations: newest
    undated = Fitting(4, "DS", "N° 003-2009-AG", ("DS-3-2009", "DS-3-2009-AG"))
    assert order([undated, EF], {}) == [EF, undated]              # no date: last


def test_a_key_shared_by_namesakes_counts_for_none():
    """Citations of "DS-3-2009" without sector do not say which decree they cite."""
    assert citation_keys([EF, MTC, PLAIN]) == {1: "DS-3-2009-EF", 2: "DS-3-2009-MTC"}
    assert order([EF, PLAIN], {"DS-3-2009": 50, "DS-3-2009-EF": 1}) == [EF, PLAIN]


def test_scores_stay_below_the_known_item_score():
    many = [Fitting(i, "RM", f"N° 100-2020-X{i}", ("RM-100-2020", f"RM-100-2020-X{i}"))
            for i in range(20)]
    given = scores(many)
    assert given[0] == (0, ORDER_STEP * (MAX_FITTING - 1))
    assert [s for _, s in given] == sorted((s for _, s in given), reverse=True)
    assert len(given) == MAX_FITTING - 1 and max(s for _, s in given) < 1000.0
    assert scores([EF]) == []


def test_notice_names_the_norms_in_their_order():
    text = notice("D.S. 3-2009", [EF, MTC], {"DS-3-2009-EF": 1}, total=7)
    assert text.startswith("El número «D.S. 3-2009» corresponde a 7 normas")
    assert "003-2009-EF (citada por 1 norma del archivo); Decreto Supremo N° 003-2009-MTC " \
           "(sin citas en el archivo); y 5 más" in text
    assert "«D.S. 3-2009-EF»" in text
    assert "la más citada por el archivo antes" in text


def test_notice_says_newest_first_when_nobody_cites_them():
    text = notice("D.S. 3-2009", [MTC, EF], {})
    assert "corresponde a 2 normas; se muestran primero, la más reciente antes:" in text


# -- Elasticsearch, offline ---------------------------------------------------------------

def test_fitting_scores_become_constant_scores_on_document_ids():
    body = build_query("D.S. 3-2009", ALL, fitting_scores=[(1, 200.0), (2, 100.0)])
    should = body["query"]["bool"]["should"]
    assert {"constant_score": {"filter": {"term": {"document_id": 1}}, "boost": 200.0}} in should
    assert {"constant_score": {"filter": {"term": {"document_id": 2}}, "boost": 100.0}} in should


def test_fitting_request_keeps_the_whole_search():
    tree = parse_query("D.S. 3-2009 pesca tipo:DS")
    body = build_fitting("DS-3-2009", tree, Visibility.public())
    first, search = body["query"]["bool"]["filter"]
    assert first == {"term": {"number_key": "DS-3-2009"}}
    assert search == build_query(tree, Visibility.public(), facets=False)["query"]
    assert body["size"] == MAX_FITTING and body["sort"] == [{"document_id": "asc"}]
    # whether any entry of the whole index has the number, whoever may see it
    assert body["aggs"] == {"archive": {"global": {}, "aggs": {"fits": {"filter": first}}}}
    assert fits_anywhere({"aggregations": {"archive": {"fits": {"doc_count": 1}}}})
    assert not fits_anywhere({"aggregations": {"archive": {"fits": {"doc_count": 0}}}})


def test_citation_request_leaves_drafts_out():
    body = build_citations(["DS-3-2009-MTC", "DS-3-2009-EF"])
    assert body["query"]["bool"]["must_not"] == [{"term": {"status": "borrador"}}]
    assert body["aggs"]["cited"]["terms"]["include"] == ["DS-3-2009-EF", "DS-3-2009-MTC"]
    assert citations_from_es({"aggregations": {"cited": {"buckets": [
        {"key": "DS-3-2009-EF", "doc_count": 2}]}}}) == {"DS-3-2009-EF": 2}


class FakeClient:
    """Answers the fitting lookup, the citation count and the search."""

    def __init__(self):
        self.bodies = []

    def search(self, index, body):
        self.bodies.append(body)
        if "aggs" in body and "cited" in body["aggs"]:
            return {"hits": {"hits": []}, "aggregations": {"cited": {"buckets": [
                {"key": "DS-3-2009-MTC", "doc_count": 3}]}}}
        if body.get("sort") == [{"document_id": "asc"}]:
            return {"hits": {"total": {"value": 2}, "hits": [
                {"_source": {"document_id": d.document_id, "doc_type": "DS",
                             "number": d.number, "number_key": list(d.keys),
                             "date": d.date}} for d in (EF, MTC)]}}
        return {"hits": {"total": {"value": 0}, "hits": []}}


def test_elasticsearch_orders_namesakes_as_the_embedded_engine():
    backend = ElasticsearchBackend("http://localhost:9200", client=FakeClient())
    backend._ready = True
    r = backend.search("D.S. 3-2009", visibility=ALL, facets=False)
    lookup, count, final = backend.client.bodies
    assert lookup["query"]["bool"]["filter"][0] == {"term": {"number_key": "DS-3-2009"}}
    assert count["aggs"]["cited"]["terms"]["include"] == ["DS-3-2009-EF", "DS-3-2009-MTC"]
    assert {"constant_score": {"filter": {"term": {"document_id": MTC.document_id}},
                               "boost": ORDER_STEP}} in final["query"]["bool"]["should"]
    (text,) = [w for w in r.warnings if "corresponde a 2 normas" in w]
    assert text.index("MTC") < text.index("EF (sin citas")
    assert fitting_from_es(backend.client.search("x", lookup))[1] == 2


class EmptyClient:
    """An index where no entry has any number and no text matches."""

    def search(self, index, body):
        return {"hits": {"total": {"value": 0}, "hits": []},
                "aggregations": {"archive": {"fits": {"doc_count": 0}}}}


def test_elasticsearch_says_when_no_norm_has_the_number():
    backend = ElasticsearchBackend("http://localhost:9200", client=EmptyClient())
    backend._ready = True
    r = backend.search("Ley 27972", visibility=ALL, facets=False)
    assert r.warnings == [absent_notice("Ley 27972")]
    assert absent_notice(" Ley 27972 ") == ("Ninguna norma del archivo tiene el número "
                                            "«Ley 27972»; se muestran los documentos que lo "
                                            "mencionan.")


def test_elasticsearch_reads_dl_as_both_types():
    (clause,) = build_query("D.L. 25844", ALL)["query"]["bool"]["must"]
    filters = [c["constant_score"]["filter"] for c in clause["bool"]["should"]
               if "constant_score" in c]
    assert {"term": {"number_key": "DLEG-25844"}} in filters
    assert {"term": {"number_key": "DLEY-25844"}} in filters
    body = build_fitting(("DLEG-25844", "DLEY-25844"), parse_query("D.L. 25844"), ALL)
    assert body["query"]["bool"]["filter"][0] == {
        "terms": {"number_key": ["DLEG-25844", "DLEY-25844"]}}
