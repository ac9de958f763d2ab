"""One database session per request, closed (and rolled back if unfinished) at teardown;
then the request's bookkeeping writes (``later``), in a short transaction of their own."""
from __future__ import annotations

import logging

from flask import current_app, g, url_for
from sqlalchemy.orm import Session

from docsys.db import bookkeeping_write


def db() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["docsys.sessions"]()
    return g.db_session


def later(statement) -> None:
    """Run ``statement`` (a last-use update) once the request's own session is closed."""
    g.setdefault("bookkeeping", []).append(statement)


def close_session(_exc=None) -> None:
    finish(current_app.extensions["docsys.engine"], g.pop("db_session", None),
           g.pop("bookkeeping", None))


def finish(engine, session: Session | None, statements: list | None) -> None:
    """The end of every request (through Flask or the lean search path): its session
    closed, then its bookkeeping ``statements`` written."""
    if session is not None:
        # close() rolls back whatever is unfinished and returns the connection; an explicit
        # rollback() first would also expire every object of a session about to be thrown
        # away (a good part of a short API request's time).
        try:
            session.close()
        except Exception:  # a lost connection: the request has already answered (503)
            logging.getLogger("docsys.web").warning("No se pudo cerrar la sesión de la base "
                                                    "de datos.", exc_info=True)
    if statements:
        bookkeeping_write(engine, statements)


def render_settings() -> dict:
    """The settings a rendering shown on a page needs: the app's, plus the official names of
    the years and the letterhead images' addresses (docsys.institution), read in this
    request's session."""
    from docsys.institution import with_year_names
    return with_year_names(db(), current_app.config, image_urls())


def image_urls() -> dict[str, str]:
    """Where the portal serves the shield and letterhead logo (docsys.web.portal)."""
    return {"shield": url_for("portal.institution_image", nombre="escudo"),
            "letterhead": url_for("portal.institution_image", nombre="membrete")}
