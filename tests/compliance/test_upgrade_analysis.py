"""An upgrade whose readers of citations and relations changed analyses the archive again
(`flask docsys init`): what the old readers stored is read anew, the archivist's decisions
are kept, and a second run does nothing. On a real SQLite database, through the CLI."""
from __future__ import annotations

from sqlalchemy import delete, func, select

from docsys.compliance import pending
from docsys.compliance.norms import confirm_relation
from docsys.db import transaction
from docsys.models import NormCitation, NormRelation, PendingAnalysis, SystemMarker
from tests.compliance.support import CUIS, REPEALER, ROF, add_norm
from tests.conftest import get_user

NOTICE = "se analizan de nuevo"


def _counts(factory):
    with factory() as session:
        return (session.scalar(select(func.count()).select_from(NormCitation)),
                session.execute(select(NormRelation.kind, NormRelation.status)).all(),
                session.scalar(select(func.count()).select_from(PendingAnalysis)))


def test_new_readers_analyse_the_archive_again_and_keep_the_decisions(app):
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        rof = add_norm(session, ROF)                 # cites Ley 27972
        add_norm(session, CUIS)
        add_norm(session, REPEALER)
        relation = session.scalar(select(NormRelation))
        confirm_relation(session, relation, get_user(session, "archivo"))
    runner = app.test_cli_runner()
    # An installation from before the marker: its analyses' readers are unknown.
    first = runner.invoke(args=["docsys", "init"])
    assert first.exit_code == 0, first.output
    assert NOTICE in first.output
    analysed = _counts(factory)
    assert analysed[0] > 0 and analysed[1] == [("deroga", "confirmada")] and analysed[2] == 0
    # The same readers: nothing to do.
    again = runner.invoke(args=["docsys", "init"])
    assert again.exit_code == 0 and NOTICE not in again.output
    # Readers of an older version stored less (no citation of the ROF's text), and a
    # newer docsys is installed: init reads it anew, the confirmed repeal stays as it is.
    with transaction(factory) as session:
        session.execute(delete(NormCitation).where(NormCitation.document_id == rof.id))
        session.get(SystemMarker, pending.READERS_MARKER).value = "lectores anteriores"
    upgraded = runner.invoke(args=["docsys", "init"])
    assert upgraded.exit_code == 0, upgraded.output
    assert NOTICE in upgraded.output
    assert _counts(factory) == analysed
    with factory() as session:
        assert session.get(SystemMarker, pending.READERS_MARKER).value == \
            pending.ANALYSIS_REVISION


def test_a_new_installation_remembers_its_readers_without_analysing(tmp_path):
    from tests.conftest import make_test_app
    app = make_test_app(f"sqlite:///{tmp_path / 'nueva.db'}", tmp_path)
    result = app.test_cli_runner().invoke(args=["docsys", "init"])
    assert result.exit_code == 0 and NOTICE not in result.output
    with app.extensions["docsys.sessions"]() as session:
        assert session.get(SystemMarker, pending.READERS_MARKER).value == \
            pending.ANALYSIS_REVISION
    app.extensions["docsys.engine"].dispose()
