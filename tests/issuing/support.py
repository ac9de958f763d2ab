"""Helpers: approved documents ready to issue, the demo PKI for the test users, and the
independent readers (pdftotext per page, pdfsig)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docsys import accounts, holder_signing, workflow
from docsys.drafting import service
from docsys.signing.demo_setup import DEMO_SIGNING_SECRET, setup_demo_pki
from tests.conftest import PASSWORD, get_user
from tests.finishing import finish

RGM = "resolucion-gerencia-municipal"
RA = "resolucion-alcaldia"
FIELDS = {"expediente": "2026-004512", "informes": "el Informe N° 045-2026-GIP-MDM",
          "resolucion_delegacion": "Resolución de Alcaldía N° 002-2026-A-MDM",
          "firmante_nombre": "Jorge Mendoza Salas"}
SIGNERS = ["asesor", "gerente", "alcalde"]
SECRET = DEMO_SIGNING_SECRET   # every demo signer's clave de firma
PDFTOTEXT = shutil.which("pdftotext")


def give_vistos(session, settings, document, legal="asesor", area="gerente", today=None):
    """Both vistos buenos, each signed by its holder with their clave de firma (on a
    signing copy made ``today``, by default the real today)."""
    for username in (legal, area):
        holder_signing.give_visto_bueno(session, settings, document, get_user(session, username),
                                        secret=SECRET, today=today)


def approved_document(session, settings, sumilla="Aprobar el expediente técnico del camino "
                      "vecinal", template=RGM, drafter="redactor", today=None):
    """A document taken through review: sent, both vistos buenos signed, approved."""
    author = get_user(session, drafter)
    document = service.create_document(session, template, {"sumilla": sumilla, **FIELDS}, author)
    return take_to_approval(session, settings, document, author, today=today)


def take_to_approval(session, settings, document, author, area_head="gerente", legal="asesor",
                     today=None):
    """An existing draft finished by ``author`` (prompts filled), sent, given both vistos
    buenos (Asesoría Jurídica's ``legal`` and ``area_head``) and approved: the one place
    that says how a test document reaches approval."""
    finish(session, document, author)
    workflow.transition(session, document, "enviar", author)
    give_vistos(session, settings, document, legal=legal, area=area_head, today=today)
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
