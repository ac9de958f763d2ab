"""One database session per request, closed (and rolled back if unfinished) at teardown;
then the request's bookkeeping writes (``later``), in a short transaction of their own."""
from __future__ import annotations

from flask import current_app, g
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
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
    statements = g.pop("bookkeeping", None)
    if statements:
        bookkeeping_write(current_app.extensions["docsys.engine"], statements)
