"""How gunicorn runs docsys: the supported configuration follows from the database.

- SQLite (the default): ONE process with threads. SQLite has one writer at a time; more
  processes only queue behind its lock (and each would hold its own index consumer).
- PostgreSQL: several worker processes (DOCSYS_WORKERS, default 2 x cores + 1, at most 8),
  each with threads; Prometheus metrics are then gathered across workers
  (PROMETHEUS_MULTIPROC_DIR).

    gunicorn -c gunicorn.conf.py wsgi:app
"""
import multiprocessing
import os
import shutil
import sys
import tempfile

_url = os.environ.get("DOCSYS_DATABASE_URL", "") or "sqlite"
_sqlite = _url.startswith("sqlite")

bind = os.environ.get("DOCSYS_BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}")
threads = int(os.environ.get("DOCSYS_THREADS", "8"))
timeout = int(os.environ.get("DOCSYS_TIMEOUT", "120"))  # an issue signs and renders
# Seconds an idle keep-alive connection stays open. gunicorn then closes it, and a client
# that sends its next request on it at that very moment gets a reset, not an answer (3 in
# 400 requests sent ~2 s after the previous one, with gunicorn's default of 2 s). Browsers
# retry such a request; API clients should close idle connections sooner. Behind a reverse
# proxy, keep this above the proxy's own idle timeout for its upstream connections.
keepalive = int(os.environ.get("DOCSYS_KEEPALIVE", "5"))
graceful_timeout = 30
accesslog = None  # docsys writes its own JSON access lines, with the request id

if _sqlite:
    workers = 1
    if int(os.environ.get("DOCSYS_WORKERS", "1")) > 1:
        print("docsys: con SQLite se usa un solo proceso (con hilos); DOCSYS_WORKERS se "
              "ignora. Use PostgreSQL para varios procesos.", file=sys.stderr)
else:
    workers = int(os.environ.get("DOCSYS_WORKERS",
                                 str(min(8, multiprocessing.cpu_count() * 2 + 1))))
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        _metrics_dir = os.path.join(tempfile.gettempdir(), f"docsys-metrics-{os.getpid()}")
        shutil.rmtree(_metrics_dir, ignore_errors=True)
        os.makedirs(_metrics_dir, mode=0o700)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def child_exit(server, worker):
    """A worker ended: its live gauges leave the multiprocess metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)


def worker_int(worker):
    """A quick shutdown (SIGINT, SIGQUIT: Ctrl-C) ends the worker at once, without
    Python's interpreter shutdown. That shutdown freezes daemon threads (the index
    consumer, the archive importer) wherever they are, and a lock one of them held then (a
    log handler's, mid-write, for one) can leave the worker hanging until gunicorn kills it
    30 s later: CI saw it once; the cause is not proven. Nothing is lost by skipping it:
    every transaction is committed or rolled back by the database, the log writes each line
    as it goes, and the index catches up from its outbox. A graceful stop (SIGTERM) still
    lets requests in flight finish."""
    sys.stderr.flush()
    os._exit(0)
