"""Where the time of ``GET /api/v1/search`` goes around the engine: each stage of the lean
search path timed inside real requests, next to raw tantivy doing the same work.

bench_search.py says how much slower the API is than the engine (issue 17's ratio); this
script says where that difference is spent. It builds the same seeded corpus, index,
application and queries as bench_search.py, wraps the functions a search request runs
through (the token check, the database connection, the outbox read, the search layer, the
JSON, the access line...) with timers, and answers every query through the WSGI
application, taking turns with raw tantivy query by query. It prints the median of each
stage per request, and "the rest" (the request's time the stages do not cover: WSGI entry,
the request object and its parameters, headers, the lean path's own code). A stage timed
inside a request costs more than the same function timed alone in a loop: the search
between stages evicts their code and data from the processor's caches. The timers add
about a microsecond each.

It also times a "floor" in the same turns: raw tantivy's page plus the least each of the
API's guarantees costs, done with the fewest Python frames — the query string parsed, the
token generation and the outbox read on a plain DB-API connection, the API's own page
encoded with orjson, the metrics and the access line (operations.record). It is not a
search endpoint (no user, no visibility, no freshness wait, no index checks, no query
parsing: raw builds its query beforehand); it says how far below the API's ratio a Python
answer with those guarantees could get on this machine. A second floor does the same around
the search layer (``backend.search``) instead of raw tantivy: the API's ratio if everything
around the layer cost no more than the guarantees themselves.

Run: .venv/bin/python bench/bench_search_stages.py [--docs 100000 --queries 300] [--layer]
"""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tqdm import tqdm  # noqa: E402

import bench_search  # noqa: E402

LAYER = "search layer (parse, query, hits, facets)"
# (label, where the function lives, its name there): what the lean path calls, in order.
STAGES = [
    ("request id (operations.begin)", "docsys.web.lean", "begin"),
    ("database connection taken", "sqlalchemy.engine.base.Engine", "connect"),
    ("bearer token check (one read)", "docsys.accounts.TokenCache", "cached"),
    ("read-your-writes (outbox read)", "docsys.indexing.SearchService", "ensure_fresh"),
    (LAYER, "docsys.indexing._HealingBackend", "search"),
    ("results as JSON-ready dicts", "docsys.web.api", "results_json"),
    ("connection returned", "sqlalchemy.engine.base.Connection", "close"),
    ("token use bookkeeping", "docsys.web.lean", "finish"),
    ("access line and metrics", "docsys.web.lean", "record"),
]
# Inside the search layer (their time is part of its own; ``--layer`` times them too).
LAYER_STAGES = [
    ("  parse the query", "search.embedded", "ensure_tree"),
    ("  index current? (stat calls)", "search.embedded.EmbeddedBackend", "_current"),
    ("  numbers several norms fit", "search.embedded.EmbeddedBackend", "_fitting_order"),
    ("  build the query tree", "search.embedded._QueryBuilder", "build"),
    ("  a hit: stored fields, title, snippet", "search.embedded.EmbeddedBackend", "_hit"),
    ("  facets in order", "search.embedded", "order_buckets"),
    ("  incomplete? (after the search)", "docsys.indexing._HealingBackend", "_flag"),
]
JSON_LABEL = "JSON encoding (orjson)"


def _owner(path: str):
    module, _, attr = path.rpartition(".")
    try:
        return getattr(__import__(module, fromlist=[attr]), attr)  # a class
    except (ImportError, AttributeError):
        return __import__(path, fromlist=["_"])  # a module


def install_timers(spent: dict[str, float], stages: list[tuple[str, str, str]]) -> None:
    """Wrap every stage so that its time adds up in ``spent`` (seconds, this request)."""
    for label, path, name in stages:
        owner = _owner(path)
        inner = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        if isinstance(inner, staticmethod):
            inner = inner.__func__
            wrap = staticmethod
        else:
            wrap = None

        def timed(*args, __inner=inner, __label=label, **kwargs):
            started = time.perf_counter()
            try:
                return __inner(*args, **kwargs)
            finally:
                spent[__label] += time.perf_counter() - started

        setattr(owner, name, wrap(timed) if wrap else timed)
    import orjson

    import docsys.web.api as api

    class TimedJson:
        """orjson as docsys.web.api uses it, timed."""

        def __getattr__(self, name):
            return getattr(orjson, name)

        @staticmethod
        def dumps(*args, **kwargs):
            started = time.perf_counter()
            try:
                return orjson.dumps(*args, **kwargs)
            finally:
                spent[JSON_LABEL] += time.perf_counter() - started

    api.orjson = TimedJson()  # type: ignore[assignment]


def floor_runs(site, runs: dict, n: int):
    """Raw tantivy's page for query i plus the least the API's guarantees cost (see the
    module's docstring), on a DB-API connection of the application's database; and the
    same around the search layer instead of raw tantivy."""
    from urllib.parse import parse_qs

    import orjson

    from docsys.models import AuthGeneration, SearchOutbox
    from docsys.web.operations import record

    api, raw, layer = runs["runs"]["api"], runs["runs"]["raw"], runs["runs"]["layer"]
    environs = runs["environs"]
    pages = [orjson.loads(api(i)) for i in range(n)]  # the API's own page, to encode
    app = site.app
    dbapi = app.extensions["docsys.engine"].raw_connection()
    generation = f"SELECT value FROM {AuthGeneration.__tablename__} WHERE id = 1"
    outbox = f"SELECT max(id) FROM {SearchOutbox.__tablename__}"

    def around(engine, i: int) -> bytes:
        started = time.perf_counter()
        environ = environs[i]
        parse_qs(environ.get("QUERY_STRING", ""))
        cursor = dbapi.cursor()
        for statement in (generation, outbox):
            cursor.execute(statement)
            cursor.fetchone()
        cursor.close()
        dbapi.rollback()
        engine(i)
        body = orjson.dumps(pages[i])
        record(app, "GET", "/api/v1/search", "/api/v1/search", 200,
               time.perf_counter() - started, environ.get("REMOTE_ADDR"))
        return body

    return (lambda i: around(raw, i)), (lambda i: around(layer, i))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--layer", action="store_true",
                    help="also time the search layer's own stages (adds timers inside it)")
    args = ap.parse_args(argv)

    load_start = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="docsys-stages-"))
    print(f"docsys search stages — {args.docs:,} documents, {args.queries} queries × "
          f"{args.passes} passes, {os.cpu_count()} CPU, load average "
          f"{load_start[0]:.2f} / {load_start[1]:.2f} / {load_start[2]:.2f}")
    try:
        docs, queries, users = bench_search.seeded_workload(args.docs, args.queries, args.seed)
        index_dir, _, _ = bench_search.build_docsys(docs, workdir)
        del docs
        site = bench_search.ApiSite(index_dir, workdir)
        runs = bench_search.docsys_runs(site, queries, users, tantivy_snippets=False)
        api, raw = runs["runs"]["api"], runs["runs"]["raw"]
        floor, floor_layer = floor_runs(site, runs, len(queries))
        for i in range(min(20, len(queries))):  # warm up, and remember every token
            api(i)
            raw(i)
            floor(i)
            floor_layer(i)
        spent: dict[str, float] = defaultdict(float)
        inner = LAYER_STAGES if args.layer else []
        install_timers(spent, STAGES + inner)
        gc.collect()
        gc.freeze()
        stages: dict[str, list[float]] = defaultdict(list)
        totals: dict[str, list[float]] = defaultdict(list)
        for p in range(args.passes):
            for i in tqdm(range(len(queries)), desc=f"pasada {p + 1}/{args.passes}",
                          leave=False):
                order = [("api", api), ("raw", raw), ("floor", floor),
                         ("floor_layer", floor_layer)]
                k = (i + p) % len(order)
                order = order[k:] + order[:k]
                for name, run in order:
                    spent.clear()
                    started = time.perf_counter()
                    run(i)
                    elapsed = time.perf_counter() - started
                    totals[name].append(elapsed)
                    if name == "api":
                        for label, _, _ in STAGES + inner:
                            stages[label].append(spent.get(label, 0.0))
                        stages[JSON_LABEL].append(spent.get(JSON_LABEL, 0.0))
                        outer = sum(v for k, v in spent.items() if not k.startswith("  "))
                        stages["the rest"].append(elapsed - outer)
        site.close()
        runs["close"]()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    api_ms, raw_ms = ms(totals["api"]), ms(totals["raw"])
    floor_ms, floor_layer_ms = ms(totals["floor"]), ms(totals["floor_layer"])
    print(f"\nGET /api/v1/search p50 {api_ms:.3f} ms; raw tantivy, same work, p50 {raw_ms:.3f} "
          f"ms ({api_ms / raw_ms:.2f}×; with the timers in place)")
    print(f"floor (raw + query string, two plain reads, orjson, access line) p50 "
          f"{floor_ms:.3f} ms ({floor_ms / raw_ms:.2f}× raw)")
    print(f"the same around the search layer instead of raw tantivy p50 {floor_layer_ms:.3f} ms "
          f"({floor_layer_ms / raw_ms:.2f}× raw)")
    print("stage medians per request (µs):")
    labels = [s[0] for s in STAGES]
    if inner:
        at = labels.index(LAYER) + 1
        labels[at:at] = [s[0] for s in inner]
    for label in labels + [JSON_LABEL, "the rest"]:
        print(f"  {label:44} {ms(stages[label]) * 1000:8.1f}")
    load_end = os.getloadavg()
    print(f"machine load average at start {load_start[0]:.2f}, at end {load_end[0]:.2f} on "
          f"{os.cpu_count()} CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
