"""The order of facet values, one rule for both engines (search.base.order_facets): years
newest first; every other facet by count, ties by value; empty values and zero counts left
out."""
from search.base import FacetValue, order_facet_pairs, order_facets


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
