"""Structural rules as data: every template passes once filled, missing parts are named."""
from __future__ import annotations

import re

import pytest
import yaml

from docsys.compliance.structure_rules import (RULES_DIR, RulesError, check_structure,
                                               detect_doc_type, load_rule_sets, parse_rules)
from docsys.compliance.text import content_text
from docsys.drafting.templates import instantiate, parse_template, template_files
from tests.conftest import TEMPLATES_DIR

FIELDS = {"sumilla": "Aprobar el plan", "expediente": "2026-1",
          "informes": "el Informe N° 1-2026-GM-MDM", "denominacion": "APRUEBA EL PLAN",
          "resolucion_delegacion": "Resolución de Alcaldía N° 002-2026-A-MDM",
          "votacion": "unanimidad", "norma_rof": "Ordenanza Municipal N° 012-2019-MDM",
          "sesion_tipo": "Ordinaria", "sesion_fecha": "2026-03-01", "dictamen": "el Dictamen N° 1",
          "gerencia": "Gerencia de Desarrollo Urbano y Rural", "unidad_formuladora": "GAF"}
TEMPLATES = [parse_template(p.read_text(encoding="utf-8")) for p in template_files(TEMPLATES_DIR)]


def filled(definition) -> str:
    text = content_text(instantiate(definition, FIELDS), "", definition)
    return re.sub(r"\[[^\]\n]{3,200}\]", "lo que corresponde", text)


def test_every_template_type_has_rules():
    covered = {code for rule_set in load_rule_sets() for code in rule_set.doc_types}
    assert {t["doc_type"] for t in TEMPLATES} <= covered


@pytest.mark.parametrize("definition", TEMPLATES, ids=[t["key"] for t in TEMPLATES])
def test_a_filled_template_meets_its_rules(definition):
    text = filled(definition)
    assert detect_doc_type(text) == definition["doc_type"]
    assert check_structure(text, definition["doc_type"]) == []


@pytest.mark.parametrize("definition", TEMPLATES, ids=[t["key"] for t in TEMPLATES])
def test_template_hints_left_are_reported(definition):
    text = content_text(instantiate(definition, FIELDS), "", definition)
    (finding,) = check_structure(text, definition["doc_type"])
    assert finding.rule == "indicaciones" and "«[" in finding.message


RESOLUTION = """RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM
Camisea, 12 de marzo de 2024
VISTO:
El Informe N° 120-2024-GIP-MDM; y,
CONSIDERANDO:
Que, el artículo 39 de la Ley N° 27972 establece que las gerencias resuelven;
Estando a lo expuesto y en uso de las facultades delegadas;
SE RESUELVE:
ARTÍCULO PRIMERO.- APROBAR el expediente técnico.
REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."""


def rules_missing(text, doc_type="RGM"):
    return [f.rule for f in check_structure(text, doc_type)]


def test_a_complete_pasted_resolution():
    assert detect_doc_type(RESOLUTION) == "RGM"
    assert rules_missing(RESOLUTION) == []


@pytest.mark.parametrize("change, missing", [
    (lambda t: t.replace("SE RESUELVE:", "Se dispone lo siguiente"), ["se-resuelve"]),
    (lambda t: t.replace("REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.", ""), ["cierre"]),
    (lambda t: t.replace("Que, el artículo 39 de la Ley N° 27972 establece",
                         "Que, la gerencia considera"), ["base-legal"]),
    (lambda t: t.replace("VISTO:\nEl Informe N° 120-2024-GIP-MDM; y,\n", ""), ["visto"]),
    (lambda t: t.replace("ARTÍCULO PRIMERO.- APROBAR", "APROBAR"), ["articulos"]),
    (lambda t: t.replace("y en uso de las facultades delegadas", ""), ["competencia"]),
])
def test_missing_parts_are_named(change, missing):
    assert rules_missing(change(RESOLUTION)) == missing


def test_resolve_on_the_same_line_and_the_order():
    inline = RESOLUTION.replace("delegadas;\nSE RESUELVE:", "delegadas; SE RESUELVE:")
    assert rules_missing(inline) == []
    swapped = RESOLUTION.replace("VISTO:\nEl Informe N° 120-2024-GIP-MDM; y,\n", "").replace(
        "ARTÍCULO PRIMERO.- APROBAR el expediente técnico.",
        "ARTÍCULO PRIMERO.- APROBAR el expediente técnico.\nVISTO: el informe;")
    assert "orden" in rules_missing(swapped)


def test_an_ordinance_must_come_from_the_concejo():
    text = ("ORDENANZA MUNICIPAL N° 012-2024-MDM\nCONSIDERANDO:\nQue, el artículo 40 de la Ley "
            "N° 27972 …;\nArtículo 1.- APROBAR el reglamento.\nREGÍSTRESE, PUBLÍQUESE Y CÚMPLASE.")
    assert detect_doc_type(text) == "OM"
    assert rules_missing(text, "OM") == ["concejo"]
    approved = text.replace("CONSIDERANDO:", "EL CONCEJO MUNICIPAL HA DADO LA ORDENANZA "
                                             "SIGUIENTE:\nCONSIDERANDO:")
    assert rules_missing(approved, "OM") == []


def test_a_directive_without_legal_basis_or_scope():
    text = ("DIRECTIVA N° 002-2024-GM-MDM\nI. OBJETIVO\nNormar.\nII. FINALIDAD\nOrdenar.\n"
            "V. DISPOSICIONES GENERALES\n1. Reglas.\nVII. RESPONSABILIDADES\nLa Gerencia.")
    assert rules_missing(text, "DIR") == ["base-legal", "alcance"]
    text = text.replace("V. DISP", "III. BASE LEGAL\nNormas internas.\nIV. ALCANCE\nTodos.\nV. DISP")
    assert rules_missing(text, "DIR") == ["base-legal-normas"]


def test_types_without_rules_and_empty_text():
    assert check_structure(RESOLUTION, "LEY") == [] and check_structure("", "RGM") == []
    assert check_structure(RESOLUTION, None) == []
    assert detect_doc_type("Texto sin encabezado") is None


@pytest.mark.parametrize("data, complaint", [
    ([], "mapa"), ({"doc_types": {}}, "doc_types"),
    ({"doc_types": {"RA": "("}}, "no válida"),
    ({"doc_types": {"RA": "^x"}, "rules": [{"id": "a", "check": "nope", "message": "m"}]}, "check"),
    ({"doc_types": {"RA": "^x"}, "rules": [{"id": "a", "check": "section", "section": "v",
                                            "message": "m"}]}, "no está definida"),
    ({"doc_types": {"RA": "^x"}, "rules": [{"id": "a", "check": "pattern", "message": "m"}]},
     "pattern"),
    ({"doc_types": {"RA": "^x"}, "rules": [{"id": "a", "check": "cites"}]}, "mensaje"),
])
def test_bad_rules_files_are_refused_with_a_reason(data, complaint):
    with pytest.raises(RulesError, match=complaint):
        parse_rules(data, "prueba.yaml")


def test_rules_come_from_files(tmp_path):
    (tmp_path / "x.yaml").write_text(yaml.safe_dump({
        "doc_types": {"RA": "^resolucion de alcaldia"},
        "rules": [{"id": "sello", "check": "pattern", "pattern": "sello",
                   "message": "Falta el sello."}]}), encoding="utf-8")
    assert [f.message for f in check_structure("RESOLUCIÓN DE ALCALDÍA", "RA",
                                               directory=tmp_path)] == ["Falta el sello."]
    assert {p.name for p in RULES_DIR.glob("*.yaml")} >= {"resoluciones.yaml", "ordenanzas.yaml",
                                                         "directivas.yaml"}
