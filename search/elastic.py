"""Elasticsearch backend (official ``elasticsearch`` client), selected by ELASTICSEARCH_URL.

- An explicit mapping (``build_mapping``): a custom Spanish analyzer (words as tantivy's
  simple tokenizer sees them, lowercase, length ≤ 40, Spanish stop words, ASCII folding,
  Spanish Snowball stemmer) on ``title`` and ``body``, with unstemmed folded ``.exact``
  sub-fields for exact phrases and exact-word boosts; keyword fields for the filters and
  facets, ``date``, integer ``year``, boolean ``published``, keyword ``number_key``/``cites``.
- Documents live in ``<prefix>-<timestamp>`` behind the alias ``<prefix>``. A rebuild fills a
  new index (also reachable as ``<prefix>-building``, so writes made meanwhile land in both),
  then moves the alias in one ``update_aliases`` call (remove + add) and deletes the old
  index: searches never see a half-built index.
- ``build_query`` translates the same QueryTree the embedded engine uses into one request
  body (bool must/should/must_not/filter, match_phrase, terms aggregations, highlight).
  ``build_mapping`` and ``build_query`` are pure and tested without a server.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence

from search.analysis import MAX_TOKEN_CHARS, SNIPPET_CHARS, STOP_WORDS, render_marked
from search.base import (
    FACET_FIELDS, MAX_PER_PAGE, MLT_MAX_CHARS, MLT_MAX_TERMS, MLT_MIN_WORD_LENGTH, Hit,
    RebuildInProgress, SearchDoc, SearchResults, SearchUnavailable, Visibility, clamp_warning,
    order_buckets, page_count, plan_page,
)
from search import fitting
from search.query import KnownItem, Phrase, QueryTree, ensure_tree
from search.numbers import EXTRACTOR_REVISION

log = logging.getLogger("docsys.search")

# The number keys stored in the index are search.numbers' reading of the type registry:
# an index written under another EXTRACTOR_REVISION is outdated (see search.embedded).
SCHEMA_VERSION = f"docsys-es-4 keys {EXTRACTOR_REVISION}"
TITLE_BOOST = 3.0
# As search.embedded: a title holding every word of the query, and holding them in order.
TITLE_WORDS_SCORE = 20.0
TITLE_NEAR_SCORE = 20.0
TITLE_NEAR_SLOP = 3
NUMBER_BOOST = 2.0
EXACT_BOOST = 1.5
KNOWN_ITEM_SCORE = 1000.0
CITED_SCORE = 20.0
FACET_SIZE = 200
# Facet name -> the keyword field counted (the signer filter matches words of the name).
FACET_SOURCE = {"signer": "signer.keyword"}
# A rebuild still marked as running after this long is taken for a crashed one.
STALE_REBUILD_SECONDS = 6 * 3600
SORTS = {"relevance": "relevance", "relevancia": "relevance", "date": "date", "fecha": "date"}

ANALYZER = "docsys_spanish"
EXACT_ANALYZER = "docsys_folded"


def build_mapping(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Index settings and mappings (the body of ``indices.create``)."""
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": {
                "tokenizer": {
                    # Runs of letters and digits, like tantivy's simple tokenizer.
                    "docsys_words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"},
                },
                "filter": {
                    "docsys_max_length": {"type": "length", "max": MAX_TOKEN_CHARS},
                    "docsys_spanish_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
                    "docsys_spanish_stemmer": {"type": "stemmer", "language": "spanish"},
                },
                "analyzer": {
                    ANALYZER: {
                        "type": "custom", "tokenizer": "docsys_words",
                        "filter": ["lowercase", "docsys_max_length", "docsys_spanish_stop",
                                   "asciifolding", "docsys_spanish_stemmer"],
                    },
                    # Exact words: no stemming; stop words leave position gaps in phrases.
                    EXACT_ANALYZER: {
                        "type": "custom", "tokenizer": "docsys_words",
                        "filter": ["lowercase", "docsys_max_length", "docsys_spanish_stop",
                                   "asciifolding"],
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"schema_version": SCHEMA_VERSION},
            "properties": {
                "id": {"type": "keyword"},
                "document_id": {"type": "long"},
                "version_number": {"type": "integer"},
                "doc_type": {"type": "keyword"},
                "number": {"type": "text", "analyzer": EXACT_ANALYZER,
                           "fields": {"keyword": {"type": "keyword"}}},
                "number_key": {"type": "keyword"},
                "cites": {"type": "keyword"},
                "title": {"type": "text", "analyzer": ANALYZER,
                          "fields": {"exact": {"type": "text", "analyzer": EXACT_ANALYZER}}},
                "body": {"type": "text", "analyzer": ANALYZER,
                         "fields": {"exact": {"type": "text", "analyzer": EXACT_ANALYZER,
                                              "index_options": "offsets"}}},
                "year": {"type": "integer"},
                "date": {"type": "date", "format": "strict_date"},
                "office": {"type": "keyword"},
                "status": {"type": "keyword"},
                "published": {"type": "boolean"},
                "signer": {"type": "text", "analyzer": EXACT_ANALYZER,
                           "fields": {"keyword": {"type": "keyword"}}},
                "created_by": {"type": "long"},
            },
        },
    }


def doc_source(doc: SearchDoc) -> dict[str, Any]:
    """The ``_source`` of a normalized SearchDoc."""
    src = doc.as_dict()
    src.pop("body_cites", None)  # within "cites"
    src["cites"] = doc.cited_keys()
    src["number_key"] = doc.number_keys() or doc.number_key
    return src


# -- query translation -------------------------------------------------------------------

def _word(text: str) -> dict:
    return {"bool": {"should": [
        {"match": {"title": {"query": text, "boost": TITLE_BOOST}}},
        {"match": {"body": {"query": text}}},
        {"match": {"title.exact": {"query": text, "boost": TITLE_BOOST * EXACT_BOOST}}},
        {"match": {"body.exact": {"query": text, "boost": EXACT_BOOST}}},
        {"match": {"number": {"query": text, "boost": NUMBER_BOOST}}},
    ], "minimum_should_match": 1}}


def _title_bonus(texts: list[str], nouns: Sequence[tuple[str, ...]] = ()) -> list[dict]:
    """Fixed scores for a title holding every one of the query's words (a type noun,
    "decreto", as written: one of its spellings in ``nouns``), and for one holding the other
    words in order, at most TITLE_NEAR_SLOP words apart."""
    if len(texts) + len(nouns) < 2:
        return []
    joined = " ".join(texts)
    every: list[dict] = []
    if texts:
        every.append({"match": {"title": {"query": joined, "operator": "and"}}})
    every += [{"bool": {"should": [{"match": {"title.exact": form}} for form in forms],
                        "minimum_should_match": 1}} for forms in nouns]
    out = [{"constant_score": {"filter": every[0] if len(every) == 1 else {"bool": {
        "must": every}}, "boost": TITLE_WORDS_SCORE}}]
    if len(texts) > 1:
        out.append({"constant_score": {"filter": {"match_phrase": {"title.exact": {
            "query": joined, "slop": TITLE_NEAR_SLOP}}}, "boost": TITLE_NEAR_SCORE}})
    return out


def _phrase(text: str) -> dict:
    return {"bool": {"should": [
        {"match_phrase": {"title.exact": {"query": text, "boost": TITLE_BOOST}}},
        {"match_phrase": {"body.exact": {"query": text}}},
        {"match_phrase": {"number": {"query": text, "boost": NUMBER_BOOST}}},
    ], "minimum_should_match": 1}}


def _known_item(item: KnownItem) -> dict:
    should: list[dict] = []
    for key in item.keys:  # "D.L. 25844": a Decreto Legislativo or a Decreto Ley
        should += [{"constant_score": {"filter": {"term": {"number_key": key}},
                                       "boost": KNOWN_ITEM_SCORE}},
                   {"constant_score": {"filter": {"term": {"cites": key}},
                                       "boost": CITED_SCORE}}]
    if item.sector_key:  # the sector typed: that sector's norm before its namesakes
        should.append({"constant_score": {"filter": {"term": {"number_key": item.sector_key}},
                                          "boost": KNOWN_ITEM_SCORE}})
    if item.words:
        should.append({"bool": {"must": [_word(w) for w in item.words]}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _atom(atom) -> dict:
    if isinstance(atom, KnownItem):
        return _known_item(atom)
    if isinstance(atom, Phrase):
        return _phrase(atom.text)
    return _word(atom.text)


def visibility_filter(visibility: Visibility) -> dict | None:
    if visibility.all:
        return None
    published = {"term": {"published": True}}
    if visibility.published_only:
        return published
    should: list[dict] = [published]
    if visibility.offices:
        should.append({"terms": {"office": list(visibility.offices)}})
    if visibility.user_id is not None:
        should.append({"term": {"created_by": int(visibility.user_id)}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def build_filters(tree: QueryTree, visibility: Visibility) -> list[dict]:
    out: list[dict] = []
    if tree.doc_types:
        out.append({"terms": {"doc_type": list(tree.doc_types)}})
    if tree.years:
        out.append({"terms": {"year": list(tree.years)}})
    if tree.offices:
        out.append({"terms": {"office": list(tree.offices)}})
    if tree.statuses:
        out.append({"terms": {"status": list(tree.statuses)}})
    for name in tree.signers:
        out.append({"match": {"signer": {"query": name, "operator": "and"}}})
    if tree.date_from or tree.date_to:
        rng: dict[str, str] = {}
        if tree.date_from:
            rng["gte"] = tree.date_from.isoformat()
        if tree.date_to:
            rng["lte"] = tree.date_to.isoformat()
        out.append({"range": {"date": rng}})
    vis = visibility_filter(visibility)
    if vis is not None:
        out.append(vis)
    return out


def _normalize_sort(sort: str, warnings: list[str]) -> str:
    value = SORTS.get(str(sort or "relevance").lower())
    if value is None:
        warnings.append(f"Orden desconocido «{sort}»; se ordenó por relevancia.")
        return "relevance"
    return value


def build_query(tree: QueryTree | str | None, visibility: Visibility, sort: str = "relevance",
                page: int = 1, per_page: int = 20, facets: bool = True,
                fitting_scores: Iterable[tuple[int, float]] = ()) -> dict[str, Any]:
    """The search request body for a query tree. Pure: no server needed.
    ``fitting_scores``: (document_id, fixed score) ordering the norms a typed number fits
    (search.fitting)."""
    tree = ensure_tree(tree)
    plan = plan_page(page, per_page)
    sort = _normalize_sort(sort, [])
    must: list[dict] = []
    should: list[dict] = []
    for text in tree.terms:
        must.append(_word(text))
    should.extend(_title_bonus(tree.terms, tree.type_nouns()))
    for text in tree.phrases:
        must.append(_phrase(text))
    for item in tree.numbers:
        must.append(_known_item(item))
    for document_id, score in fitting_scores:
        should.append({"constant_score": {"filter": {"term": {"document_id": document_id}},
                                          "boost": score}})
    for group in tree.any_of:
        must.append({"bool": {"should": [_atom(a) for a in group], "minimum_should_match": 1}})
    must_not = [_atom(a) for a in tree.exclude]
    bool_query: dict[str, Any] = {}
    if must:
        bool_query["must"] = must
    if should:
        bool_query["should"] = should
    if must_not:
        bool_query["must_not"] = must_not
    filters = build_filters(tree, visibility)
    if filters:
        bool_query["filter"] = filters
    if not must and not filters:
        bool_query["must"] = [{"match_all": {}}]

    by_date = sort == "date" or not tree.has_text
    date_desc = {"date": {"order": "desc", "missing": "_last"}}
    body: dict[str, Any] = {
        "query": {"bool": bool_query},
        "from": plan.offset,
        "size": plan.per_page,
        "track_total_hits": True,
        "sort": [date_desc, {"id": "asc"}] if by_date else ["_score", date_desc, {"id": "asc"}],
        "_source": {"excludes": ["body"]},
        "highlight": {
            "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
            "fields": {
                "title": {"number_of_fragments": 0},
                "title.exact": {"number_of_fragments": 0},
                "body": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1,
                         "no_match_size": SNIPPET_CHARS},
                "body.exact": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1},
            },
        },
    }
    if facets:
        body["aggs"] = {f: {"terms": {"field": FACET_SOURCE.get(f, f), "size": FACET_SIZE}}
                        for f in FACET_FIELDS}
    return body


def build_fitting(keys: str | Sequence[str], tree: QueryTree,
                  visibility: Visibility) -> dict[str, Any]:
    """The request for the first MAX_FITTING entries whose number has one of ``keys`` among
    the results of the search (by document id), with their count, and how many entries of
    the whole index have it (a global aggregation: whoever may see them). Pure."""
    keys = [keys] if isinstance(keys, str) else list(keys)
    number = {"term": {"number_key": keys[0]}} if len(keys) == 1 else {
        "terms": {"number_key": keys}}
    return {"query": {"bool": {"filter": [number,
                                          build_query(tree, visibility, facets=False)["query"]]}},
            "size": fitting.MAX_FITTING, "track_total_hits": True,
            "sort": [{"document_id": "asc"}],
            "_source": ["document_id", "doc_type", "number", "number_key", "date"],
            "aggs": {"archive": {"global": {}, "aggs": {"fits": {"filter": number}}}}}


def fitting_from_es(resp: dict) -> tuple[list[fitting.Fitting], int]:
    """The fitting norms of a ``build_fitting`` response, and how many there are."""
    found = []
    for raw in resp["hits"]["hits"]:
        src = raw.get("_source", {})
        keys = src.get("number_key") or []
        found.append(fitting.Fitting(
            document_id=int(src["document_id"]), doc_type=src.get("doc_type", ""),
            number=src.get("number", ""),
            keys=tuple([keys] if isinstance(keys, str) else keys), date=src.get("date")))
    return found, int(resp["hits"]["total"]["value"])


def fits_anywhere(resp: dict) -> bool:
    """Whether any entry of the index has the number of a ``build_fitting`` request."""
    return bool(resp.get("aggregations", {}).get("archive", {}).get("fits", {})
                .get("doc_count", 0))


def build_citations(keys: Iterable[str]) -> dict[str, Any]:
    """The request counting, for each key, the entries (drafts aside) that cite it. Pure."""
    wanted = sorted(set(keys))
    return {"size": 0, "track_total_hits": False,
            "query": {"bool": {"filter": [{"terms": {"cites": wanted}}],
                               "must_not": [{"term": {"status": "borrador"}}]}},
            "aggs": {"cited": {"terms": {"field": "cites", "include": wanted,
                                         "size": max(1, len(wanted))}}}}


def citations_from_es(resp: dict) -> dict[str, int]:
    buckets = resp.get("aggregations", {}).get("cited", {}).get("buckets", [])
    return {b["key"]: int(b["doc_count"]) for b in buckets}


def build_more_like_this(text: str, visibility: Visibility, limit: int = 10,
                         statuses=None, exclude_document_ids=()) -> dict[str, Any] | None:
    """The request body of a more-like-this search (None for an empty text). Pure."""
    like = (text or "")[:MLT_MAX_CHARS]
    if not like.strip():
        return None
    filters: list[dict] = []
    wanted = sorted({str(s).strip().lower() for s in (statuses or ()) if s})
    if wanted:
        filters.append({"terms": {"status": wanted}})
    vis = visibility_filter(visibility)
    if vis is not None:
        filters.append(vis)
    bool_query: dict[str, Any] = {"must": [{"more_like_this": {
        "fields": ["title", "body"], "like": like, "min_term_freq": 1, "min_doc_freq": 1,
        "max_query_terms": MLT_MAX_TERMS, "min_word_length": MLT_MIN_WORD_LENGTH}}]}
    if filters:
        bool_query["filter"] = filters
    excluded = sorted({int(i) for i in exclude_document_ids})
    if excluded:
        bool_query["must_not"] = [{"terms": {"document_id": excluded}}]
    return {"query": {"bool": bool_query}, "size": min(max(int(limit), 1), MAX_PER_PAGE),
            "track_total_hits": False, "_source": {"excludes": ["body"]}}


def _best(highlight: dict, *fields: str) -> str | None:
    options = [frag for f in fields for frag in highlight.get(f, [])[:1]]
    if not options:
        return None
    return max(options, key=lambda frag: frag.count("<mark>"))


def hit_from_es(raw: dict, by_date: bool) -> Hit:
    src = raw.get("_source", {})
    hl = raw.get("highlight", {})
    title = src.get("title", "")
    title_html = _best(hl, "title", "title.exact") or render_marked(title, [])
    snippet = _best(hl, "body", "body.exact")
    return Hit(
        id=src.get("id", raw.get("_id")), document_id=src.get("document_id"),
        version_number=src.get("version_number", 0), number=src.get("number", ""),
        title=title, title_html=title_html, doc_type=src.get("doc_type", ""),
        year=src.get("year"), date=src.get("date"), status=src.get("status", ""),
        office=src.get("office", ""), signer=src.get("signer", ""),
        published=bool(src.get("published", False)),
        score=None if by_date else raw.get("_score"),
        snippets=[snippet] if snippet else [],
    )


# -- the backend ------------------------------------------------------------------------

class ElasticsearchBackend:
    """Search through an Elasticsearch cluster. Errors reaching it become
    ``SearchUnavailable`` (a save never fails because of it: the application keeps the change queued)."""

    name = "elasticsearch"

    def __init__(self, url: str, *, prefix: str = "docsys", api_key: str | None = None,
                 ca_certs: str | None = None, client=None, request_timeout: float = 30.0):
        from elasticsearch import Elasticsearch

        self.prefix = prefix
        self.alias = prefix
        self.building_alias = f"{prefix}-building"
        kwargs: dict[str, Any] = {"request_timeout": request_timeout}
        if api_key:
            kwargs["api_key"] = api_key
        if ca_certs:
            kwargs["ca_certs"] = ca_certs
        self.client = client or Elasticsearch(url, **kwargs)
        self._ready = False
        self._needs_rebuild = False

    # -- plumbing ------------------------------------------------------------------------

    def _call(self, fn: Callable, *args, **kwargs):
        from elasticsearch import ApiError, TransportError

        try:
            return fn(*args, **kwargs)
        except (TransportError, ApiError) as exc:
            log.warning("Elasticsearch no disponible: %s", exc)
            raise SearchUnavailable(
                "El servicio de búsqueda no está disponible en este momento.") from exc

    def _new_index_name(self) -> str:
        return f"{self.prefix}-{datetime.now(timezone.utc).strftime('%Y%m%d%H%M%S%f')}"

    def _aliased(self, alias: str) -> list[str]:
        """The indices behind ``alias`` (none when it does not exist)."""
        if not self._call(self.client.indices.exists_alias, name=alias):
            return []
        return sorted(self._call(self.client.indices.get_alias, name=alias).body)

    def _ensure(self) -> None:
        """Create an empty index behind the alias on first use (flagged for rebuild)."""
        if self._ready:
            return
        current = self._aliased(self.alias)
        if not current:
            # A fixed name for the very first index: processes starting together create it
            # once (the others get "already exists"), never two indices behind the alias.
            from elasticsearch import BadRequestError

            body = build_mapping()
            try:
                self.client.indices.create(index=f"{self.prefix}-initial",
                                           settings=body["settings"],
                                           mappings=body["mappings"], aliases={self.alias: {}})
            except BadRequestError as exc:
                if "resource_already_exists" not in str(exc):
                    raise SearchUnavailable("No se pudo crear el índice de búsqueda.") from exc
            except Exception as exc:
                raise SearchUnavailable(
                    "El servicio de búsqueda no está disponible en este momento.") from exc
            self._needs_rebuild = True
        else:
            mapping = self._call(self.client.indices.get_mapping, index=current[0]).body
            meta = next(iter(mapping.values()))["mappings"].get("_meta", {})
            self._needs_rebuild = meta.get("schema_version") != SCHEMA_VERSION
        self._ready = True

    @property
    def needs_rebuild(self) -> bool:
        self._ensure()
        return self._needs_rebuild

    def _targets(self) -> list[str]:
        """Where writes go: the alias, and the index being rebuilt if there is one."""
        targets = [self.alias]
        if self._call(self.client.indices.exists_alias, name=self.building_alias):
            targets.append(self.building_alias)
        return targets

    def _bulk(self, target: str, actions: list[dict], ignore_status=()) -> None:
        """Send ``actions``. Through the live alias, wait until searches see them; into an
        index being rebuilt (refresh disabled until it is complete), do not wait."""
        from elasticsearch import helpers

        if not actions:
            return
        refresh = "wait_for" if target == self.alias else False
        try:
            self._call(helpers.bulk, self.client, actions, refresh=refresh,
                       ignore_status=ignore_status)
        except helpers.BulkIndexError as exc:
            raise SearchUnavailable(
                f"Elasticsearch rechazó {len(exc.errors)} documento(s).") from exc

    # -- writing -------------------------------------------------------------------------

    def index(self, docs: Iterable[SearchDoc | dict]) -> int:
        self._ensure()
        prepared = [SearchDoc.coerce(d).normalized() for d in docs]
        for target in self._targets():
            self._bulk(target, [{"_op_type": "index", "_index": target, "_id": d.id,
                                 "_source": doc_source(d)} for d in prepared])
        return len(prepared)

    def delete(self, ids: Iterable[str]) -> None:
        self._ensure()
        ids = [str(i) for i in ids]
        for target in self._targets():
            self._bulk(target, [{"_op_type": "delete", "_index": target, "_id": i} for i in ids],
                       ignore_status=(404,))

    def delete_documents(self, document_ids: Iterable[int]) -> None:
        self._ensure()
        dids = [int(i) for i in document_ids]
        if not dids:
            return
        for target in self._targets():
            self._call(self.client.delete_by_query, index=target,
                       query={"terms": {"document_id": dids}},
                       refresh=target == self.alias, conflicts="proceed")

    def clear(self) -> None:
        self._ensure()
        for target in self._targets():
            self._call(self.client.delete_by_query, index=target, query={"match_all": {}},
                       refresh=target == self.alias, conflicts="proceed")

    def count(self) -> int:
        self._ensure()
        return int(self._call(self.client.count, index=self.alias)["count"])

    def rebuild(self, docs: Iterable[SearchDoc | dict],
                progress: Callable[[int], Any] | None = None) -> int:
        """Fill a new index, then swap the alias to it atomically and drop the old one."""
        from elasticsearch import helpers

        self._ensure()
        for stale in self._aliased(self.building_alias):
            settings = self._call(self.client.indices.get_settings, index=stale).body
            created = int(settings[stale]["settings"]["index"]["creation_date"]) / 1000
            if time.time() - created < STALE_REBUILD_SECONDS:
                raise RebuildInProgress("Ya hay una reconstrucción del índice en curso.")
            log.warning("Se descarta el índice %s de una reconstrucción interrumpida.", stale)
            self._call(self.client.indices.delete, index=stale, ignore_unavailable=True)
        name = self._new_index_name()
        body = build_mapping()
        settings = dict(body["settings"], refresh_interval="-1")
        self._call(self.client.indices.create, index=name, settings=settings,
                   mappings=body["mappings"], aliases={self.building_alias: {}})
        count = 0
        try:
            # "create": a document written meanwhile through the alias (newer) wins.
            actions = ({"_op_type": "create", "_index": name, "_id": d.id,
                        "_source": doc_source(d)}
                       for d in (SearchDoc.coerce(raw).normalized() for raw in docs))
            for ok, item in helpers.streaming_bulk(self.client, actions, chunk_size=500,
                                                   raise_on_error=False, max_retries=3):
                info = next(iter(item.values()))
                if not ok and info.get("status") != 409:
                    raise SearchUnavailable(f"Elasticsearch rechazó el documento "
                                            f"{info.get('_id')}: {info.get('error')}")
                count += 1
                if progress is not None:
                    progress(1)
            self._call(self.client.indices.put_settings, index=name,
                       settings={"index": {"refresh_interval": None}})
            self._call(self.client.indices.refresh, index=name)
            old = self._aliased(self.alias)
            self._call(self.client.indices.update_aliases,
                       actions=alias_swap_actions(self.alias, self.building_alias, old, name))
        except BaseException:
            try:
                self.client.indices.delete(index=name, ignore_unavailable=True)
            except Exception as cleanup:  # the original error matters more
                log.warning("No se pudo borrar el índice incompleto %s: %s", name, cleanup)
            raise
        for index_name in old:
            self._call(self.client.indices.delete, index=index_name, ignore_unavailable=True)
        self._needs_rebuild = False
        return count

    def close(self) -> None:
        self.client.close()

    # -- searching -----------------------------------------------------------------------

    def search(self, query: QueryTree | str | None, *, visibility: Visibility,
               sort: str = "relevance", page: int = 1, per_page: int = 20,
               facets: bool = True) -> SearchResults:
        if not isinstance(visibility, Visibility):
            raise TypeError("visibility debe ser un search.Visibility")
        self._ensure()
        tree = ensure_tree(query)
        plan = plan_page(page, per_page)
        warnings = list(tree.warnings) + list(plan.warnings)
        sort = _normalize_sort(sort, warnings)
        by_date = sort == "date" or not tree.has_text
        scores: list[tuple[int, float]] = []
        if not by_date and tree.numbers:
            scores, notices = self._fitting_order(tree, visibility)
            warnings.extend(notices)
        body = build_query(tree, visibility, sort, plan.page, plan.per_page, facets, scores)
        resp = self._call(self.client.search, index=self.alias, body=body)
        total = int(resp["hits"]["total"]["value"])
        pages = page_count(total, plan.per_page)
        page_no = plan.page
        if total and page_no > pages:
            warnings.append(clamp_warning(page_no, pages))
            page_no = pages
            body = build_query(tree, visibility, sort, page_no, plan.per_page, facets,
                               scores)
            resp = self._call(self.client.search, index=self.alias, body=body)
        elif not total:
            page_no = 1  # no results: the one (empty) page
        facet_counts = {}
        if facets:
            for f in FACET_FIELDS:
                facet_counts[f] = order_buckets(
                    f, resp.get("aggregations", {}).get(f, {}).get("buckets", ()))
        hits = [hit_from_es(h, by_date) for h in resp["hits"]["hits"]]
        return SearchResults(hits=hits, total=total, page=page_no, per_page=plan.per_page,
                             pages=pages, sort=sort, facets=facet_counts, warnings=warnings,
                             query=tree)

    def _fitting_order(self, tree: QueryTree, visibility: Visibility
                       ) -> tuple[list[tuple[int, float]], list[str]]:
        """As EmbeddedBackend._fitting_order: for each typed number that several norms fit,
        the fixed scores of search.fitting's order, and its notice; for one that no entry
        has, the notice that says so."""
        scores: list[tuple[int, float]] = []
        notices: list[str] = []
        for item in tree.numbers:
            found: list[fitting.Fitting] = []
            total = 0
            if item.sector_key:
                found, total = fitting_from_es(self._call(
                    self.client.search, index=self.alias,
                    body=build_fitting(item.sector_key, tree, visibility)))
            if not total:
                resp = self._call(self.client.search, index=self.alias,
                                  body=build_fitting(item.keys, tree, visibility))
                found, total = fitting_from_es(resp)
                if not total and not fits_anywhere(resp):
                    notices.append(fitting.absent_notice(item.text))
            if total < 2:
                continue
            keys = set(fitting.citation_keys(found).values())
            cited = citations_from_es(self._call(
                self.client.search, index=self.alias, body=build_citations(keys))) if keys else {}
            ordered = fitting.order(found, cited)
            scores.extend(fitting.scores(ordered))
            notices.append(fitting.notice(item.text, ordered, cited, total))
        return scores, notices

    def more_like_this(self, text: str, *, visibility: Visibility, limit: int = 10,
                       statuses=None, exclude_document_ids=()) -> list[Hit]:
        """Entries most like ``text``: Elasticsearch's ``more_like_this`` query."""
        if not isinstance(visibility, Visibility):
            raise TypeError("visibility debe ser un search.Visibility")
        body = build_more_like_this(text, visibility, limit, statuses, exclude_document_ids)
        if body is None:
            return []
        self._ensure()
        resp = self._call(self.client.search, index=self.alias, body=body)
        return [hit_from_es(h, by_date=False) for h in resp["hits"]["hits"]]


def alias_swap_actions(alias: str, building_alias: str, old: list[str], new: str) -> list[dict]:
    """One atomic alias update: the alias leaves the old indices and points at the new one."""
    actions: list[dict] = [{"remove": {"index": i, "alias": alias}} for i in old]
    actions.append({"add": {"index": new, "alias": alias}})
    actions.append({"remove": {"index": new, "alias": building_alias}})
    return actions
