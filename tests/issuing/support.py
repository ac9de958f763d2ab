"""Helpers: approved documents ready to issue, and the demo PKI for the test users."""
from __future__ import annotations

from docsys import workflow
from docsys.drafting import service
from docsys.signing.demo_setup import setup_demo_pki
from tests.conftest import get_user

RGM = "resolucion-gerencia-municipal"
FIELDS = {"expediente": "2026-004512", "informes": "el Informe N° 045-2026-GIP-MDM",
          "resolucion_delegacion": "Resolución de Alcaldía N° 002-2026-A-MDM",
          "firmante_nombre": "Jorge Mendoza Salas"}


def approved_document(session, sumilla="Aprobar el expediente técnico del camino vecinal",
                      template=RGM, drafter="redactor"):
    """A document taken through review: sent, both vistos buenos, approved."""
    author = get_user(session, drafter)
    document = service.create_document(session, template, {"sumilla": sumilla, **FIELDS}, author)
    workflow.transition(session, document, "enviar", author)
    workflow.give_visto_bueno(session, document, get_user(session, "asesor"))
    workflow.give_visto_bueno(session, document, get_user(session, "gerente"))
    workflow.transition(session, document, "aprobar", get_user(session, "asesor"))
    session.flush()
    return document


def demo_pki(session, settings):
    return setup_demo_pki(session, settings, usernames=["asesor", "gerente"])
