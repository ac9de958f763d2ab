"""`flask docsys check`, `compliance analyze`, `compliance refresh-status`, and the demo."""
from __future__ import annotations

import json

from sqlalchemy import select

from demo.compliance import load_compliance_demo
from docsys.db import transaction
from docsys.models import Document, NormRelation
from tests.compliance.files import docx_bytes
from tests.compliance.support import CUIS, REPEALER, add_norm
from tests.compliance.test_web import TEXT


def test_check_a_file_as_json(app, tmp_path):
    with transaction(app.extensions["docsys.sessions"]) as session:
        add_norm(session, CUIS)
    path = tmp_path / "resolucion.docx"
    path.write_bytes(docx_bytes(TEXT.split("\n")))
    result = app.test_cli_runner().invoke(args=["docsys", "check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["doc_type"] == "RGM"
    assert {c["canonical_id"] for c in body["citations"]} == {"OM-8-2021", "LEY-27972"}
    cuis = next(c for c in body["citations"] if c["canonical_id"] == "OM-8-2021")
    assert cuis["match"]["legal_status"] == "vigente" and cuis["text"] == \
        "Ordenanza Municipal N° 008-2021-MDM"
    assert body["similar"][0]["number"] == "ORDENANZA MUNICIPAL N° 008-2021-MDM"


def test_check_prints_a_readable_report(app, tmp_path):
    path = tmp_path / "texto.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["docsys", "check", str(path), "--no-similar"])
    assert result.exit_code == 0, result.output
    assert "Resolución de Gerencia Municipal" in result.output
    assert "[not_found] La Ordenanza Municipal N° 008-2021-MDM no está en el archivo" in \
        result.output
    assert "LEY-27972" in result.output and "fuera del archivo" in result.output
    stdin = app.test_cli_runner().invoke(args=["docsys", "check", "-", "--json", "--no-similar"],
                                         input=TEXT.encode("utf-8"))
    assert json.loads(stdin.output)["summary"]["citations"] == 2


def test_check_refuses_bad_input(app, tmp_path):
    runner = app.test_cli_runner()
    cases = {"missing.txt": None, "empty.txt": b"", "junk.bin": bytes(range(256)) * 50,
             "huge.txt": b"resolucion " * 500_000, "broken.pdf": b"%PDF-1.7\nbasura"}
    messages = {"missing.txt": "no se pudo leer", "empty.txt": "vacío",
                "junk.bin": "tipo de archivo", "huge.txt": "caracteres",
                "broken.pdf": "PDF"}
    for name, data in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        result = runner.invoke(args=["docsys", "check", str(path), "--no-similar"])
        assert result.exit_code == 1, (name, result.output)
        assert "Error:" in result.output and messages[name] in result.output, name
        assert "Traceback" not in result.output
    bad_type = runner.invoke(args=["docsys", "check", "-", "--type", "XX"], input=b"x")
    assert bad_type.exit_code == 1 and "Tipo de documento desconocido" in bad_type.output


def test_analyze_and_refresh_commands(app):
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        add_norm(session, CUIS, analyze=False)
        add_norm(session, REPEALER, analyze=False)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["docsys", "compliance", "analyze", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Normas analizadas: 2" in result.output and "relaciones propuestas: 1" in result.output
    again = runner.invoke(args=["docsys", "compliance", "analyze", "--quiet"])
    assert "relaciones propuestas: 0" in again.output
    refresh = runner.invoke(args=["docsys", "compliance", "refresh-status"])
    assert refresh.exit_code == 0 and "cambiaron de estado: 0" in refresh.output


def test_demo_archive_shows_every_status(session_factory):
    with transaction(session_factory) as session:
        first = load_compliance_demo(session)
        assert first == {"normas_archivo": 9, "relaciones_confirmadas": 4}
        assert load_compliance_demo(session) == {"normas_archivo": 0,
                                                 "relaciones_confirmadas": 0}
        statuses = dict(session.execute(select(Document.number_key, Document.legal_status)).all())
        assert statuses["OM-12-2019"] == "modificada" and statuses["OM-8-2021"] == "derogada"
        assert statuses["OM-3-2020"] == "derogada" and statuses["RA-145-2023"] == "vigente"
        kinds = sorted(session.scalars(select(NormRelation.kind)))
        assert kinds == ["deroga", "deroga", "modifica", "reglamenta"]
