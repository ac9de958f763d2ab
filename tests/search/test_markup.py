"""The open data's Markdown is indexed as its words: links keep their text, heading and
bold marks and escapes go, and nothing else of the text changes."""
from __future__ import annotations

import pytest

from search.markup import without_markdown


@pytest.mark.parametrize("markdown, words", [
    ("(\\*) DEROGADA por el [Artículo 1 de la Ley Nº 32114](/spij-ext-web/detallenorma/"
     "H1384043), publicada el 03 setiembre 2024",
     "(*) DEROGADA por el Artículo 1 de la Ley Nº 32114, publicada el 03 setiembre 2024"),
    ("## LEY Nº 30341(\\*)  \n\n     **Artículo 1. Norma general**",
     "LEY Nº 30341(*)  \n\n     Artículo 1. Norma general"),
    ("[vigencia](/spij-ext-web/detallenorma/H1(2)) el 1 de enero", "vigencia el 1 de enero"),
])
def test_markup_goes_and_words_stay(markdown, words):
    assert without_markdown(markdown) == words


@pytest.mark.parametrize("text", [
    "RESOLUCIÓN DE GERENCIA MUNICIPAL N° ______-2022-GM-MDM",
    "El Informe N° 104-2022-GAJ-MDM [adjunto] (folios 3) del expediente #12",
    "Artículo 5.- Los montos en S/ 1 200,00 * 2 (dos) cuotas",
])
def test_plain_text_is_left_as_it_is(text):
    assert without_markdown(text) == text
