"""The one heading reader (search/headings.py) that the importer's metadata guess and the
relation finder's gazette-page reader share: the same line gives both the same norm."""
from __future__ import annotations

import pytest

from docsys.archive.metadata import guess_metadata
from docsys.compliance.relations import norm_headings
from search.headings import heading_id, opening_number


@pytest.mark.parametrize("line, key", [
    ("LEY N° 31884", "LEY-31884"),
    ("DECRETO SUPREMO Nº 004-2019-JUS**", "DS-4-2019-JUS"),
    # RESOLUCION-DIRECTORAL-002-2011-EF-51-01.md: the office after the sector
    ("RESOLUCION DIRECTORAL Nº 002-2011-EF/51.01  ", "RD-2-2011-EF"),
    ("RESOLUCIÓN MINISTERIAL N° 512-2023/MINSA", "RM-512-2023-MINSA"),
    # a title after the number: the importer's heading, not a line of its own
    ("LEY N° 32185 LEY DE PRESUPUESTO DEL SECTOR PÚBLICO", None),
    # a sentence of the considerations that opens with a citation
    ("Ley Nº 30157, Ley de las Organizaciones de Usuarios de Agua, dispone", None),
    ("Que, la Ley N° 27972 establece", None),
    # LEY-28832-2006.md, DU-025-2020.md: OCR'd pages print the degree sign as "?" or "*"
    ("LEY N? 28832", "LEY-28832"),
    ("DECRETO DE URGENCIA N* 025-2020", "DU-25-2020"),
    # a question mark or an asterisk without a number after it is no marker
    ("LEY N?", None),
    ("ANEXO N* 2", None),
])
def test_a_heading_line_and_its_key(line, key):
    assert heading_id(line) == key


def test_the_importer_and_the_finder_read_a_heading_alike():
    """The text's own heading: the importer proposes its type and number, the finder
    places the norm there, from the same reading of the line."""
    text = ("DECRETO SUPREMO Nº 004-2019-JUS\nEL PRESIDENTE DE LA REPÚBLICA\nCONSIDERANDO:\n"
            "Que, la Ley N° 27444, Ley del Procedimiento Administrativo General, dispone ...\n"
            "Artículo 1.- Apruébase el Texto Único Ordenado.\n")
    meta = guess_metadata(text)
    mention = opening_number(text.split("\n")[0])
    assert mention is not None and mention.key == "DS-4-2019"
    assert (meta.doc_type, meta.number, meta.year) == ("DS", 4, 2019)
    assert norm_headings(text) == [(0, "DS-4-2019-JUS")]
    # the sentence of the considerations is neither's heading
    assert opening_number("Ley Nº 30157, Ley de las Organizaciones ...") is None
