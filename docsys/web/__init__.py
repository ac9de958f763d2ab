"""The web layer: blueprints, request-scoped database sessions and error pages."""
from __future__ import annotations

from functools import wraps

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from docsys.db import reset_read_only, set_read_only
from docsys.errors import DocsysError, TooManyRequests

csrf = CSRFProtect()

# Scripts, styles and everything else from docsys itself only: no inline script or style,
# no plugin, no foreign form target or base URL, no framing. Images also as data: URIs
# (the verification QR code inside a rendered norm).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'; frame-ancestors 'none'")


def policy_allowing_inline_styles(html: str) -> str:
    """The policy for a standalone rendered document (its stylesheet is inline so the file
    stands alone): the exact <style> blocks it carries are allowed by their hash."""
    import base64
    import hashlib
    import re
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
              for block in re.findall(r"<style>(.*?)</style>", html, flags=re.S)]
    return CONTENT_SECURITY_POLICY.replace("style-src 'self'",
                                           " ".join(["style-src 'self'", *hashes]))

def security_headers(config) -> list[tuple[str, str]]:
    """The headers every response carries unless its view set its own: a strict
    Content-Security-Policy, no framing (clickjacking), no MIME sniffing, no full URLs to
    other sites; HSTS when the cookies are Secure (served over https)."""
    headers = [("Content-Security-Policy", CONTENT_SECURITY_POLICY),
               ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
               ("Referrer-Policy", "same-origin")]
    if config.get("SESSION_COOKIE_SECURE"):
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers


HTTP_MESSAGES = {
    400: "La solicitud no es válida.",
    401: "Debe iniciar sesión.",
    403: "No tiene permiso para realizar esta acción.",
    404: "La página solicitada no existe.",
    405: "Método no permitido para esta dirección.",
    409: "Conflicto con el estado actual del recurso.",
    413: "El contenido enviado es demasiado grande.",
    415: "Tipo de contenido no admitido.",
    429: "Demasiadas solicitudes; espere un momento.",
    500: "Ocurrió un error interno. El equipo técnico fue notificado.",
}


def wants_json() -> bool:
    return (request.path.startswith("/api/")
            or request.is_json
            or request.accept_mimetypes.best == "application/json")


def error_response(status: int, message: str, **details):
    if wants_json():
        body = {"error": {"status": status, "message": message}}
        if details:
            body["error"].update(details)
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def records_audit(view):
    """Mark a GET view that writes an audit entry (a download). The request still begins
    read-only: its service renders first and then writes the entry in a short transaction
    of its own (``services.short_write``), so no render holds SQLite's write lock."""
    view.records_audit = True
    return view


def queues_for_writing(view):
    """Mark a POST view that authenticates read-only and then waits for its turn (a process
    lock) before it writes: on SQLite, a request waiting in that queue must not hold the
    database's write lock, or the one whose turn it is could not get it."""
    view.queues_for_writing = True
    return view


def reads_only(view):
    """Mark a POST view that only reads (a compliance check): on SQLite its transaction does
    not take the write lock, which the search index needs to catch up before the check."""
    view.reads_only = True
    return view


def rate_limited(kind: str, methods: tuple[str, ...] = ("GET", "POST")):
    """Count the request against the signed-in user's limit for ``kind`` (RATE_LIMITS);
    past it, 429 with Retry-After and a Spanish message. Goes under the login or token
    decorator (the user must be known)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.method in methods:
                from flask_login import current_user

                from docsys import services
                from docsys.web.session import db
                user = g.get("api_user") or current_user
                services.count_usage(db(), current_app.config, user, kind)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def register_web(app: Flask) -> None:
    from docsys.web import (account, admin, api, archive, auth, compliance, compliance_api,
                            drafts, inbox, issuing, notices, portal, review, search)
    from docsys.web import operations
    from docsys.web.session import close_session

    csrf.init_app(app)
    auth.login_manager.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(notices.bp)
    app.register_blueprint(drafts.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(issuing.bp)
    app.register_blueprint(portal.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(archive.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated, no cookies: CSRF does not apply
    app.register_blueprint(compliance.bp)
    app.register_blueprint(compliance_api.bp)
    csrf.exempt(compliance_api.bp)
    operations.register(app)

    @app.before_request
    def _read_only_for_safe_methods():
        view = app.view_functions.get(request.endpoint or "")
        deferred = (getattr(view, "queues_for_writing", False)
                    or getattr(view, "reads_only", False))
        g._read_only_token = set_read_only(request.method in ("GET", "HEAD", "OPTIONS")
                                           or deferred)

    # After the transaction mode is set: it loads the user (and so the session row).
    app.before_request(auth.password_change_first)

    @app.teardown_request
    def _restore_transaction_mode(_exc):
        # The flag lives in the thread's context: a thread that serves several requests,
        # or runs other work after one (a test, a worker), must not inherit it.
        token = g.pop("_read_only_token", None)
        if token is not None:
            reset_read_only(token)

    app.teardown_appcontext(close_session)

    @app.errorhandler(DocsysError)
    def _domain_error(exc: DocsysError):
        response = make_response(error_response(exc.status, exc.message, **exc.details))
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
        elif "retry_after" in exc.details:  # a throttled login: say how long to wait
            response.headers["Retry-After"] = str(exc.details["retry_after"])
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        return error_response(400, "El formulario expiró o no es válido (token CSRF). "
                                   "Recargue la página e intente de nuevo.")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        return error_response(status, HTTP_MESSAGES.get(status, exc.description or ""))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        unavailable = operations.unavailable_response(exc)  # a machine failure: 503
        if unavailable is not None:
            return unavailable
        app.logger.exception("Unhandled error")
        return error_response(500, HTTP_MESSAGES[500])

    from docsys.web.filters import register_filters
    register_filters(app)

    from docsys.web import lean
    lean.install(app)  # GET /api/v1/search without Flask's per-request machinery

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        present = {key.lower() for key in headers.keys()}
        for key, value in security_headers(app.config):
            if key.lower() not in present:  # a view may set its own (stricter, hashes)
                headers.add(key, value)
        return response

    @app.context_processor
    def _globals():
        from flask_login import current_user

        from docsys import policy
        from docsys.models import ROLE_LABELS

        def may(action: str) -> bool:
            """Whether the signed-in user may take an action on no document in particular
            (the menu shows what the policy allows)."""
            return current_user.is_authenticated and policy.allows(current_user,
                                                                   policy.Action(action))
        def unread_notices() -> int:
            """The menu's counter of unread notices (docsys.notifications)."""
            from docsys import notifications
            from docsys.web.session import db
            if not current_user.is_authenticated:
                return 0
            return notifications.unread_count(db(), current_user)
        def year_name() -> str:
            """This year's official name (docsys.institution), else the YEAR_NAME setting
            (also when the database cannot say: the footer never breaks a page)."""
            from datetime import date

            from sqlalchemy.exc import SQLAlchemyError

            from docsys.institution import year_names
            from docsys.web.session import db
            session = db()
            try:
                return year_names(session).get(date.today().year) or app.config["YEAR_NAME"]
            except SQLAlchemyError:
                session.rollback()
                return app.config["YEAR_NAME"]
        return {"MUNICIPALITY_NAME": app.config["MUNICIPALITY_NAME"],
                "YEAR_NAME": year_name, "ROLE_LABELS": ROLE_LABELS, "may": may,
                "unread_notices": unread_notices}
