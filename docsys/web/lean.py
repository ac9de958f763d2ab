"""The lean path of ``GET /api/v1/search``: the API's most frequent request answered
without Flask's per-request machinery (request and app contexts, URL matching, cookie
session, signals), which cost as much as the rest of the request around the engine.

Every guarantee of the full path is kept, through the same functions:

- the bearer check (``accounts.TokenCache``, read on a plain connection: a revocation is
  seen by the very next request; a token not yet remembered is checked by the full path)
  and the endpoint's work (``api.search_answer``: read-your-writes through
  ``SearchService.ensure_fresh``, visibility from ``policy.search_visibility``);
- a read-only transaction, closed before the token's last-use bookkeeping is written
  (``session.finish``);
- the request id, the metrics and the JSON access line (``operations.begin``/``record``),
  the security headers (``web.security_headers``).

Only the plain success is answered here. Anything else (no or refused token, bad input,
index unavailable, a database failure, any error) is answered by the full Flask path,
which runs the request again and maps it as for every other request (401, 400 with its
Spanish message, 503...): error mapping has one home. A search only reads, so running it
again changes nothing. The request keeps its id (passed on as ``X-Request-ID``).

Configured off with ``LEAN_SEARCH = False`` (the full path then answers every search).
A check added to the search view (a ``rate_limited`` kind, another decorator or hook)
must be added here too: tests/web/test_lean_search.py compares both paths' answers.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, Iterable

from flask import Flask

from docsys.db import reset_read_only, set_read_only
from docsys.errors import DocsysError
from docsys.web import security_headers
from docsys.web.api import bearer_token, search_answer, token_cache, version_url_builder
from docsys.web.operations import begin, outside_request_id, record
from docsys.web.session import finish

log = logging.getLogger("docsys.web")

PATH = "/api/v1/search"
RULE = "/api/v1/search"   # the route, as the metrics name it


class LeanSearch:
    """WSGI middleware in front of the Flask application (``app.wsgi_app``)."""

    def __init__(self, app: Flask, full: Callable):
        self.app = app
        self.full = full
        self._builders: dict[tuple, Callable[[int, int], str]] = {}

    def _applies(self, environ: dict) -> bool:
        config = self.app.config
        return (environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "GET"
                and config.get("LEAN_SEARCH", True)
                # host checks stay with Flask
                and not config.get("SERVER_NAME") and not config.get("TRUSTED_HOSTS"))

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not self._applies(environ):
            return self.full(environ, start_response)
        started = time.perf_counter()
        app = self.app
        request_id = begin(app, environ.get("HTTP_X_REQUEST_ID", ""))
        rid = outside_request_id.set(request_id)
        try:
            body = self._answer(environ)
            if body is not None:
                headers = [("Content-Type", "application/json"),
                           ("Content-Length", str(len(body))),
                           *security_headers(app.config), ("X-Request-ID", request_id)]
                start_response("200 OK", headers)
                record(app, "GET", RULE, PATH, 200, time.perf_counter() - started,
                       environ.get("REMOTE_ADDR"))
                return [body]
        finally:
            outside_request_id.reset(rid)
        environ["HTTP_X_REQUEST_ID"] = request_id  # the full path keeps the request's id
        return self.full(environ, start_response)

    def _answer(self, environ: dict) -> bytes | None:
        """The body of a successful search, or None: the full path answers."""
        token = bearer_token(environ.get("HTTP_AUTHORIZATION", ""))
        if not token:
            return None
        app = self.app
        engine = app.extensions["docsys.engine"]
        mode = set_read_only(True)
        bookkeeping: list[Any] = []
        try:
            # A plain connection (no ORM session: the remembered check and the outbox read
            # need none); a token not remembered under the current auth_generation goes
            # the full way, whose check loads it (or refuses it).
            with engine.connect() as connection:
                user = token_cache(app).cached(connection, token, touch=bookkeeping.append)
                if user is None:
                    return None
                request = app.request_class(environ)
                version_url = self._version_url(environ, request)
                if version_url is None:
                    return None
                return search_answer(app, connection, user, request.args, version_url)
        except DocsysError:
            return None  # the user's input: the full path gives the message
        except Exception as exc:
            log.warning("Búsqueda respondida por la vía completa tras %s: %s",
                        type(exc).__name__, exc)
            return None
        finally:
            finish(engine, None, bookkeeping)
            reset_read_only(mode)

    def _version_url(self, environ: dict, request) -> Callable[[int, int], str] | None:
        """The hits' version URLs as Flask's router builds them for this request's
        scheme, host and mount point (all an absolute URL depends on), built once per
        such key."""
        key = tuple(environ.get(k) for k in _URL_KEYS)
        builder = self._builders.get(key)
        if builder is None:
            adapter = self.app.create_url_adapter(request)
            if adapter is None:
                return None

            def build(endpoint: str, values: dict) -> str:
                return adapter.build(endpoint, values, force_external=True)

            builder = version_url_builder(build)
            if len(self._builders) >= 64:  # the Host header is the client's: bounded
                self._builders.clear()
            self._builders[key] = builder
        return builder


# What Flask's router reads from the environ to build an absolute URL.
_URL_KEYS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")


def install(app: Flask) -> None:
    app.wsgi_app = LeanSearch(app, app.wsgi_app)  # type: ignore[method-assign]
