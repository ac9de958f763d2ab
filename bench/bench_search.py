"""Search benchmark: docsys's API, its search layer, raw tantivy, Whoosh and PostgreSQL
full-text search, interleaved over the same queries in one run.

Generates its own seeded Spanish legal corpus (bench/corpus.py: 300–3,000-word norms with
numbers, citations, types, years, offices, statuses) and a fixed mix of queries (terms,
phrases, filters, facets, date ranges, known-item numbers, OR/exclusions). Every engine
answers every query and shows the same page: the facet counts (type, year, office,
status, signer), the total, the first 20 hits with their stored fields and a highlighted
snippet. The engines take turns query by query (in a rotating order), so other load on the
machine weighs on each alike:

- ``api``: ``GET /api/v1/search?q=...`` through the real WSGI application (a docsys app
  with a SQLite database, users and API tokens, the same index), called the way a WSGI
  server calls it: bearer-token check, the user's visibility, outbox check, parse, search,
  JSON. Searchers: 70 % the archive (sees everything), 30 % a drafter of one office;
- ``layer``: ``backend.search`` alone (the search layer as the route calls it);
- ``raw``: the same tantivy query (built beforehand) through the bare tantivy calls a
  program needs for that page: facet aggregation on a thread pool of the same size as
  docsys's (alongside the hits, as docsys does), top 20, ``doc(addr).to_dict()``, and the
  same title highlighting and snippets (search.embedded's highlighter: tantivy's own
  SnippetGenerator is several times slower on these bodies; ``--tantivy-snippets`` adds it
  as a row of its own);
- ``whoosh``: Whoosh 2.7 (Paperless-ngx's engine before tantivy) on the same documents:
  RegexTokenizer | LowercaseFilter | StopFilter (the same Spanish stop words) |
  CharsetFilter(accent_map) | StemFilter(lang="es"); the same filters and facet counts
  (groupedby), top 20 with stored fields — but by default no snippets: Whoosh's
  highlighter analyses every stored body again, seconds per query on these norms, which
  would make the run last hours (``--whoosh-snippets`` adds them). Whoosh thus does less
  work than the others: its ratios understate how much slower it is;
- ``postgres``: PostgreSQL full-text search with the ``spanish`` configuration (what a
  PostgreSQL shop would pick): a weighted tsvector (title A, body B) with a GIN index in a
  scratch schema of the given database (dropped afterwards); one GROUPING SETS query for
  the facets and one for the 20 hits ranked by ts_rank_cd with ts_headline snippets.

Every engine answers every query ``--passes`` times (default 3, as the issue measured),
the passes one after the other, each interleaved. Back to back by default (a busy server);
``--gap MS`` idles before each query, as a lightly used server does between requests: the
process then runs cold (CPU caches, predictors, clock) and every engine is slower, the
ones running more Python code the most. Whoosh's and PostgreSQL's long turns have that
effect on the others too, so the API/raw ratio is higher in a run with them than without. Ratios are computed like for like
(p50/p50, p95/p95, p99/p99) over all passes; the API/raw ratio of each pass is printed too,
to show how much a single pass varies. Wall-clock milliseconds;
the CPU time of this process is printed too for the in-process engines (PostgreSQL works in
its own processes).

Targets (issue 17): API p50 ≤ 1.2× and p95 ≤ 1.1× the raw engine doing the same work.

Run (a few minutes on a shared 2-core machine):
    .venv/bin/python bench/bench_search.py
The scale of the issue (100,000 norms; about an hour, mostly Whoosh and PostgreSQL
indexing):
    .venv/bin/python bench/bench_search.py --docs 100000 --queries 300
Options: --passes N, --gap MS, --no-whoosh, --whoosh-snippets, --no-postgres, --postgres URL, --whoosh-docs N,
--tantivy-snippets, --dir PATH, --json FILE.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tantivy  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench.corpus import OFFICE_NAMES, NumberSample, generate, make_queries  # noqa: E402
from search import Visibility, parse_query  # noqa: E402
from search.analysis import STOP_WORDS  # noqa: E402
from search.embedded import (  # noqa: E402
    FACET_AGGS, FACET_THREADS, EmbeddedBackend, _Highlighter,
)
from search.query import KnownItem, Phrase, QueryTree  # noqa: E402

PER_PAGE = 20
TARGET_P50 = 1.2       # API / raw engine, p50
TARGET_P95 = 1.1       # API / raw engine, p95
FACET_NAMES = ("doc_type", "year", "office", "status", "signer_name")


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99), "mean": statistics.fmean(values) if values else 0}


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def searchers(n: int, seed: int = 3) -> list[str]:
    """Who runs each query (usernames of the benchmark's API users): 70 % the archive
    (sees everything), 30 % a drafter of one office (published norms + that office's
    documents + their own)."""
    rng = random.Random(seed)
    offices = sorted(OFFICE_NAMES)
    return ["archivo" if rng.random() < 0.7 else f"redactor.{rng.choice(offices).lower()}"
            for _ in range(n)]


def seeded_workload(docs: int, queries: int, seed: int) -> tuple[list, list, list[str]]:
    """The benchmark's generated norms, its queries (category, text) and who runs each."""
    sample = NumberSample()
    corpus = []
    for doc in tqdm(generate(docs, seed=seed), total=docs, desc="corpus", unit="doc",
                    leave=False):
        sample.add(doc)
        corpus.append(doc)
    asked = make_queries(queries, sample.items)
    return corpus, asked, searchers(len(asked))


class ApiSite:
    """A real docsys application (SQLite database with users and API tokens) whose search
    index is the benchmark's. ``call`` runs GET /api/v1/search through the WSGI
    application as a WSGI server would (the request environ is built beforehand, as the
    server's HTTP parsing is not docsys's work)."""

    def __init__(self, index_dir: Path, workdir: Path):
        from docsys import accounts, create_app, migrate
        from docsys.db import transaction

        db = workdir / "api.db"
        db.unlink(missing_ok=True)
        self.app = create_app({
            "DATABASE_URL": f"sqlite:///{db}", "SECRET_KEY": "bench", "TESTING": False,
            "INSTANCE_DIR": str(workdir), "SEARCH_DIR": str(index_dir),
            "ELASTICSEARCH_URL": None, "SEARCH_BACKGROUND": False,
            "BLOB_DIR": str(workdir / "blobs"), "PKI_DIR": str(workdir / "pki")})
        migrate.upgrade(self.app.extensions["docsys.engine"])
        self.tokens: dict[str, str] = {}
        with transaction(self.app.extensions["docsys.sessions"]) as session:
            for code, name in sorted(OFFICE_NAMES.items()):
                accounts.ensure_office(session, code, name)
            users = [("archivo", ["archivist"], None)] + [
                (f"redactor.{code.lower()}", ["drafter"], code) for code in sorted(OFFICE_NAMES)]
            for username, roles, office in users:
                user = accounts.create_user(session, username, "benchmark-2026", username,
                                            roles, office_code=office)
                session.flush()
                self.tokens[username] = accounts.create_api_token(session, user, "bench")
        self.service = self.app.extensions["docsys.search"]

    def visibility(self, username: str) -> Visibility:
        from docsys.accounts import user_for_token
        from docsys.policy import search_visibility

        session = self.app.extensions["docsys.sessions"]()
        try:
            return search_visibility(user_for_token(session, self.tokens[username]))
        finally:
            session.close()

    def environ(self, query: str, username: str) -> dict:
        from werkzeug.test import EnvironBuilder

        builder = EnvironBuilder(path="/api/v1/search", query_string={"q": query},
                                 base_url="http://localhost/",
                                 headers={"Authorization": f"Bearer {self.tokens[username]}"})
        try:
            return builder.get_environ()
        finally:
            builder.close()

    def call(self, environ: dict) -> bytes:
        status: list[str] = []

        def start_response(s, headers, exc_info=None):
            status.append(s)

        body = self.app(dict(environ), start_response)
        try:
            data = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        if not status[0].startswith("200"):
            raise RuntimeError(f"/api/v1/search: HTTP {status[0]} {data[:200]!r}")
        return data

    def close(self) -> None:
        self.service.close()
        self.app.extensions["docsys.engine"].dispose()


def interleaved(runs: dict, n: int, warmup: int = 20, passes: int = 1,
                gap: float = 0.0) -> dict[str, list[float]]:
    """Time each of ``runs`` (functions of the query number) on queries 0..n-1, ``passes``
    times over, taking turns query by query (in an order rotating with the query and the
    pass), so that other load on the machine weighs on every variant alike. The first
    ``warmup`` queries are run once before timing. Records wall-clock milliseconds under
    ``name`` and the process's CPU milliseconds (all its threads) under ``name + "_cpu"``,
    pass after pass (entry ``p * n + i`` is pass p, query i). ``gap``: seconds the process
    idles before each timed call (requests reaching a server that is otherwise idle)."""
    names = list(runs)
    for i in range(min(warmup, n)):
        for name in names:
            runs[name](i)
    out: dict[str, list[float]] = {key: [] for name in names for key in (name, name + "_cpu")}
    for p in range(passes):
        for i in tqdm(range(n), desc=f"consultas (pasada {p + 1}/{passes})", unit="q",
                      leave=False):
            k = (i + p) % len(names)
            for name in names[k:] + names[:k]:
                if gap:
                    time.sleep(gap)
                t, c = time.perf_counter(), time.process_time()
                runs[name](i)
                out[name].append((time.perf_counter() - t) * 1000)
                out[name + "_cpu"].append((time.process_time() - c) * 1000)
    return out


# -- docsys and raw tantivy ---------------------------------------------------------------

def build_docsys(docs, workdir: Path) -> tuple[Path, float, int]:
    path = workdir / "docsys-index"
    shutil.rmtree(path, ignore_errors=True)
    builder = EmbeddedBackend(path)
    bar = tqdm(total=len(docs), desc="docsys: indexando", unit="doc", leave=False)
    t = time.perf_counter()
    builder.rebuild(docs, progress=bar.update)
    elapsed = time.perf_counter() - t
    bar.close()
    builder.close()
    return path, len(docs) / elapsed, dir_size(path)


def docsys_runs(site: ApiSite, queries, users, tantivy_snippets: bool) -> dict:
    """The functions timed for docsys (API, layer) and for raw tantivy."""
    backend = site.service.backend
    vis_of = {u: site.visibility(u) for u in set(users)}
    environs = [site.environ(q, u) for (_, q), u in zip(queries, users)]
    pairs = [(q, vis_of[u]) for (_, q), u in zip(queries, users)]
    searcher = backend._current().searcher()
    schema = backend._schema
    prepared = []
    for q, v in pairs:
        tree = parse_query(q)
        prepared.append((backend.build_query(tree, v), not tree.has_text, tree))
    pool = ThreadPoolExecutor(max_workers=FACET_THREADS, thread_name_prefix="raw-facets")

    def raw(i: int) -> None:
        """The page with bare tantivy calls: facets on a pool alongside the top 20, the
        stored fields, the same highlighted title and snippet."""
        query, by_date, tree = prepared[i]
        facets = pool.submit(searcher.aggregate, query, FACET_AGGS)
        kwargs = {"order_by_field": "date", "order": tantivy.Order.Desc} if by_date else {}
        result = searcher.search(query, PER_PAGE, count=False, **kwargs)
        hl = _Highlighter(tree, backend._stem, backend._exact)
        for _, addr in result.hits:
            d = searcher.doc(addr).to_dict()
            hl.title(d["title"][0])
            hl.snippets(d.get("body", [""])[0])
        facets.result()

    def raw_tantivy_snippets(i: int) -> None:
        """The same, with tantivy's own SnippetGenerator for the body."""
        query, by_date, tree = prepared[i]
        facets = pool.submit(searcher.aggregate, query, FACET_AGGS)
        kwargs = {"order_by_field": "date", "order": tantivy.Order.Desc} if by_date else {}
        result = searcher.search(query, PER_PAGE, count=False, **kwargs)
        gen = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
        gen.set_max_num_chars(200)
        for _, addr in result.hits:
            doc = searcher.doc(addr)
            doc.to_dict()
            gen.snippet_from_doc(doc).to_html()
        facets.result()

    runs = {
        "api": lambda i: site.call(environs[i]),
        "layer": lambda i: backend.search(pairs[i][0], visibility=pairs[i][1]),
        "raw": raw,
    }
    if tantivy_snippets:
        runs["raw_tsnip"] = raw_tantivy_snippets
    return {"runs": runs, "vis": [p[1] for p in pairs], "environs": environs,
            "close": pool.shutdown}


# -- Whoosh -------------------------------------------------------------------------------

def whoosh_analyzer():
    from whoosh.analysis import (
        CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter,
    )
    from whoosh.support.charset import accent_map

    return (RegexTokenizer(r"[^\W_]+") | LowercaseFilter()
            | StopFilter(stoplist=STOP_WORDS, minsize=1) | CharsetFilter(accent_map)
            | StemFilter(lang="es"))


def whoosh_schema(analyzer):
    from whoosh import fields

    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        document_id=fields.NUMERIC(stored=True),
        version_number=fields.NUMERIC(stored=True),
        doc_type=fields.ID(stored=True, sortable=True),
        number=fields.TEXT(stored=True, analyzer=analyzer),
        number_key=fields.ID(stored=True),
        cites=fields.KEYWORD(),
        title=fields.TEXT(stored=True, analyzer=analyzer, phrase=True),
        body=fields.TEXT(stored=True, analyzer=analyzer, phrase=True),
        year=fields.NUMERIC(stored=True, sortable=True),
        date=fields.DATETIME(stored=True, sortable=True),
        office=fields.ID(stored=True, sortable=True),
        status=fields.ID(stored=True, sortable=True),
        published=fields.BOOLEAN(stored=True),
        signer=fields.TEXT(stored=True),
        signer_name=fields.ID(sortable=True),
        created_by=fields.NUMERIC(stored=True),
    )


def whoosh_doc(doc) -> dict:
    d = doc.normalized()
    out = {
        "id": d.id, "document_id": d.document_id, "version_number": d.version_number,
        "doc_type": d.doc_type, "number": d.number, "title": d.title, "body": d.body,
        "office": d.office or "-", "status": d.status, "published": d.published,
        "signer": d.signer, "created_by": d.created_by or 0,
        "cites": " ".join(d.cited_keys()),
    }
    if d.number_key:
        out["number_key"] = d.number_key
    if d.signer:
        out["signer_name"] = d.signer
    if d.year:
        out["year"] = d.year
    if d.date:
        out["date"] = datetime.fromisoformat(d.date)
    return out


class WhooshQueries:
    """The QueryTree in Whoosh query objects, same semantics as docsys."""

    def __init__(self, analyzer):
        from whoosh import query as wq

        self.wq = wq
        self.analyzer = analyzer

    def tokens(self, text: str) -> list[str]:
        return [t.text for t in self.analyzer(text)]

    def word(self, text):
        wq = self.wq
        toks = self.tokens(text)
        if not toks:
            return None
        return wq.And([wq.Or([wq.Term("title", t, boost=3.0), wq.Term("body", t)])
                       for t in toks])

    def phrase(self, text):
        wq = self.wq
        toks = self.tokens(text)
        if not toks:
            return None
        if len(toks) == 1:
            return wq.Or([wq.Term("title", toks[0], boost=3.0), wq.Term("body", toks[0])])
        return wq.Or([wq.Phrase("title", toks, boost=3.0), wq.Phrase("body", toks)])

    def known(self, item: KnownItem):
        wq = self.wq
        parts = [wq.ConstantScoreQuery(wq.Term("number_key", item.key), 1000.0),
                 wq.ConstantScoreQuery(wq.Term("cites", item.key), 20.0)]
        words = [q for q in (self.word(w) for w in item.words) if q is not None]
        if words:
            parts.append(wq.And(words))
        return wq.Or(parts)

    def atom(self, atom):
        if isinstance(atom, KnownItem):
            return self.known(atom)
        if isinstance(atom, Phrase):
            return self.phrase(atom.text)
        return self.word(atom.text)

    def build(self, tree: QueryTree, vis: Visibility):
        wq = self.wq
        must = [q for q in (self.word(t) for t in tree.terms) if q is not None]
        must += [q for q in (self.phrase(p) for p in tree.phrases) if q is not None]
        must += [self.known(k) for k in tree.numbers]
        for group in tree.any_of:
            opts = [q for q in (self.atom(a) for a in group) if q is not None]
            if opts:
                must.append(wq.Or(opts))
        filters = []
        if tree.doc_types:
            filters.append(wq.Or([wq.Term("doc_type", v) for v in tree.doc_types]))
        if tree.years:
            filters.append(wq.Or([wq.NumericRange("year", y, y) for y in tree.years]))
        if tree.offices:
            filters.append(wq.Or([wq.Term("office", v) for v in tree.offices]))
        if tree.statuses:
            filters.append(wq.Or([wq.Term("status", v) for v in tree.statuses]))
        for name in tree.signers:
            words = [w.lower() for w in name.split() if w]
            if words:
                filters.append(wq.And([wq.Term("signer", w) for w in words]))
        if tree.date_from or tree.date_to:
            lo = datetime.combine(tree.date_from, datetime.min.time()) if tree.date_from else None
            hi = datetime.combine(tree.date_to, datetime.max.time()) if tree.date_to else None
            filters.append(wq.DateRange("date", lo, hi))
        if not vis.all:
            pub = wq.Term("published", True)
            if vis.published_only:
                filters.append(pub)
            else:
                opts = [pub] + [wq.Term("office", o) for o in vis.offices]
                if vis.user_id is not None:
                    opts.append(wq.NumericRange("created_by", vis.user_id, vis.user_id))
                filters.append(wq.Or(opts))
        q = wq.And(must + filters) if (must or filters) else wq.Every()
        excluded = [x for x in (self.atom(a) for a in tree.exclude) if x is not None]
        if excluded:
            q = wq.AndNot(q, wq.Or(excluded))
        return q


def whoosh_runner(docs, queries, vis, workdir: Path, snippets: bool) -> dict:
    """Index ``docs`` with Whoosh and return the function answering query ``i``."""
    from whoosh import highlight, sorting
    from whoosh import index as windex

    path = workdir / "whoosh-index"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    analyzer = whoosh_analyzer()
    ix = windex.create_in(str(path), whoosh_schema(analyzer))
    procs = max(1, min(4, os.cpu_count() or 1))
    t = time.perf_counter()
    writer = ix.writer(procs=procs, limitmb=256, multisegment=procs > 1)
    for doc in tqdm(docs, desc="whoosh: indexando", unit="doc", leave=False):
        writer.add_document(**whoosh_doc(doc))
    writer.commit()
    elapsed = time.perf_counter() - t

    builder = WhooshQueries(analyzer)
    groupedby = {f: sorting.FieldFacet(f) for f in FACET_NAMES}
    searcher = ix.searcher()
    prepared = []
    for (_, q), v in zip(queries, vis):
        tree = parse_query(q)
        prepared.append((builder.build(tree, v), not tree.has_text))

    def run(i: int) -> None:
        wquery, by_date = prepared[i]
        kwargs = {"sortedby": "date", "reverse": True} if by_date else {}
        results = searcher.search(wquery, limit=PER_PAGE, groupedby=groupedby, **kwargs)
        results.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=60)
        len(results)  # the total
        for f in groupedby:
            results.groups(f)
        for hit in results:
            hit.fields()
            if snippets:
                hit.highlights("title")
                hit.highlights("body", top=1)

    return {"run": run, "rate": len(docs) / elapsed, "size": dir_size(path),
            "close": searcher.close}


# -- PostgreSQL full-text search ------------------------------------------------------------

class PgQuery:
    """A QueryTree as SQL over the scratch table: a WHERE condition, and the tsquery that
    ranks and highlights."""

    def __init__(self, tree: QueryTree, vis: Visibility):
        self.cond: list[str] = []
        self.params: list = []
        self.rank: list[str] = []          # OR-ed tsqueries of every positive word
        self.rank_params: list = []
        self.boost = "0"
        self.boost_params: list = []
        for t in tree.terms:
            self._add(*self._word(t))
        for p in tree.phrases:
            self._add(*self._phrase(p))
        for k in tree.numbers:
            self._add(*self._known(k))
        for group in tree.any_of:
            parts = [self._atom(a) for a in group]
            self._add("(" + " OR ".join(c for c, _ in parts) + ")",
                      [x for _, ps in parts for x in ps])
        for atom in tree.exclude:
            c, ps = self._atom(atom, rank=False)
            self._add(f"NOT ({c})", ps)
        for column, values in (("doc_type", tree.doc_types), ("year", tree.years),
                               ("office", tree.offices), ("status", tree.statuses)):
            if values:
                self._add(f"{column} = ANY(%s)", [list(values)])
        for name in tree.signers:
            self._add("to_tsvector('simple', signer) @@ plainto_tsquery('simple', %s)", [name])
        if tree.date_from:
            self._add("date >= %s", [tree.date_from])
        if tree.date_to:
            self._add("date <= %s", [tree.date_to])
        if vis.published_only:
            self._add("published", [])
        elif not vis.all:
            self._add("(published OR office = ANY(%s) OR created_by = %s)",
                      [list(vis.offices), vis.user_id if vis.user_id is not None else -1])
        self.by_date = not tree.has_text
        known = tree.known_items
        if known:
            self.boost = ("CASE WHEN number_key = %s THEN 1000 "
                          "WHEN cites @> ARRAY[%s]::text[] THEN 20 ELSE 0 END")
            self.boost_params = [known[0].key, known[0].key]

    def _add(self, cond: str, params: list) -> None:
        self.cond.append(cond)
        self.params.extend(params)

    def _word(self, text: str, rank: bool = True):
        if rank:
            self.rank.append("plainto_tsquery('spanish', %s)")
            self.rank_params.append(text)
        return "tsv @@ plainto_tsquery('spanish', %s)", [text]

    def _phrase(self, text: str, rank: bool = True):
        if rank:
            self.rank.append("phraseto_tsquery('spanish', %s)")
            self.rank_params.append(text)
        return "tsv @@ phraseto_tsquery('spanish', %s)", [text]

    def _known(self, item: KnownItem, rank: bool = True):
        words = " ".join(item.words)
        if rank and words:
            self.rank.append("plainto_tsquery('spanish', %s)")
            self.rank_params.append(words)
        return ("(number_key = %s OR cites @> ARRAY[%s]::text[] "
                "OR tsv @@ plainto_tsquery('spanish', %s))", [item.key, item.key, words])

    def _atom(self, atom, rank: bool = True):
        if isinstance(atom, KnownItem):
            return self._known(atom, rank)
        if isinstance(atom, Phrase):
            return self._phrase(atom.text, rank)
        return self._word(atom.text, rank)

    def where(self) -> str:
        return " AND ".join(self.cond) if self.cond else "TRUE"

    def tsquery(self) -> tuple[str, list]:
        if not self.rank:
            return "''::tsquery", []
        return "(" + " || ".join(self.rank) + ")", list(self.rank_params)


def pg_runner(docs, queries, vis, url: str) -> dict:
    """Load ``docs`` into a scratch schema of ``url`` and return the function answering
    query ``i`` with PostgreSQL full-text search (``spanish`` configuration)."""
    import psycopg

    schema = f"bench_fts_{os.getpid()}"
    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                           autocommit=True)
    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    conn.execute(f"CREATE SCHEMA {schema}")
    conn.execute(f"SET search_path TO {schema}")
    conn.execute("""CREATE TABLE norms (
        id text PRIMARY KEY, document_id int, version_number int, doc_type text,
        number text, number_key text, cites text[], title text, body text, year int,
        date date, office text, status text, published bool, signer text, created_by int,
        tsv tsvector)""")
    t = time.perf_counter()
    with conn.cursor() as cur:
        with cur.copy("COPY norms (id, document_id, version_number, doc_type, number, "
                      "number_key, cites, title, body, year, date, office, status, "
                      "published, signer, created_by) FROM STDIN") as copy:
            for doc in tqdm(docs, desc="postgres: cargando", unit="doc", leave=False):
                d = doc.normalized()
                copy.write_row((d.id, d.document_id, d.version_number, d.doc_type, d.number,
                                d.number_key or None, d.cited_keys(), d.title, d.body, d.year,
                                d.date, d.office, d.status, d.published, d.signer,
                                d.created_by))
    conn.execute("UPDATE norms SET tsv = setweight(to_tsvector('spanish', title), 'A') "
                 "|| setweight(to_tsvector('spanish', body), 'B')")
    conn.execute("CREATE INDEX norms_tsv ON norms USING gin (tsv)")
    conn.execute("CREATE INDEX norms_cites ON norms USING gin (cites)")
    conn.execute("CREATE INDEX norms_key ON norms (number_key)")
    conn.execute("VACUUM ANALYZE norms")
    elapsed = time.perf_counter() - t
    size = conn.execute("SELECT pg_total_relation_size('norms')").fetchone()[0]
    prepared = [PgQuery(parse_query(q), v) for (_, q), v in zip(queries, vis)]

    def run(i: int) -> None:
        pq = prepared[i]
        where = pq.where()
        facets = conn.execute(
            "SELECT doc_type, year, office, status, signer, count(*) FROM norms WHERE "
            f"{where} GROUP BY GROUPING SETS ((doc_type), (year), (office), (status), "
            "(signer))", pq.params).fetchall()
        sum(r[5] for r in facets if r[3] is not None)  # the total
        tsq, tsq_params = pq.tsquery()
        if pq.by_date:
            order, order_params = "date DESC NULLS LAST", []
        else:
            order = f"ts_rank_cd(tsv, {tsq}) + {pq.boost} DESC"
            order_params = tsq_params + pq.boost_params
        opts = "MaxFragments=1, MaxWords=35, MinWords=15, StartSel=<mark>, StopSel=</mark>"
        conn.execute(
            "SELECT id, document_id, version_number, number, doc_type, year, date, status, "
            f"office, signer, published, ts_headline('spanish', title, {tsq}, "
            f"'HighlightAll=true, StartSel=<mark>, StopSel=</mark>'), "
            f"ts_headline('spanish', body, {tsq}, '{opts}') "
            f"FROM (SELECT * FROM norms WHERE {where} ORDER BY {order} LIMIT {PER_PAGE}) h",
            tsq_params + tsq_params + pq.params + order_params).fetchall()

    def close() -> None:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()

    return {"run": run, "rate": len(docs) / elapsed, "size": size, "close": close}


# -- main ---------------------------------------------------------------------------------

LABELS = {"api": "docsys: GET /api/v1/search", "layer": "docsys: backend.search()",
          "raw": "raw tantivy, same work", "raw_tsnip": "raw tantivy + SnippetGenerator",
          "whoosh": "Whoosh 2.7", "postgres": "PostgreSQL FTS (spanish)"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--passes", type=int, default=3,
                    help="times every engine answers every query (interleaved; the issue "
                         "measured three passes)")
    ap.add_argument("--whoosh-docs", type=int, default=None,
                    help="index only the first N documents in Whoosh (default: all)")
    ap.add_argument("--gap", type=float, default=0.0,
                    help="milliseconds of idleness before each timed query (a server "
                         "between requests); default 0: back to back")
    ap.add_argument("--no-whoosh", action="store_true")
    ap.add_argument("--whoosh-snippets", action="store_true",
                    help="Whoosh also highlights title and body (seconds per query)")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--postgres", default=os.environ.get(
        "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="database for the PostgreSQL full-text baseline (a scratch schema is used "
             "and dropped)")
    ap.add_argument("--tantivy-snippets", action="store_true",
                    help="also time raw tantivy with its own SnippetGenerator")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--dir", type=Path, default=None, help="work directory (default: temp)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)

    load_start = os.getloadavg()
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="docsys-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"docsys search benchmark — {args.docs:,} documents, {args.queries} queries × "
          f"{args.passes} passes{f', {args.gap:g} ms idle before each' if args.gap else ''}, "
          f"tantivy {getattr(tantivy, '__version__', '?')}, {os.cpu_count()} CPU, "
          f"load average {load_start[0]:.2f} / {load_start[1]:.2f} / {load_start[2]:.2f}")
    docs, queries, users = seeded_workload(args.docs, args.queries, args.seed)
    mix: dict[str, int] = defaultdict(int)
    for cat, _ in queries:
        mix[cat] += 1
    print("query mix: " + ", ".join(f"{k} {v}" for k, v in sorted(mix.items())))

    results: dict = {"docs": args.docs, "queries": len(queries), "mix": dict(mix),
                     "indexing": {}}
    closers = []
    try:
        index_dir, rate, size = build_docsys(docs, workdir)
        results["indexing"]["docsys"] = {"rate": rate, "size": size, "docs": len(docs)}
        site = ApiSite(index_dir, workdir)
        closers.append(site.close)
        d = docsys_runs(site, queries, users, args.tantivy_snippets)
        closers.append(d["close"])
        runs = dict(d["runs"])
        if not args.no_whoosh:
            n = min(args.whoosh_docs or args.docs, args.docs)
            w = whoosh_runner(docs[:n], queries, d["vis"], workdir, args.whoosh_snippets)
            if not args.whoosh_snippets:
                LABELS["whoosh"] += " (no snippets)"
            closers.append(w["close"])
            runs["whoosh"] = w["run"]
            results["indexing"]["whoosh"] = {"rate": w["rate"], "size": w["size"], "docs": n}
        if not args.no_postgres:
            pg = pg_runner(docs, queries, d["vis"], args.postgres)
            closers.append(pg["close"])
            runs["postgres"] = pg["run"]
            results["indexing"]["postgres"] = {"rate": pg["rate"], "size": pg["size"],
                                               "docs": len(docs)}
        # The corpus held in memory is benchmark data: keep the garbage collector from
        # walking it during every timed query.
        gc.collect()
        gc.freeze()
        lat = interleaved(runs, len(queries), passes=args.passes, gap=args.gap / 1000)
    finally:
        for close in reversed(closers):
            close()
    load_end = os.getloadavg()

    names = list(runs)
    stats = {name: summary(lat[name]) for name in names}
    cpu = {name: summary(lat[name + "_cpu"]) for name in names if name != "postgres"}
    results["latency_ms"] = stats
    results["cpu_ms"] = cpu
    print()
    print(f"{'':34}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>10}   CPU p50/p95 ms")
    for name in names:
        s, c = stats[name], cpu.get(name)
        cpu_text = f"   {c['p50']:.2f} / {c['p95']:.2f}" if c else "   (server processes)"
        print(f"{LABELS[name]:34}{s['p50']:9.2f}{s['p95']:9.2f}{s['p99']:10.2f}{cpu_text}")
    print("\nindexing:")
    for name, r in results["indexing"].items():
        print(f"  {name:9} {r['rate']:8.0f} docs/s  {r['size'] / 1e6:7.1f} MB  "
              f"({r['docs']:,} documents)")
    print("\nratios, like for like (each engine / raw tantivy doing the same work):")
    ratios = {}
    for name in names:
        if name == "raw":
            continue
        r = {p: stats[name][p] / stats["raw"][p] for p in ("p50", "p95", "p99")}
        ratios[name] = r
        print(f"  {LABELS[name]:34} p50 {r['p50']:8.2f}×  p95 {r['p95']:8.2f}×  "
              f"p99 {r['p99']:8.2f}×")
    results["ratios_vs_raw"] = ratios
    if "whoosh" in stats or "postgres" in stats:
        print("baselines / docsys API (how many times slower than docsys):")
        for name in ("whoosh", "postgres"):
            if name in stats:
                print(f"  {LABELS[name]:34} p50 {stats[name]['p50'] / stats['api']['p50']:8.1f}×"
                      f"  p95 {stats[name]['p95'] / stats['api']['p95']:8.1f}×  "
                      f"p99 {stats[name]['p99'] / stats['api']['p99']:8.1f}×")
    if args.whoosh_docs and args.whoosh_docs < args.docs and "whoosh" in stats:
        print(f"  (Whoosh indexed only the first {args.whoosh_docs:,} documents)")
    n = len(queries)
    per_pass = []
    for p in range(args.passes):
        api_p, raw_p = lat["api"][p * n:(p + 1) * n], lat["raw"][p * n:(p + 1) * n]
        per_pass.append({q: percentile(api_p, q) / percentile(raw_p, q) for q in (50, 95)})
    if args.passes > 1:
        print("API/raw per pass: " + ", ".join(
            f"p50 {r[50]:.2f}× p95 {r[95]:.2f}×" for r in per_pass))
    results["api_raw_per_pass"] = per_pass
    api = ratios["api"]
    ok = api["p50"] <= TARGET_P50 and api["p95"] <= TARGET_P95
    print(f"\ntarget API/raw p50 ≤ {TARGET_P50}× and p95 ≤ {TARGET_P95}×: p50 {api['p50']:.2f}×, "
          f"p95 {api['p95']:.2f}×  {'OK' if ok else 'NOT MET'}")
    print(f"machine load average (1/5/15 min) at start {load_start[0]:.2f} / {load_start[1]:.2f}"
          f" / {load_start[2]:.2f}, at end {load_end[0]:.2f} / {load_end[1]:.2f} / "
          f"{load_end[2]:.2f} on {os.cpu_count()} CPU")
    results["load_average"] = {"start": load_start, "end": load_end}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    if args.dir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
