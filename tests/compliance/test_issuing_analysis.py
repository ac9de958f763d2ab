"""Issuing a norm analyzes it: its citations are stored and its repeals proposed."""
from __future__ import annotations

import copy

from sqlalchemy import select

from docsys import issuing, workflow
from docsys.drafting import service
from docsys.db import transaction
from docsys.models import NormCitation, NormRelation
from docsys.versions import latest_version, save_version
from tests.compliance.support import DELEGATION, add_norm
from tests.conftest import get_user
from tests.issuing.support import SECRET, FIELDS, RGM, demo_pki, give_vistos
from tests.finishing import fill_prompts


def test_an_issued_resolution_proposes_its_repeal(app):
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        delegation = add_norm(session, DELEGATION, office="A")
        demo_pki(session, app.config)
        author = get_user(session, "redactor")
        document = service.create_document(session, RGM, {"sumilla": "Delegar y dejar sin "
                                                          "efecto la delegación", **FIELDS}, author)
        # The text repeals the 2023 delegation.
        content = copy.deepcopy(latest_version(session, document).content)
        resuelve = next(s for s in content["sections"] if s["key"] == "resuelve")
        resuelve["items"].append({"text": "DEJAR SIN EFECTO la Resolución de Alcaldía N° "
                                          "145-2023-A-MDM."})
        save_version(session, document, fill_prompts(content), document.latest_version, author)
        workflow.transition(session, document, "enviar", author)
        give_vistos(session, app.config, document)
        workflow.transition(session, document, "aprobar", get_user(session, "asesor"))
        issuing.issue(session, app.config, document, get_user(session, "gerente"), secret=SECRET)
        document_id, delegation_id = document.id, delegation.id

    with transaction(factory) as session:
        cited = set(session.scalars(select(NormCitation.canonical_id)
                                    .where(NormCitation.document_id == document_id)))
        assert {"LEY-27972", "RA-2-2026", "RA-145-2023", "TUO-LEY-27444"} <= cited
        (relation,) = session.scalars(select(NormRelation).where(
            NormRelation.source_document_id == document_id)).all()
        assert (relation.kind, relation.target_document_id, relation.status) == \
            ("deroga", delegation_id, "propuesta")
        assert relation.effective_date == relation.source.issue_date
