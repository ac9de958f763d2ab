"""Corrections through the doors (Flask's test client over the whole app, on SQLite and
PostgreSQL; and the CLI): the authority starts a correction from the issued norm's page,
the office completes it, it is reviewed and issued, and both norms' portal pages show the
relation; the corrected norm's signed PDF is the same file. Refusals: 403, 409, 400, in
Spanish, changing nothing."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from docsys import accounts, services
from docsys.db import transaction
from docsys.models import Document, NormCorrection
from tests.conftest import PASSWORD, Browser, get_user
from tests.corrections.support import REASON, issued_norm
from tests.finishing import fill_prompts
from tests.issuing.support import SECRET, approved_document, demo_pki, take_to_approval

CONFIRMED = {"entiendo": "si"}


def _setup(app) -> tuple[int, int]:
    """Certificates, a Gerente of GDUR (another office's authority), an issued RGM and a
    draft; returns (norm id, draft id)."""
    with transaction(app.extensions["docsys.sessions"]) as session:
        demo_pki(session, app.config)
        accounts.create_user(session, "gerente_gdur", PASSWORD, "Raúl Apaza Quispe", ["signer"],
                             office_code="GDUR", position="Gerente de Desarrollo Urbano")
        norm = issued_norm(session, app.config)
        draft = approved_document(session, app.config, sumilla="Aprobar el plan de trabajo")
        return norm.id, draft.id


def _browser(app, username) -> Browser:
    b = Browser(app.test_client(), app)
    assert b.login(username).status_code == 302
    return b


def _token(app, username) -> dict:
    with transaction(app.extensions["docsys.sessions"]) as session:
        return {"Authorization": "Bearer " + accounts.create_api_token(
            session, get_user(session, username), "correcciones")}


def _counts(app):
    with transaction(app.extensions["docsys.sessions"]) as session:
        return (session.scalar(select(func.count()).select_from(Document)),
                session.scalar(select(func.count()).select_from(NormCorrection)))


def _round_trip(app):
    norm_id, _ = _setup(app)
    sessions = app.extensions["docsys.sessions"]
    public = app.test_client()
    with transaction(sessions) as session:
        norm = session.get(Document, norm_id)
        number, year = norm.official_number, norm.issue_date[:4]
    archivo = _browser(app, "archivo")
    assert archivo.post_form(f"/documentos/{norm_id}/publicar", CONFIRMED).status_code == 302
    original_pdf = public.get(f"/normas/rgm/{year}/1.pdf").data
    assert original_pdf.startswith(b"%PDF")

    # The authority sees «Corregir esta norma» on the norm's page; the drafter does not.
    gerente = _browser(app, "gerente")
    page = gerente.get(f"/documentos/{norm_id}/revision").get_data(as_text=True)
    assert "Corregir esta norma" in page and 'id="correction-form"' in page
    assert "Rectificar error material" in page and "Dejar sin efecto" in page
    redactor = _browser(app, "redactor")
    assert 'id="correction-form"' not in redactor.get(
        f"/documentos/{norm_id}/revision").get_data(as_text=True)
    # The form needs its CSRF token.
    forged = gerente.client.post(f"/documentos/{norm_id}/corregir",
                                 data={"tipo": "rectificar", "motivo": REASON})
    assert forged.status_code == 400 and _counts(app)[1] == 0
    started = gerente.post_form(f"/documentos/{norm_id}/corregir",
                                {"tipo": "rectificar", "motivo": REASON})
    assert started.status_code == 302, started.get_data(as_text=True)
    draft_id = int(re.search(r"/documentos/(\d+)/revision", started.headers["Location"])[1])
    draft_page = gerente.get(f"/documentos/{draft_id}/revision").get_data(as_text=True)
    assert "Corrige una norma emitida" in draft_page and number in draft_page
    assert "Rectificar el error material incurrido en la Resolución de Gerencia Municipal" \
        in draft_page
    # A second submit of the same form is harmless: refused, nothing created.
    again = gerente.post_form(f"/documentos/{norm_id}/corregir",
                              {"tipo": "rectificar", "motivo": REASON})
    assert again.status_code == 409 and "corrección en curso" in again.get_data(as_text=True)

    # The drafting office completes the prompts through the editor's save.
    content = redactor.get(f"/documentos/{draft_id}/versiones/1/contenido").get_json()
    content = content.get("content", content)
    saved = redactor.post_json(f"/documentos/{draft_id}/guardar",
                               {"content": fill_prompts(content), "base_version": 1,
                                "note": "Texto erróneo y correcto completados"})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    with transaction(sessions) as session:   # review, vistos buenos, approval: shared helper
        take_to_approval(session, app.config, session.get(Document, draft_id),
                         get_user(session, "redactor"))
    with sessions() as session:
        issuance = services.issue(session, app.config, get_user(session, "gerente"), draft_id,
                                  secret=SECRET)
        correction_number = issuance.official_number
        correction_seq = issuance.sequence
    assert archivo.post_form(f"/documentos/{draft_id}/publicar", CONFIRMED).status_code == 302

    # Both portal pages show the relation, with links; the status changed.
    corrected = public.get(f"/normas/rgm/{year}/1").get_data(as_text=True)
    assert re.search(r'id="legal-status">Rectificada<', corrected)
    link = f'<a href="/normas/rgm/{year}/{correction_seq}">{correction_number}</a>'
    assert f"Rectificada por {link}" in corrected
    correcting = public.get(f"/normas/rgm/{year}/{correction_seq}").get_data(as_text=True)
    assert f'Rectifica <a href="/normas/rgm/{year}/1">{number}</a>' in correcting
    assert re.search(r'id="legal-status">Vigente<', correcting)
    # The corrected norm's signed PDF is the same file, byte for byte.
    assert public.get(f"/normas/rgm/{year}/1.pdf").data == original_pdf
    # ...and no other way changes it: its text cannot be saved again, nor re-issued.
    with transaction(sessions) as session:
        norm = session.get(Document, norm_id)
        content, latest = norm.versions[-1].content, norm.latest_version
    saved = redactor.post_json(f"/documentos/{norm_id}/guardar",
                               {"content": content, "base_version": latest})
    assert saved.status_code == 409
    reissued = gerente.post_form(f"/documentos/{norm_id}/emitir", CONFIRMED,
                                 content_type="multipart/form-data")
    assert reissued.status_code == 409
    # The search shows the new status as a facet and filters by it.
    found = public.get("/normas?q=estado:rectificada").get_data(as_text=True)
    assert number in found and correction_number not in found
    # The norm's page inside docsys lists its correction (issued: another may start).
    page = gerente.get(f"/documentos/{norm_id}/revision").get_data(as_text=True)
    assert correction_number in page and 'id="correction-form"' in page


def test_round_trip_on_sqlite(app):
    _round_trip(app)


def test_round_trip_on_postgresql(pg_app):
    _round_trip(pg_app)


def test_refusals_through_page_api_and_cli(app):
    norm_id, draft_id = _setup(app)
    client = app.test_client()
    before = _counts(app)
    body = {"kind": "rectificar", "reason": REASON}
    for username in ("redactor", "gerente_gdur", "archivo"):
        r = client.post(f"/api/v1/documents/{norm_id}/corrections", headers=_token(app, username),
                        json=body)
        assert r.status_code == 403, (username, r.get_json())
        assert "Solo la autoridad que firma este tipo de norma (GM)" in r.get_json()["error"]["message"]
    gerente = _token(app, "gerente")
    bad = client.post(f"/api/v1/documents/{norm_id}/corrections", headers=gerente,
                      json={"kind": "borrar", "reason": REASON})
    assert bad.status_code == 400 and "tipo de corrección" in bad.get_json()["error"]["message"]
    short = client.post(f"/api/v1/documents/{norm_id}/corrections", headers=gerente,
                        json={"kind": "rectificar", "reason": ""})
    assert short.status_code == 400 and "motivo" in short.get_json()["error"]["message"]
    not_json = client.post(f"/api/v1/documents/{norm_id}/corrections", headers=gerente,
                           data="x", content_type="text/plain")
    assert not_json.status_code == 400
    draft = client.post(f"/api/v1/documents/{draft_id}/corrections", headers=gerente, json=body)
    assert draft.status_code == 409 and "aún no se ha emitido" in draft.get_json()["error"]["message"]
    missing = client.post("/api/v1/documents/999999/corrections", headers=gerente, json=body)
    assert missing.status_code == 404
    # The page: another office's authority gets a Spanish 403.
    other = _browser(app, "gerente_gdur")
    refused = other.post_form(f"/documentos/{norm_id}/corregir",
                              {"tipo": "rectificar", "motivo": REASON})
    assert refused.status_code == 403 and "Solo la autoridad" in refused.get_data(as_text=True)
    bad_page = _browser(app, "gerente").post_form(f"/documentos/{norm_id}/corregir",
                                                   {"tipo": "x", "motivo": REASON})
    assert bad_page.status_code == 400
    # The CLI.
    runner = app.test_cli_runner()
    result = runner.invoke(args=["docsys", "correct", str(norm_id), "--kind", "anular",
                                 "--user", "gerente", "--reason", REASON])
    assert result.exit_code == 1 and "tipo de corrección" in result.output
    result = runner.invoke(args=["docsys", "correct", str(norm_id), "--kind", "rectificar",
                                 "--user", "redactor", "--reason", REASON])
    assert result.exit_code == 1 and "Solo la autoridad" in result.output
    assert _counts(app) == before
    # Allowed through the API and the CLI: one each (the second after the first is discarded).
    made = client.post(f"/api/v1/documents/{norm_id}/corrections", headers=gerente,
                       json={"kind": "dejar_sin_efecto", "reason": REASON})
    assert made.status_code == 201, made.get_json()
    data = made.get_json()
    assert data["corrected"] == {"document_id": norm_id,
                                 "number": "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0001-2026-GM-MDM"}
    assert data["document"]["status"] == "borrador" and data["document"]["office"] == "GM"
    assert data["document"]["title"].startswith("Dejar sin efecto la Resolución")
    discard = client.post(f"/api/v1/documents/{data['document']['id']}/transitions",
                          headers=_token(app, "redactor"),
                          json={"action": "descartar", "reason": "Se rectificará en su lugar"})
    assert discard.status_code == 201, discard.get_json()
    result = runner.invoke(args=["docsys", "correct", str(norm_id), "--kind", "rectificar",
                                 "--user", "gerente", "--reason", REASON])
    assert result.exit_code == 0, result.output
    assert "Borrador" in result.output and "GM" in result.output
    assert _counts(app) == (before[0] + 2, before[1] + 2)
