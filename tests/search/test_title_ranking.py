"""A norm's title words typed as a query rank that norm first (issue 11), before norms whose
long bodies repeat the same words. Titles as in the development slice of legalize-pe."""
from __future__ import annotations

from search.elastic import TITLE_NEAR_SCORE, TITLE_WORDS_SCORE, build_query
from search.embedded import EmbeddedBackend
from tests.search.conftest import ALL, ids, make_doc

_CITING = ("Que, la Política Nacional de Seguridad y Salud en el Trabajo obliga a los "
           "sectores; en materia de seguridad, la política nacional dispone ... ")

DOCS = [
    make_doc(1, "DS", "Decreto Supremo que aprueba la Política Nacional de Seguridad y Salud "
             "en el Trabajo", "Artículo 1.- Apruébase la Política Nacional.", number="DS 002-2013-TR"),
    # norms citing it at length, their titles holding some of its words
    make_doc(2, "DS", "Aprueban el Plan Nacional de Seguridad y Salud en el Trabajo 2017-2021",
             _CITING * 12, number="DS 005-2017-TR"),
    make_doc(3, "RM", "Aprueban la Directiva de política de seguridad de la información",
             _CITING * 20, number="RM 100-2015-TR"),
    make_doc(4, "DS", "Política Nacional de Educación Ambiental", _CITING * 8,
             number="DS 017-2012-ED"),
]


def test_a_norms_title_words_rank_it_first():
    backend = EmbeddedBackend(None)
    backend.index(DOCS)
    assert ids(backend.search("Política Nacional Seguridad", visibility=ALL))[0] == "doc-1"
    assert ids(backend.search("política nacional seguridad salud", visibility=ALL))[0] == "doc-1"


def test_elasticsearch_gives_the_same_title_bonus():
    body = build_query("Política Nacional Seguridad", ALL)
    should = body["query"]["bool"]["should"]
    assert {"constant_score": {"filter": {"match": {"title": {
        "query": "Política Nacional Seguridad", "operator": "and"}}},
        "boost": TITLE_WORDS_SCORE}} in should
    assert any(c["constant_score"]["boost"] == TITLE_NEAR_SCORE and "match_phrase" in
               c["constant_score"]["filter"] for c in should)


# "Decreto", a type noun, is matched as written (never through its stem); a title holding
# it counts as holding every word of the query, as one holding the other words does.
_DECREE_DOCS = [
    make_doc(10, "DS", "Aprueban el Reglamento General de la SUNASS",
             "Aprueban el reglamento. " * 30 + "Decreto Supremo.", number="DS 017-2001-PCM"),
    make_doc(11, "DS", "Aprueban el Reglamento del Decreto Legislativo N° 1053, Ley General "
             "de Aduanas", "Artículo 1.- Apruébase el Reglamento.", number="DS 010-2009-EF"),
]


def test_a_type_noun_of_the_title_counts_among_its_words():
    backend = EmbeddedBackend(None)
    backend.index(_DECREE_DOCS)
    assert ids(backend.search("Aprueban Reglamento Decreto", visibility=ALL))[0] == "doc-11"


def test_elasticsearch_counts_the_type_noun_in_the_title_bonus():
    should = build_query("Aprueban Reglamento Decreto", ALL)["query"]["bool"]["should"]
    words = [c for c in should if c["constant_score"]["boost"] == TITLE_WORDS_SCORE
             and "match_phrase" not in c["constant_score"]["filter"]]
    assert words == [{"constant_score": {"filter": {"bool": {"must": [
        {"match": {"title": {"query": "Aprueban Reglamento", "operator": "and"}}},
        {"bool": {"should": [{"match": {"title.exact": "decreto"}},
                             {"match": {"title.exact": "decretos"}}],
                  "minimum_should_match": 1}}]}}, "boost": TITLE_WORDS_SCORE}}]
