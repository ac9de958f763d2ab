"""docsys search: one interface, two backends.

- ``EmbeddedBackend`` (tantivy, no server) is the default, at ``config["SEARCH_DIR"]``
  (in memory when that is None: tests);
- ``ElasticsearchBackend`` is used when ``config["ELASTICSEARCH_URL"]`` is set.

The database is the truth; the index is derived from it and rebuilt by the application
(docsys keeps it in step through its outbox). This package imports nothing from docsys.
Importable without Flask.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Protocol, runtime_checkable

from search.base import (
    FACET_FIELDS, MAX_PER_PAGE, MAX_RESULT_WINDOW, MLT_MAX_CHARS, STATUSES, FacetValue, Hit,
    RebuildInProgress, SearchDoc, SearchError, SearchResults, SearchUnavailable, Visibility,
    search_id,
)
from search.numbers import extract_number_keys, find_number_in_query, normalize_type, number_key
from search.query import MAX_QUERY_CHARS, KnownItem, Phrase, QueryTree, Term, parse_query


@runtime_checkable
class SearchBackend(Protocol):
    """What every backend does. The contract suite in tests/search/ holds them to it."""

    name: str

    def index(self, docs: Iterable[SearchDoc | dict]) -> int:
        """Add or replace documents by ``id`` (bulk). Visible to searches on return."""

    def delete(self, ids: Iterable[str]) -> None:
        """Remove entries by ``id``; unknown ids are ignored."""

    def delete_documents(self, document_ids: Iterable[int]) -> None:
        """Remove every entry of these documents."""

    def search(self, query: QueryTree | str | None, *, visibility: Visibility,
               sort: str = "relevance", page: int = 1, per_page: int = 20,
               facets: bool = True) -> SearchResults:
        """Run a query (a string is parsed with ``parse_query``).

        ``sort`` is "relevance" (a query without words is shown newest first) or "date"
        (newest first). Pages: ``page`` < 1 reads as 1; a page past the last one shows the
        last page with a warning (never an error); ``per_page`` is kept within 1..100; only
        the first 10,000 results can be paged through.
        """

    def more_like_this(self, text: str, *, visibility: Visibility, limit: int = 10,
                       statuses: Iterable[str] | None = None,
                       exclude_document_ids: Iterable[int] = ()) -> list[Hit]:
        """The entries most like ``text``, best first (at most ``limit``, 1..100): the
        text's most significant words (tf-idf, as Elasticsearch's ``more_like_this``)
        searched in title and body. ``statuses`` keeps only entries in those statuses
        (e.g. the norms: vigente, modificada, derogada); ``exclude_document_ids`` leaves
        out the document being checked. An empty text gives []."""

    def count(self) -> int:
        """Number of entries in the index."""

    def rebuild(self, docs: Iterable[SearchDoc | dict],
                progress: Callable[[int], Any] | None = None) -> int:
        """Build a fresh index from ``docs`` and swap it in; searches keep working."""

    def clear(self) -> None:
        """Remove every entry."""

    def close(self) -> None:
        """Release the index."""

    @property
    def needs_rebuild(self) -> bool:
        """True when the index is new or outdated and must be filled by a rebuild."""


def get_backend(config: Mapping[str, Any]) -> SearchBackend:
    """The backend the configuration selects.

    - ``ELASTICSEARCH_URL`` set: Elasticsearch, index alias ``SEARCH_INDEX_PREFIX``
      (default "docsys"), optional ``ELASTICSEARCH_API_KEY``, ``ELASTICSEARCH_CA_CERTS``;
    - otherwise the embedded engine at ``SEARCH_DIR`` (None: in memory).
    """
    url = config.get("ELASTICSEARCH_URL")
    if url:
        from search.elastic import ElasticsearchBackend

        return ElasticsearchBackend(
            url,
            prefix=config.get("SEARCH_INDEX_PREFIX") or "docsys",
            api_key=config.get("ELASTICSEARCH_API_KEY") or None,
            ca_certs=config.get("ELASTICSEARCH_CA_CERTS") or None,
        )
    from search.embedded import EmbeddedBackend

    return EmbeddedBackend(config.get("SEARCH_DIR"))


__all__ = [
    "SearchBackend", "get_backend", "SearchDoc", "Visibility", "SearchResults", "Hit",
    "FacetValue", "SearchError", "SearchUnavailable", "RebuildInProgress", "QueryTree",
    "Term", "Phrase", "KnownItem", "parse_query", "number_key", "normalize_type",
    "extract_number_keys", "find_number_in_query", "search_id", "STATUSES", "FACET_FIELDS",
    "MAX_PER_PAGE", "MAX_RESULT_WINDOW", "MAX_QUERY_CHARS", "MLT_MAX_CHARS",
]
