"""Bulk indexing: ``flask docsys reindex`` (database -> index) against raw tantivy indexing
the same documents, interleaved in one run.

Stores a seeded generated archive (bench/corpus.py, the way imported norms are stored: see
bench_compliance.store_archive) in a SQLite database (or --database-url), then, in turns:

- ``docsys``: what ``flask docsys reindex`` does — ``SearchService.reindex``: documents
  streamed from the database in batches, turned into index entries (text of the latest
  version, signer, citations found in the text), written by a tantivy writer and swapped in;
- ``raw``: the bare tantivy calls on the same entries, read from the database and prepared
  beforehand (field values and citation keys computed outside the timing): the same
  schema, analyzers, writer heap and threads, one ``add_document`` per entry, commit.

Each run is a fresh child process (so that its peak resident memory — ``ru_maxrss`` — is
its own); rounds alternate which of the two goes first. Prints documents/s per round, the
docsys/raw ratio, docsys's peak RSS, and the machine's load average.

Targets (issue 17): docsys ≥ 0.8× raw, ≥ 1,000 documents/s on an idle machine, memory
bounded (peak RSS does not grow with the archive beyond the writer's heap).

Run: .venv/bin/python bench/bench_indexing.py [--docs 3000] [--rounds 3]
     (100,000 norms: --docs 100000 --rounds 2; --database-url postgresql+psycopg://...;
     --dir D --reuse indexes the archive an earlier run with --dir D stored)
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_RATIO = 0.8
TARGET_RATE = 1000.0


def reset_peak_rss() -> None:
    """Forget the peak resident memory so far: a child starts with its parent's (Linux
    keeps the high-water mark across fork and exec)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class MemorySampler:
    """The peak of the process's anonymous memory (heaps: Python's, tantivy's writer) and
    of its file-backed resident pages (the index's segments, mapped while merging: the
    kernel can drop them), sampled every 20 ms from /proc/self/status."""

    def __init__(self) -> None:
        import threading

        self.anon = self.file = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _read(self) -> None:
        try:
            with open("/proc/self/status") as fh:
                for line in fh:
                    if line.startswith("RssAnon:"):
                        self.anon = max(self.anon, int(line.split()[1]) / 1024)
                    elif line.startswith("RssFile:"):
                        self.file = max(self.file, int(line.split()[1]) / 1024)
        except OSError:
            pass

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self._read()

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._read()


def make_app(url: str, workdir: Path, index_dir: Path):
    from docsys import create_app

    return create_app({
        "DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": False,
        "INSTANCE_DIR": str(workdir), "SEARCH_DIR": str(index_dir),
        "ELASTICSEARCH_URL": None, "SEARCH_BACKGROUND": False,
        "BLOB_DIR": str(workdir / "blobs"), "PKI_DIR": str(workdir / "pki")})


# -- children ---------------------------------------------------------------------------------

def child_docsys(url: str, workdir: Path, index_dir: Path) -> dict:
    app = make_app(url, workdir, index_dir)
    service = app.extensions["docsys.search"]
    service.backend  # open the (empty) index before timing, as the CLI has it open too
    before = peak_rss_mb()
    with MemorySampler() as memory:
        t, c = time.perf_counter(), time.process_time()
        count = service.reindex(progress=False)
        seconds, cpu = time.perf_counter() - t, time.process_time() - c
    service.close()
    return {"docs": count, "seconds": seconds, "cpu_seconds": cpu, "rss_before_mb": before,
            "peak_rss_mb": peak_rss_mb(), "peak_anon_mb": memory.anon,
            "peak_file_mb": memory.file}


def child_raw(prepared: Path, index_dir: Path) -> dict:
    import tantivy

    from search.embedded import EXACT, STEM, EmbeddedBackend, build_schema, make_analyzer

    with open(prepared, "rb") as fh:
        rows = pickle.load(fh)
    defaults = EmbeddedBackend.__init__.__kwdefaults__
    heap = defaults["rebuild_heap"]
    threads = max(1, min(4, os.cpu_count() or 1))  # EmbeddedBackend's rebuild threads
    before = peak_rss_mb()
    memory = MemorySampler().__enter__()
    t, c = time.perf_counter(), time.process_time()
    index = tantivy.Index(build_schema(), path=str(index_dir), reuse=False)
    index.register_tokenizer(STEM, make_analyzer(True))
    index.register_tokenizer(EXACT, make_analyzer(False))
    writer = index.writer(heap, threads)
    for row in rows:
        doc = tantivy.Document()
        for kind, name, value in row:
            getattr(doc, kind)(name, value)
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    memory.__exit__()
    return {"docs": len(rows), "seconds": seconds, "cpu_seconds": cpu, "rss_before_mb": before,
            "peak_rss_mb": peak_rss_mb(), "peak_anon_mb": memory.anon,
            "peak_file_mb": memory.file}


def prepare_raw(url: str, workdir: Path, out: Path) -> int:
    """The entries docsys indexes, as (method, field, value) calls on a tantivy Document."""
    from datetime import date, datetime, timezone

    from docsys.indexing import iter_docs

    app = make_app(url, workdir, workdir / "prepare-index")
    session = app.extensions["docsys.sessions"]()
    rows = []
    try:
        for raw in iter_docs(session):
            d = raw.normalized()
            row = [("add_text", "id", d.id), ("add_integer", "document_id", d.document_id),
                   ("add_integer", "version_number", d.version_number),
                   ("add_text", "doc_type", d.doc_type), ("add_text", "number", d.number)]
            row += [("add_text", "number_key", k) for k in d.number_keys() or [d.number_key]]
            row += [("add_text", "cites", k) for k in d.cited_keys()]
            row += [("add_text", "title", d.title), ("add_text", "title_exact", d.title),
                    ("add_text", "body", d.body), ("add_text", "body_exact", d.body)]
            if d.year is not None:
                row.append(("add_integer", "year", d.year))
            if d.date:
                day = date.fromisoformat(d.date)
                row.append(("add_date", "date",
                            datetime(day.year, day.month, day.day, tzinfo=timezone.utc)))
            row += [("add_text", "office", d.office), ("add_text", "status", d.status),
                    ("add_boolean", "published", d.published), ("add_text", "signer", d.signer)]
            if d.signer:
                row.append(("add_text", "signer_name", d.signer))
            if d.created_by is not None:
                row.append(("add_integer", "created_by", d.created_by))
            rows.append(row)
    finally:
        session.close()
        app.extensions["docsys.search"].close()
    with open(out, "wb") as fh:
        pickle.dump(rows, fh)
    return len(rows)


def stored_documents(engine) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM documents")).scalar() or 0)


def run_child(kind: str, args: argparse.Namespace, url: str, workdir: Path,
              index_dir: Path) -> dict:
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    cmd = [sys.executable, __file__, "--child", kind, "--database-url", url,
           "--dir", str(workdir), "--index", str(index_dir)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    shutil.rmtree(index_dir, ignore_errors=True)
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--dir", type=Path, default=None, help="work directory (default: temp)")
    ap.add_argument("--database-url", default=None, help="default: SQLite in the work directory")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--reuse", action="store_true",
                    help="with --dir: index the archive an earlier run stored there (same "
                         "--docs) instead of storing it again")
    ap.add_argument("--child", choices=("docsys", "raw"), help=argparse.SUPPRESS)
    ap.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        reset_peak_rss()
        if args.child == "docsys":
            result = child_docsys(args.database_url, args.dir, args.index)
        else:
            result = child_raw(args.dir / "raw-docs.pickle", args.index)
        print(json.dumps(result))
        return 0

    from bench.bench_compliance import store_archive
    from docsys import migrate
    from docsys.db import make_engine, make_session_factory

    load_start = os.getloadavg()
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="docsys-bench-indexing-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / 'archive.db'}"
    print(f"docsys bulk indexing benchmark — {args.docs:,} norms, {args.rounds} rounds, "
          f"{os.cpu_count()} CPU, load average {load_start[0]:.2f} / {load_start[1]:.2f} / "
          f"{load_start[2]:.2f}")
    engine = make_engine(url)
    migrate.upgrade(engine)
    stored = stored_documents(engine) if args.reuse else 0
    if stored and stored != args.docs:
        ap.error(f"--reuse: the database holds {stored:,} documents, not {args.docs:,}")
    if stored:
        print(f"archive reused: {stored:,} documents already in {url}")
    else:
        _, stats = store_archive(make_session_factory(engine), args.docs, args.seed)
        print(f"archive stored: {stats['documents']:,} documents in {stats['store_s']:.0f} s")
    engine.dispose()
    pickled = workdir / "raw-docs.pickle"
    if stored and pickled.exists():
        with open(pickled, "rb") as fh:
            n = len(pickle.load(fh))
    else:
        n = prepare_raw(url, workdir, pickled)
    print(f"{n:,} index entries")

    rounds = []
    for r in range(args.rounds):
        order = ("raw", "docsys") if r % 2 == 0 else ("docsys", "raw")
        figures = {}
        for kind in order:
            figures[kind] = run_child(kind, args, url, workdir, workdir / f"index-{kind}")
            figures[kind]["rate"] = figures[kind]["docs"] / figures[kind]["seconds"]
        figures["ratio"] = figures["docsys"]["rate"] / figures["raw"]["rate"]
        figures["load"] = os.getloadavg()[0]
        rounds.append(figures)
        cpu_ms = {k: 1000 * figures[k]["cpu_seconds"] / figures[k]["docs"] for k in order}
        print(f"round {r + 1}: raw {figures['raw']['rate']:7.0f} docs/s · docsys reindex "
              f"{figures['docsys']['rate']:7.0f} docs/s · ratio {figures['ratio']:.2f}× · "
              f"docsys peak RSS {figures['docsys']['peak_rss_mb']:.0f} MB (before "
              f"{figures['docsys']['rss_before_mb']:.0f} MB; anonymous "
              f"{figures['docsys']['peak_anon_mb']:.0f}, file-backed "
              f"{figures['docsys']['peak_file_mb']:.0f}), raw "
              f"{figures['raw']['peak_rss_mb']:.0f} MB (before "
              f"{figures['raw']['rss_before_mb']:.0f} MB) · CPU s raw "
              f"{figures['raw']['cpu_seconds']:.1f} / docsys {figures['docsys']['cpu_seconds']:.1f}"
              f" ({cpu_ms['raw']:.2f} / {cpu_ms['docsys']:.2f} ms a document)"
              f" · load {figures['load']:.2f}")
    ratios = [f["ratio"] for f in rounds]
    rates = [f["docsys"]["rate"] for f in rounds]
    raw_rates = [f["raw"]["rate"] for f in rounds]
    load_end = os.getloadavg()
    print(f"\ndocsys reindex: median {statistics.median(rates):.0f} docs/s (raw tantivy "
          f"{statistics.median(raw_rates):.0f}); docsys/raw median {statistics.median(ratios):.2f}× "
          f"(min {min(ratios):.2f}×, max {max(ratios):.2f}×); CPU time raw/docsys median "
          f"{statistics.median(f['raw']['cpu_seconds'] / f['docsys']['cpu_seconds'] for f in rounds):.2f}×; "
          f"peak RSS {max(f['docsys']['peak_rss_mb'] for f in rounds):.0f} MB (anonymous "
          f"{max(f['docsys']['peak_anon_mb'] for f in rounds):.0f} MB, file-backed "
          f"{max(f['docsys']['peak_file_mb'] for f in rounds):.0f} MB; raw tantivy "
          f"{max(f['raw']['peak_rss_mb'] for f in rounds):.0f} MB)")
    print(f"target docsys/raw ≥ {TARGET_RATIO}×: "
          f"{'OK' if statistics.median(ratios) >= TARGET_RATIO else 'NOT MET'}; "
          f"≥ {TARGET_RATE:.0f} docs/s (idle machine): "
          f"{'OK' if statistics.median(rates) >= TARGET_RATE else 'NOT MET at this load'}")
    print(f"machine load average (1/5/15 min) at start {load_start[0]:.2f} / "
          f"{load_start[1]:.2f} / {load_start[2]:.2f}, at end {load_end[0]:.2f} / "
          f"{load_end[1]:.2f} / {load_end[2]:.2f} on {os.cpu_count()} CPU")
    if args.json:
        args.json.write_text(json.dumps({"docs": n, "rounds": rounds,
                                         "load": [load_start, load_end]}, indent=2))
    if args.dir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
