"""The order of facet values, one rule for both engines (search.base.order_buckets): years
newest first; every other facet by count, ties by value; empty values and zero counts left
out."""
from search.base import FacetValue, order_buckets, order_facet_pairs, order_facets


def test_counts_first_then_values_on_ties():
    pairs = [("GM", 3), ("SG", 7), ("AJ", 3), ("", 9), ("OPP", 0), ("ALC", 7)]
    assert order_facet_pairs("office", pairs) == [
        FacetValue("ALC", 7), FacetValue("SG", 7), FacetValue("AJ", 3), FacetValue("GM", 3)]


def test_years_newest_first_whatever_their_counts():
    pairs = [(2019, 40), (2024, 1), ("2021", 5), (2020, 0)]
    assert order_facet_pairs("year", pairs) == [
        FacetValue("2024", 1), FacetValue("2021", 5), FacetValue("2019", 40)]


def test_a_mapping_and_a_generator_of_buckets_give_the_same_order():
    buckets = [{"key": "vigente", "doc_count": 2}, {"key": "derogada", "doc_count": 2},
               {"key": "borrador", "doc_count": 5}]
    from_mapping = order_facets("status", {b["key"]: b["doc_count"] for b in buckets})
    from_buckets = order_facet_pairs("status", ((b["key"], b["doc_count"]) for b in buckets))
    assert from_mapping == from_buckets == [
        FacetValue("borrador", 5), FacetValue("derogada", 2), FacetValue("vigente", 2)]


def test_buckets_read_straight_give_the_same_order_as_pairs():
    """What the engines call on every search: the same order as the pairs' rule, empty
    values and zero counts left out, for every facet including years."""
    buckets = [{"key": k, "doc_count": n} for k, n in
               [("GM", 3), ("SG", 7), ("AJ", 3), ("", 9), ("OPP", 0), ("ALC", 7)]]
    assert order_buckets("office", buckets) == order_facet_pairs(
        "office", ((b["key"], b["doc_count"]) for b in buckets)) == [
        FacetValue("ALC", 7), FacetValue("SG", 7), FacetValue("AJ", 3), FacetValue("GM", 3)]
    years = [{"key": k, "doc_count": n} for k, n in [(2019, 40), (2024, 1), (2020, 0)]]
    assert order_buckets("year", years) == [FacetValue("2024", 1), FacetValue("2019", 40)]
    assert order_buckets("status", ()) == []


def test_elasticsearch_reads_its_buckets_with_the_same_rule():
    """The Elasticsearch backend orders the facets of a response (its terms buckets, the
    shape of the official client's answer) as the embedded engine does."""
    from search import Visibility
    from search.base import FACET_FIELDS
    from search.elastic import ElasticsearchBackend

    buckets = {"office": [{"key": "GM", "doc_count": 3}, {"key": "SG", "doc_count": 7},
                          {"key": "AJ", "doc_count": 3}, {"key": "", "doc_count": 1}],
               "year": [{"key": 2019, "doc_count": 4}, {"key": 2024, "doc_count": 1}],
               "status": [{"key": "vigente", "doc_count": 5}]}

    class Answer:
        def search(self, index, body):
            return {"hits": {"total": {"value": 5}, "hits": []},
                    "aggregations": {f: {"buckets": buckets.get(f, [])}
                                     for f in FACET_FIELDS}}

    backend = ElasticsearchBackend("http://localhost:9200", client=Answer())
    backend._ready = True
    facets = backend.search("", visibility=Visibility.everything()).facets
    assert facets["office"] == [FacetValue("SG", 7), FacetValue("AJ", 3), FacetValue("GM", 3)]
    assert facets["year"] == [FacetValue("2024", 1), FacetValue("2019", 4)]
    assert facets["status"] == [FacetValue("vigente", 5)]
