"""Reading a norm's type, number, year, office, date and sumilla from real-looking first
pages: typed, OCR'd (with its usual misreadings), and from file names."""
from __future__ import annotations

import datetime as dt

import pytest

from docsys.archive import guess_metadata
from docsys.archive.metadata import CONFIRM_BELOW

LETTERHEAD = ("MUNICIPALIDAD DISTRITAL DE MEGANTONI\n"
              "«Año del Fortalecimiento de la Soberanía Nacional»\n")

# (first page, file name) -> expected (type, number, year, office, date)
HEADINGS = [
    (LETTERHEAD + "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM\n"
     "Camisea, 12 de marzo de 2024\nVISTO:\nEl Informe N° 120-2024-GDUR-MDM;",
     "", ("RGM", 45, 2024, "GM", dt.date(2024, 3, 12))),
    ("RESOLUCION DE ALCALDIA Nº 145-2023-A-MDM\nCamisea, 1 de febrero del 2023\nVISTOS:",
     "", ("RA", 145, 2023, "A", dt.date(2023, 2, 1))),
    ("RESOLUCIÓN DE ALCALDÍA N.° 008-2025-A/MDM\nKepashiato, 03 de enero de 2025",
     "", ("RA", 8, 2025, "A", dt.date(2025, 1, 3))),
    ("ORDENANZA MUNICIPAL Nro. 012-2019-MDM\nCamisea, 17 de mayo de 2019\n"
     "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI\nPOR CUANTO:",
     "", ("OM", 12, 2019, "SG", dt.date(2019, 5, 17))),
    ("ACUERDO DE CONCEJO No. 034-2024-MDM\nCamisea, 30 de setiembre de 2024\n"
     "EL CONCEJO MUNICIPAL DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI",
     "", ("AC", 34, 2024, "SG", dt.date(2024, 9, 30))),
    ("DECRETO DE ALCALDÍA N° 003-2024-A-MDM\nCamisea, 9 de febrero de 2024",
     "", ("DA", 3, 2024, "A", dt.date(2024, 2, 9))),
    ("RESOLUCIÓN DE GERENCIA N° 021-2024-GDUR-MDM\nCamisea, 15 de julio de 2024",
     "", ("RG", 21, 2024, "GDUR", dt.date(2024, 7, 15))),
    ("RESOLUCIÓN GERENCIAL MUNICIPAL N° 231-2020-GM-MDM\nKiteni, 4 de noviembre de 2020",
     "", ("RGM", 231, 2020, "GM", dt.date(2020, 11, 4))),
    # "RESOLUCIÓN DE GERENCIA ... -GM-" is the municipal manager's.
    ("RESOLUCIÓN DE GERENCIA N° 077-2021-GM-MDM\nCamisea, 2 de agosto de 2021",
     "", ("RGM", 77, 2021, "GM", dt.date(2021, 8, 2))),
    ("DIRECTIVA N° 002-2024-GM-MDM\n«NORMAS PARA EL OTORGAMIENTO DE VIÁTICOS»\nI. OBJETIVO",
     "", ("DIR", 2, 2024, "GM", None)),
    # OCR: "N*" and "N?*", "O" for "0", broken spacing, lower-case month.
    ("RESOLUCIÓN DE ALCALDÍA N* 1O5-2022-A-MDM\nCamisea, 5 de octubre de 2022",
     "", ("RA", 105, 2022, "A", dt.date(2022, 10, 5))),
    ("RESOLUCI0N  DE  ALCALDIA  N?* 304-2020-A-MDM\n\nKirigueti, 5 de octubre de 2020",
     "", ("RA", 304, 2020, "A", dt.date(2020, 10, 5))),
    ("RESOLUCIÓN DE ALCALDÍA N° 066 - 2018 - A - MDM\nCamisea, 20 DE MARZO DEL 2018",
     "", ("RA", 66, 2018, "A", dt.date(2018, 3, 20))),
    # The date written in words, as ordinances close: "Dado en ... a los quince días ...".
    ("ORDENANZA MUNICIPAL N° 005-2022-MDM\nPOR CUANTO:\nEl Concejo Municipal...\n"
     "Dado en la sede de la Municipalidad, a los quince días del mes de marzo del año dos mil "
     "veintidós.",
     "", ("OM", 5, 2022, "SG", dt.date(2022, 3, 15))),
    # Numeric date.
    ("RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0102-2023-GM-MDM\nCamisea, 14/04/2023",
     "", ("RGM", 102, 2023, "GM", dt.date(2023, 4, 14))),
    # A citation in the visto is not the heading.
    ("VISTO: La Resolución de Alcaldía N° 145-2023-A-MDM y el Informe N° 12-2024-GAJ-MDM\n\n"
     "Texto sin encabezado legible",
     "RGM 0045-2024-GM-MDM.pdf", ("RGM", 45, 2024, "GM", None)),
    # Nothing in the text: the file name gives type, number, year and office.
    ("Texto ilegible de un escaneo antiguo", "Ordenanza_012-2019-MDM.pdf",
     ("OM", 12, 2019, "SG", None)),
    ("página sin encabezado", "RA 145-2023-A-MDM (copia).pdf", ("RA", 145, 2023, "A", None)),
]


@pytest.mark.parametrize("text, filename, expected", HEADINGS)
def test_headings(text, filename, expected):
    meta = guess_metadata(text, filename)
    assert (meta.doc_type, meta.number, meta.year, meta.office, meta.date) == expected


def test_a_clean_heading_needs_no_confirmation():
    text = (LETTERHEAD + "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM\n"
            "Camisea, 12 de marzo de 2024\nVISTO:\nEl expediente.\nCONSIDERANDO:\nQue...\n"
            "SE RESUELVE:\nARTÍCULO PRIMERO.- APROBAR el expediente técnico del proyecto de "
            "agua potable de Kirigueti, conforme a los considerandos.\n")
    meta = guess_metadata(text)
    assert meta.to_confirm() == []
    assert meta.number_label == "0045-2024-GM-MDM" and meta.place == "Camisea"
    assert meta.sumilla == "APROBAR el expediente técnico del proyecto de agua potable de Kirigueti"


@pytest.mark.parametrize("heading, number, label", [
    # the State's document system (SGD) numbers: a D and six digits, kept in the label
    ("RESOLUCIÓN DE ALCALDÍA N° D000012-2025-A-MDM", 12, "D000012-2025-A-MDM"),
    ("ORDENANZA MUNICIPAL N° D000502-2025-MDM", 502, "D000502-2025-MDM"),
    # an OCR'd zero read as a D is no SGD number ("D45": 045)
    ("RESOLUCIÓN DE ALCALDÍA N° D45-2025-A-MDM", 45, "045-2025-A-MDM"),
])
def test_sgd_numbers_keep_their_d(heading, number, label):
    meta = guess_metadata(LETTERHEAD + heading + "\nCamisea, 3 de marzo de 2025\nVISTO:\n")
    assert (meta.number, meta.year, meta.number_label) == (number, 2025, label)


def test_sumilla_from_label_ordinance_title_and_directive_title():
    labelled = guess_metadata("RESOLUCIÓN DE ALCALDÍA N° 1-2024-A-MDM\n"
                              "SUMILLA: Designar al Gerente Municipal\n\nVISTO:")
    assert labelled.sumilla == "Designar al Gerente Municipal"
    ordinance = guess_metadata("ORDENANZA MUNICIPAL N° 012-2019-MDM\nPOR CUANTO:\n\n"
                               "ORDENANZA QUE APRUEBA EL REGLAMENTO DE ORGANIZACIÓN Y "
                               "FUNCIONES\n\nArtículo 1.- Aprobar")
    assert ordinance.sumilla.startswith("ORDENANZA QUE APRUEBA EL REGLAMENTO")
    directive = guess_metadata("DIRECTIVA N° 002-2024-GM-MDM\nCamisea, 3 de abril de 2024\n"
                               "NORMAS PARA EL OTORGAMIENTO Y RENDICIÓN DE VIÁTICOS\n"
                               "I. OBJETIVO\nEstablecer...")
    assert directive.sumilla == "NORMAS PARA EL OTORGAMIENTO Y RENDICIÓN DE VIÁTICOS"
    assert directive.confidence["sumilla"] >= CONFIRM_BELOW


def test_doubtful_fields_are_flagged():
    # Only a type, read from the top without a number: number and year must be confirmed.
    meta = guess_metadata("RESOLUCIÓN DE GERENCIA MUNICIPAL N° ______-2022-GM-MDM\n"
                          "Kepashiato, 22 de agosto de 2022\nVISTO: El Informe N° 104-2022-GAJ-MDM")
    assert meta.doc_type == "RGM" and meta.number is None
    assert {"doc_type", "number", "year"} <= set(meta.to_confirm())
    # Nothing at all.
    empty = guess_metadata("lorem ipsum dolor sit amet " * 20)
    assert empty.missing == ["doc_type", "number", "year", "office", "date", "sumilla"]
    assert all(value == 0.0 for value in empty.confidence.values())


def test_file_name_disagreeing_with_the_text_is_noted_and_lowers_confidence():
    meta = guess_metadata("RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM\nCamisea, 1 de marzo de 2023",
                          "RA 146-2023-A-MDM.pdf")
    assert meta.number == 145 and meta.confidence["number"] <= 0.5
    assert any("nombre del archivo" in note for note in meta.notes)
    agreeing = guess_metadata("RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM\n", "RA 145-2023.pdf")
    assert agreeing.confidence["number"] == 0.99


def test_a_date_of_another_year_is_noted():
    meta = guess_metadata("RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM\nCamisea, 2 de enero de 2024")
    assert meta.date == dt.date(2024, 1, 2)
    assert meta.confidence["date"] < CONFIRM_BELOW
    assert any("otro año" in note for note in meta.notes)


def test_implausible_numbers_are_not_taken():
    meta = guess_metadata("RESOLUCIÓN DE ALCALDÍA N° 145-2099-A-MDM\n")
    assert meta.number is None and meta.doc_type == "RA"
    assert guess_metadata("RESOLUCIÓN DE ALCALDÍA N° 000-2020-A-MDM\n").number is None
