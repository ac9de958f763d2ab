"""The document templates shipped in templates/documents/: they parse, they instantiate into
the structure each kind of norm needs, and they carry the legal boilerplate of Megantoni."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from docsys.drafting.structure import normalize_content, plain_text
from docsys.drafting.templates import instantiate, parse_template, template_files
from docsys.errors import ValidationError

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "documents"
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")

EXPECTED = {
    # key: (doc_type, heading, number_pattern, issuing_office, default signer)
    "resolucion-alcaldia": ("RA", "RESOLUCIÓN DE ALCALDÍA N° {numero}",
                            "{seq:03d}-{year}-A-{muni}", "A", "Alcalde"),
    "resolucion-gerencia-municipal": ("RGM", "RESOLUCIÓN DE GERENCIA MUNICIPAL N° {numero}",
                                      "{seq:04d}-{year}-GM-{muni}", "GM", "Gerente Municipal"),
    "ordenanza-municipal": ("OM", "ORDENANZA MUNICIPAL N° {numero}",
                            "{seq:03d}-{year}-{muni}", "SG", "Alcalde"),
    "decreto-alcaldia": ("DA", "DECRETO DE ALCALDÍA N° {numero}",
                         "{seq:03d}-{year}-A-{muni}", "A", "Alcalde"),
    "acuerdo-concejo": ("AC", "ACUERDO DE CONCEJO N° {numero}",
                        "{seq:03d}-{year}-{muni}", "SG", "Alcalde"),
    "directiva": ("DIR", "DIRECTIVA N° {numero}",
                  "{seq:03d}-{year}-GM-{muni}", "GM", "Gerente Municipal"),
    "resolucion-gerencia": ("RG", "RESOLUCIÓN DE GERENCIA N° {numero}",
                            "{seq:03d}-{year}-{oficina}-{muni}", "", "Gerente"),
}
RESOLUTIONS = ("resolucion-alcaldia", "resolucion-gerencia-municipal", "resolucion-gerencia")


def _load(key: str) -> dict:
    return parse_template((TEMPLATES_DIR / f"{key}.yaml").read_text(encoding="utf-8"))


def _section(content: dict, key: str) -> dict:
    matches = [s for s in content["sections"] if s["key"] == key]
    assert matches, f"falta la sección {key}"
    return matches[0]


def _texts(section: dict) -> list[str]:
    return [item["text"] for item in section["items"]]


@pytest.fixture(scope="module")
def definitions() -> dict:
    return {key: _load(key) for key in EXPECTED}


# --- every file ----------------------------------------------------------------------------

def test_directory_holds_exactly_the_expected_templates():
    keys = {p.stem for p in template_files(TEMPLATES_DIR)}
    assert keys == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_template_parses_with_its_identity(key):
    definition = _load(key)
    doc_type, heading, pattern, office, _signer = EXPECTED[key]
    assert definition["key"] == key
    assert definition["doc_type"] == doc_type
    assert definition["heading"] == heading
    assert definition["number_pattern"] == pattern
    assert (definition["issuing_office"] or "") == office
    assert definition["name"] and definition["description"]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_number_pattern_formats_like_an_official_number(key):
    pattern = _load(key)["number_pattern"]
    number = pattern.format(seq=45, year=2026, muni="MDM", oficina="GDUR")
    assert number.endswith("-MDM") and "2026" in number
    assert re.match(r"^0*45-2026-", number)


def test_sample_numbers():
    fmt = lambda key: _load(key)["number_pattern"].format(seq=45, year=2024, muni="MDM",
                                                          oficina="GDUR")
    assert fmt("resolucion-gerencia-municipal") == "0045-2024-GM-MDM"
    assert fmt("resolucion-alcaldia") == "045-2024-A-MDM"
    assert fmt("ordenanza-municipal") == "045-2024-MDM"
    assert fmt("resolucion-gerencia") == "045-2024-GDUR-MDM"
    assert fmt("directiva") == "045-2024-GM-MDM"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_fields_are_labelled_and_explained(key):
    definition = _load(key)
    fields = {f["key"]: f for f in definition["fields"]}
    for field in definition["fields"]:
        assert field["label"] and field["label"] != field["key"], field["key"]
        assert field["help"], f"{key}: el campo {field['key']} no tiene ayuda"
    assert fields["sumilla"]["required"] is True and fields["sumilla"]["multiline"] is True
    # Only the sumilla is required, so a draft can start from it alone.
    assert [f["key"] for f in definition["fields"] if f["required"]] == ["sumilla"]
    assert fields["lugar"]["default"] == "Camisea"
    assert fields["fecha"]["label"] == "Fecha de emisión" and fields["fecha"]["default"] == ""
    assert "firmante_nombre" in fields
    assert fields["firmante_cargo"]["default"] == EXPECTED[key][4]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_placeholder_is_a_declared_field(key):
    definition = _load(key)
    declared = {f["key"] for f in definition["fields"]}
    for section in definition["sections"]:
        texts = [section.get("title", "")]
        for item in section.get("items") or []:
            if isinstance(item, str):
                texts.append(item)
            else:
                texts += [item.get("text", ""), item.get("heading", "")]
        for text in texts:
            unknown = set(PLACEHOLDER.findall(text)) - declared
            assert not unknown, f"{key}/{section['key']}: {unknown}"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_instantiate_with_only_the_sumilla(key):
    content = instantiate(_load(key), {"sumilla": "x"})
    assert content["doc_type"] == EXPECTED[key][0]
    assert content["fields"]["sumilla"] == "x"
    assert content["fields"]["lugar"] == "Camisea"
    assert content["fields"]["fecha"] == ""
    # The result is a valid structure, stable under normalisation.
    assert normalize_content(content)["sections"] == content["sections"]
    for section in content["sections"]:
        assert section["items"], f"{key}: la sección {section['key']} está vacía"
        for item in section["items"]:
            assert item["text"].strip()
            assert "{" not in item["text"] and "}" not in item["text"]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_considerandos_start_with_que(key):
    content = instantiate(_load(key), {"sumilla": "x"})
    for section in content["sections"]:
        if section["key"] == "considerando":
            for text in _texts(section):
                assert text.startswith("Que, "), text[:60]


@pytest.mark.parametrize("key", sorted(set(EXPECTED) - {"directiva"}))
def test_legal_bases_are_cited(key):
    text = plain_text(instantiate(_load(key), {"sumilla": "x"}))
    assert "artículo 194 de la Constitución Política del Perú" in text
    assert "Ley N° 30305" in text
    assert "artículo II del Título Preliminar de la Ley N° 27972" in text


# --- resolutions ---------------------------------------------------------------------------

@pytest.mark.parametrize("key", RESOLUTIONS)
def test_resolution_structure(key):
    content = instantiate(_load(key), {"sumilla": "Aprobar algo"})
    keys = [s["key"] for s in content["sections"]]
    assert keys.index("visto") < keys.index("considerando") < keys.index("preambulo") \
        < keys.index("resuelve")
    assert _section(content, "visto")["title"] == "VISTO:"
    assert _section(content, "considerando")["title"] == "CONSIDERANDO:"
    preamble = _section(content, "preambulo")
    assert preamble["title"] == ""
    assert _texts(preamble)[0].startswith("Estando a lo expuesto")
    assert "Gerencia de Asesoría Jurídica" in _texts(preamble)[0]
    resuelve = _section(content, "resuelve")
    assert resuelve["title"] == "SE RESUELVE:"
    assert resuelve["kind"] == "articles" and resuelve["numbering"] == "ordinal_upper"
    articles = _texts(resuelve)
    assert len(articles) >= 1
    assert any(a.startswith("NOTIFICAR") for a in articles)
    assert any("www.munimegantoni.gob.pe" in a for a in articles)
    assert content["closing"] == "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."
    considerandos = " ".join(_texts(_section(content, "considerando")))
    assert "artículo 39 de la Ley N° 27972" in considerandos
    assert "numeral 1.1 del artículo IV del Título Preliminar" in considerandos
    assert "Decreto Supremo N° 004-2019-JUS" in considerandos


def test_resolucion_alcaldia_cites_the_mayors_powers(definitions):
    text = plain_text(instantiate(definitions["resolucion-alcaldia"], {"sumilla": "x"}))
    assert "numeral 6 del artículo 20" in text
    assert "artículo 43" in text


def test_resolucion_gerencia_municipal_cites_the_delegation(definitions):
    content = instantiate(definitions["resolucion-gerencia-municipal"], {
        "sumilla": "Aprobar el expediente técnico",
        "expediente": "2026-004512",
        "informes": "el Informe N° 0231-2026-GDUR-MDM",
        "resolucion_delegacion": "Resolución de Alcaldía N° 002-2026-A-MDM",
    })
    assert _texts(_section(content, "visto")) == [
        "El Expediente N° 2026-004512; el Informe N° 0231-2026-GDUR-MDM; y,"]
    text = plain_text(content)
    assert "mediante la Resolución de Alcaldía N° 002-2026-A-MDM, el Alcalde delegó" in text
    assert "facultades delegadas mediante la Resolución de Alcaldía N° 002-2026-A-MDM" in text
    assert "numeral 85.2 del artículo 85" in text
    assert "numeral 20 del artículo 20" in text
    assert content["fields"]["firmante_cargo"] == "Gerente Municipal"


def test_resolucion_gerencia_names_the_issuing_area(definitions):
    content = instantiate(definitions["resolucion-gerencia"], {
        "sumilla": "Reconocer la junta directiva",
        "gerencia": "Gerencia de Desarrollo Social",
        "norma_rof": "Ordenanza Municipal N° 012-2019-MDM",
        "firmante_cargo": "Gerente de Desarrollo Social",
    })
    text = plain_text(content)
    assert "asigna a la Gerencia de Desarrollo Social la función" in text
    assert "aprobado por Ordenanza Municipal N° 012-2019-MDM" in text
    assert content["fields"]["firmante_cargo"] == "Gerente de Desarrollo Social"


# --- norms of the council and of the mayor -------------------------------------------------

def test_ordenanza_structure(definitions):
    content = instantiate(definitions["ordenanza-municipal"], {
        "sumilla": "Ordenanza que regula el comercio ambulatorio",
        "denominacion": "REGULA EL COMERCIO AMBULATORIO EN EL CENTRO POBLADO DE CAMISEA",
        "sesion_fecha": "15 de enero de 2026",
    })
    keys = [s["key"] for s in content["sections"]]
    assert keys[:4] == ["encabezado", "por_cuanto", "visto", "considerando"]
    assert _texts(_section(content, "encabezado")) == [
        "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI"]
    por_cuanto = _section(content, "por_cuanto")
    assert por_cuanto["title"] == "POR CUANTO:"
    assert _texts(por_cuanto) == ["EL CONCEJO MUNICIPAL DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI"]
    visto = _texts(_section(content, "visto"))[0]
    assert visto.startswith("En Sesión Ordinaria de Concejo de fecha 15 de enero de 2026")
    considerandos = " ".join(_texts(_section(content, "considerando")))
    assert "artículo 40 de la Ley N° 27972" in considerandos
    approval = _texts(_section(content, "aprobacion"))[0]
    assert approval.startswith("Que, estando a lo expuesto")
    assert "numeral 8 del artículo 9 y el artículo 40 de la Ley N° 27972" in approval
    assert approval.endswith("aprobó por UNANIMIDAD la siguiente:")
    articles = _section(content, "articulado")
    assert articles["title"] == ("ORDENANZA QUE REGULA EL COMERCIO AMBULATORIO EN EL CENTRO "
                                 "POBLADO DE CAMISEA")
    assert articles["kind"] == "articles" and articles["numbering"] == "arabic"
    assert articles["items"][0]["heading"] == "OBJETO"
    finals = _section(content, "disposiciones_finales")
    assert finals["title"] == "DISPOSICIONES COMPLEMENTARIAS FINALES"
    assert any("artículo 44 de la Ley N° 27972" in t for t in _texts(finals))
    por_tanto = _section(content, "por_tanto")
    assert por_tanto["title"] == "POR TANTO:"
    assert _texts(por_tanto) == ["MANDO SE REGISTRE, PUBLIQUE Y CUMPLA."]
    assert keys[-1] == "por_tanto"
    assert content["closing"] == "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."


def test_ordenanza_votacion_can_be_by_majority(definitions):
    content = instantiate(definitions["ordenanza-municipal"],
                          {"sumilla": "x", "votacion": "MAYORÍA", "sesion_tipo": "Extraordinaria"})
    assert _texts(_section(content, "aprobacion"))[0].endswith("aprobó por MAYORÍA la siguiente:")
    assert _texts(_section(content, "visto"))[0].startswith("En Sesión Extraordinaria de Concejo")


def test_decreto_structure(definitions):
    content = instantiate(definitions["decreto-alcaldia"], {"sumilla": "Horario de atención"})
    assert _texts(_section(content, "encabezado")) == [
        "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI"]
    assert _section(content, "visto")["title"] == "VISTO:"
    considerandos = " ".join(_texts(_section(content, "considerando")))
    assert "artículo 42 de la Ley N° 27972" in considerandos
    decreta = _section(content, "decreta")
    assert decreta["title"] == "DECRETA:" and decreta["kind"] == "articles"
    assert decreta["items"]
    assert content["closing"] == "REGÍSTRESE, COMUNÍQUESE, PUBLÍQUESE Y CÚMPLASE."


def test_acuerdo_structure(definitions):
    content = instantiate(definitions["acuerdo-concejo"],
                          {"sumilla": "Autorizar convenio", "sesion_fecha": "30 de enero de 2026"})
    assert _texts(_section(content, "encabezado")) == [
        "EL CONCEJO MUNICIPAL DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI"]
    assert _texts(_section(content, "visto"))[0].startswith(
        "En Sesión Ordinaria de Concejo de fecha 30 de enero de 2026")
    considerandos = " ".join(_texts(_section(content, "considerando")))
    assert "el artículo 41 de la misma ley define los acuerdos" in considerandos
    acuerda = _section(content, "acuerda")
    assert acuerda["title"] == "ACUERDA:"
    assert acuerda["kind"] == "articles" and acuerda["numbering"] == "ordinal_plain"
    assert content["closing"] == "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."


def test_directiva_structure(definitions):
    content = instantiate(definitions["directiva"], {
        "sumilla": "Directiva para la administración del fondo de caja chica",
        "unidad_formuladora": "Gerencia de Administración y Finanzas",
        "norma_rof": "Ordenanza Municipal N° 012-2019-MDM",
    })
    titles = [s["title"] for s in content["sections"]]
    assert titles == ["I. OBJETIVO", "II. FINALIDAD", "III. BASE LEGAL", "IV. ALCANCE",
                      "V. DISPOSICIONES GENERALES", "VI. DISPOSICIONES ESPECÍFICAS",
                      "VII. RESPONSABILIDADES", "VIII. DISPOSICIONES COMPLEMENTARIAS",
                      "IX. ANEXOS"]
    base = _texts(_section(content, "base_legal"))
    assert "Ley N° 27972, Ley Orgánica de Municipalidades." in base
    assert any("Texto Único Ordenado de la Ley N° 27444" in t
               and "Decreto Supremo N° 004-2019-JUS" in t for t in base)
    assert any("aprobado por Ordenanza Municipal N° 012-2019-MDM" in t for t in base)
    for key in ("disposiciones_generales", "disposiciones_especificas"):
        assert _section(content, key)["numbering"] == "numeric"
    assert any("previo informe de la Gerencia de Administración y Finanzas" in t
               for t in _texts(_section(content, "disposiciones_complementarias")))
    assert content["fields"]["firmante_cargo"] == "Gerente Municipal"


# --- values and refusals -------------------------------------------------------------------

def test_placeholders_are_filled_and_defaults_can_be_overridden(definitions):
    content = instantiate(definitions["resolucion-alcaldia"], {
        "sumilla": "  Designar funcionario  ",
        "expediente": "2026-003187",
        "informes": "el Memorando N° 045-2026-GM-MDM",
        "lugar": "Kepashiato",
        "firmante_nombre": "Marco Antonio Mendoza Poma",
    })
    assert content["fields"]["sumilla"] == "Designar funcionario"
    assert content["fields"]["lugar"] == "Kepashiato"
    assert content["fields"]["firmante_cargo"] == "Alcalde"
    assert _texts(_section(content, "visto")) == [
        "El Expediente N° 2026-003187; el Memorando N° 045-2026-GM-MDM; y,"]


def test_empty_placeholders_remain_visible_as_hints(definitions):
    content = instantiate(definitions["resolucion-alcaldia"], {"sumilla": "x"})
    assert _texts(_section(content, "visto")) == ["El Expediente N° [expediente]; [informes]; y,"]


def test_missing_required_field_is_refused_in_spanish(definitions):
    for definition in definitions.values():
        with pytest.raises(ValidationError) as info:
            instantiate(definition, {"expediente": "2026-000001"})
        assert "obligatorio" in info.value.message
        assert "«" in info.value.message
    with pytest.raises(ValidationError, match="obligatorio"):
        instantiate(definitions["directiva"], {"sumilla": "   "})


def test_malformed_yaml_is_refused():
    text = (TEMPLATES_DIR / "resolucion-alcaldia.yaml").read_text(encoding="utf-8")
    broken = text.replace('heading: "RESOLUCIÓN', 'heading: [ "RESOLUCIÓN', 1)
    with pytest.raises(ValidationError) as info:
        parse_template(broken)
    assert "YAML" in info.value.message
    with pytest.raises(ValidationError):
        parse_template("key: x\n  - : :\n\t")


def test_template_without_sumilla_is_refused():
    text = (TEMPLATES_DIR / "decreto-alcaldia.yaml").read_text(encoding="utf-8")
    without = text.replace("- key: sumilla", "- key: resumen", 1)
    with pytest.raises(ValidationError) as info:
        parse_template(without)
    assert "sumilla" in info.value.message


def test_template_with_unknown_numbering_is_refused():
    text = (TEMPLATES_DIR / "acuerdo-concejo.yaml").read_text(encoding="utf-8")
    with pytest.raises(ValidationError):
        parse_template(text.replace("numbering: ordinal_plain", "numbering: romano", 1))
