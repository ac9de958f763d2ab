"""Folding keeps every offset: a match in the folded text is the same span of the original."""
import pytest

from search.folding import fold


@pytest.mark.parametrize("text, folded", [
    ("RESOLUCIÓN DE ALCALDÍA N° 5", "resolucion de alcaldia n° 5"),
    ("Nº 012\u00a0y\u2009Ñandú", "nº 012 y nandu"),          # no-break and thin spaces
    ("página 1\x0cPÁGINA 2\tfin\r\n", "pagina 1 pagina 2\tfin\r\n"),   # a PDF's form feed
    ("São Tomé, Ærø", "sao tome, ærø"),                      # letters beyond Spanish
    ("İSTANBUL Ñ", "Istanbul n"),                            # a lower case two characters long
    ("“Artículo 1.—” … ª", "“articulo 1.—” … ª"),
])
def test_fold(text, folded):
    assert fold(text) == folded and len(fold(text)) == len(text)
