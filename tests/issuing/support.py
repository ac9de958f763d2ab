"""Helpers: approved documents ready to issue, the demo PKI for the test users, and the
independent readers (pdftotext per page, pdfsig)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docsys import accounts, workflow
from docsys.drafting import service
from docsys.signing.demo_setup import setup_demo_pki
from tests.conftest import PASSWORD, get_user
from tests.finishing import finish

RGM = "resolucion-gerencia-municipal"
RA = "resolucion-alcaldia"
FIELDS = {"expediente": "2026-004512", "informes": "el Informe N° 045-2026-GIP-MDM",
          "resolucion_delegacion": "Resolución de Alcaldía N° 002-2026-A-MDM",
          "firmante_nombre": "Jorge Mendoza Salas"}
SIGNERS = ["asesor", "gerente", "alcalde"]
PDFTOTEXT = shutil.which("pdftotext")


def approved_document(session, sumilla="Aprobar el expediente técnico del camino vecinal",
                      template=RGM, drafter="redactor"):
    """A document taken through review: sent, both vistos buenos, approved."""
    author = get_user(session, drafter)
    document = service.create_document(session, template, {"sumilla": sumilla, **FIELDS}, author)
    return take_to_approval(session, document, author)


def take_to_approval(session, document, author, area_head="gerente", legal="asesor"):
    """An existing draft finished by ``author`` (prompts filled), sent, given both vistos
    buenos (Asesoría Jurídica's ``legal`` and ``area_head``) and approved: the one place
    that says how a test document reaches approval."""
    finish(session, document, author)
    workflow.transition(session, document, "enviar", author)
    workflow.give_visto_bueno(session, document, get_user(session, legal))
    workflow.give_visto_bueno(session, document, get_user(session, area_head))
    workflow.transition(session, document, "aprobar", get_user(session, legal))
    session.flush()
    return document


def add_mayor(session):
    """The Alcalde (office A), who signs resoluciones de alcaldía and ordinances."""
    if get_user(session, "alcalde") is None:
        accounts.create_user(session, "alcalde", PASSWORD, "Ernesto Vargas Ccorimanya",
                             ["signer"], office_code="A", position="Alcalde")


def demo_pki(session, settings):
    add_mayor(session)
    return setup_demo_pki(session, settings, usernames=SIGNERS)


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page as poppler's pdftotext reads it (an independent reader)."""
    path = tmp_path / "leer.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return [page for page in out.split("\f") if page.strip()]
