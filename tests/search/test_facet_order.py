"""The order of facet values, one rule for both engines (search.base.order_buckets): years
newest first; every other facet by count, ties by value; empty values and zero counts left
out."""
from search.base import FacetValue, order_buckets


def buckets(*pairs):
    return [{"key": k, "doc_count": n} for k, n in pairs]


def test_counts_first_then_values_on_ties():
    office = buckets(("GM", 3), ("SG", 7), ("AJ", 3), ("", 9), ("OPP", 0), ("ALC", 7))
    assert order_buckets("office", office) == [
        FacetValue("ALC", 7), FacetValue("SG", 7), FacetValue("AJ", 3), FacetValue("GM", 3)]


def test_years_newest_first_whatever_their_counts():
    years = buckets((2019, 40), (2024, 1), ("2021", 5), (2020, 0))
    assert order_buckets("year", years) == [
        FacetValue("2024", 1), FacetValue("2021", 5), FacetValue("2019", 40)]


def test_no_buckets_no_values():
    assert order_buckets("status", ()) == [] == order_buckets("year", [])


def test_elasticsearch_reads_its_buckets_with_the_same_rule():
    """The Elasticsearch backend orders the facets of a response (its terms buckets, the
    shape of the official client's answer) as the embedded engine does."""
    from search import Visibility
    from search.base import FACET_FIELDS
    from search.elastic import ElasticsearchBackend

    answer = {"office": buckets(("GM", 3), ("SG", 7), ("AJ", 3), ("", 1)),
              "year": buckets((2019, 4), (2024, 1)),
              "status": buckets(("vigente", 5))}

    class Answer:
        def search(self, index, body):
            return {"hits": {"total": {"value": 5}, "hits": []},
                    "aggregations": {f: {"buckets": answer.get(f, [])}
                                     for f in FACET_FIELDS}}

    backend = ElasticsearchBackend("http://localhost:9200", client=Answer())
    backend._ready = True
    facets = backend.search("", visibility=Visibility.everything()).facets
    assert facets["office"] == [FacetValue("SG", 7), FacetValue("AJ", 3), FacetValue("GM", 3)]
    assert facets["year"] == [FacetValue("2024", 1), FacetValue("2019", 4)]
    assert facets["status"] == [FacetValue("vigente", 5)]
