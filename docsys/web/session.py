"""One database session per request, closed (and rolled back if unfinished) at teardown."""
from __future__ import annotations

import logging

from flask import current_app, g
from sqlalchemy.orm import Session


def db() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["docsys.sessions"]()
    return g.db_session


def close_session(_exc=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.rollback()
            session.close()
        except Exception:  # a lost connection: the request has already answered (503)
            logging.getLogger("docsys.web").warning("No se pudo cerrar la sesión de la base "
                                                    "de datos.", exc_info=True)
