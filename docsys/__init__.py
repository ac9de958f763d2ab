"""docsys: drafting, review, signing and archive of municipal norms."""
from __future__ import annotations

from flask import Flask

from pathlib import Path

from docsys.config import PROJECT_ROOT, audit_key, load_config
from docsys.db import make_engine, make_session_factory


def create_app(config: dict | None = None) -> Flask:
    """Application factory: settings from the environment, overridden by ``config``."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    from docsys.web.request_class import DocsysRequest, refuse_nul_in_path
    app.request_class = DocsysRequest  # a query string is never a 500
    app.url_value_preprocessor(refuse_nul_in_path)
    app.config.update(load_config())
    if config:
        app.config.update(config)

    engine = make_engine(app.config["DATABASE_URL"],
                         busy_timeout=float(app.config.get("DATABASE_BUSY_TIMEOUT", 30)))
    app.extensions["docsys.engine"] = engine
    # Refuse to start rather than generate a key that would lose what the old one protects
    # (a restore without the keys kept apart); before anything below makes one.
    from docsys.backup import check_keys
    check_keys(app.config, engine)
    # The audit chain's key lives outside the database (environment or instance file).
    key = app.config.get("AUDIT_KEY") or audit_key(Path(app.config["INSTANCE_DIR"]))
    key = key.encode("utf-8") if isinstance(key, str) else key
    sessions = make_session_factory(engine, audit_key=key)
    app.extensions["docsys.sessions"] = sessions

    from docsys import checkpoints, events
    events.install(sessions, checkpoints.after_commit(sessions, app.config))
    if app.config.get("BLOB_BACKEND", "filesystem") == "database":
        from docsys.blobs import DatabaseStore, use_store
        use_store(app.config["BLOB_DIR"], DatabaseStore(engine))

    from docsys.indexing import SearchService, register_commit_hook
    search_service = SearchService(app.config, sessions,
                                   background=app.config.get("SEARCH_BACKGROUND", True))
    app.extensions["docsys.search"] = search_service
    register_commit_hook(sessions, search_service)

    from docsys import events
    from docsys.subscribers import email_notices
    events.install(sessions, email_notices(app.config, sessions))

    from docsys.web import register_web
    register_web(app)

    from docsys.health import writable_problems
    problems = writable_problems(app.config)  # say at start what cannot be written
    for problem in problems:
        app.logger.error("Al arrancar: %s", problem)
    app.extensions["docsys.startup_problems"] = problems

    from docsys.cli import register_cli
    register_cli(app)
    return app


def _wire_domain_events() -> None:
    """The built-in reactions to domain events (audit, search outbox, compliance analysis),
    for every use of the package: the app, the CLI, scripts and tests alike."""
    from docsys.subscribers import install_domain_subscribers
    install_domain_subscribers()


_wire_domain_events()
