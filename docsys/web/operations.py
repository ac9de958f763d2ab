"""Running docsys: honest 503s, health and readiness probes, request ids in JSON-line logs,
and Prometheus metrics.

- A machine failure (database down or busy, disk full, storage read-only) answers 503 with
  a Spanish page or JSON and ``Retry-After``; it is never shown as an internal error.
- ``/healthz``: the process answers. ``/readyz``: database, storage, disk, index and keys.
- Every request gets an id (``X-Request-ID`` is honoured when sane, echoed always); log
  lines are JSON objects carrying it.
- ``/metrics``: prometheus_client's exposition (multiprocess mode when
  ``PROMETHEUS_MULTIPROC_DIR`` is set, as under gunicorn), for the local machine or a
  bearer token (``DOCSYS_METRICS_TOKEN``).
"""
from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

import orjson
from flask import Blueprint, Flask, Response, current_app, g, has_request_context, jsonify, request
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram,
                               generate_latest)
from prometheus_client.core import GaugeMetricFamily

from docsys import health

log = logging.getLogger("docsys.web")
bp = Blueprint("operations", __name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter("docsys_http_requests_total", "HTTP requests answered",
                   ["method", "endpoint", "status"])
LATENCY = Histogram("docsys_http_request_duration_seconds", "Time to answer a request",
                    ["method", "endpoint"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
UNAVAILABLE = Counter("docsys_unavailable_total", "Requests answered 503 by machine failure",
                      ["reason"])


# ---- honest failures ----------------------------------------------------------------------

def unavailable_response(exc: BaseException):
    """A 503 for a machine failure (None when ``exc`` is a bug)."""
    failure = health.unavailable_reason(exc)
    if failure is None:
        return None
    UNAVAILABLE.labels(failure.reason).inc()
    log.error("Servicio no disponible (%s): %s", failure.reason, exc)
    message = f"{failure.message} Intente de nuevo en unos momentos."
    from docsys.web import wants_json
    if wants_json():
        response = jsonify({"error": {"status": 503, "message": message,
                                      "reason": failure.reason,
                                      "retry_after": failure.retry_after}})
    else:
        # A page of its own, rendered without the context processors: the usual layout
        # (and Flask-Login's ``current_user``) would ask the failing database again.
        page = current_app.jinja_env.get_template("unavailable.html")
        response = Response(page.render(message=message, retry_after=failure.retry_after),
                            mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(failure.retry_after)
    return response


# ---- request ids and JSON-line logs -------------------------------------------------------

# The request id of a request answered outside Flask's request context (the lean search
# path, docsys.web.lean): log lines written meanwhile carry it as well.
outside_request_id: ContextVar[str | None] = ContextVar("docsys_request_id", default=None)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = (g.get("request_id") if has_request_context()
                             else outside_request_id.get())
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    _EXTRAS = ("method", "path", "status", "duration_ms", "remote", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None), "pid": record.process,
        }
        for key in self._EXTRAS:
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def install_json_logging(stream=None) -> logging.Handler:
    """JSON lines on stderr for every ``docsys`` logger (installed once; a new call
    replaces the previous handler)."""
    logger = logging.getLogger("docsys")
    for handler in list(logger.handlers):
        if getattr(handler, "docsys_json", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.docsys_json = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    return handler


# These two run around every request: each reads the request, ``g`` and the app once
# (every attribute read through Flask's context proxies is a context lookup, and they
# added up to a good part of a short API request's time around the search).

# The metrics' labelled children, looked up once per (method, route, status).
_CHILDREN: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def begin(app: Flask, given_id: str) -> str:
    """What every request does first (through Flask or the lean search path): the
    process's first request starts the index consumer; the request id is the client's
    ``X-Request-ID`` when sane, else a new one."""
    search = app.extensions.get("docsys.search")
    if search is not None and not search.started:
        search.start()  # the first request of a process: queued changes are applied now
    return given_id if _REQUEST_ID.match(given_id) else uuid.uuid4().hex


def record(app: Flask, method: str, endpoint: str, path: str, status: int, elapsed: float,
           remote: str | None, metrics: bool = True) -> None:
    """What every request does last: its metrics and its access log line (JSON, with the
    request id the log filter adds)."""
    if metrics:
        key = (method, endpoint, status)
        children = _CHILDREN.get(key)
        if children is None:
            if len(_CHILDREN) >= 4096:  # the path is the client's (404s): bounded
                _CHILDREN.clear()
            children = _CHILDREN[key] = (REQUESTS.labels(method, endpoint, str(status)),
                                         LATENCY.labels(method, endpoint))
        children[0].inc()
        children[1].observe(elapsed)
    if app.config.get("ACCESS_LOG", True):
        log.info("%s %s %s", method, path, status, extra={
            "method": method, "path": path, "status": status,
            "duration_ms": round(elapsed * 1000, 1), "remote": remote})


def _begin_request() -> None:
    state = g._get_current_object()
    state.request_started = time.perf_counter()
    state.request_id = begin(current_app._get_current_object(),  # type: ignore[attr-defined]
                             request.headers.get("X-Request-ID", ""))


def _finish_request(response):
    req = request._get_current_object()  # type: ignore[attr-defined]
    state = g._get_current_object()
    response.headers["X-Request-ID"] = getattr(state, "request_id", "")
    rule = req.url_rule
    started = getattr(state, "request_started", None)
    record(current_app._get_current_object(),  # type: ignore[attr-defined]
           req.method, rule.rule if rule is not None else "sin-ruta", req.path,
           response.status_code,
           time.perf_counter() - started if started is not None else 0.0, req.remote_addr,
           metrics=req.endpoint != "operations.metrics")
    return response


# ---- probes and metrics -------------------------------------------------------------------

@bp.get("/healthz")
def healthz():
    """The process is alive (no dependency is asked: a restart would not help them)."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    app = current_app
    search = app.extensions.get("docsys.search")
    index_state = search.index_problem() if search is not None else None
    problems = health.readiness(app.config, app.extensions["docsys.engine"], index_state,
                                min_free=app.config.get("MIN_FREE_BYTES", health.MIN_FREE_BYTES))
    # Without the database, writable storage or the keys no request can be served well;
    # a rebuilding index or little free space still serve (reported as "degraded").
    ready = not any(problems[area] for area in ("database", "storage", "keys"))
    degraded = ready and any(problems.values())
    body = {"status": "not_ready" if not ready else "degraded" if degraded else "ready",
            "checks": {area: {"ok": not found, "problems": found}
                       for area, found in problems.items()}}
    response = jsonify(body)
    response.status_code = 200 if ready else 503
    if not ready:
        response.headers["Retry-After"] = "30"
    return response


class _StateCollector:
    """Gauges read when scraped: the index's outbox and whether it is rebuilding."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        search = self.app.extensions.get("docsys.search")
        if search is None:
            return
        pending = GaugeMetricFamily("docsys_search_outbox_pending",
                                    "Changes waiting to reach the search index")
        try:
            pending.add_metric([], float(search.pending()))
        except Exception:  # the database is down: no figure rather than a failed scrape
            return
        yield pending
        rebuilding = GaugeMetricFamily("docsys_search_index_rebuilding",
                                       "1 while the search index is being rebuilt")
        rebuilding.add_metric([], 1.0 if search.incomplete() else 0.0)
        yield rebuilding


def _metrics_allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    # Without a token: only this machine, and not through a reverse proxy.
    return (request.remote_addr in ("127.0.0.1", "::1")
            and "X-Forwarded-For" not in request.headers)


@bp.get("/metrics")
def metrics():
    if not _metrics_allowed():
        return jsonify({"error": {"status": 403, "message": "Métricas solo para el equipo "
                                  "local o con el token DOCSYS_METRICS_TOKEN."}}), 403
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY
        registry = REGISTRY
    body = generate_latest(registry)
    state = CollectorRegistry()
    state.register(_StateCollector(current_app._get_current_object()))  # type: ignore
    body += generate_latest(state)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_begin_request)
    app.after_request(_finish_request)
    if app.config.get("LOG_FORMAT", "json") == "json" and not app.config.get("TESTING"):
        install_json_logging()
